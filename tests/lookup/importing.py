"""Helpers shared by the import tests."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from lookup.importing import ImportSummary, find_importer, run_import

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "fixtures" / "import"


def import_codes(system: str, path: Path | str, **options) -> str:
    """Run the command as an operator would; returns what it printed."""
    out = StringIO()
    call_command("import_codes", system, str(path), stdout=out, **options)
    return out.getvalue()


def import_file(system: str, path: Path | str, **options) -> ImportSummary:
    return run_import(importer=find_importer(system), location=str(path), **options)
