"""Every public code set `make run` loads, in the order that gives the right result.

The publishers' files sit in the shared data folder (`../shared/data` beside a checkout; see
its README), never in the project. Code sets come before the fee schedule, so the codes a
fee schedule names are already there with their own text and state; the older ICD-10-CM
release comes first, so the newer one records what changed (History on code pages). Each
release already loaded is skipped from its file name alone, so a second run takes seconds.
Where a file is missing, the April 2026 ICD-10-CM still comes from the simple-icd-10-cm
package, and one line names the others and how to load them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from lookup.importing import ImportSummary, Progress, already_loaded, find_importer, run_import

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


def packaged_file(relative: str) -> Path | None:
    """A data file inside an installed package (`package/data/file`), if installed."""
    package, _, inside = relative.partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / inside
    return path if path.is_file() else None


def load_public_data(
    *, data_dir: Path = DEFAULT_DATA_DIR, say: Callable[[str], None], progress: Progress | None = None
) -> list[ImportSummary]:
    """Import each public release not loaded yet, in PUBLIC_FILES order; returns what ran."""
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
    return summaries
