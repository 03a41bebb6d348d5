from __future__ import annotations

import pytest

from lookup.models import Code, CodeSystem, Note
from lookup.search.query import search_codes

pytestmark = [pytest.mark.usefixtures("demo_codes"), pytest.mark.django_db]


def first_codes(query: str, count: int = 1, **filters) -> list[str]:
    result = search_codes(query, **filters)
    return [code.code for code in list(result.page)[:count]] if result.page else []


# What a coder types, and what must come first, on the demo code set (fixtures/demo_codes.json).
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Exact codes in any spelling.
        ("E11.9", ["E11.9"]),
        ("e119", ["E11.9"]),
        ("E11 9", ["E11.9"]),
        ("e11.9 ", ["E11.9"]),
        ("77307", ["77307"]),
        ("j1100", ["J1100"]),
        ("S52.521A", ["S52.521A"]),
        # Prefixes: the code itself, then the codes under it in code order.
        ("E11", ["E11", "E11.2", "E11.22", "E11.6", "E11.65", "E11.9"]),
        ("S52.5", ["S52.5", "S52.52", "S52.521", "S52.521A"]),
        ("J11", ["J1100"]),
        ("773", ["77300", "77307"]),
        ("Z00.0", ["Z00.0", "Z00.00"]),
        # Ranges: every code in the range, in code order.
        ("77261-77799", ["77263", "77300", "77307"]),
        ("E08-E13", ["E11", "E11.2", "E11.22", "E11.6", "E11.65", "E11.9"]),
        ("J1000-J1999", ["J1100"]),
        ("j0100 - j3999", ["J0696", "J1100", "J3301"]),
        # Words and phrases, any order, stemmed.
        ("type 2 diabetes without complications", ["E11.9"]),
        ("without complications diabetes type 2", ["E11.9"]),
        ("dexamethasone injection", ["J1100"]),
        ("injections of dexamethasone", ["J1100"]),
        ("isodose plan", ["77307"]),
        ("ceftriaxone", ["J0696"]),
        ("underarm crutches", ["E0114"]),
        ("annual wellness visit", ["G0439"]),
        ("essential hypertension", ["I10"]),
        # Inclusion terms find the code that includes them.
        ("high blood pressure", ["I10"]),
        ("distal radius fracture", ["S52.5"]),
        # Typos.
        ("dexamethazone", ["J1100"]),
        ("dexamethazone injection", ["J1100"]),
        ("ceftriaxon", ["J0696"]),
        ("hypertensoin", ["I10"]),
        # While typing: the last word is a prefix.
        ("dexameth", ["J1100"]),
        ("type 2 diab", ["E11.9"]),
    ],
)
def test_query_table_on_the_demo_codes(query, expected):
    assert first_codes(query, len(expected)) == expected


def test_hyphenated_words_are_words_not_ranges():
    system = CodeSystem.objects.get(slug="icd-10-cm")
    Code.objects.create(
        system=system, code="U07.1", key="U071", title="COVID-19", official_description="COVID-19"
    )

    for query in ["covid-19", "covid 19", "COVID-19"]:
        result = search_codes(query)
        assert result.mode == "words"
        assert [code.code for code in result.page][:1] == ["U07.1"]


def test_diabetes_with_a_typo_finds_type_2_diabetes():
    result = search_codes("diabetis")

    assert result.corrected
    assert "E11.9" in [code.code for code in result.page]


def test_a_title_match_ranks_above_the_same_words_only_in_an_inclusion_term():
    system = CodeSystem.objects.get(slug="icd-10-cm")
    in_title = Code.objects.create(
        system=system,
        code="Q98.1",
        key="Q981",
        title="Widget syndrome",
        official_description="Widget syndrome",
    )
    in_note = Code.objects.create(
        system=system,
        code="Q98.2",
        key="Q982",
        title="Other gadget disorder",
        official_description="Other gadget disorder",
    )
    Note.objects.create(code=in_note, kind=Note.Kind.INCLUSION_TERM, text="Widget syndrome")

    assert first_codes("widget syndrome", 2) == [in_title.code, in_note.code]


