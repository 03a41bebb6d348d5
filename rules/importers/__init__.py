"""The CMS rule files `import_codes` reads: NCCI PTP edits, MUEs and the 2018 GEMs."""

from __future__ import annotations

from collections.abc import Callable

from lookup.importing import register
from rules.importers import gems, mue, ptp
from rules.models import EditRelease, Mue, PtpEdit


def loaded(kind: str) -> Callable[[str], bool]:
    """`is_loaded` for --if-new: a release of this kind is in under that label."""
    return lambda label: EditRelease.objects.filter(kind=kind, version=label).exists()


def register_importers() -> None:
    # Each with the label its file's name gives and whether it is loaded, so `--if-new` (and
    # `load_public_data --ncci DIR`) skips a loaded release in one line, without reading it.
    register(
        "ncci-ptp-practitioner",
        ptp.importer(PtpEdit.Setting.PRACTITIONER),
        label_from_name=ptp.label_from_name(PtpEdit.Setting.PRACTITIONER),
        is_loaded=loaded(ptp.KIND[PtpEdit.Setting.PRACTITIONER]),
        help="NCCI PTP edits for practitioners: CMS's ccipra-v<version>-f1.txt (or zip); reads every part",
    )
    register(
        "ncci-ptp-outpatient",
        ptp.importer(PtpEdit.Setting.OUTPATIENT),
        label_from_name=ptp.label_from_name(PtpEdit.Setting.OUTPATIENT),
        is_loaded=loaded(ptp.KIND[PtpEdit.Setting.OUTPATIENT]),
        help="NCCI PTP edits for hospital outpatient services: ccioph-v<version>-f1.txt (or zip)",
    )
    register(
        "ncci-mue-practitioner",
        mue.importer(Mue.Setting.PRACTITIONER),
        label_from_name=mue.label_from_name(Mue.Setting.PRACTITIONER),
        is_loaded=loaded(mue.KIND[Mue.Setting.PRACTITIONER]),
        help="MUEs for practitioner services: CMS's .txt or .csv (or the zip holding it)",
    )
    register(
        "ncci-mue-outpatient",
        mue.importer(Mue.Setting.OUTPATIENT),
        label_from_name=mue.label_from_name(Mue.Setting.OUTPATIENT),
        is_loaded=loaded(mue.KIND[Mue.Setting.OUTPATIENT]),
        help="MUEs for outpatient hospital services: CMS's .txt or .csv (or zip)",
    )
    register(
        "ncci-mue-dme",
        mue.importer(Mue.Setting.DME),
        label_from_name=mue.label_from_name(Mue.Setting.DME),
        is_loaded=loaded(mue.KIND[Mue.Setting.DME]),
        help="MUEs for DME suppliers: CMS's .txt or .csv (or zip)",
    )
    register(
        "gems",
        gems.run,
        help="2018 General Equivalence Mappings: 2018_I9gem.txt, 2018_I10gem.txt, gem_i9pcs.txt, "
        "gem_pcsi9.txt, or CMS's zip holding them",
        label_from_name=gems.label_from_name,
        is_loaded=gems.is_loaded,
    )
