"""Other apps add formats to import_codes with lookup.importing.register()."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from lookup import importing
from lookup.importing import ImportFailed, ImportJob, ImportSummary
from lookup.models import Code, CodeSystem
from tests.lookup.importing import SAMPLES, import_codes

pytestmark = pytest.mark.django_db


def test_a_registered_format_runs_in_one_transaction_with_the_shared_summary(monkeypatch, tmp_path):
    seen: list[ImportJob] = []

    def run(job: ImportJob) -> ImportSummary:
        seen.append(job)
        system = CodeSystem.objects.get(slug="hcpcs")
        key = "Z9998" if "fail" in job.location else "Z9999"
        Code.objects.create(system=system, code=key, key=key)
        if "fail" in job.location:
            raise ImportFailed("fee schedule row 3 has no code")
        return ImportSummary(system="Fee schedule", release="2025A", added=1)

    monkeypatch.setitem(importing.IMPORTERS, "pfs", importing.Importer(name="pfs", run=run, system_slug=None))
    sample = SAMPLES / "cpt-2026-sample.tsv"

    output = import_codes("pfs", sample)

    assert output.startswith("Fee schedule 2025A: added 1,")
    assert seen[0].system is None and seen[0].path == sample
    failing = tmp_path / "fail.tsv"
    failing.write_text("x")
    with pytest.raises(CommandError, match="fee schedule row 3 has no code"):
        import_codes("pfs", failing)
    assert Code.objects.filter(key="Z9999").exists()
    assert not Code.objects.filter(key="Z9998").exists()  # the failed run's row was rolled back
