"""The coding rules through the JSON API: modifiers, a code's modifiers, the pair checker and
places of service, as an integrator calls them with curl, per kind of key."""

from __future__ import annotations

import pytest
from django.conf import settings

from lookup.models import Code
from rules.modifiers import CPT_MODIFIERS
from rules.places import PLACES
from tests.api.test_v1 import assert_error, bearer
from tests.rules.conftest import add_type_1_diabetes

pytestmark = pytest.mark.django_db

# Invented, as if an AMA descriptor had been loaded without the licence: it must never be served.
DESCRIPTOR_77300 = "Basic radiation dosimetry calculation, central axis depth dose"


def site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Public: modifiers and places of service, with or without a key.


def test_the_modifier_list_is_public_and_in_our_words(client, demo_codes, unverified_token):
    for headers in ({}, bearer(unverified_token)):
        response = client.get("/api/v1/modifiers", **headers)
        assert response.status_code == 200
    by_code = {m["code"]: m for m in response.json()}
    assert set(CPT_MODIFIERS) <= set(by_code)
    assert by_code["26"]["system"] == "CPT"
    assert by_code["26"]["name"] == CPT_MODIFIERS["26"].name
    assert by_code["26"]["explanation"] == CPT_MODIFIERS["26"].text
    assert by_code["26"]["official_text"] is None  # CPT's descriptors are the AMA's
    assert by_code["59"]["breaks_ncci_edits"] is True
    assert by_code["26"]["url"] == site("/modifiers/26/")
    assert by_code["26"]["api_url"] == site("/api/v1/modifiers/26")


def test_a_modifier_says_where_it_matters(client, rules_data):
    body = client.get("/api/v1/modifiers/26").json()
    assert body["code"] == "26" and body["explanation"] == CPT_MODIFIERS["26"].text
    uses = body["uses"]
    assert uses["year"] == 2025 and "PC/TC indicator" in uses["rule"]
    assert "77307" in [c["code"] for c in uses["codes"]]
    pairs = client.get("/api/v1/modifiers/59").json()["uses"]["ncci_pairs"]
    assert {"column1": "77307", "column2": "77300"} in pairs and len(pairs) == len({str(p) for p in pairs})
    assert uses["source"]["url"] == site("/modifiers/26/")
    assert "Physician Fee Schedule" in uses["source"]["release"]
    # Typed in lower case, the same modifier.
    assert client.get("/api/v1/modifiers/tc").json()["code"] == "TC"


@pytest.mark.parametrize("typed", ["ZZ", "999", "26%00", "x" * 10_000, "%3Cb%3E", "2"])
def test_an_unknown_modifier_is_a_404(client, demo_codes, typed):
    assert_error(client.get(f"/api/v1/modifiers/{typed}"), 404, "not_found")


def test_places_of_service_are_public(client, db):
    body = client.get("/api/v1/places-of-service").json()
    assert [p["code"] for p in body["places"]] == list(PLACES)
    assert body["unassigned"]
    office = client.get("/api/v1/places-of-service/11").json()
    assert office["name"] == PLACES["11"][0] and office["rate"] == "non-facility"
    assert office["url"] == site("/pos/11/")
    assert office["source"]["publisher_url"].startswith("https://")
    hospital = client.get("/api/v1/places-of-service/21").json()
    assert hospital["rate"] == "facility"
    assert client.get("/api/v1/places-of-service/1").json()["code"] == "01"


@pytest.mark.parametrize("typed", ["00", "100", "abc", "11%00", "9" * 10_000, "-1"])
def test_an_unknown_place_of_service_is_a_404(client, db, typed):
    assert_error(client.get(f"/api/v1/places-of-service/{typed}"), 404, "not_found")


# Members only: a code's modifiers and the pair checker.

MEMBERS_ONLY = ["/api/v1/codes/cpt/77307/modifiers", "/api/v1/check?codes=77307,77300"]


