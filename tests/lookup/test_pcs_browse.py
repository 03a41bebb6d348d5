"""ICD-10-PCS browsed as its tables are: section, body system, root operation, then codes."""

from __future__ import annotations

import pytest

from lookup.cache import code_sets_version
from lookup.models import Code, CodeSystem
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")

TITLES = {
    "0DTJ0ZZ": "Resection of Appendix, Open Approach",
    "0DTJ4ZZ": "Resection of Appendix, Percutaneous Endoscopic Approach",
    "0DTK4ZZ": "Resection of Ascending Colon, Percutaneous Endoscopic Approach",
    "0DBJ0ZZ": "Excision of Appendix, Open Approach",
    "0016070": "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach",
    "0016071": "Bypass Cerebral Ventricle to Mastoid Sinus with Autologous Tissue Substitute, Open Approach",
    "B020ZZZ": "Plain Radiography of Sella Turcica",
    "B021ZZZ": "Plain Radiography of Orbits",
}
# A big table, to page: 0SR (Replacement, lower joints) with 1,050 made-up codes.
BIG_TABLE = 1050


def key_for(number: int) -> str:
    digits = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # PCS leaves out I and O
    return "0SR" + "".join(digits[number // 34**power % 34] for power in (3, 2, 1, 0))


@pytest.fixture
def pcs_codes(db):
    pcs = CodeSystem.objects.get(slug="icd-10-pcs")
    rows = [
        Code(
            system=pcs,
            code=key,
            key=key,
            billable=True,
            sort_order=n,
            official_description=title,
            title=title[:60],
        )
        for n, (key, title) in enumerate(TITLES.items())
    ]
    rows += [
        Code(
            system=pcs,
            code=key_for(n),
            key=key_for(n),
            billable=True,
            sort_order=100 + n,
            official_description=f"Replacement of Joint {n} with Synthetic Substitute, Open Approach",
        )
        for n in range(BIG_TABLE)
    ]
    Code.objects.bulk_create(rows)
    code_sets_version()  # the import's stamp exists on a running site: counted pages are cold, not the stamp


def test_the_pcs_page_lists_its_sections_with_counts(client, pcs_codes, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = client.get("/icd-10-pcs/").content.decode()

    assert (
        '<a href="/icd-10-pcs/browse/0/"><span class="code-chip">0</span> <span class="group-name">Medical and Surgical</span></a>'
        in html
    )
    assert "1,056 codes" in html  # thousands separated
    assert 'href="/icd-10-pcs/browse/B/"' in html and "Imaging" in html and "2 codes" in html


def test_a_section_lists_its_body_systems(client, pcs_codes, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/icd-10-pcs/browse/0/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 body systems under 0" in html
    assert (
        '<a href="/icd-10-pcs/browse/0D/"><span class="code-chip">0D</span> <span class="group-name">Gastrointestinal System</span></a>'
        in html
    )
    assert "(food pipe, stomach and bowels)" in html and "4 codes" in html
    assert 'href="/icd-10-pcs/browse/00/"' in html and "Central Nervous System and Cranial Nerves" in html
    assert 'href="/icd-10-pcs/browse/0S/"' in html and "1,050 codes" in html


def test_a_body_system_lists_its_root_operations_named_from_the_titles(
    client, pcs_codes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        html = client.get("/icd-10-pcs/browse/0D/").content.decode()

    assert "2 root operations under 0D" in html
    assert (
        '<a href="/icd-10-pcs/browse/0DT/"><span class="code-chip">0DT</span> <span class="group-name">Resection</span></a>'
        in html
    )
    assert "(cutting out or off all of a body part, without replacing it)" in html and "3 codes" in html
    assert '<span class="group-name">Excision</span>' in html
    # Breadcrumbs climb back with names.
    assert '<a href="/icd-10-pcs/browse/0/">0 Medical and Surgical</a>' in html
    bypass = client.get("/icd-10-pcs/browse/00/").content.decode()
    assert '<span class="group-name">Bypass</span>' in bypass


def test_imaging_names_its_third_character_a_type(client, pcs_codes):
    html = client.get("/icd-10-pcs/browse/B0/").content.decode()

    assert "1 type under B0" in html
    assert '<span class="group-name">Plain Radiography</span>' in html


def test_a_root_operation_lists_its_codes_linked_to_their_pages(
    client, pcs_codes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html = client.get("/icd-10-pcs/browse/0DT/").content.decode()

    assert "3 codes in table 0DT" in html
    assert '<span class="code-title">Resection</span>' in html
    assert '<a href="/icd-10-pcs/0DTJ4ZZ/"><span class="code-chip">0DTJ4ZZ</span></a>' in html
    assert "Resection of Appendix, Percutaneous Endoscopic Approach" in html
    assert '<a href="/icd-10-pcs/browse/0D/">0D Gastrointestinal System</a>' in html
    assert "0DBJ0ZZ" not in html


def test_a_big_table_is_paged(client, pcs_codes, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        first = client.get("/icd-10-pcs/browse/0SR/").content.decode()
    last = client.get("/icd-10-pcs/browse/0SR/", {"page": "11"}).content.decode()

    assert "1,050 codes in table 0SR" in first and "Page 1 of 11" in first
    assert first.count('class="code-chip"') == 100
    assert f'href="/icd-10-pcs/{key_for(0)}/"' in first and f'href="/icd-10-pcs/{key_for(100)}/"' not in first
    assert "Page 11 of 11" in last and last.count('class="code-chip"') == 50
    assert client.get("/icd-10-pcs/browse/0SR/", {"page": "nonsense"}).status_code == 200


def test_pcs_browse_spellings_redirect_and_unknown_prefixes_are_404(client, pcs_codes):
    assert client.get("/icd-10-pcs/browse/0dt/")["Location"] == "/icd-10-pcs/browse/0DT/"
    assert client.get("/icd10pcs/browse/0D/")["Location"] == "/icd-10-pcs/browse/0D/"
    assert client.get("/icd-10-pcs/browse/0Q9/").status_code == 404
    assert client.get("/icd-10-pcs/browse/Z/").status_code == 404
    assert client.get("/icd-10-pcs/browse/0D%00/").status_code == 404
    # A whole code is still a code, browsed as before: a link to its page.
    assert 'href="/icd-10-pcs/0DTJ4ZZ/"' in client.get("/icd-10-pcs/browse/0DTJ4ZZ/").content.decode()


def test_browsing_pcs_costs_no_code_page_view(client, pcs_codes):
    for address in (
        "/icd-10-pcs/",
        "/icd-10-pcs/browse/0/",
        "/icd-10-pcs/browse/0D/",
        "/icd-10-pcs/browse/0DT/",
    ):
        assert client.get(address).status_code == 200

    assert client.get("/icd-10-pcs/0DTJ4ZZ/").status_code == 200  # the guest's one view


def test_a_pcs_code_page_leads_back_to_its_section_body_system_and_table(client, pcs_codes):
    client.force_login(make_account("reader@example.com"))

    html = client.get("/icd-10-pcs/0DTJ4ZZ/").content.decode()

    breadcrumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    for prefix in ("0", "0D", "0DT"):
        assert f'<a href="/icd-10-pcs/browse/{prefix}/">{prefix}</a>' in breadcrumbs
    assert 'It is in table <a href="/icd-10-pcs/browse/0DT/">0DT</a>' in html
