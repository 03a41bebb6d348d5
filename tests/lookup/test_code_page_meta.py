"""What a code page tells search engines and link previews: MedicalCode JSON-LD, Open Graph
and Twitter tags; public text only, never a licensed descriptor or a locked section."""

from __future__ import annotations

import json
import re

import pytest

from lookup.models import Code

pytestmark = pytest.mark.usefixtures("demo_codes")

SECRET_DESCRIPTOR = "Office or other outpatient visit, AMA WORDING THAT MUST NOT LEAK"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> dict:
    (found,) = JSON_LD.findall(html)
    return json.loads(found)


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, key
    return match.group(1)


def head(html: str) -> str:
    return html[: html.index("</head>")]


def test_an_icd_code_is_a_medical_code_with_its_public_name(client):
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    e119 = Code.objects.get(key="E119")

    assert json_ld(html) == {
        "@context": "https://schema.org",
        "@type": "MedicalCode",
        "codeValue": "E11.9",
        "codingSystem": "ICD-10-CM",
        "name": e119.official_description,
        "url": "http://127.0.0.1:8000/icd-10-cm/E11.9/",
    }
    assert meta(html, "og:url") == "http://127.0.0.1:8000/icd-10-cm/E11.9/"
    assert meta(html, "og:title") == "ICD-10-CM E11.9"
    assert meta(html, "og:description") == f"ICD-10-CM code E11.9: {e119.official_description}."
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "twitter:description") == meta(html, "og:description")


def test_a_cpt_descriptor_without_the_licence_is_in_none_of_it(client):
    Code.objects.filter(key="99213").update(official_description=SECRET_DESCRIPTOR)
    html = client.get("/cpt/99213/").content.decode()

    data = json_ld(html)
    assert data["codeValue"] == "99213" and data["codingSystem"] == "CPT"
    assert "name" not in data
    assert meta(html, "og:description") == "CPT code 99213."
    assert SECRET_DESCRIPTOR not in html and "AMA WORDING" not in html


def test_a_licensed_cpt_descriptor_is_named(client, settings):
    settings.TEXT_LICENCES = {"AMA"}
    Code.objects.filter(key="99213").update(official_description=SECRET_DESCRIPTOR)
    assert json_ld(client.get("/cpt/99213/").content.decode())["name"] == SECRET_DESCRIPTOR


def test_77307_the_one_shipped_cpt_text_is_named(client):
    assert json_ld(client.get("/cpt/77307/").content.decode())["name"].startswith("Teletherapy isodose plan")


def test_the_json_ld_cannot_end_its_script(client):
    Code.objects.filter(key="E119").update(
        official_description='Diabetes </script><script>alert("x")</script> & co'
    )
    html = client.get("/icd-10-cm/E11.9/").content.decode()

    assert "</script><script>alert" not in html
    assert json_ld(html)["name"] == 'Diabetes </script><script>alert("x")</script> & co'
    assert "\\u003C/script\\u003E" in html
    assert 'content="ICD-10-CM code E11.9: Diabetes &lt;/script&gt;' in html  # escaped in the attribute


def test_members_only_text_is_never_in_the_head(client, member):
    Code.objects.filter(key="E119").update(plain_notes="MEMBERS ONLY PLAIN NOTES")
    member_html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "MEMBERS ONLY PLAIN NOTES" in member_html  # the member reads them on the page
    assert "MEMBERS ONLY PLAIN NOTES" not in head(member_html)


def test_a_guest_out_of_views_gets_no_description_anywhere(client, settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "code_page": {**settings.METER_RULES["code_page"], "guest": 0},
    }
    response = client.get("/icd-10-cm/E11.9/")
    html = response.content.decode()

    assert response.status_code == 403
    assert not JSON_LD.findall(html)
    assert 'property="og:description"' not in html
    # The public-domain title is the 403 page's heading (issue 11); our words are what a view unlocks.
    code = Code.objects.get(key="E119")
    assert code.plain_description and code.plain_description not in html