@pytest.mark.parametrize("url", MEMBERS_ONLY)
def test_members_resources_need_a_verified_members_key(client, rules_data, unverified_token, url):
    error = assert_error(client.get(url), 401, "unauthorized")
    assert "API key" in error["message"]
    error = assert_error(client.get(url, **bearer(unverified_token)), 403, "forbidden")
    assert "verif" in error["message"]
    assert_error(client.get(url, HTTP_AUTHORIZATION="Bearer ca_00000000_nope"), 401, "unauthorized")


@pytest.mark.parametrize("url", MEMBERS_ONLY)
def test_members_and_staff_get_them(client, rules_data, member_token, staff_token, url):
    for token in (member_token, staff_token):
        assert client.get(url, **bearer(token)).status_code == 200


def test_a_codes_modifiers_as_on_its_page(client, rules_data, member_token):
    body = client.get("/api/v1/codes/cpt/77307/modifiers", **bearer(member_token)).json()
    assert body["code"]["code"] == "77307" and body["year"] == 2025 and body["years"] == [2024, 2025]
    pctc = next(r for r in body["rules"] if "26" in [m["modifier"] for m in r["modifiers"]])
    assert pctc["indicator"].startswith("PC/TC indicator") and pctc["applies"] == "yes"
    assert {m["modifier"]: m["url"] for m in pctc["modifiers"]}["26"] == site("/modifiers/26/")
    assert [a["label"] for a in pctc["amounts"]][:2] == ["Global (no modifier)", "26 professional component"]
    assert body["source"]["url"] == site("/cpt/77307/#modifiers")
    assert "CY2025" in body["source"]["release"]
    older = client.get("/api/v1/codes/cpt/77307/modifiers?year=2024", **bearer(member_token)).json()
    assert older["year"] == 2024


@pytest.mark.parametrize(
    "url,status,code",
    [
        ("/api/v1/codes/cpt/77307/modifiers?year=1999", 404, "not_found"),
        ("/api/v1/codes/cpt/77307/modifiers?year=abc", 422, "invalid"),
        ("/api/v1/codes/cpt/99999/modifiers", 404, "not_found"),
        ("/api/v1/codes/icd-10-cm/E11.9/modifiers", 404, "not_found"),
        ("/api/v1/codes/nope/77307/modifiers", 404, "not_found"),
        ("/api/v1/codes/cpt/" + "7" * 10_000 + "/modifiers", 404, "not_found"),
        ("/api/v1/codes/cpt/77307/modifiers?year=" + "9" * 100, 404, "not_found"),
    ],
)
def test_a_codes_modifiers_bad_input(client, rules_data, member_token, url, status, code):
    assert_error(client.get(url, **bearer(member_token)), status, code)


def test_the_pair_checker_with_sources_and_releases(client, rules_data, member_token):
    body = client.get("/api/v1/check?codes=77307,77300", **bearer(member_token)).json()
    assert [c["code"] for c in body["codes"]] == ["77307", "77300"]
    (pair,) = body["pairs"]
    assert pair["verdict"] == "modifier may apply" and "59" in pair["summary"]
    practitioner = next(e for e in pair["ncci"] if e["setting"] == "Practitioner")
    assert (practitioner["column1"], practitioner["column2"]) == ("77307", "77300")
    assert practitioner["modifier_indicator"] == "1"
    assert "59" in practitioner["modifiers"]["distinct service"]
    assert practitioner["source"]["url"] == site("/check/?codes=77307,77300")
    assert "32.0" in practitioner["source"]["release"]
    assert practitioner["source"]["publisher_url"].startswith("https://www.cms.gov/")
    assert {(m["setting"], m["units"]) for m in body["mues"]["77300"]} == {
        ("Practitioner services", 10),
        ("Outpatient hospital services", 10),
    }
    # The code's page (lookup's any-system address, which finds 77300's page).
    assert all(m["source"]["url"] == site("/code/77300/") for m in body["mues"]["77300"])
    assert body["sources"] and all(s["release"] for s in body["sources"])
    # A modifier typed after a dash is kept.
    (pair,) = client.get("/api/v1/check?codes=77307,77300-59", **bearer(member_token)).json()["pairs"]
    assert pair["modifier_used"] == "59" and pair["second"] == "77300-59"


