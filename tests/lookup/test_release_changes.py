"""Year-over-year history: what a newer release changed, on its own page and on code pages."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from lookup.models import Code, CodeChange, Release
from tests.lookup.importing import SAMPLES, import_codes

SAMPLE_2025 = SAMPLES / "icd10cm-tabular-sample-April-2025.xml"
SAMPLE_2026 = SAMPLES / "icd10cm-tabular-sample-April-2026.xml"

pytestmark = pytest.mark.django_db


def newer_sample(tmp_path: Path) -> Path:
    """The 2026 sample with one code's text changed and one code gone."""
    text = SAMPLE_2026.read_text()
    text = text.replace(
        "<desc>Type 2 diabetes mellitus with hyperglycemia</desc>", "<desc>Type 2 DM, high sugar</desc>"
    )
    start = text.rindex("<diag>", 0, text.index("<name>E11.641</name>"))
    end = text.index("</diag>", start) + len("</diag>")
    newer = tmp_path / "icd10cm-tabular-April-2026.xml"
    newer.write_text(text[:start] + text[end:])
    return newer


@pytest.fixture
def two_releases(tmp_path):
    import_codes("icd-10-cm", SAMPLE_2025)
    return import_codes("icd-10-cm", newer_sample(tmp_path))


def history() -> tuple[list, list]:
    changes = CodeChange.objects.values_list("release__version", "code__key", "kind", "old_text", "new_text")
    codes = Code.objects.filter(system__slug="icd-10-cm").values_list(
        "key", "kind", "billable", "termination_date", "official_description", "parent__key"
    )
    return sorted(changes), sorted(codes, key=str)


def test_older_release_imported_after_the_newer_one_gives_the_same_history(tmp_path):
    newer = newer_sample(tmp_path)
    import_codes("icd-10-cm", SAMPLE_2025)
    import_codes("icd-10-cm", newer)
    in_order = history()
    Code.objects.all().delete()
    Release.objects.all().delete()

    import_codes("icd-10-cm", newer)  # as `make run` does first
    output = import_codes("icd-10-cm", SAMPLE_2025)

    assert history() == in_order
    assert (
        "ICD-10-CM 2025-04 (older: its changes recorded on 2026-04): added 1, revised 1, deleted 1" in output
    )
    with pytest.raises(CommandError, match="import releases in order"):
        import_codes("icd-10-cm", SAMPLE_2025, release="2024-04", date=datetime.date(2024, 4, 1))


def test_newer_release_records_added_revised_and_deleted_codes(two_releases):
    changes = {
        c.code.code: c for c in CodeChange.objects.filter(release__version="2026-04").select_related("code")
    }

    assert changes["E11.A"].kind == "added"  # new in FY2026
    assert changes["E11.65"].kind == "revised"
    assert (changes["E11.65"].old_text, changes["E11.65"].new_text) == (
        "Type 2 diabetes mellitus with hyperglycemia",
        "Type 2 DM, high sugar",
    )
    assert changes["E11.641"].kind == "deleted"
    gone = Code.objects.get(key="E11641")
    assert (gone.billable, str(gone.termination_date)) == (False, "2026-04-01")
    assert "added 1, revised 1, deleted 1" in two_releases


def test_first_release_is_a_baseline_without_change_rows():
    import_codes("icd-10-cm", SAMPLE_2025)

    assert not CodeChange.objects.exists()


def test_changes_page_lists_the_release_changes(client, two_releases):
    response = client.get("/icd-10-cm/changes/2026-04/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/icd-10-cm/E11.A/"' in html and 'href="/icd-10-cm/E11.641/"' in html
    assert "<del>Type 2 diabetes mellitus with hyperglycemia</del>" in html
    assert "Added (1)" in html and "Revised (1)" in html and "Deleted (1)" in html
    only_added = client.get("/icd-10-cm/changes/2026-04/?kind=added").content.decode()
    assert "E11.A" in only_added and "E11.641" not in only_added
    assert client.get("/icd-10-cm/changes/").url == "/icd-10-cm/changes/2026-04/"
    assert "first ICD-10-CM release loaded" in client.get("/icd-10-cm/changes/2025-04/").content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/icd-10-cm/changes/1999-01/", 404),
        ("/nosuch/changes/2026-04/", 404),
        ("/cpt/changes/", 404),
        ("/icd-10-cm/changes/2026-04/?kind=nonsense", 400),
        ("/icd-10-cm/changes/2026-04/?page=999", 200),
        ("/icd-10-cm/changes/2026-04/?page=abc", 200),
        ("/icd-10-cm/changes/" + "9" * 300 + "/", 404),
    ],
)
def test_bad_changes_urls_are_not_errors(client, two_releases, path, status):
    assert client.get(path).status_code == status


def test_code_page_shows_its_history_to_members(client, member, two_releases):
    html = client.get("/icd-10-cm/E11.65/").content.decode()

    assert 'id="history-heading"' in html
    assert 'href="/icd-10-cm/changes/2026-04/"' in html
    assert "was “Type 2 diabetes mellitus with hyperglycemia”" in html


def test_code_page_history_is_a_deeper_section(client, two_releases):
    html = client.get("/icd-10-cm/E11.65/").content.decode()

    assert 'id="history-heading"' not in html


def test_system_page_links_to_the_latest_release_changes(client, two_releases):
    html = client.get("/icd-10-cm/").content.decode()

    assert (
        'Release FY2026, April 1 update loaded: <a href="/icd-10-cm/changes/2026-04/">what changed</a>'
        in html
    )


def test_changes_page_needs_few_queries(client, two_releases, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/icd-10-cm/changes/2026-04/")
    assert response.status_code == 200


def test_a_deleted_code_says_terminated_not_needs_a_more_specific_code(client, two_releases):
    html = client.get("/icd-10-cm/E11.641/").content.decode()

    assert "Terminated Apr 1, 2026" in html
    assert "a more specific code is required" not in html
