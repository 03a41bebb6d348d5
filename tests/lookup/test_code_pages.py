from __future__ import annotations

import pytest

from lookup.models import Code

CPT_77307 = (
    "Teletherapy isodose plan; complex (multiple treatment areas, tangential ports, the use of wedges, "
    "blocking, rotational beam, or special beam considerations), includes basic dosimetry calculation(s)"
)

pytestmark = pytest.mark.usefixtures("demo_codes")


def test_cpt_77307_shows_both_descriptions_and_copyright_lines(client):
    response = client.get("/cpt/77307/")

    assert response.status_code == 200
    html = response.content.decode()
    assert CPT_77307 in html
    assert "© Copyright 2026 American Medical Association. All rights reserved." in html
    assert "Common Language Description" in html
    assert Code.objects.get(key="77307").plain_description in html
    assert "<title>CPT 77307: Teletherapy isodose plan; complex (multiple" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/cpt/77307/">' in html


def test_other_cpt_codes_say_the_descriptor_needs_an_ama_licence(client):
    html = client.get("/cpt/99213/").content.decode()

    assert "The official descriptor requires an AMA licence." in html
    assert "established patient" in html  # our own plain-language words


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/icd-10-cm/e11.9/", "/icd-10-cm/E11.9/"),
        ("/icd-10-cm/E119/", "/icd-10-cm/E11.9/"),
        ("/icd10cm/e119/", "/icd-10-cm/E11.9/"),
        ("/ICD-10-CM/E11.9/", "/icd-10-cm/E11.9/"),
        ("/hcpcs/j1100/", "/hcpcs/J1100/"),
        ("/code/e11.9/", "/icd-10-cm/E11.9/"),
        ("/code/77307/", "/cpt/77307/"),
    ],
)
def test_other_spellings_redirect_permanently_to_the_canonical_url(client, path, canonical):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == canonical


def test_a_code_in_several_systems_gets_a_short_list(client):
    system = Code.objects.get(key="E119").system
    Code.objects.create(system=system.__class__.objects.get(slug="hcpcs"), code="E119", key="E119")

    response = client.get("/code/E119/")

    assert response.status_code == 200
    assert b"/icd-10-cm/E11.9/" in response.content
    assert b"/hcpcs/E119/" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/icd-10-cm/E11.99999/",
        "/cpt/00000/",
        "/nosuchsystem/E11.9/",
        "/code/QQQ123/",
        "/icd-10-cm/%00/",
        "/icd-10-cm/E11%00/",  # not E11 with the NUL dropped
        "/code/E11%3B/",
        "/icd-10-cm/" + "E" * 300 + "/",
        "/icd-10-cm/..%2F..%2Fetc/",
        "/icd-10-cm/E11.9/extra/",
        "/code/%E2%98%83/",
    ],
)
def test_unknown_or_malformed_codes_answer_404_never_500(client, path):
    response = client.get(path)

    assert response.status_code == 404


def test_unknown_code_page_helps_the_reader_search(client):
    response = client.get("/icd-10-cm/E11.99/")

    assert response.status_code == 404
    assert b"We could not find ICD-10-CM code" in response.content
    assert b'action="/search"' in response.content


def test_guest_sees_descriptions_but_not_the_locked_sections(client):
    html = client.get("/icd-10-cm/S52.521A/").content.decode()

    assert "Torus fracture of lower end of right radius, initial encounter for closed fracture" in html
    assert "Create a free account to unlock this content" in html
    assert "traumatic amputation of forearm" not in html  # an inherited S52 note


def test_member_sees_inherited_notes_and_seventh_characters(client, member):
    html = client.get("/icd-10-cm/S52.521A/").content.decode()

    # S52's excludes reach S52.521A, marked as inherited; the code they name is a link.
    assert 'traumatic amputation of forearm (<a class="code-ref" href="/icd-10-cm/S58/">S58.-</a>)' in html
    assert 'inherited from <a href="/icd-10-cm/S52/">S52</a>' in html
    # The nearest seventh-character list (S52.52's narrower one) applies.
    assert "Applies from" in html and "/icd-10-cm/S52.52/" in html
    assert "subsequent encounter for fracture with routine healing" in html
    assert "open fracture type IIIA" not in html
    # Breadcrumbs run from the chapter down.
    # Chapters and sections link to their browse pages, which cost no page view.
    crumbs = [
        "/icd-10-cm/browse/S00-T88/",
        "/icd-10-cm/browse/S50-S59/",
        "/icd-10-cm/S52/",
        "/icd-10-cm/S52.521/",
    ]
    positions = [html.index(f'href="{crumb}"') for crumb in crumbs]
    assert positions == sorted(positions)


def test_member_sees_children_and_neighbours(client, member):
    html = client.get("/icd-10-cm/E11/").content.decode()

    assert 'href="/icd-10-cm/E11.9/"' in html
    assert 'href="/icd-10-cm/E11.2/"' in html
    assert 'rel="prev" href="/icd-10-cm/E08-E13/"' in html
    assert 'rel="next" href="/icd-10-cm/E11.2/"' in html


def test_code_page_needs_few_queries(client, member, django_assert_max_num_queries):
    # 13 for lookup's own sections and the meter, 1 for rules' crosswalk (its GEM lines).
    with django_assert_max_num_queries(14):
        response = client.get("/icd-10-cm/S52.521A/")
    assert response.status_code == 200


def test_home_lists_code_systems_with_counts_and_popular_codes(client):
    html = client.get("/").content.decode()

    assert "ICD-10-CM" in html and "HCPCS Level II" in html and "ICD-10-PCS" in html
    assert "5 codes" in html  # CPT demo codes
    assert 'href="/cpt/77307/"' in html
    assert 'action="/search"' in html


def test_search_finds_codes_by_code_and_words(client):
    # A submitted exact code opens its page (tests/lookup/test_search.py has the rest).
    assert client.get("/search", {"q": "e11.9", "go": "1"})["Location"] == "/icd-10-cm/E11.9/"
    assert b'href="/hcpcs/J1100/"' in client.get("/search", {"q": "dexamethasone"}).content


def test_a_repeat_view_is_served_from_the_kept_sections_in_few_queries(
    client, member, django_assert_num_queries
):
    client.get("/icd-10-cm/S52.521A/")

    # The session with its user, then the code with what the meter says of it: a free re-view
    # opens no transaction, and the hierarchy and notes come from the cache. The third is the
    # members app's part (members/code_page.py): it records the view, reads the star and note.
    with django_assert_num_queries(3):
        html = client.get("/icd-10-cm/S52.521A/").content.decode()

    assert "traumatic amputation of forearm (" in html
    assert "subsequent encounter for fracture with routine healing" in html


def test_an_edit_of_the_code_shows_at_once_despite_the_cache(client, member):
    client.get("/icd-10-cm/E11.9/")
    Code.objects.filter(key="E119").update(official_description="Type 2 diabetes mellitus, edited")

    html = client.get("/icd-10-cm/E11.9/").content.decode()

    assert '<span class="code-chip current">E11.9</span> Type 2 diabetes mellitus, edited' in html
