"""A failed, repeated or conflicting import never damages what is loaded."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.core.management.base import CommandError

from lookup.importers import codeset
from lookup.importing import ImportFailed
from lookup.models import Code, CodeChange, Note, Release
from tests.lookup.importing import SAMPLES, import_codes, import_file

SAMPLE_2025 = SAMPLES / "icd10cm-tabular-sample-April-2025.xml"
SAMPLE_2026 = SAMPLES / "icd10cm-tabular-sample-April-2026.xml"

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (
        list(Code.objects.order_by("pk").values_list()),
        list(Note.objects.order_by("pk").values_list()),
        list(Release.objects.order_by("pk").values_list("pk", "version", "summary")),
        CodeChange.objects.count(),
    )


def test_reimporting_the_same_release_changes_nothing(demo_codes):
    import_codes("icd-10-cm", SAMPLE_2026)
    before = snapshot()

    summary = import_file("icd-10-cm", SAMPLE_2026)

    assert summary.already_loaded
    assert (summary.added, summary.revised, summary.deleted, summary.updated) == (0, 0, 0, 0)
    # Every code of the file; the demo codes it lacks were ended by the first import.
    assert summary.unchanged == Code.objects.filter(system__slug="icd-10-cm", termination_date=None).count()
    assert snapshot() == before


def test_a_failure_half_way_leaves_the_database_as_it_was(demo_codes, monkeypatch):
    import_codes("icd-10-cm", SAMPLE_2025)
    before = snapshot()

    def broken_notes(**kwargs):
        raise ImportFailed("disk full while writing notes")

    monkeypatch.setattr(codeset, "_write_notes", broken_notes)
    with pytest.raises(CommandError, match="disk full"):
        import_codes("icd-10-cm", SAMPLE_2026)

    assert snapshot() == before
    assert not Release.objects.filter(version="2026-04").exists()


def test_staff_edited_official_text_is_kept_and_reported_as_a_conflict(demo_codes):
    import_codes("icd-10-cm", SAMPLE_2025)
    Code.objects.filter(key="E119").update(official_description="Our corrected text", official_edited=True)
    Code.objects.filter(key="E1165").update(official_description="Old wording", official_edited=False)
    plain = Code.objects.get(key="E119").plain_description

    output = import_codes("icd-10-cm", SAMPLE_2026)

    e119 = Code.objects.get(key="E119")
    assert e119.official_description == "Our corrected text"
    assert e119.plain_description == plain
    assert "conflicts 1" in output
    assert "conflict: E11.9 has a staff-edited official text" in output
    # A text nobody edited follows the file, and the change is recorded.
    assert Code.objects.get(key="E1165").official_description == "Type 2 diabetes mellitus with hyperglycemia"
    assert CodeChange.objects.get(code__key="E1165").kind == "revised"
    assert Release.objects.get(version="2026-04").summary["conflicts"] == ["E11.9"]


@pytest.mark.parametrize(
    ("system", "content", "message"),
    [
        ("icd-10-cm", b"<?xml version='1.0'?><ICD10CM.tabular><chapter>", "not well-formed XML"),
        ("icd-10-cm", b"<?xml version='1.0'?><html></html>", "not an ICD-10-CM tabular file"),
        ("icd-10-cm", b"\x1f\x8b\x08\x00garbage", "truncated or corrupt"),
        ("icd-10-cm", b"PK\x03\x04not really a zip", "not a readable zip file"),
        ("hcpcs", b"A0428 Ambulance\r\n", "not CMS's alpha-numeric fixed-width file"),
        ("icd-10-pcs", b"<xml/>\n", "not an ICD-10-PCS order file or code list"),
        # ICD-10-CM's order file shares the PCS order file's layout: a mismatch all the same.
        (
            "icd-10-pcs",
            b"00001 A00     0 "
            + b"Cholera".ljust(60)
            + b" Cholera\n00002 A000    1 "
            + b"Cholera due to V".ljust(60)
            + b" x\n",
            "A000 is not a 7-character ICD-10-PCS code",
        ),
        ("cpt", b"77307 no tab here\n", "not a CPT tab-delimited file"),
    ],
)
def test_a_wrong_file_fails_with_one_clear_line(tmp_path, system, content, message):
    path = tmp_path / "codes-April-2026.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError) as failure:
        import_codes(system, path)

    assert message in str(failure.value)
    assert "\n" not in str(failure.value)
    assert not Release.objects.exists()


def test_a_truncated_gzip_of_the_real_format_fails_cleanly(tmp_path):
    data = gzip.compress(SAMPLE_2026.read_bytes())
    path = tmp_path / "icd10cm-tabular-April-2026.xml.gz"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(CommandError, match="truncated or corrupt"):
        import_codes("icd-10-cm", path)
    assert not Code.objects.filter(system__slug="icd-10-cm").exists()


def test_an_older_release_than_two_loaded_ones_is_refused():
    import_codes("icd-10-cm", SAMPLE_2025)
    import_codes("icd-10-cm", SAMPLE_2026)
    before = snapshot()

    with pytest.raises(
        CommandError, match=r"older than the loaded releases \(2025-04, 2026-04\); import releases in order"
    ):
        import_codes("icd-10-cm", SAMPLE_2025, release="2024-10", date=datetime.date(2024, 10, 1))
    assert snapshot() == before


def test_a_different_file_under_a_loaded_label_is_refused(tmp_path):
    import_codes("icd-10-cm", SAMPLE_2026)
    altered = tmp_path / "icd10cm-tabular-April-2026.xml"
    altered.write_text(
        SAMPLE_2026.read_text().replace("Type 2 diabetes mellitus without complications<", "Altered<")
    )

    with pytest.raises(CommandError, match="already loaded and this file differs"):
        import_codes("icd-10-cm", altered)


def test_unknown_system_and_missing_file_are_one_line_errors(tmp_path):
    with pytest.raises(CommandError, match="no importer for 'snomed'"):
        import_codes("snomed", SAMPLE_2026)
    with pytest.raises(CommandError, match="no such file"):
        import_codes("icd-10-cm", tmp_path / "missing.xml")


def test_if_new_skips_a_release_already_loaded():
    import_codes("icd-10-cm", SAMPLE_2026)

    output = import_codes("icd-10-cm", SAMPLE_2026, if_new=True)

    assert output.strip() == "icd-10-cm 2026-04 is loaded already; nothing to do."


def test_an_older_release_loaded_before_is_reported_as_loaded_and_changes_nothing():
    import_codes("icd-10-cm", SAMPLE_2025)
    import_codes("icd-10-cm", SAMPLE_2026)
    before = snapshot()

    summary = import_file("icd-10-cm", SAMPLE_2025)

    assert summary.already_loaded and (summary.added, summary.revised, summary.deleted) == (0, 0, 0)
    assert snapshot() == before


def test_a_diag_that_is_not_a_code_is_refused(tmp_path):
    path = tmp_path / "icd10cm-tabular-April-2026.xml"
    path.write_text(SAMPLE_2026.read_text().replace("<name>E11.9</name>", "<name>hello</name>"))

    with pytest.raises(CommandError, match="not an ICD-10-CM code: <diag> named 'hello' \\(under E11\\)"):
        import_codes("icd-10-cm", path)
