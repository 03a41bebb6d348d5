"""The JSON API's resources, as an integrator calls them with curl."""

from __future__ import annotations

import json

import pytest

from lookup.models import Code, CodeChange, CodeSystem, Release
from lookup.search.query import search_codes

pytestmark = pytest.mark.django_db

CPT_99213_TEXT = (
    "Office or other outpatient visit for the evaluation and management of an established patient"
)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_systems(client, demo_codes):
    systems = client.get("/api/v1/systems").json()
    by_slug = {s["slug"]: s for s in systems}
    assert {"cpt", "hcpcs", "icd-10-cm", "icd-10-pcs"} <= set(by_slug)
    assert by_slug["cpt"]["text_withheld"] == "AMA"
    assert by_slug["icd-10-cm"]["text_withheld"] is None


@pytest.mark.parametrize(
    "system,spelling",
    [("icd-10-cm", "E11.9"), ("icd10cm", "e11.9"), ("icd-10-cm", "E119"), ("icd-10-cm", "e11 9")],
)
def test_code_in_any_spelling(client, demo_codes, system, spelling, member_token):
    response = client.get(f"/api/v1/codes/{system}/{spelling}", **bearer(member_token))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "E11.9"
    assert body["system"] == "icd-10-cm"
    assert body["title"] == "Type 2 diabetes mellitus without complications"
    assert body["billable"] is True
    assert body["parent"]["code"] == "E11"
    assert [a["code"] for a in body["ancestors"]][-1] == "E11"
    assert body["plain_text"].startswith("Type 2 diabetes")
    assert body["url"].endswith("/icd-10-cm/E11.9/")


def test_code_children_notes_and_history(client, demo_codes, member_token):
    e11 = Code.objects.get(system__slug="icd-10-cm", key="E11")
    body = client.get("/api/v1/codes/icd-10-cm/E11", **bearer(member_token)).json()
    assert [c["code"] for c in body["children"]] == list(
        e11.children.order_by("sort_order").values_list("code", flat=True)
    )
    assert body["children"]
    notes = client.get("/api/v1/codes/icd-10-cm/E11", **bearer(member_token)).json()["notes"]
    assert notes and all(n["text"] for n in notes)
    system = CodeSystem.objects.get(slug="icd-10-cm")
    release = Release.objects.create(system=system, version="2026-04", date="2026-04-01")
    code = Code.objects.get(system=system, key="E119")
    CodeChange.objects.create(
        release=release, code=code, kind="revised", old_text="Old words", new_text=code.official_description
    )
    history = client.get("/api/v1/codes/icd-10-cm/E11.9", **bearer(member_token)).json()["history"]
    assert history == [
        {
            "release": "2026-04",
            "date": "2026-04-01",
            "kind": "revised",
            "old_text": "Old words",
            "new_text": code.official_description,
        }
    ]


def test_cpt_text_never_served_even_when_loaded(client, demo_codes, settings, member_token):
    """99213's descriptor, loaded with its AMA flag, appears nowhere the API answers."""
    settings.TEXT_LICENCES = set()
    Code.objects.filter(system__slug="cpt", key="99213").update(
        official_description=CPT_99213_TEXT, title="Office o/p est low 20 min"
    )
    system = CodeSystem.objects.get(slug="cpt")
    release = Release.objects.create(system=system, version="2026", date="2026-01-01")
    CodeChange.objects.create(
        release=release,
        code=Code.objects.get(system=system, key="99213"),
        kind="revised",
        old_text=CPT_99213_TEXT,
        new_text=CPT_99213_TEXT,
    )
    answers = [
        client.get("/api/v1/codes/cpt/99213"),
        client.get("/api/v1/search?q=99213"),
        client.get("/api/v1/search?q=office+outpatient+visit"),
        client.get("/api/v1/search?q=99211-99215"),
        client.get("/api/v1/browse/cpt"),
        client.get("/api/v1/releases/cpt/2026/changes"),
        client.get("/api/v1/fee-schedule/99213", **bearer(member_token)),
    ]
    for response in answers:
        assert response.status_code in (200, 404), response.content
        text = response.content.decode()
        assert "Office or other outpatient" not in text
        assert "Office o/p" not in text
    body = answers[0].json()
    assert body["title"] is None and body["official_description"] is None
    assert body["text_withheld"] == "AMA"
    # Our own words are served to a member's key (see the test below for everyone else).
    assert client.get("/api/v1/codes/cpt/99213", **bearer(member_token)).json()["plain_text"]
    # With the licence named, the site may serve it.
    settings.TEXT_LICENCES = {"AMA"}
    assert client.get("/api/v1/codes/cpt/99213").json()["official_description"] == CPT_99213_TEXT


