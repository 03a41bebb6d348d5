"""Modifier, place-of-service and pair-checker pages, through HTTP as a reader uses them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from rules.modifiers import CPT_MODIFIERS
from rules.places import PLACES
from tests.factories import make_account
from tests.lookup.importing import import_file
from tests.rules.conftest import SAMPLES

PAYMENT_MODIFIERS = ["24", "25", "26", "50", "51", "57", "58", "59", "62", "66", "76", "77", "78", "79", "80", "81", "82"]  # fmt: skip


@pytest.fixture
def hcpcs(db):
    import_file("hcpcs", SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt")


def test_the_modifier_list_has_every_payment_modifier_and_the_hcpcs_ones(client, hcpcs):
    response = client.get("/modifiers/")
    assert response.status_code == 200
    html = response.content.decode()
    for modifier in PAYMENT_MODIFIERS:
        assert f'href="/modifiers/{modifier}/"' in html
        assert escape(CPT_MODIFIERS[modifier].name) in html
    # From the imported HCPCS file, with CMS's text; and the ones we explain even before an import.
    assert 'href="/modifiers/LT/"' in html and "Left side" in html
    assert 'href="/modifiers/XS/"' in html and 'href="/modifiers/TC/"' in html


def test_a_cpt_modifier_page_explains_it_in_our_words(client, db):
    html = client.get("/modifiers/26/").content.decode()
    assert escape(CPT_MODIFIERS["26"].name) in html and escape(CPT_MODIFIERS["26"].text) in html
    assert "not the AMA's CPT descriptor" in html


def test_an_hcpcs_modifier_page_shows_cms_text_and_ours(client, hcpcs):
    html = client.get("/modifiers/LT/").content.decode()
    assert "Left side (used to identify procedures performed on the left side of the body)" in html
    assert "done on the left side of the body" in html  # our explanation
    assert "may break an NCCI procedure-to-procedure edit" in html


def test_a_modifier_without_our_explanation_shows_the_official_text_alone(client, hcpcs):
    from lookup.models import Code

    other = Code.objects.filter(system__slug="hcpcs", kind="modifier").exclude(code__in=["LT", "RT"]).first()
    if other is None:
        pytest.skip("the HCPCS sample holds no other modifier")
    html = client.get(f"/modifiers/{other.code}/").content.decode()
    assert escape(other.official_description) in html and "What it means" not in html


@pytest.mark.parametrize(
    "path",
    ["/modifiers/ZZ/", "/modifiers/%3Cscript%3E/", "/modifiers/2%00/", "/modifiers/" + "x" * 500 + "/"],
)
def test_an_unknown_modifier_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_a_modifier_typed_in_lower_case_redirects(client, db):
    response = client.get("/modifiers/tc/")
    assert response.status_code == 301 and response.url == "/modifiers/TC/"


def test_the_place_of_service_list_says_which_rate_each_gets(client, db):
    response = client.get("/pos/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="rate rate-') == len(PLACES) >= 50
    assert "Inpatient Hospital" in html and "Office" in html


@pytest.mark.parametrize(
    "code, rate",
    [("11", "Non-facility rate"), ("21", "Facility rate"), ("22", "Facility rate"), ("12", "Non-facility rate"),
     ("24", "Facility rate"), ("10", "Non-facility rate"), ("02", "Facility rate")],
)  # fmt: skip
def test_a_place_of_service_page_names_its_rate(client, db, code, rate):
    html = client.get(f"/pos/{code}/").content.decode()
    assert rate in html and escape(PLACES[code][1]) in html


@pytest.mark.parametrize(
    "path, status", [("/pos/1/", 301), ("/pos/28/", 404), ("/pos/abc/", 404), ("/pos/1%00/", 404)]
)
def test_place_of_service_addresses(client, db, path, status):
    assert client.get(path).status_code == status


def test_guests_see_the_checker_form_but_no_result(client, ncci):
    assert client.get("/check/").status_code == 200
    response = client.get("/check/", {"codes": "77307,77300"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "For members" in html and "Column 1" not in html and "Modifier indicator" not in html


def test_an_unverified_account_is_told_to_verify(client, ncci):
    client.force_login(make_account("new@example.com", verified=False))
    response = client.get("/check/", {"codes": "77307,77300"})
    assert response.status_code == 403 and "verify your address" in response.content.decode()


def test_a_member_checks_77307_with_77300(client, member, ncci, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/check/", {"codes": "77307, 77300"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Modifier may apply" in html and "column 1 <strong>77307</strong>" in html
    assert "Practitioner" in html and "Hospital outpatient" in html
    assert "Medically unlikely edits" in html and "CPT Manual or CMS manual coding instructions" in html
    assert 'href="/modifiers/59/"' in html


def test_a_member_checks_diagnoses(client, member, type_1_diabetes):
    html = client.get("/check/", {"codes": "E11.9 E10.9"}).content.decode()
    assert "Not together" in html and "Excludes1 at E11" in html
    html = client.get("/check/", {"codes": "E11.9, I10"}).content.decode()
    assert "Allowed" in html


def test_htmx_gets_only_the_results(client, member, ncci):
    response = client.get("/check/", {"codes": "77307,77300"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Modifier may apply" in html and "<html" not in html


@pytest.mark.parametrize(
    "typed",
    ["", "77307", "7" * 10_000, "77307,\x00", "<script>alert(1)</script>", "77307, 12.34.56.78"],
)
def test_bad_input_is_a_form_error_not_a_500(client, member, ncci, typed):
    response = client.get("/check/", {"codes": typed})
    assert response.status_code == 400
    html = response.content.decode()
    # A control character never reaches the form: the site-wide guard answers its 400 page.
    assert ('class="field-errors"' in html or "\x00" in typed) and "<script>alert" not in html


def test_the_checker_is_mounted_before_lookup(db):
    assert reverse("rules:check") == "/check/" and reverse("rules:pos_list") == "/pos/"