def test_the_pair_checker_reads_excludes1_notes(client, rules_data, member_token):
    add_type_1_diabetes()
    body = client.get("/api/v1/check?codes=E11.9 E10.9", **bearer(member_token)).json()
    (pair,) = body["pairs"]
    assert pair["verdict"] == "not together" and "Excludes1 at E11" in pair["summary"]
    note = next(n for n in pair["notes"] if n["kind"] == "excludes1")
    assert note["source"]["url"] in (site("/icd-10-cm/E11/"), site("/icd-10-cm/E10/"))
    assert note["source"]["release"].startswith("ICD-10-CM")
    assert client.get("/api/v1/check?codes=E11.9, I10", **bearer(member_token)).json()["pairs"][0][
        "verdict"
    ] == ("allowed")


@pytest.mark.parametrize(
    "codes,words",
    [
        ("77307", "at least two"),
        ("77307,77307", "two different"),
        ("7" * 10_000, "at most"),
        ("<script>alert(1)</script>, 77300", "not"),
        (",".join(["77300"] * 21), "at most 20"),
        ("77307, 12.34.56.78", "not"),
        ("", "at least two"),
    ],
)
def test_the_pair_checker_refuses_bad_codes_with_a_400(client, rules_data, member_token, codes, words):
    error = assert_error(
        client.get("/api/v1/check", {"codes": codes}, **bearer(member_token)), 400, "bad_request"
    )
    assert words in error["message"]


def test_the_pair_checker_with_nul_or_without_codes(client, rules_data, member_token):
    assert_error(client.get("/api/v1/check?codes=77307,%00", **bearer(member_token)), 400, "bad_request")
    assert_error(client.get("/api/v1/check", **bearer(member_token)), 422, "invalid")


def test_licensed_descriptors_are_never_served(client, rules_data, member_token, settings):
    settings.TEXT_LICENCES = set()
    Code.objects.filter(system__slug="cpt", key="77300").update(
        official_description=DESCRIPTOR_77300, title="Basic dosimetry calc"
    )
    answers = [
        client.get("/api/v1/check?codes=77307,77300", **bearer(member_token)),
        client.get("/api/v1/codes/cpt/77300/modifiers", **bearer(member_token)),
        client.get("/api/v1/modifiers/26"),
        client.get("/api/v1/modifiers/TC"),
        client.get("/api/v1/modifiers"),
    ]
    for response in answers:
        assert response.status_code in (200, 404), response.content
        text = response.content.decode()
        assert "Basic radiation dosimetry" not in text and "Basic dosimetry calc" not in text
    codes = {c["code"]: c for c in answers[0].json()["codes"]}
    # 77300: our own words instead; 77307: the one CPT text we may ship.
    assert codes["77300"]["display_title"] and "dose" in codes["77300"]["display_title"]
    assert codes["77307"]["display_title"].startswith("Teletherapy isodose plan")


def test_the_schema_documents_every_new_resource(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/modifiers",
        "/api/v1/modifiers/{modifier}",
        "/api/v1/codes/{system}/{code}/modifiers",
        "/api/v1/check",
        "/api/v1/places-of-service",
        "/api/v1/places-of-service/{code}",
    ]:
        operation = schema["paths"][path]["get"]
        assert "$ref" in str(operation["responses"]["200"]), path
    check = schema["paths"]["/api/v1/check"]["get"]["responses"]
    assert {"400", "401", "403"} <= set(check)


def test_public_rules_use_the_anonymous_allowance(client, db, settings):
    settings.API_ANONYMOUS_RATE_LIMITS = [(2, 60)]
    assert client.get("/api/v1/places-of-service/11").status_code == 200
    assert client.get("/api/v1/modifiers/26").status_code == 200
    response = client.get("/api/v1/modifiers")
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_the_checker_costs_a_bounded_number_of_queries(
    client, rules_data, member_token, django_assert_max_num_queries
):
    client.get("/api/v1/check?codes=77307,77300", **bearer(member_token))  # the releases are cached a minute
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/check?codes=77307,77300,77306", **bearer(member_token))
    assert response.status_code == 200 and len(response.json()["pairs"]) == 3
