"""The Modifiers, NCCI edits and Crosswalk sections of code pages."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from billing.models import FeeScheduleItem
from lookup.models import Code
from rules import sections
from rules.models import PtpEdit, Rationale
from tests.rules.conftest import GEM_FILES, load


def code(system: str, key: str) -> Code:
    return Code.objects.select_related("system").get(system__slug=system, key=key)


TEMPLATES = {
    sections.modifiers_data: "rules/_modifiers_section.html",
    sections.ncci_data: "rules/_ncci_section.html",
    sections.crosswalk_data: "rules/_crosswalk_section.html",
    sections.places_data: "rules/_places_section.html",
}


def render(data, *, code: Code, params: QueryDict) -> str:
    """As the code page renders a section: its data, then its template with `section`; "" for None."""
    found = data(code=code, params=params)
    if found is None:
        return ""
    return render_to_string(TEMPLATES[data], {"code": code, "section": found, "params": params})


def test_the_modifiers_section_of_77307_names_26_and_tc_with_the_split(fees):
    html = render(sections.modifiers_data, code=code("cpt", "77307"), params=QueryDict())
    assert 'id="modifiers"' in html and "CY2025" in html
    split = FeeScheduleItem.objects.get(hcpcs="77307", modifier="26", schedule__year=2025)
    assert f"${split.national_nonfacility:,}" in html
    assert 'href="/modifiers/26/"' in html and 'href="/modifiers/TC/"' in html
    assert "2024" in render(sections.modifiers_data, code=code("cpt", "77307"), params=QueryDict("year=2024"))


def test_a_bilateral_code_shows_150_percent(fees):
    html = render(sections.modifiers_data, code=code("cpt", "27447"), params=QueryDict())
    assert "150%" in html and "90-day global" in html


def test_the_sections_apply_to_their_code_sets(demo_codes):
    assert sections.is_procedure(code("cpt", "77307")) and sections.is_procedure(code("hcpcs", "J1100"))
    assert not sections.is_procedure(code("icd-10-cm", "E119"))
    assert sections.has_crosswalk(code("icd-10-cm", "E119")) and not sections.has_crosswalk(
        code("cpt", "77307")
    )


def test_a_code_in_no_fee_schedule_has_no_modifiers_or_places_section(demo_codes):
    assert render(sections.modifiers_data, code=code("cpt", "77307"), params=QueryDict()) == ""
    assert render(sections.places_data, code=code("cpt", "77307"), params=QueryDict()) == ""


def test_the_places_section_links_each_place_of_service(fees):
    html = render(sections.places_data, code=code("cpt", "77307"), params=QueryDict())
    assert 'href="/pos/21/"' in html and 'href="/pos/11/"' in html and 'href="/pos/"' in html


def test_a_year_typed_wrong_falls_back_to_the_newest(fees):
    html = render(sections.modifiers_data, code=code("cpt", "77307"), params=QueryDict("year=%3Cscript%3E"))
    assert "CY2025" in html and "<script>" not in html


def test_the_ncci_section_lists_pairs_and_the_mue(ncci):
    html = render(sections.ncci_data, code=code("cpt", "77300"), params=QueryDict())
    assert "77307" in html and "77263" in html and "Practitioner" in html
    assert "Per day, clinical" in html and ">10<" in html
    assert "ccipra-v320r0-f1.txt" in html


def test_the_ncci_section_pages_a_code_with_many_pairs(ncci, django_assert_max_num_queries):
    rationale = Rationale.objects.first()
    PtpEdit.objects.bulk_create(
        PtpEdit(setting="P", column1="99213", column2=f"{10000 + i}", effective_date=datetime.date(2020, 1, 1),
                modifier_indicator="1", rationale=rationale)
        for i in range(120)
    )  # fmt: skip
    with django_assert_max_num_queries(7):
        first = render(sections.ncci_data, code=code("cpt", "99213"), params=QueryDict())
    assert "Page 1 of 3" in first and first.count("<tr>") == 50 + 1 + 2  # pairs, heads, MUE row
    last = render(sections.ncci_data, code=code("cpt", "99213"), params=QueryDict("ncci_page=3"))
    assert "Page 3 of 3" in last
    assert "Page 1 of 3" in render(
        sections.ncci_data, code=code("cpt", "99213"), params=QueryDict("ncci_page=x")
    )


def test_the_crosswalk_section_explains_the_flags(demo_codes):
    assert (
        render(sections.crosswalk_data, code=code("icd-10-cm", "E1122"), params=QueryDict()) == ""
    )  # no GEMs
    for path in GEM_FILES:
        load("gems", path)
    html = render(sections.crosswalk_data, code=code("icd-10-cm", "E1122"), params=QueryDict())
    assert "250.40" in html and "585.9" in html
    assert "Combination" in html and "scenario 1" in html and "choice list 2" in html
    assert "Approximate" in html


@pytest.mark.parametrize("key", ["E119", "I10"])
def test_crosswalk_both_ways(demo_codes, key):
    for path in GEM_FILES:
        load("gems", path)
    html = render(sections.crosswalk_data, code=code("icd-10-cm", key), params=QueryDict())
    assert "maps to" in html and "Mapped to" in html


def test_the_ncci_section_lists_what_a_later_release_changed(ncci, tmp_path):
    from tests.rules.test_import_ncci import data_rows, write_quarter

    rows = [
        r.replace("\t*\t1\t", "\t20260401\t9\t") if r.startswith("77307\t77300") else r for r in data_rows()
    ]
    load("ncci-ptp-practitioner", write_quarter(tmp_path, "v321r0", rows))
    html = render(sections.ncci_data, code=code("cpt", "77300"), params=QueryDict())
    assert "Changes in later releases" in html and "32.1" in html and "deleted 2026-04-01" in html
