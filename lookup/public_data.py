"""Every public code set `make run` loads, in the order that gives the right result.

The publishers' files sit in the shared data folder (`../shared/data` beside a checkout; see
its README), never in the project. Code sets come before the fee schedule, so the codes a
fee schedule names are already there with their own text and state; the older ICD-10-CM
release comes first, so the newer one records what changed (History on code pages). Each
release already loaded is skipped from its file name alone, so a second run takes seconds.
Where a file is missing, the April 2026 ICD-10-CM still comes from the simple-icd-10-cm
package, and one line names the others and how to load them.

Files an operator downloaded themselves (CMS's NCCI edits and MUEs, behind its CPT licence
page, and the GEMs) load from the folder `--ncci DIR` names, after the code sets; see
OPERATOR_FILES.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from lookup.importing import (
    IMPORTERS,
    ImportFailed,
    ImportSummary,
    Progress,
    already_loaded,
    find_importer,
    run_import,
)

DEFAULT_DATA_DIR = settings.BASE_DIR.parent / "shared" / "data"


@dataclass(frozen=True)
class PublicFile:
    importer: str
    path: str  # inside the shared data folder
    title: str
    packaged: str = ""  # the same release as a pip package ships it, inside that package


PUBLIC_FILES = [
    PublicFile("icd-10-cm", "cdc/icd10cm/icd10cm-tabular-April-2025.xml.gz", "ICD-10-CM April 2025"),
    PublicFile(
        "icd-10-cm",
        "cdc/icd10cm/icd10cm-tabular-April-2026.xml.gz",
        "ICD-10-CM April 2026",
        packaged="simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml",
    ),
    PublicFile("hcpcs", "cms/hcpcs/january-2026-alpha-numeric-hcpcs-file.zip", "HCPCS January 2026"),
    PublicFile("icd-10-pcs", "cms/icd10pcs/icd10pcs-codes-2024.txt.gz", "ICD-10-PCS FY2024"),
    PublicFile("pfs", "cms/rvu/RVU24A.zip", "Medicare fee schedule CY2024"),
    PublicFile("pfs", "cms/rvu/RVU25A.zip", "Medicare fee schedule CY2025"),
]


@dataclass(frozen=True)
class OperatorFile:
    importer: str  # registered by a feature app (rules); skipped where none is
    name: str  # what a file's name matches (a regular expression, any case)
    title: str


# NCCI's PTP edits and MUEs carry CPT codes, so CMS offers them only behind its AMA licence page
# and they are not in the shared data folder; the 2018 GEMs are public but not there either. The
# operator who downloaded them names their folder (`load_public_data --ncci DIR`, or
# `NCCI_DATA=DIR make run`): each file found, in any subfolder, is loaded oldest release first
# (a PTP table from its part f1, which brings the others), and a release loaded already is skipped.
OPERATOR_FILES = [
    OperatorFile(
        "ncci-ptp-practitioner", r"ccipra-v\d+r\d+-f1\.(txt|csv|zip)$", "NCCI PTP edits, practitioners"
    ),
    OperatorFile("ncci-ptp-outpatient", r"ccioph-v\d+r\d+-f1\.(txt|csv|zip)$", "NCCI PTP edits, outpatient"),
    OperatorFile(
        "ncci-mue-practitioner",
        r"(mue.*practitioner|practitioner.*mue).*\.(txt|csv|zip)$",
        "MUEs, practitioners",
    ),
    OperatorFile(
        "ncci-mue-outpatient", r"(mue.*outpatient|outpatient.*mue).*\.(txt|csv|zip)$", "MUEs, outpatient"
    ),
    OperatorFile("ncci-mue-dme", r"(mue.*(?<![a-z])dme|(?<![a-z])dme.*mue).*\.(txt|csv|zip)$", "MUEs, DME"),
    OperatorFile("gems", r"^(2018_i9gem|2018_i10gem|gem_i9pcs|gem_pcsi9)\.txt$", "GEMs"),
]


def load_operator_files(
    *, folder: Path, say: Callable[[str], None], progress: Progress | None = None
) -> list[ImportSummary]:
    """Import the NCCI, MUE and GEM files in `folder` not loaded yet; a file that fails is named
    in one line and the others still load (they are extras: the site runs without them)."""
    if not folder.is_dir():
        say(f"No folder {folder} (--ncci): no NCCI, MUE or GEM file loaded.")
        return []
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    summaries: list[ImportSummary] = []
    found = 0
    for wanted in OPERATOR_FILES:
        if wanted.importer not in IMPORTERS:
            continue
        importer = IMPORTERS[wanted.importer]
        pattern = re.compile(wanted.name, re.IGNORECASE)
        matches = [p for p in files if pattern.search(p.name)]
        # Oldest release first: a quarter older than the one loaded is refused.
        matches.sort(
            key=lambda p: ((importer.label_from_name and importer.label_from_name(p.name)) or "", p.name)
        )
        for path in matches:
            found += 1
            label = already_loaded(importer=importer, location=str(path))
            if label:
                say(f"{wanted.title} {label} ({path.name}) is loaded already.")
                continue
            try:
                summary = run_import(importer=importer, location=str(path), progress=progress)
            except ImportFailed as error:
                say(f"{wanted.title}: not loaded: {error}")
                continue
            summaries.append(summary)
            for line in summary.lines():
                say(line)
    if not found:
        say(
            f"No NCCI, MUE or GEM file in {folder} (CMS's names: ccipra-v320r0-f1.txt, MCR_MUE_..., 2018_I9gem.txt)."
        )
    return summaries


def packaged_file(relative: str) -> Path | None:
    """A data file inside an installed package (`package/data/file`), if installed."""
    package, _, inside = relative.partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / inside
    return path if path.is_file() else None


def load_public_data(
    *,
    data_dir: Path = DEFAULT_DATA_DIR,
    say: Callable[[str], None],
    progress: Progress | None = None,
    ncci_dir: Path | None = None,
) -> list[ImportSummary]:
    """Import each public release not loaded yet, in PUBLIC_FILES order, then the operator's
    files in `ncci_dir` if given; returns what ran."""
    summaries: list[ImportSummary] = []
    missing: list[str] = []
    for public in PUBLIC_FILES:
        path: Path | None = data_dir / public.path
        if not path.is_file():
            path = packaged_file(public.packaged) if public.packaged else None
        if path is None:
            missing.append(public.title)
            continue
        importer = find_importer(public.importer)
        label = already_loaded(importer=importer, location=str(path))
        if label:
            say(f"{public.title} ({label}) is loaded already.")
            continue
        summary = run_import(importer=importer, location=str(path), progress=progress)
        summaries.append(summary)
        for line in summary.lines():
            say(line)
    if missing:
        say(
            f"Not loaded, no file in {data_dir}: {', '.join(missing)}. Put the public files there "
            "(see README, Loading code sets) and run `.venv/bin/python manage.py load_public_data "
            "--data DIR`, or load one with `manage.py import_codes <system> <file>`."
        )
    if ncci_dir is not None:
        summaries += load_operator_files(folder=ncci_dir, say=say, progress=progress)
    return summaries
