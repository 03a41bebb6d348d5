from __future__ import annotations

import gzip
import zipfile

import pytest

from lookup.models import Code, Note, Release
from tests.lookup.importing import SAMPLES, import_codes, import_file

SAMPLE_2026 = SAMPLES / "icd10cm-tabular-sample-April-2026.xml"

pytestmark = pytest.mark.django_db


def icd(key: str) -> Code:
    return Code.objects.get(system__slug="icd-10-cm", key=key)


def test_sample_gives_chapters_sections_categories_and_codes_with_their_hierarchy():
    output = import_codes("icd-10-cm", SAMPLE_2026)

    assert "ICD-10-CM 2026-04: added" in output
    chapter = icd("E00-E89")
    assert chapter.kind == "chapter" and chapter.parent is None
    assert chapter.title == "Endocrine, nutritional and metabolic diseases (E00-E89)"
    section = icd("E08-E13")
    assert (section.kind, section.parent) == ("section", chapter)
    assert (icd("E11").kind, icd("E11").parent) == ("category", section)
    assert (icd("E112").kind, icd("E112").parent) == ("subcategory", icd("E11"))
    e119 = icd("E119")
    assert (e119.code, e119.kind, e119.billable, e119.parent) == ("E11.9", "code", True, icd("E11"))
    assert e119.official_description == "Type 2 diabetes mellitus without complications"
    assert not icd("E11").billable and not icd("E112").billable
    # A section of one category is written as a range of one so it has its own page.
    assert icd("B10-B10").kind == "section" and icd("B10").parent == icd("B10-B10")


def test_every_note_kind_is_kept_at_its_level():
    import_codes("icd-10-cm", SAMPLE_2026)

    assert set(icd("E11").notes.values_list("kind", flat=True)) >= {
        "includes",
        "use_additional_code",
        "excludes1",
    }
    assert list(icd("E119").notes.values_list("kind", "text")) == [
        ("excludes1", "type 2 diabetes mellitus, without complications in remission (E11.A)")
    ]
    chapter_notes = set(icd("A00-B99").notes.values_list("kind", flat=True))
    assert chapter_notes == {"includes", "use_additional_code", "excludes1", "excludes2"}
    assert (
        icd("S06").notes.filter(kind="note", text__startswith="7th characters D and S do not apply").exists()
    )
    assert icd("S06").notes.filter(kind="seven_chr_note").exists()


def test_seventh_characters_are_generated_from_the_nearest_definition():
    import_codes("icd-10-cm", SAMPLE_2026)

    s52521a = icd("S52521A")
    assert (s52521a.code, s52521a.billable, s52521a.parent) == ("S52.521A", True, icd("S52521"))
    assert s52521a.official_description == (
        "Torus fracture of lower end of right radius, initial encounter for closed fracture"
    )
    assert not icd("S52521").billable and icd("S52521").kind == "subcategory"
    # S52.52 narrows S52's list of seventh characters: no open-fracture characters below it.
    torus = set(
        Code.objects.filter(key__startswith="S52521", key__regex=r"^.{7}$").values_list("key", flat=True)
    )
    assert torus == {"S52521" + c for c in "ADGKPS"}
    assert Code.objects.filter(key="S52501B").exists()  # S52.50 takes S52's full list
    assert list(icd("S5252").notes.filter(kind="seven_chr_def").values_list("label", flat=True)) == list(
        "ADGKPS"
    )


def test_placeholder_x_pads_short_codes_and_s06_withholds_d_and_s_after_death():
    import_codes("icd-10-cm", SAMPLE_2026)

    assert icd("T360X1A").code == "T36.0X1A"
    assert icd("T360X1A").parent == icd("T360X1")
    assert {c.key for c in Code.objects.filter(key__startswith="S060X1")} == {
        "S060X1",
        *("S060X1" + c for c in "ADS"),
    }
    # 6th character 7 or 8 (death before regaining consciousness): A only.
    assert {c.key for c in Code.objects.filter(key__startswith="S061X7")} == {"S061X7", "S061X7A"}


def test_gzip_and_zip_copies_import_the_same(tmp_path):
    gz = tmp_path / "icd10cm-tabular-April-2026.xml.gz"
    gz.write_bytes(gzip.compress(SAMPLE_2026.read_bytes()))
    zipped = tmp_path / "icd10cm-table-index-April-2026.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("icd10cm-index-2026.xml", "<ICD10CM.index/>")  # CDC's zip holds the index too
        archive.writestr("icd10cm-tabular-2026.xml", SAMPLE_2026.read_bytes())

    first = import_file("icd-10-cm", gz)
    again = import_file("icd-10-cm", zipped)

    assert first.added > 100 and Code.objects.filter(key="S52521A").exists()
    assert (again.already_loaded, again.added, again.revised, again.deleted) == (True, 0, 0, 0)


def test_release_is_recorded_with_its_summary():
    import_codes("icd-10-cm", SAMPLE_2026)

    release = Release.objects.get(system__slug="icd-10-cm")
    assert (release.version, str(release.date)) == ("2026-04", "2026-04-01")
    assert release.summary["added"] == Code.objects.filter(system__slug="icd-10-cm").count()


def test_import_keeps_demo_rows_and_their_plain_descriptions(demo_codes):
    plain = icd("E119").plain_description
    demo_ids = {icd("E119").pk, icd("S52521A").pk}

    summary = import_file("icd-10-cm", SAMPLE_2026)

    assert icd("E119").plain_description == plain
    assert {icd("E119").pk, icd("S52521A").pk} == demo_ids
    assert summary.conflicts == []
    assert Note.objects.filter(code=icd("E119"), kind="excludes1").count() == 1


def test_a_diag_named_like_a_range_is_a_grouping_not_a_code(tmp_path):
    path = tmp_path / "icd10cm-tabular-April-2026.xml"
    path.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2026</version>
  <chapter><name>2</name><desc>Neoplasms (C00-D49)</desc>
    <section id="C00-C96"><desc>Malignant neoplasms (C00-C96)</desc>
      <diag><name>C00-C75</name><desc>Malignant neoplasms of specified sites</desc>
        <notes><note>A grouping note</note></notes>
        <diag><name>C00</name><desc>Malignant neoplasm of lip</desc>
          <diag><name>C00.0</name><desc>Malignant neoplasm of external upper lip</desc></diag>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>"""
    )

    import_codes("icd-10-cm", path)

    grouping = icd("C00-C75")
    assert (grouping.kind, grouping.billable, grouping.parent) == ("section", False, icd("C00-C96"))
    assert icd("C00").parent == grouping and icd("C00").kind == "category"
    assert grouping.notes.get().text == "A grouping note"
    assert list(Code.objects.filter(billable=True).values_list("code", flat=True)) == ["C00.0"]


def test_a_url_is_downloaded_then_imported(live_server_url_for_samples):
    output = import_codes("icd-10-cm", f"{live_server_url_for_samples}/icd10cm-tabular-sample-April-2026.xml")

    assert "ICD-10-CM 2026-04: added" in output
    assert icd("S52521A").billable
