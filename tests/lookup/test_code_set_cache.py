"""Home counts and browse groups kept per process, dropped when an import commits.

A web worker never runs the import's commit callback (the import is another process), so
each test keeps what a worker would hold: the local cache as it was before the import.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches

from lookup.cache import code_sets_version
from lookup.importing import ImportFailed
from lookup.models import Code
from tests.lookup.importing import SAMPLES, import_file

pytestmark = pytest.mark.django_db

CM_2026 = SAMPLES / "icd10cm-tabular-sample-April-2026.xml"
HCPCS = SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt"


class WorkerMemory:
    """What another process's local cache holds: a copy, put back after the import."""

    def __init__(self) -> None:
        local = caches["local"]
        self.entries, self.expiry = dict(local._cache), dict(local._expire_info)

    def restore(self) -> None:
        local = caches["local"]
        local._cache.update(self.entries)
        local._expire_info.update(self.expiry)


def shown_count(system: str) -> str:
    count = Code.objects.filter(system__slug=system, kind__in=["code", "modifier"]).count()
    return f'<span class="count">{count:,} code'


def test_home_counts_follow_an_import_in_every_process(
    client, demo_codes, django_capture_on_commit_callbacks
):
    assert shown_count("icd-10-cm") in client.get("/").content.decode()
    worker = WorkerMemory()

    with django_capture_on_commit_callbacks(execute=True):
        import_file("icd-10-cm", CM_2026)
    worker.restore()

    html = client.get("/").content.decode()
    assert shown_count("icd-10-cm") in html
    assert "34 codes" not in html  # nothing of the counts kept before the import


def test_browse_groups_follow_an_import_in_every_process(client, django_capture_on_commit_callbacks):
    assert "J1100-J1100" not in client.get("/hcpcs/").content.decode()
    worker = WorkerMemory()

    with django_capture_on_commit_callbacks(execute=True):
        import_file("hcpcs", HCPCS)
    worker.restore()

    assert "J1100-J1100" in client.get("/hcpcs/").content.decode()


def test_a_failed_import_keeps_the_version(tmp_path, django_capture_on_commit_callbacks):
    before = code_sets_version()
    broken = tmp_path / "icd10cm-tabular-April-2026.xml"
    broken.write_text(CM_2026.read_text()[:500])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportFailed):
        import_file("icd-10-cm", broken)

    assert code_sets_version() == before


def test_a_code_set_without_codes_is_not_listed_on_the_home_page(client):
    import_file("icd-10-cm", CM_2026)

    html = client.get("/").content.decode()

    assert "International Classification of Diseases, Tenth Revision, Clinical Modification" in html
    assert "Current Procedural Terminology" not in html  # no CPT code loaded
    assert " 0 codes" not in html
