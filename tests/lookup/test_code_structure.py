"""Every code's structure on its page: chapter numbers, siblings, the top of the hierarchy,
ICD-10-PCS characters, named HCPCS and CPT sections."""

from __future__ import annotations

import pytest

from lookup.models import Code, CodeSystem
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")


@pytest.fixture
def member(client):
    client.force_login(make_account("reader@example.com", verified=True))


@pytest.fixture
def appendix_codes():
    pcs = CodeSystem.objects.get(slug="icd-10-pcs")
    titles = {
        "0DTJ4ZZ": "Resection of Appendix, Percutaneous Endoscopic Approach",
        "0DTJ0ZZ": "Resection of Appendix, Open Approach",
        "0DTJ8ZZ": "Resection of Appendix, Via Natural or Artificial Opening Endoscopic",
        "0DTK4ZZ": "Resection of Ascending Colon, Percutaneous Endoscopic Approach",
    }
    for order, (key, title) in enumerate(titles.items()):
        Code.objects.create(
            system=pcs,
            code=key,
            key=key,
            billable=True,
            sort_order=order,
            official_description=title,
            title=title[:60],
        )


def test_pcs_page_explains_each_of_the_seven_characters(client, member, appendix_codes):
    html = client.get("/icd-10-pcs/0DTJ4ZZ/").content.decode()
    assert "The seven characters of 0DTJ4ZZ" in html
    rows = [
        ("1", "0", "Section", "Medical and Surgical"),
        ("2", "D", "Body system", "Gastrointestinal System"),
        ("3", "T", "Root operation", "Resection"),
        ("4", "J", "Body part", "Appendix"),
        ("5", "4", "Approach", "Percutaneous Endoscopic"),
        ("6", "Z", "Device", "No Device"),
        ("7", "Z", "Qualifier", "No Qualifier"),
    ]
    for position, value, axis, meaning in rows:
        assert (
            f'<tr><td>{position}</td><td class="character">{value}</td><td>{axis}</td><td>{meaning}' in html
        ), position
    assert "cutting out or off all of a body part, without replacing it" in html
    # A flat code set: no false "top of the hierarchy".
    assert "is at the top of" not in html
    assert "ICD-10-PCS codes are not nested under one another" in html


def test_only_a_chapter_is_at_the_top_of_the_hierarchy_and_chapters_carry_numbers(client, member):
    chapter = client.get("/icd-10-cm/E00-E89/").content.decode()
    assert "Chapter 4: E00-E89 is at the top of the ICD-10-CM hierarchy." in chapter
    code = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "is at the top of" not in code
    assert "Chapter 4: Endocrine, nutritional and metabolic diseases" in code
    hcpcs = client.get("/hcpcs/J1100/").content.decode()
    assert "is at the top of" not in hcpcs
    assert "Drugs administered other than oral method (J0000-J8499)" in hcpcs


def test_siblings_are_listed(client, member):
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "Other codes under E11" in html
    siblings = html[html.index("Other codes under E11") :]
    assert 'href="/icd-10-cm/E11.2/"' in siblings and 'href="/icd-10-cm/E11.6/"' in siblings
    assert 'href="/icd-10-cm/E11.9/"' not in siblings.split("</ul>")[0]


def test_hcpcs_and_cpt_browse_under_named_sections(client):
    hcpcs = client.get("/hcpcs/").content.decode()
    assert "Drugs administered other than oral method" in hcpcs
    assert "Durable medical equipment" in hcpcs
    assert "Transportation services, including ambulance" in hcpcs
    cpt = client.get("/cpt/").content.decode()
    assert "Radiation Oncology › Clinical Treatment Planning" in cpt
    assert "Evaluation and management (visits)" in cpt


def test_cpt_rows_without_licensed_text_say_why(client):
    html = client.get("/cpt/range/77261-77799/").content.decode()
    row = html[html.index('href="/cpt/77263/"') :].split("</li>")[0]
    # A guest's list shows no words of ours (tests/lookup/test_guest_line.py); a member's does.
    assert "(the official descriptor needs an AMA licence)" in row and "our words" not in row
    client.force_login(make_account("member@example.com", verified=True))
    member_html = client.get("/cpt/range/77261-77799/").content.decode()
    member_row = member_html[member_html.index('href="/cpt/77263/"') :].split("</li>")[0]
    assert "(our words; the official descriptor needs an AMA licence)" in member_row
    shipped = html[html.index('href="/cpt/77307/"') :].split("</li>")[0]
    assert "licence" not in shipped
