"""What a guest reads outside code pages (issue 17, item 10; README, "Accounts and code page views").

Official public-domain titles show in every list to everyone. Our plain-language words are
what a code page unlocks: lists show them (as the stand-in title of a CPT code) to verified
members only; a guest, views left or not, reads "matched in our plain-language description".
"""

from __future__ import annotations

import pytest

from lookup.models import Code
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")

OUR_99213 = "established patient that needs a low level"  # from 99213's plain-language text
OUR_99214 = "established patient that needs a moderate level"
OUR_E119 = "Type 2 diabetes with no complication recorded"
OFFICIAL_E119 = "Type 2 diabetes mellitus without complications"

LISTS = [
    "/search?q=99213",
    "/search?q=992",
    "/search?q=99213&suggest=1",
    "/search?q=established+patient",
    "/search?q=office+visit+established",
    "/cpt/range/99202-99215/",
    "/cpt/",
    "/",
]


def guest_out_of_views(client):
    assert client.get("/icd-10-cm/E11.9/").status_code == 200  # the guest's one view
    locked = client.get("/cpt/99213/").content.decode()
    assert "You have used your code page views" in locked
    return client


def texts(client, urls=LISTS) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.mark.parametrize("reader", ["guest out of views", "guest with views", "unverified account"])
def test_a_guest_reads_no_plain_language_words_in_any_list(client, reader):
    if reader == "guest out of views":
        guest_out_of_views(client)
    elif reader == "unverified account":
        client.force_login(make_account("new@example.com", verified=False))

    pages = texts(client)

    for url, html in pages.items():
        assert OUR_99213 not in html, url
        assert OUR_99214 not in html, url
        assert OUR_E119 not in html, url
    # A words match on our text says where it matched, without the words.
    assert "matched in our plain-language description" in pages["/search?q=established+patient"]
    assert 'href="/cpt/99213/"' in pages["/search?q=established+patient"]
    assert "needs an AMA licence" in pages["/search?q=99213"]
    assert "needs an AMA licence" in pages["/cpt/range/99202-99215/"]


@pytest.mark.parametrize("reader", ["guest out of views", "guest with views"])
def test_a_guest_reads_official_public_titles_in_lists(client, reader):
    if reader == "guest out of views":
        guest_out_of_views(client)

    search = client.get("/search", {"q": "type 2 diabetes"}).content.decode()
    browse = client.get("/icd-10-cm/browse/E11/").content.decode()
    changes_free = client.get("/search", {"q": "J1100"}).content.decode()

    assert "without complications" in search and "<mark>" in search
    assert OFFICIAL_E119 in browse
    assert "dexamethasone" in changes_free.lower()


def test_a_guest_out_of_views_reads_neither_plain_text_nor_notes_on_the_locked_page(client):
    guest_out_of_views(client)

    locked = client.get("/icd-10-cm/E11.65/").content.decode()

    assert "You have used your code page views" in locked
    code = Code.objects.get(system__slug="icd-10-cm", key="E1165")
    # Its public-domain title is the page's heading (issue 11); its description section and our words are not.
    assert code.official_description in locked
    assert 'id="official-heading"' not in locked
    assert code.plain_description and code.plain_description not in locked
    assert "Excludes" not in locked


def test_a_member_reads_our_words_in_lists(client, member):
    pages = texts(client)

    assert OUR_99213 in pages["/search?q=99213"]
    assert OUR_99213 in pages["/cpt/range/99202-99215/"]
    assert OUR_99213 in pages["/"]  # a popular code
    search = pages["/search?q=established+patient"]
    # Our words are the title shown: no need to say the match is in them.
    assert OUR_99213 in search
    assert "matched in our plain-language description" not in search


def test_a_member_out_of_views_still_reads_lists(client, member, settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "code_page": {**settings.METER_RULES["code_page"], "verified": 0},
    }

    assert "You have used your code page views" in client.get("/cpt/99214/").content.decode()
    assert OUR_99213 in client.get("/search", {"q": "99213"}).content.decode()
