"""The place-of-service select of the fee schedule section's locality form."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from billing import hooks as billing_hooks
from billing.sections import fee_schedule_section
from lookup.models import Code
from tests.billing.test_fee_section import section_html

pytestmark = pytest.mark.usefixtures("fee_schedules")


@pytest.mark.usefixtures("member")
def test_the_form_offers_every_place_of_service_with_its_rate(client):
    html = section_html(client, "/cpt/99213/")

    assert '<select id="fee-pos-select" name="pos">' in html
    assert '<option value="">Any (show both rates)</option>' in html
    assert '<option value="11">11 Office (non-facility rate)</option>' in html
    assert '<option value="22">22 On Campus-Outpatient Hospital (facility rate)</option>' in html
    assert '<option value="99">99 Other Place of Service (non-facility rate)</option>' in html
    assert 'id="fee-pos-result"' not in html  # nothing chosen: both rates, no verdict


@pytest.mark.usefixtures("member")
def test_a_hospital_outpatient_place_shows_the_national_facility_amount(client):
    html = section_html(client, "/cpt/99213/?year=2025&pos=22")

    # 99213, CY2025: facility 1.97 RVUs x 32.3465 = 63.722605; non-facility 2.75 x 32.3465 = 88.95
    result = html[html.index('id="fee-pos-result"') :]
    assert 'href="/pos/22/">Place of service 22: On Campus-Outpatient Hospital</a>' in result
    assert "<strong>facility rate</strong>, nationally" in result
    assert "<strong>$63.72</strong>" in result and "$88.95" not in result
    assert '<option value="22" selected>' in html


@pytest.mark.usefixtures("member")
def test_an_office_in_a_locality_shows_the_local_non_facility_amount(client):
    html = section_html(client, "/cpt/99213/?year=2025&locality=01182-18&pos=11")

    # Los Angeles: (1.30 x 1.042) + (1.35 x 1.194) + (0.10 x 0.690) = 3.0355 x 32.3465 = 98.1878
    result = html[html.index('id="fee-pos-result"') :]
    assert "<strong>non-facility rate</strong> in CA: Los Angeles" in result
    assert "<strong>$98.19</strong>" in result
    assert "99213 non-facility: [(1.30 × 1.042) + (1.35 × 1.194) + (0.10 × 0.690)]" in html


@pytest.mark.usefixtures("member")
def test_a_facility_place_in_a_locality_works_the_formula_with_the_facility_pe(client):
    html = section_html(client, "/cpt/99213/?year=2025&locality=01182-18&pos=21")

    # (1.30 x 1.042) + (0.57 x 1.194) + (0.10 x 0.690) = 2.10418 x 32.3465 = 68.0629
    result = html[html.index('id="fee-pos-result"') :]
    assert "<strong>facility rate</strong> in CA: Los Angeles" in result
    assert "<strong>$68.06</strong>" in result
    assert "99213 facility: [(1.30 × 1.042) + (0.57 × 1.194) + (0.10 × 0.690)]" in html
    assert "<strong>$68.06</strong></p>" in html  # the worked formula's answer


@pytest.mark.usefixtures("member")
def test_each_component_gets_the_rate_of_the_place_and_na_is_marked(client):
    html = section_html(client, "/cpt/77307/?pos=19")

    # 77307 CY2025: global 8.76, 26 4.62, TC 4.14 facility RVUs; CMS marks global and TC NA in a facility.
    result = html[html.index('id="fee-pos-result"') : html.index("</div>", html.index('id="fee-pos-result"'))]
    assert "<strong>$283.36</strong> <abbr" in result  # global, NA in a facility
    assert (
        '77307-26 <span class="muted">Professional component (26)</span>: <strong>$149.44</strong></li>'
        in result
    )
    assert "77307-TC" in result and "<strong>$133.91</strong> <abbr" in result


@pytest.mark.usefixtures("member")
def test_an_ambulatory_surgical_center_says_when_the_facility_rate_applies(client):
    html = section_html(client, "/cpt/99213/?pos=24")

    assert "<strong>facility rate</strong>" in html
    assert "list of procedures covered in an ASC" in html and "paid at the non-facility rate" in html


@pytest.mark.usefixtures("member")
def test_the_year_links_keep_the_place_and_locality(client):
    html = section_html(client, "/cpt/99213/?year=2025&locality=01182-18&pos=2")

    assert 'href="?year=2024&amp;locality=01182-18&amp;pos=02#fee-schedule"' in html
    assert "Telehealth Provided Other than in Patient&#x27;s Home" in html  # "2" is POS 02


@pytest.mark.usefixtures("member")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?pos=28", "No place of service 28; showing both rates."),  # unassigned
        ("?pos=100", "No place of service that value; showing both rates."),
        ("?pos=%3Cscript%3E", "No place of service that value"),
        ("?pos=%C2%B2", "No place of service that value"),  # a digit to str.isdigit(), not to the form
        ("?pos=" + "1" * 500, "No place of service that value"),
    ],
)
def test_a_bad_place_is_ignored_with_a_message(client, query, message):
    html = section_html(client, "/cpt/99213/" + query)

    assert message in html
    assert 'id="fee-pos-result"' not in html and "<script>" not in html


def test_a_guest_sees_no_rate_for_a_place(client):
    html = client.get("/cpt/99213/?pos=22").content.decode()

    assert "Medicare Physician Fee Schedule (locked)" in html
    assert "63.72" not in html and 'id="fee-pos-result"' not in html


def test_choosing_a_place_costs_no_query(django_assert_num_queries):
    code = Code.objects.select_related("system").get(system__slug="cpt", key="99213")

    with django_assert_num_queries(3):
        section = fee_schedule_section(code=code, params=QueryDict("locality=01182-18&pos=22"))

    assert section.place.code == "22" and [str(line.at_place) for line in section.lines] == ["68.06"]


def test_without_places_registered_the_form_has_no_select(monkeypatch):
    monkeypatch.setattr(billing_hooks, "_places", None)
    code = Code.objects.select_related("system").get(system__slug="cpt", key="99213")

    section = fee_schedule_section(code=code, params=QueryDict("pos=22"))

    assert section.places == [] and section.place is None and section.messages == []
