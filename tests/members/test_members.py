"""Members' own codes: the star, the private note, recent codes, the list page and its CSV."""

from __future__ import annotations

import csv
import io

import pytest

from lookup.models import Code
from members.models import CodeNote, Favourite, RecentCode
from members.services import RECENT_CODES
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")

SECRET_DESCRIPTOR = "Office or other outpatient visit, AMA WORDING THAT MUST NOT LEAK"


def code(key: str) -> Code:
    return Code.objects.select_related("system").get(key=key)


def test_a_member_stars_a_code_without_javascript(client, member):
    e119 = code("E119")
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert f'action="/members/codes/{e119.pk}/favourite/"' in html
    assert 'aria-pressed="false"' in html

    response = client.post(
        f"/members/codes/{e119.pk}/favourite/", {"favourite": "1", "next": "/icd-10-cm/E11.9/"}
    )

    assert response.status_code == 302 and response["Location"] == "/icd-10-cm/E11.9/"
    assert Favourite.objects.filter(user=member, code=e119).exists()
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert 'aria-pressed="true"' in html and "Starred" in html

    client.post(f"/members/codes/{e119.pk}/favourite/", {"favourite": "0"})
    assert not Favourite.objects.filter(user=member, code=e119).exists()


def test_starring_twice_keeps_one_star(client, member):
    e119 = code("E119")
    for _ in range(2):
        client.post(f"/members/codes/{e119.pk}/favourite/", {"favourite": "1"})
    assert Favourite.objects.filter(user=member).count() == 1


