from __future__ import annotations

from django.apps import AppConfig


class CasePilotConfig(AppConfig):
    name = "casepilot"
    verbose_name = "CasePilot assistant"
