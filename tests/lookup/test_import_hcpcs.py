from __future__ import annotations

import datetime
import zipfile

import pytest
from django.core.management.base import CommandError

from lookup.hcpcs_indicators import LAB_CERTIFICATION, Explained, explain
from lookup.importers.hcpcs import parse
from lookup.models import Code, HcpcsDetail
from tests.factories import make_account
from tests.lookup.importing import SAMPLES, import_codes, import_file

SAMPLE = SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt"

pytestmark = pytest.mark.django_db


def hcpcs(key: str) -> Code:
    return Code.objects.get(system__slug="hcpcs", key=key)


def test_codes_with_long_descriptions_joined_over_continuation_records():
    import_codes("hcpcs", SAMPLE)

    g0439 = hcpcs("G0439")
    assert g0439.official_description == (
        "Annual wellness visit, includes a personalized prevention plan of service (pps), subsequent visit"
    )
    assert g0439.title == "Ppps, subseq visit"
    assert (g0439.kind, g0439.billable, g0439.effective_date) == ("code", True, datetime.date(2011, 1, 1))
    assert hcpcs("E0114").official_description.endswith("with pads, tips and handgrips")


def test_indicators_dates_and_termination():
    import_codes("hcpcs", SAMPLE)

    detail = HcpcsDetail.objects.get(code=hcpcs("J1100"))
    assert (detail.pricing_indicators, detail.coverage_code, detail.betos_code) == ("51", "D", "O1E")
    assert (detail.lab_certification, detail.asc_payment_group) == ("", "")
    assert (detail.multiple_pricing_indicator, detail.action_code) == ("A", "N")
    assert detail.added_date == datetime.date(1982, 1, 1)
    ended = hcpcs("A4397")
    assert ended.termination_date == datetime.date(2021, 12, 31) and not ended.billable


def test_lab_certification_and_asc_group_are_read_from_their_columns():
    # A real G0439 record with the lab certification (181-204) and ASC group (231-232) of CMS's layout filled.
    line = next(
        line for line in SAMPLE.read_text().splitlines() if line.startswith("G0439") and line[10] == "3"
    )
    line = line[:180] + "310400".ljust(24) + line[204:230] + "YY" + line[232:]

    detail = parse([line], release_date=datetime.date(2026, 1, 1))[0].extra

    assert (detail.lab_certification, detail.asc_payment_group) == ("310,400", "YY")
    assert explain(LAB_CERTIFICATION, detail.lab_certification.split(",")) == [
        Explained("310", "Routine chemistry"),
        Explained("400", "Hematology"),
    ]


def test_modifiers_are_their_own_kind_with_pages(client):
    import_codes("hcpcs", SAMPLE)

    lt = hcpcs("LT")
    assert (lt.kind, lt.title, lt.billable) == ("modifier", "Left side", False)
    response = client.get("/hcpcs/LT/")
    assert response.status_code == 200
    assert (
        "Left side (used to identify procedures performed on the left side of the body)"
        in response.content.decode()
    )


def test_dental_codes_are_flagged_as_ada_text(client):
    import_codes("hcpcs", SAMPLE)

    assert hcpcs("D9999").text_licence == "ADA"
    assert hcpcs("J1100").text_licence == ""
    html = client.get("/hcpcs/D9999/").content.decode()
    assert "Made-up dental test code" not in html
    assert "requires an ADA licence" in html


def test_zip_import_then_reimport_changes_nothing(tmp_path, demo_codes):
    archive = tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("HCPC2026_recordlayout.txt", "layout, not data")
        zipped.write(SAMPLE, "HCPC2026_JAN_ANWEB_01122026.txt")
    plain = hcpcs("J1100").plain_description

    first = import_file("hcpcs", archive)
    again = import_file("hcpcs", archive)

    assert first.release == "2026-01" and hcpcs("J1100").plain_description == plain
    assert (again.added, again.revised, again.deleted, again.updated) == (0, 0, 0, 0)


def test_truncated_record_is_refused(tmp_path):
    cut = tmp_path / "HCPC2026_JAN_ANWEB_cut.txt"
    cut.write_bytes(SAMPLE.read_bytes()[:-200])

    with pytest.raises(CommandError, match="truncated"):
        import_codes("hcpcs", cut)
    assert not Code.objects.filter(system__slug="hcpcs").exists()


def test_code_page_shows_the_indicators_to_members(client):
    import_codes("hcpcs", SAMPLE)
    client.force_login(make_account("coder@example.com"))

    html = client.get("/hcpcs/J1100/").content.decode()

    assert "Medicare indicators" in html
    # Each indicator's code beside its meaning, from CMS's record layout and code tables.
    assert '<span class="code-chip">O1E</span> Other: other drugs' in html
    assert '<span class="code-chip">51</span> Drugs' in html
    assert '<span class="code-chip">D</span> Special coverage instructions apply' in html
    assert '<span class="code-chip">1</span> Medical care' in html
    assert '<span class="code-chip">P</span> Lump-sum purchase of DME' in html  # type of service "1P"
    assert "<dt>Added</dt><dd>Jan 1, 1982</dd>" in html
