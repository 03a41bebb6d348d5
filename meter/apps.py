from __future__ import annotations

from django.apps import AppConfig


class MeterConfig(AppConfig):
    name = "meter"
    verbose_name = "Meter (code page views, questions)"