def test_77307_text_is_served(client, demo_codes):
    body = client.get("/api/v1/codes/cpt/77307").json()
    assert body["official_description"].startswith("Teletherapy isodose plan")


def test_ada_text_needs_its_licence(client, demo_codes, settings):
    settings.TEXT_LICENCES = set()
    system = CodeSystem.objects.get(slug="hcpcs")
    Code.objects.create(
        system=system,
        code="D0120",
        key="D0120",
        official_description="Periodic oral evaluation words",
        text_licence="ADA",
        plain_description="A routine dental check-up.",
    )
    body = client.get("/api/v1/codes/hcpcs/D0120").json()
    assert "Periodic oral" not in json.dumps(body)
    assert body["text_withheld"] == "ADA"


def test_code_etag_and_304(client, demo_codes, member_token):
    key = bearer(member_token)
    first = client.get("/api/v1/codes/icd-10-cm/E11.9", **key)
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]
    again = client.get("/api/v1/codes/icd-10-cm/E11.9", HTTP_IF_NONE_MATCH=etag, **key)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # An edit changes the tag: the old one no longer matches.
    Code.objects.filter(system__slug="icd-10-cm", key="E119").update(plain_description="New words we wrote.")
    changed = client.get("/api/v1/codes/icd-10-cm/E11.9", HTTP_IF_NONE_MATCH=etag, **key)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_search_kinds_and_pagination(client, demo_codes):
    words = client.get("/api/v1/search?q=diabetes&limit=2").json()
    assert words["mode"] == "words"
    assert len(words["results"]) == 2 and words["count"] > 2
    assert "offset=2" in words["next"] and words["previous"] is None
    second = client.get(words["next"].split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")).json()
    assert second["offset"] == 2 and second["previous"]
    assert not {r["code"] for r in second["results"]} & {r["code"] for r in words["results"]}
    code = client.get("/api/v1/search?q=e11.9").json()
    assert code["mode"] == "code" and code["results"][0]["code"] == "E11.9"
    ranged = client.get("/api/v1/search", {"q": "E08-E13"}).json()
    assert ranged["mode"] == "range" and ranged["results"]
    # The same engine as the site's search page: the same correction.
    typo = client.get("/api/v1/search?q=diabetis").json()
    assert typo["corrected"] == search_codes("diabetis").corrected
    assert typo["corrected"] and typo["corrected"] != "diabetis"
    only = client.get("/api/v1/search?q=diabetes&system=hcpcs").json()
    assert all(r["system"] == "hcpcs" for r in only["results"])


@pytest.mark.parametrize(
    "url,status,code",
    [
        ("/api/v1/search?q=" + "x" * 10_000, 400, "bad_request"),
        ("/api/v1/search?q=a&limit=0", 400, "bad_request"),
        ("/api/v1/search?q=a&limit=5&offset=3", 400, "bad_request"),
        ("/api/v1/search?q=a&limit=abc", 422, "invalid"),
        ("/api/v1/search", 422, "invalid"),
        ("/api/v1/search?q=%00%00<script>", 200, None),
        ("/api/v1/codes/nosuch/E11.9", 404, "not_found"),
        ("/api/v1/codes/icd-10-cm/Z99.999", 404, "not_found"),
        ("/api/v1/codes/icd-10-cm/%00", 404, "not_found"),
        ("/api/v1/codes/icd-10-cm/" + "9" * 500, 404, "not_found"),
        ("/api/v1/releases/icd-10-cm/nope/changes", 404, "not_found"),
        ("/api/v1/browse/icd-10-cm/<b>", 404, "not_found"),
        ("/api/v1/no-such-thing", 404, "not_found"),
        ("/api/nothing", 404, "not_found"),
    ],
)
def test_errors_have_one_shape(client, demo_codes, url, status, code):
    response = client.get(url)
    if code is None:
        assert response.status_code == status
    else:
        assert_error(response, status, code)


def test_method_not_allowed(client, demo_codes):
    error = assert_error(client.post("/api/v1/systems"), 405, "method_not_allowed")
    assert "GET" in error["message"]


def test_server_error_is_json(client, demo_codes, monkeypatch):
    import api.v1

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.v1, "search_codes", broken)
    client.raise_request_exception = False
    assert_error(client.get("/api/v1/search?q=x"), 500, "server_error")


