from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class CodeaheadConfig(AppConfig):
    """The site's own app: what every feature shares (client address, health views, emails,
    the shared cache table, the top-level paths). It depends on no other app of ours; they
    depend on it."""

    name = "codeahead"
    verbose_name = "CodeAhead site"

    def ready(self) -> None:
        from codeahead.routes import check_top_level_paths

        checks.register(check_top_level_paths, checks.Tags.urls)
