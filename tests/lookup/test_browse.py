from __future__ import annotations

import datetime

import pytest

from lookup.models import Code, CodeSystem

pytestmark = pytest.mark.usefixtures("demo_codes")


def test_system_page_lists_chapters_with_counts_for_everyone(client):
    html = client.get("/icd-10-cm/").content.decode()

    assert 'href="/icd-10-cm/browse/E00-E89/"' in html
    assert "Endocrine, nutritional and metabolic diseases" in html
    assert "3 billable codes" in html  # E11.22, E11.65, E11.9 under E00-E89


def test_chapter_section_and_category_pages_list_children_with_counts(client):
    chapter = client.get("/icd-10-cm/browse/E00-E89/").content.decode()
    section = client.get("/icd-10-cm/browse/E08-E13/").content.decode()
    category = client.get("/icd-10-cm/browse/E11/").content.decode()

    assert 'href="/icd-10-cm/browse/E08-E13/"' in chapter
    assert 'href="/icd-10-cm/browse/E11/"' in section and "3 billable codes" in section
    # Subcategories with codes under them are browsed; codes open their page.
    assert 'href="/icd-10-cm/browse/E11.2/"' in category and "1 billable code" in category
    assert 'href="/icd-10-cm/E11.9/"' in category


def test_browse_spellings_redirect_and_unknown_codes_are_404(client):
    assert client.get("/icd10cm/browse/e11/")["Location"] == "/icd-10-cm/browse/E11/"
    assert client.get("/icd-10-cm/browse/E99/").status_code == 404
    assert client.get("/nosuch/browse/E11/").status_code == 404
    assert client.get("/icd-10-cm/browse/" + "E" * 300 + "/").status_code == 404
    assert client.get("/icd-10-cm/browse/E11%00/").status_code == 404  # not E11 with the NUL dropped


def test_flat_code_sets_list_ranges_by_first_character(client):
    html = client.get("/hcpcs/").content.decode()

    assert 'href="/hcpcs/range/J0696-J3301/"' in html
    assert "3 codes" in html


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/cpt/range/77261-77799/", ["77263", "77300", "77307"]),
        ("/hcpcs/range/J1000-J1999/", ["J1100"]),
        ("/hcpcs/range/j0100-j9999/", ["J0696", "J1100", "J3301"]),
        ("/icd-10-cm/range/E08-E13/", ["E11", "E11.2", "E11.22", "E11.6", "E11.65", "E11.9"]),
    ],
)
def test_range_pages_list_every_code_in_code_order(client, path, codes):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(f">{code}</span>") for code in codes]
    assert positions == sorted(positions)
    assert f"{len(codes)} code" in html


NOT_A_RANGE = "A range is two codes joined by a hyphen, such as 77261-77799."


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ("77799-77261", "The range 77799-77261 runs backwards: try 77261-77799."),
        ("abc", NOT_A_RANGE),
        ("1-2-3", NOT_A_RANGE),
        # A NUL ("%00-%00") is a 404 before the view: tests/codeahead/test_control_characters.py.
        ("x" * 100, NOT_A_RANGE),
    ],
)
def test_bad_ranges_are_400_with_a_message(client, span, message):
    response = client.get(f"/cpt/range/{span}/")

    assert response.status_code == 400
    assert f'<p class="search-error" role="alert">{message}</p>' in response.content.decode()


def test_browse_and_range_pages_never_need_an_account(client):
    for path in ["/icd-10-cm/browse/E11/", "/cpt/range/77261-77799/", "/icd-10-cm/", "/search?q=E11"]:
        response = client.get(path)
        assert response.status_code == 200
        assert b"Create a free account" not in response.content


def test_a_terminated_section_is_left_off_the_lists(client):
    chapter = Code.objects.get(system__slug="icd-10-cm", key="E00-E89")
    Code.objects.create(
        system=chapter.system,
        code="E07-E07",
        key="E07-E07",
        kind=Code.Kind.SECTION,
        title="Renamed section",
        parent=chapter,
        termination_date=datetime.date(2025, 9, 30),
    )

    html = client.get("/icd-10-cm/browse/E00-E89/").content.decode()

    assert "Renamed section" not in html
    assert 'href="/icd-10-cm/browse/E08-E13/"' in html


def test_searching_and_browsing_never_use_a_page_view(client):
    for query in ["e119", "E11", "E08-E13", "dexamethasone", "77261-77799"]:
        assert client.get("/search", {"q": query}).status_code == 200
        assert client.get("/search", {"q": query}, headers={"HX-Request": "true"}).status_code == 200
    for path in [
        "/icd-10-cm/",
        "/icd-10-cm/browse/E00-E89/",
        "/icd-10-cm/browse/E11/",
        "/cpt/range/77261-77799/",
    ]:
        assert client.get(path).status_code == 200

    # The guest still has the one code page view a guest gets.
    response = client.get("/cpt/77307/")
    assert response.status_code == 200
    assert "0 code page views remaining." in response.content.decode()


def test_a_long_range_is_paged_and_its_links_keep_the_range(client):
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    Code.objects.bulk_create(
        Code(system=hcpcs, code=f"J9{n:03}", key=f"J9{n:03}", title=f"Test drug {n}", sort_order=9000 + n)
        for n in range(1, 151)
    )

    first = client.get("/hcpcs/range/J9001-J9150/").content.decode()
    second = client.get("/hcpcs/range/J9001-J9150/", {"page": "2"}).content.decode()

    assert "150 codes" in first and "Page 1 of 2" in first
    assert '<a rel="next" href="?page=2">Next →</a>' in first
    assert ">J9101</span>" in second and ">J9100</span>" not in second
    assert '<a rel="prev" href="?page=1">← Previous</a>' in second
