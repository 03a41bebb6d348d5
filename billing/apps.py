from __future__ import annotations

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Medicare billing"

    def ready(self) -> None:
        # `manage.py import_codes pfs <file>` runs billing's importer with the shared machinery.
        from billing.importing import register_with_import_codes

        register_with_import_codes()
