"""The code-set formats `import_codes` reads, one module each; the machinery they share
is in lookup/importing.py and lookup/importers/codeset.py."""

from __future__ import annotations

from lookup.importers import cpt, hcpcs, icd10cm, icd10pcs
from lookup.importing import register


def register_builtin() -> None:
    register(
        "icd-10-cm",
        icd10cm.run,
        system_slug="icd-10-cm",
        help="CDC tabular XML (.xml, .gz or zip)",
        label_from_name=icd10cm.label_from_name,
    )
    register(
        "hcpcs",
        hcpcs.run,
        system_slug="hcpcs",
        help="CMS alpha-numeric fixed-width file (zip or txt)",
        label_from_name=hcpcs.label_from_name,
    )
    register(
        "icd-10-pcs",
        icd10pcs.run,
        system_slug="icd-10-pcs",
        help="CMS order file or CODE description list",
        label_from_name=icd10pcs.label_from_name,
    )
    register(
        "cpt",
        cpt.run,
        system_slug="cpt",
        help="tab-delimited code and descriptor file (AMA licence)",
        label_from_name=cpt.label_from_name,
    )