def test_browse(client, demo_codes):
    top = client.get("/api/v1/browse/icd-10-cm").json()
    chapters = [e["code"]["code"] for e in top["entries"]]
    assert "E00-E89" in chapters
    chapter = next(e for e in top["entries"] if e["code"]["code"] == "E00-E89")
    assert chapter["code_count"] > 0
    under = client.get(chapter["browse_url"].replace("http://127.0.0.1:8000", "")).json()
    assert under["parent"]["code"] == "E00-E89" and under["entries"]
    flat = client.get("/api/v1/browse/hcpcs").json()
    assert flat["entries"][0]["range"] and flat["entries"][0]["code_count"] >= 1


def test_releases_and_changes(client, demo_codes):
    system = CodeSystem.objects.get(slug="icd-10-cm")
    Release.objects.create(system=system, version="2025-04", date="2025-04-01")
    release = Release.objects.create(system=system, version="2026-04", date="2026-04-01")
    for key in ["E119", "E11", "I10"]:
        CodeChange.objects.create(
            release=release, code=Code.objects.get(system=system, key=key), kind="added"
        )
    listed = client.get("/api/v1/releases/icd-10-cm").json()
    assert [r["version"] for r in listed] == ["2026-04", "2025-04"]
    assert listed[0]["changes"]["added"] == 3 and listed[1]["baseline"] is True
    page = client.get("/api/v1/releases/icd-10-cm/2026-04/changes?limit=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert client.get("/api/v1/releases/icd-10-cm/2026-04/changes?kind=deleted").json()["count"] == 0
    assert_error(client.get("/api/v1/releases/icd-10-cm/2026-04/changes?kind=bogus"), 400, "bad_request")


def test_fee_schedule_needs_a_verified_members_key(client, demo_codes, member_token, unverified_token):
    assert_error(client.get("/api/v1/fee-schedule/99213"), 401, "unauthorized")
    assert_error(client.get("/api/v1/fee-schedule/99213", **bearer(unverified_token)), 403, "forbidden")
    assert_error(client.get("/api/v1/fee-schedule/99213", **bearer(member_token)), 404, "not_found")


def test_fee_schedule_for_a_member(client, demo_codes, member_token):
    from billing.models import FeeScheduleItem
    from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule

    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    body = client.get("/api/v1/fee-schedule/99213", **bearer(member_token)).json()
    item = FeeScheduleItem.objects.get(code__key="99213", schedule__year=2025, modifier="")
    assert body["year"] == 2025 and body["years"] == [2024, 2025]
    line = next(line for line in body["lines"] if line["modifier"] is None)
    assert line["national_nonfacility"] == str(item.national_nonfacility)
    assert body["code"]["title"] is None  # still no CPT text
    older = client.get("/api/v1/fee-schedule/99213?year=2024", **bearer(member_token)).json()
    assert older["year"] == 2024
    assert_error(client.get("/api/v1/fee-schedule/99213?year=abc", **bearer(member_token)), 422, "invalid")


def test_bad_keys_are_refused(client, demo_codes, member_token):
    assert_error(client.get("/api/v1/systems", HTTP_AUTHORIZATION="Bearer ca_nope"), 401, "unauthorized")
    assert_error(client.get("/api/v1/systems", HTTP_AUTHORIZATION="Basic abc"), 401, "unauthorized")
    assert_error(client.get("/api/v1/systems", HTTP_X_API_KEY="x" * 10_000), 401, "unauthorized")
    assert client.get("/api/v1/systems", HTTP_X_API_KEY=member_token).status_code == 200
    assert client.get("/api/v1/systems", **bearer(member_token)).status_code == 200


def test_openapi_and_docs_from_our_static_files(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/codes/{system}/{code}", "/api/v1/search", "/api/v1/browse/{system}"} <= set(
        schema["paths"]
    )
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_cors_closed_by_default_and_open_to_listed_origins(client, demo_codes, settings):
    settings.API_CORS_ORIGINS = []
    plain = client.get("/api/v1/systems", HTTP_ORIGIN="https://ehr.example")
    assert "Access-Control-Allow-Origin" not in plain
    assert client.options("/api/v1/systems", HTTP_ORIGIN="https://ehr.example").status_code == 403
    settings.API_CORS_ORIGINS = ["https://ehr.example"]
    listed = client.get("/api/v1/systems", HTTP_ORIGIN="https://ehr.example")
    assert listed["Access-Control-Allow-Origin"] == "https://ehr.example"
    assert "Origin" in listed["Vary"]
    preflight = client.options(
        "/api/v1/codes/cpt/99213", HTTP_ORIGIN="https://ehr.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    other = client.get("/api/v1/systems", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    # The site's own pages never get CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://ehr.example")


def test_code_resource_queries(client, demo_codes, django_assert_max_num_queries):
    client.get("/api/v1/codes/icd-10-cm/E11.9")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/codes/icd-10-cm/E11.9")


def test_what_a_code_page_view_unlocks_needs_a_verified_members_key(
    client, demo_codes, member_token, unverified_token
):
    """The site's line (README, accounts): everyone reads the public titles; our plain-language
    texts, the notes and the history are for readers a view unlocks them for. Without it the
    anonymous allowance (200 a day) would read what a guest's one code page view guards."""
    e11 = Code.objects.get(system__slug="icd-10-cm", key="E11")
    assert e11.plain_description and e11.notes.exists()
    as_member = client.get("/api/v1/codes/icd-10-cm/E11", **bearer(member_token))
    assert as_member.json()["plain_text"] == e11.plain_description and as_member.json()["notes"]
    assert as_member["Cache-Control"].startswith("private") and "Authorization" in as_member["Vary"]
    for headers in ({}, bearer(unverified_token)):
        response = client.get("/api/v1/codes/icd-10-cm/E11", **headers)
        body = response.json()
        assert body["title"] == e11.official_description  # public domain
        assert body["plain_text"] is None and body["notes"] == [] and body["history"] == []
        assert all(child["plain_text"] is None for child in body["children"])
        assert e11.plain_description not in response.content.decode()
        assert response["ETag"] != as_member["ETag"]
        for listing in ("/api/v1/search?q=diabetes", "/api/v1/browse/icd-10-cm/E08-E13"):
            text = client.get(listing, **headers).content.decode()
            assert '"plain_text":null' in text.replace(" ", "") and e11.plain_description not in text
    assert client.get("/api/v1/codes/icd-10-cm/E11").headers["Cache-Control"].startswith("public")