def test_a_billable_code_ranks_above_its_header_for_an_equal_match():
    system = CodeSystem.objects.get(slug="icd-10-cm")
    header = Code.objects.create(
        system=system, code="Q97", key="Q97", kind=Code.Kind.CATEGORY, title="Gizmo anomaly", billable=False
    )
    Code.objects.create(
        system=system,
        code="Q97.0",
        key="Q970",
        title="Gizmo anomaly",
        parent=header,
        billable=True,
        sort_order=1,
    )

    assert first_codes("gizmo anomaly", 2) == ["Q97.0", "Q97"]


def test_filters_by_code_system_and_billable():
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    Code.objects.create(
        system=hcpcs, code="E1100", key="E1100", title="Semi-reclining wheelchair", billable=True
    )

    assert first_codes("E11", 10, system=hcpcs) == ["E1100"]
    assert first_codes("E11", 10, billable_only=True) == ["E11.22", "E11.65", "E11.9", "E1100"]


def test_exact_code_submitted_opens_its_page(client):
    assert client.get("/search", {"q": "e119", "go": "1"})["Location"] == "/icd-10-cm/E11.9/"
    assert client.get("/search", {"q": "E11 9", "go": "1"})["Location"] == "/icd-10-cm/E11.9/"
    assert client.get("/search", {"q": "j1100", "go": "1"})["Location"] == "/hcpcs/J1100/"
    # A code with codes under it is a prefix: the list is the answer.
    assert client.get("/search", {"q": "E11", "go": "1"}).status_code == 200


