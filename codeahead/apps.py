from __future__ import annotations

from django.apps import AppConfig


class CodeaheadConfig(AppConfig):
    """The site's own app: what every feature shares (client address, health views, emails,
    the shared cache table). It depends on no other app of ours; they depend on it."""

    name = "codeahead"
    verbose_name = "CodeAhead site"
