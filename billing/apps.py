from __future__ import annotations

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Medicare billing"

    def ready(self) -> None:
        # `manage.py import_codes pfs <file>` runs billing's importer on lookup's framework.
        from billing import importing
        from lookup.importing import register

        register(
            "pfs",
            importing.run,
            help="Medicare Physician Fee Schedule: the CMS RVU zip (RVU25A.zip) or its PPRRVU csv",
            label_from_name=importing.label_from_name,
            is_loaded=importing.is_loaded,
        )
        # The fee schedule on CPT and HCPCS code pages, for members (lookup/sections.py).
        from billing.sections import FEE_SCHEDULE
        from lookup.sections import register as register_section

        register_section(FEE_SCHEDULE)