def test_htmx_gets_the_new_star_button_back(client, member):
    e119 = code("E119")
    response = client.post(
        f"/members/codes/{e119.pk}/favourite/",
        {"favourite": "1", "next": "/icd-10-cm/E11.9/"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<form") and 'aria-pressed="true"' in html
    assert 'name="favourite" value="0"' in html  # the next press unstars


def test_the_star_refuses_a_foreign_redirect_and_bad_values(client, member):
    e119 = code("E119")
    response = client.post(
        f"/members/codes/{e119.pk}/favourite/", {"favourite": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/icd-10-cm/E11.9/"
    assert client.post(f"/members/codes/{e119.pk}/favourite/", {"favourite": "yes"}).status_code == 400
    assert client.post("/members/codes/999999999/favourite/", {"favourite": "1"}).status_code == 404
    assert client.get(f"/members/codes/{e119.pk}/favourite/").status_code == 405


def test_the_star_needs_the_csrf_token(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    e119 = code("E119")
    assert strict.post(f"/members/codes/{e119.pk}/favourite/", {"favourite": "1"}).status_code == 403
    assert not Favourite.objects.exists()


def test_a_member_writes_edits_and_deletes_a_private_note(client, member):
    e119 = code("E119")
    response = client.post(
        f"/members/codes/{e119.pk}/note/", {"text": "Check A1c <b>first</b>", "next": "/icd-10-cm/E11.9/"}
    )
    assert response.status_code == 302 and response["Location"] == "/icd-10-cm/E11.9/"

    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "Check A1c &lt;b&gt;first&lt;/b&gt;" in html  # escaped, never markup
    assert "<b>first</b>" not in html

    client.post(f"/members/codes/{e119.pk}/note/", {"text": "Second thoughts"})
    assert CodeNote.objects.get(user=member, code=e119).text == "Second thoughts"

    client.post(f"/members/codes/{e119.pk}/note/", {"text": "   "})
    assert not CodeNote.objects.filter(user=member).exists()


def test_a_note_over_ten_thousand_characters_is_a_form_error(client, member):
    e119 = code("E119")
    response = client.post(f"/members/codes/{e119.pk}/note/", {"text": "x" * 10_001})

    assert response.status_code == 400
    assert "A note holds at most 10,000 characters; this one has 10,001." in response.content.decode()
    assert not CodeNote.objects.exists()

    assert client.post(f"/members/codes/{e119.pk}/note/", {"text": "x" * 10_000}).status_code == 302
    assert len(CodeNote.objects.get().text) == 10_000


def test_htmx_gets_the_note_form_back_with_its_error_or_saved(client, member):
    e119 = code("E119")
    url = f"/members/codes/{e119.pk}/note/"
    too_long = client.post(url, {"text": "y" * 10_001}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="member-note"' in too_long and "at most 10,000 characters" in too_long
    saved = client.post(url, {"text": "ok"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Saved." in saved and ">ok</textarea>" in saved


def test_a_nul_in_a_note_is_a_form_error_not_a_500(client, member):
    e119 = code("E119")
    assert client.post(f"/members/codes/{e119.pk}/note/", {"text": "a\x00b"}).status_code == 400


def test_reading_a_code_page_puts_it_first_in_recent_codes(client, member):
    client.get("/icd-10-cm/E11.9/")
    client.get("/hcpcs/J1100/")
    client.get("/icd-10-cm/E11.9/")

    assert list(
        RecentCode.objects.filter(user=member).order_by("-viewed_at").values_list("code__key", flat=True)
    ) == [
        "E119",
        "J1100",
    ]
    html = client.get("/members/").content.decode()
    recent = html[html.index('data-testid="recent"') :]
    assert recent.index("E11.9") < recent.index("J1100")


def test_recent_codes_keep_the_latest_ones(client, member):
    from django.utils import timezone

    codes = list(Code.objects.all()[: RECENT_CODES + 5])
    now = timezone.now()
    RecentCode.objects.bulk_create(
        RecentCode(user=member, code=c, viewed_at=now - timezone.timedelta(minutes=i))
        for i, c in enumerate(codes)
    )
    html = client.get("/members/").content.decode()

    assert RecentCode.objects.filter(user=member).count() == RECENT_CODES
    assert f'href="{codes[0].get_absolute_url()}"' in html
    assert f'href="{codes[-1].get_absolute_url()}"' not in html


def test_a_guest_view_records_nothing_and_shows_no_star(client):
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "star-form" not in html and "member-note" not in html
    assert not RecentCode.objects.exists()


def test_the_out_of_views_page_records_nothing(client, settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "code_page": {**settings.METER_RULES["code_page"], "verified": 0},
    }
    client.force_login(make_account("spent@example.com", verified=True))

    response = client.get("/icd-10-cm/E11.9/")

    assert response.status_code == 403
    assert "star-form" not in response.content.decode()
    assert not RecentCode.objects.exists()


def test_the_code_page_costs_one_more_query_for_a_member(client, member, django_assert_num_queries):
    client.get("/icd-10-cm/S52.521A/")

    # As lookup's repeat view (the session with its user, the code with the meter's answer),
    # plus the one statement that records the view and reads the star and the note.
    with django_assert_num_queries(3):
        html = client.get("/icd-10-cm/S52.521A/").content.decode()
    assert "star-form" in html


def test_the_list_page_shows_the_members_codes_in_few_queries(client, member, django_assert_max_num_queries):
    e119, j1100 = code("E119"), code("J1100")
    Favourite.objects.create(user=member, code=e119)
    CodeNote.objects.create(user=member, code=j1100, text="Per 1 mg")
    RecentCode.objects.create(user=member, code=e119)

    with django_assert_max_num_queries(5):
        html = client.get("/members/").content.decode()

    favourites = html[html.index('data-testid="favourites"') : html.index('id="recent-heading"')]
    assert "E11.9" in favourites and "J1100" not in favourites
    assert "Per 1 mg" in html


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_every_list_with_public_text_only(client, member):
    e119, cpt, cpt_shipped = code("E119"), code("99213"), code("77307")
    Code.objects.filter(pk=cpt.pk).update(official_description=SECRET_DESCRIPTOR)
    Favourite.objects.create(user=member, code=e119)
    Favourite.objects.create(user=member, code=cpt)
    Favourite.objects.create(user=member, code=cpt_shipped)
    CodeNote.objects.create(user=member, code=cpt, text='=HYPERLINK("x"), with "quotes", commas\nand lines')
    RecentCode.objects.create(user=member, code=e119)

    response = client.get("/members/codes.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="codeahead-my-codes-')
    assert "private" in response["Cache-Control"]  # one member's data: no shared cache keeps it
    assert SECRET_DESCRIPTOR not in response.content.decode()
    rows = read_csv(response)
    by_list = {(row["list"], row["code"]): row for row in rows}
    assert set(by_list) == {
        ("favourites", "E11.9"),
        ("favourites", "99213"),
        ("favourites", "77307"),
        ("recent", "E11.9"),
        ("notes", "99213"),
    }
    assert by_list["favourites", "E11.9"]["official description"] == e119.official_description
    assert by_list["favourites", "99213"]["official description"] == ""  # AMA text, no licence
    assert by_list["favourites", "77307"]["official description"].startswith("Teletherapy isodose plan")
    # A formula is kept as text; quotes, commas and line breaks survive the CSV quoting.
    assert by_list["notes", "99213"]["note"] == '\'=HYPERLINK("x"), with "quotes", commas\nand lines'
    assert by_list["favourites", "E11.9"]["url"].endswith("/icd-10-cm/E11.9/")


def test_a_licensed_cpt_descriptor_is_exported_under_the_licence(client, member, settings):
    settings.TEXT_LICENCES = {"AMA"}
    cpt = code("99213")
    Code.objects.filter(pk=cpt.pk).update(official_description=SECRET_DESCRIPTOR)
    Favourite.objects.create(user=member, code=cpt)
    assert (
        read_csv(client.get("/members/codes.csv?list=favourites"))[0]["official description"]
        == SECRET_DESCRIPTOR
    )


def test_one_list_as_csv_and_a_bad_list_is_400(client, member):
    Favourite.objects.create(user=member, code=code("E119"))
    CodeNote.objects.create(user=member, code=code("J1100"), text="n")
    response = client.get("/members/codes.csv?list=notes")
    assert [row["code"] for row in read_csv(response)] == ["J1100"]
    assert 'filename="codeahead-notes-' in response["Content-Disposition"]
    assert client.get("/members/codes.csv?list=passwords").status_code == 400


# Every members' URL: a guest is sent to log in; another member sees only their own.
def member_urls(code_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/members/"),
        ("get", "/members/codes.csv"),
        ("get", f"/members/codes/{code_id}/note/"),
        ("post", f"/members/codes/{code_id}/note/"),
        ("post", f"/members/codes/{code_id}/favourite/"),
    ]


@pytest.fixture
def alice_with_codes(db):
    alice = make_account("alice@example.com", verified=True)
    e119 = code("E119")
    Favourite.objects.create(user=alice, code=e119)
    CodeNote.objects.create(user=alice, code=e119, text="Alice private thought")
    RecentCode.objects.create(user=alice, code=code("J1100"))
    return alice, e119


def test_a_guest_gets_the_login_redirect_at_every_members_url(client, alice_with_codes):
    _, e119 = alice_with_codes
    for method, url in member_urls(e119.pk):
        response = getattr(client, method)(
            url, {"favourite": "1", "text": "guest"} if method == "post" else {}
        )
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert Favourite.objects.count() == 1 and CodeNote.objects.get().text == "Alice private thought"


def test_another_member_sees_only_their_own_at_every_members_url(client, alice_with_codes):
    alice, e119 = alice_with_codes
    bob = make_account("bob@example.com", verified=True)
    client.force_login(bob)

    pages = {url: client.get(url) for method, url in member_urls(e119.pk) if method == "get"}
    for url, response in pages.items():
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Alice private thought" not in body, url
        assert "J1100" not in body, url  # Alice's recent code
    assert "No starred codes yet" in pages["/members/"].content.decode()
    assert [row["list"] for row in read_csv(pages["/members/codes.csv"])] == []

    # Bob's writes touch Bob's rows only.
    client.post(f"/members/codes/{e119.pk}/note/", {"text": "Bob note"})
    client.post(f"/members/codes/{e119.pk}/favourite/", {"favourite": "0"})
    assert CodeNote.objects.get(user=alice).text == "Alice private thought"
    assert Favourite.objects.filter(user=alice).exists()

    # The code page shows Bob his note and his (absent) star, not Alice's.
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert "Bob note" in html and "Alice private thought" not in html
    assert 'aria-pressed="false"' in html


def test_my_codes_never_shows_a_licensed_descriptor(client, member):
    cpt = code("99213")
    Code.objects.filter(pk=cpt.pk).update(official_description=SECRET_DESCRIPTOR)
    Favourite.objects.create(user=member, code=cpt)
    CodeNote.objects.create(user=member, code=cpt, text="mine")
    RecentCode.objects.create(user=member, code=cpt)

    html = client.get("/members/").content.decode()
    assert "99213" in html and SECRET_DESCRIPTOR not in html
    assert SECRET_DESCRIPTOR not in client.get(f"/members/codes/{cpt.pk}/note/").content.decode()
