from __future__ import annotations

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Medicare billing"

    def ready(self) -> None:
        # `manage.py import_codes pfs <file>` runs billing's importer with the shared machinery.
        from billing.importing import register_with_import_codes

        register_with_import_codes()
        # The fee schedule on CPT and HCPCS code pages, for members (lookup/sections.py).
        from billing.sections import FEE_SCHEDULE
        from lookup.sections import register

        register(FEE_SCHEDULE)
