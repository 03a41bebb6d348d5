"""The CMS rule files `import_codes` reads: NCCI PTP edits, MUEs and the 2018 GEMs."""

from __future__ import annotations

from lookup.importing import register
from rules.importers import gems, mue, ptp
from rules.models import Mue, PtpEdit


def register_importers() -> None:
    register(
        "ncci-ptp-practitioner",
        ptp.importer(PtpEdit.Setting.PRACTITIONER),
        help="NCCI PTP edits for practitioners: CMS's ccipra-v<version>-f1.txt (or zip); reads every part",
    )
    register(
        "ncci-ptp-outpatient",
        ptp.importer(PtpEdit.Setting.OUTPATIENT),
        help="NCCI PTP edits for hospital outpatient services: ccioph-v<version>-f1.txt (or zip)",
    )
    register(
        "ncci-mue-practitioner",
        mue.importer(Mue.Setting.PRACTITIONER),
        help="MUEs for practitioner services: CMS's .txt or .csv (or the zip holding it)",
    )
    register(
        "ncci-mue-outpatient",
        mue.importer(Mue.Setting.OUTPATIENT),
        help="MUEs for outpatient hospital services: CMS's .txt or .csv (or zip)",
    )
    register(
        "ncci-mue-dme",
        mue.importer(Mue.Setting.DME),
        help="MUEs for DME suppliers: CMS's .txt or .csv (or zip)",
    )
    register(
        "gems",
        gems.run,
        help="2018 General Equivalence Mappings: 2018_I9gem.txt, 2018_I10gem.txt, gem_i9pcs.txt, "
        "gem_pcsi9.txt, or CMS's zip holding them",
    )