def test_a_search_url_without_submitting_lists_the_code_first(client):
    # What typing leaves in the address bar, and what Back returns to.
    response = client.get("/search", {"q": "e119"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('href="/icd-10-cm/E11.9/"') < html.index("</ol>")


def test_every_search_box_submits_go(client):
    pages = [client.get(path).content.decode() for path in ["/", "/search", "/icd-10-cm/"]]

    for html in pages:
        assert 'name="go" value="1"' in html


def test_j1100_spelled_as_hcpcs_opens_hcpcs_even_with_an_icd_code_j11_00(client):
    icd = CodeSystem.objects.get(slug="icd-10-cm")
    Code.objects.create(
        system=icd, code="J11.00", key="J1100", title="Influenza with pneumonia", billable=True
    )

    assert client.get("/search", {"q": "j1100", "go": "1"})["Location"] == "/hcpcs/J1100/"
    assert client.get("/search", {"q": "J11.00", "go": "1"})["Location"] == "/icd-10-cm/J11.00/"
    assert first_codes("j1100", 2) == ["J1100", "J11.00"]


def test_typing_gets_the_results_partial_without_redirect(client):
    response = client.get("/search", {"q": "e119"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.index('href="/icd-10-cm/E11.9/"') < html.index("</ol>")
    assert "HX-Request" in response["Vary"]


def test_search_page_works_without_javascript(client):
    html = client.get("/search", {"q": "dexamethasone"}).content.decode()

    assert 'action="/search"' in html and 'name="q"' in html and 'value="dexamethasone"' in html
    assert 'href="/hcpcs/J1100/"' in html
    # J1100 is the one demo code that names dexamethasone.
    assert "1 result for “dexamethasone”" in html
    assert 'name="system"' in html and 'name="billable"' in html


def test_results_show_code_system_highlighted_title_and_billable(client):
    html = client.get("/search", {"q": "dexamethasone injection"}).content.decode()

    assert "<mark>dexamethasone</mark>" in html.lower()
    assert "<mark>injection</mark>" in html.lower()
    assert "HCPCS Level II" in html
    assert "Billable" in html


def test_titles_are_escaped_around_highlights(client):
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    Code.objects.create(
        system=hcpcs, code="A9999", key="A9999", official_description="<script>alert(1)</script> zebra splint"
    )

    html = client.get("/search", {"q": "zebra splint"}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zebra</mark> <mark>splint</mark>" in html


def test_licensed_text_is_never_searched_nor_shown(client):
    cpt = CodeSystem.objects.get(slug="cpt")
    Code.objects.create(
        system=cpt,
        code="77401",
        key="77401",
        title="Secret quokka descriptor",
        official_description="Secret quokka descriptor, long form",
        text_licence="AMA",
        plain_description="Radiation treatment delivery, in our own words.",
    )

    assert search_codes("quokka").count == 0
    html = client.get("/search", {"q": "774"}).content.decode()

    assert 'href="/cpt/77401/"' in html
    assert "quokka" not in html
    # Our own words stand in for members only (lookup/list_titles.py; tests/lookup/test_guest_line.py).
    assert "Radiation treatment delivery" not in html
    assert "needs an AMA licence" in html


def test_other_cpt_codes_show_only_our_words(client, member):
    html = client.get(
        "/search", {"q": "99213", "suggest": "1"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "established patient" in html


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 200),
        ("   ", 200),
        ("x" * 10_000, 400),
        ("a" * 201, 400),
        ("'; DROP TABLE lookup_code; --", 200),
        ('" OR 1=1 --', 200),
        ("(.*)+[\\", 200),
        ("a & b | !c <-> d:*", 200),
        ("%_%", 200),
        ("E11%", 200),
        ("糖尿病", 200),
        ("Ménière's disease ü", 200),
        ("\U0001f489 injection", 200),
        # A NUL is a 400 before search sees it: tests/codeahead/test_control_characters.py.
        ("77799-77261", 400),
        ("E13-E08", 400),
        ("-", 200),
        ("--", 200),
        ("E11-", 200),
        (".", 200),
    ],
)
def test_bad_input_gets_a_clear_answer_never_a_500(client, query, status):
    response = client.get("/search", {"q": query})
    partial = client.get("/search", {"q": query}, headers={"HX-Request": "true"})

    assert response.status_code == status
    assert partial.status_code == status
    if status == 400:
        assert b'role="alert"' in response.content


def test_a_reversed_range_says_which_way_round(client):
    html = client.get("/search", {"q": "77799-77261"}).content.decode()

    assert "77261-77799" in html


@pytest.mark.parametrize("page", ["99999999999999999999999", "-1", "0", "abc", "1e9"])
def test_absurd_page_numbers(client, page):
    response = client.get("/search", {"q": "E11", "page": page})

    assert response.status_code == 200
    assert b'href="/icd-10-cm/E11.9/"' in response.content


def test_a_very_common_word_says_there_are_more_than_it_lists(client, monkeypatch):
    monkeypatch.setattr("lookup.search.words.MAX_WORD_RESULTS", 2)

    result = search_codes("diabetes")
    html = client.get("/search", {"q": "diabetes"}).content.decode()

    assert result.more and result.count == 2
    assert "More than 2 results" in html


def test_chapters_and_sections_found_open_their_browse_page(client):
    html = client.get("/search", {"q": "hypertensive diseases"}).content.decode()

    assert 'href="/icd-10-cm/browse/I10-I1A/"' in html


def test_search_makes_few_queries(client, django_assert_max_num_queries):
    client.get("/search", {"q": "warm up"})
    with django_assert_max_num_queries(8):
        client.get("/search", {"q": "E11"})
    with django_assert_max_num_queries(10):
        client.get("/search", {"q": "dexamethazone injection"})


def test_results_beyond_one_page_link_to_the_next_with_and_without_htmx(client):
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    Code.objects.bulk_create(
        Code(system=hcpcs, code=f"J9{n:03}", key=f"J9{n:03}", title=f"Test drug {n}", sort_order=9000 + n)
        for n in range(1, 31)
    )

    first = client.get("/search", {"q": "J9"}).content.decode()
    second = client.get("/search", {"q": "J9", "page": "2"}).content.decode()

    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert (
        '<a rel="next" href="/search?q=J9&amp;page=2" hx-get="/search?q=J9&amp;page=2" '
        'hx-target="#search-results" hx-push-url="true">Next →</a>'
    ) in first
    assert 'rel="prev" href="/search?q=J9&amp;page=1"' in second and 'rel="next"' not in second
