"""The meter as a reader meets it on code pages (HTTP through the test client)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from codeahead.client import address_hash
from lookup.models import Code
from meter import services
from meter.models import AddressUsage, Unlock, Usage
from tests.factories import PASSWORD, make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.usefixtures("demo_codes")

E11_9 = "/icd-10-cm/E11.9/"
S52_521A = "/icd-10-cm/S52.521A/"
GUEST_LINE = "Guest accounts are limited to 1 page view. Register free account to get 5 more views."


def texts_of(key: str) -> list[str]:
    """Every piece of a code's content that a refused reader must not get: our plain-language
    texts (its public-domain title, which may be its whole official description, is shown)."""
    code = Code.objects.get(key=key)
    return [text for text in (code.plain_description, code.plain_notes) if text]


def test_a_guest_reads_one_code_then_is_refused_with_a_call_to_register(client):
    first = client.get("/cpt/77307/")
    second = client.get(E11_9)

    assert first.status_code == 200
    assert "0 code page views remaining." in first.content.decode()
    assert GUEST_LINE in first.content.decode()
    assert 'href="/accounts/signup/?next=/cpt/77307/"' in first.content.decode()
    assert second.status_code == 403
    html = second.content.decode()
    assert "E11.9" in html and "ICD-10-CM" in html
    assert 'href="/icd-10-cm/browse/E08-E13/"' in html and 'href="/icd-10-cm/E11/"' in html  # breadcrumbs
    # The public-domain title, one button (a free account), logging in as a text link.
    assert '<span class="code-title">Type 2 diabetes mellitus without complications</span>' in html
    main = html.split('<main id="main"')[1]
    assert main.count('class="button') == 1
    assert 'class="button" href="/accounts/signup/?next=/icd-10-cm/E11.9/">Create a free account</a>' in main
    assert '<a href="/accounts/login/?next=/icd-10-cm/E11.9/">Log in</a>' in main
    assert Code.objects.get(key="E119").plain_description not in html
    assert "Official Description" not in html and "Hierarchy" not in html and "Notes" not in html
    # Reading the first code again is still free.
    assert client.get("/cpt/77307/").status_code == 200


def test_the_refused_page_holds_no_description_even_for_notes_heavy_codes(client):
    client.get("/cpt/77307/")

    html = client.get(S52_521A).content.decode()

    for text in [
        *texts_of("S52521A"),
        "traumatic amputation of forearm",
        "Seventh characters",
        "open fracture",
    ]:
        assert text not in html


def test_guests_see_locked_sections_without_their_content(client):
    html = client.get("/icd-10-cm/E11/").content.decode()

    assert "Create a free account to unlock this content" in html
    assert 'href="/icd-10-cm/E11.9/"' not in html  # children are a locked section
    assert 'rel="next"' not in html


def test_clearing_cookies_gives_new_views_only_up_to_the_address_cap():
    paths = ["/cpt/77307/", E11_9, S52_521A, "/hcpcs/J1100/"]
    statuses = [Client().get(path).status_code for path in paths]  # each a fresh browser, no cookies

    assert statuses == [200, 200, 200, 403]
    assert "0 code page views remaining." in Client().get("/cpt/77307/").content.decode()


def test_a_forged_x_forwarded_for_changes_nothing():
    for forged in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]:
        assert Client(HTTP_X_FORWARDED_FOR=forged).get(E11_9).status_code == 200

    refused = Client(HTTP_X_FORWARDED_FOR="198.51.100.4").get(E11_9)

    assert refused.status_code == 403
    assert AddressUsage.objects.get().address_hash == address_hash("127.0.0.1")


def test_behind_a_trusted_proxy_only_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    # The client may write anything left of what our proxy appended: it is ignored.
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]:
        Client(HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.50").get(E11_9)

    other = Client(HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.51").get(E11_9)

    assert other.status_code == 200
    used = dict(AddressUsage.objects.values_list("address_hash", "used"))
    assert used == {address_hash("203.0.113.50"): 3, address_hash("203.0.113.51"): 1}


def test_only_a_successful_get_of_a_code_page_costs_a_view(client, admin_client):
    for path in [
        "/",
        "/healthz",
        "/search?q=e11",
        "/icd-10-cm/",
        "/code/77307/",
        "/icd-10-cm/e11.9/",
        "/cpt/00000/",
    ]:
        client.get(path)
    client.head(E11_9)
    client.post(E11_9)
    for path in [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/static/css/site.css",
    ]:
        client.get(path)

    assert not Usage.objects.exists() and not Unlock.objects.exists()
    assert client.get(E11_9).status_code == 200


def test_head_answers_like_get_without_using_a_view(client):
    assert client.head(E11_9).status_code == 200
    client.get("/cpt/77307/")

    assert client.head(E11_9).status_code == 403
    assert client.head("/cpt/77307/").status_code == 200
    assert Usage.objects.get().used == 1


@pytest.mark.parametrize("reader", ["guest", "account"])
def test_a_request_that_fails_with_a_500_uses_no_view(monkeypatch, reader):
    def broken(*args, **kwargs):
        raise RuntimeError("the page could not be built")

    client = Client(raise_request_exception=False)
    if reader == "account":
        client.force_login(make_account("reader@example.com"))
        assert client.get(S52_521A).status_code == 200
    monkeypatch.setattr("lookup.views.code_page", broken)

    assert client.get(E11_9).status_code == 500
    assert not Unlock.objects.filter(item=str(Code.objects.get(key="E119").pk)).exists()
    assert not AddressUsage.objects.filter(used__gt=0).exists()
    monkeypatch.undo()
    page = client.get(E11_9).content.decode()
    assert ("0 code page views remaining." if reader == "guest" else "4 code page views remaining.") in page


def test_a_verified_account_sees_sections_and_when_its_views_renew(client):
    client.force_login(make_account("reader@example.com"))

    html = client.get(S52_521A).content.decode()

    assert "5 code page views remaining." in html
    renews = services.renews_on(timezone.now(), "month")
    assert f"Your views renew on {renews:%B} {renews.day}, {renews.year}." in html
    assert 'traumatic amputation of forearm (<a class="code-ref" href="/icd-10-cm/S58/">S58.-</a>)' in html
    assert "Create a free account" not in html


def test_an_unverified_account_is_told_to_verify_and_sees_no_sections(client):
    client.force_login(make_account("new@example.com", verified=False))

    first = client.get(S52_521A).content.decode()
    second = client.get(E11_9)

    assert "0 code page views remaining." in first
    assert "Verify your email address to get 5 more views" in first
    assert "traumatic amputation of forearm" not in first
    assert second.status_code == 403 and "Verify your email address" in second.content.decode()


@pytest.mark.parametrize("fields", [{"is_staff": True}, {"plan": "unlimited"}])
def test_staff_and_unlimited_plans_are_not_counted(client, fields):
    client.force_login(make_account("pro@example.com", **fields))

    responses = [client.get(code.get_absolute_url()) for code in Code.objects.select_related("system")[:10]]

    assert {r.status_code for r in responses} == {200}
    assert "Unlimited code page views." in responses[0].content.decode()
    assert not Usage.objects.exists()


def test_a_guest_registers_verifies_and_opens_the_refused_code(client):
    assert client.get("/cpt/77307/").status_code == 200
    assert client.get(E11_9).status_code == 403

    signup = client.post(
        "/accounts/signup/", {"email": "coder@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert signup.status_code == 302
    # Not verified yet: still a guest, now told to follow the link rather than to register.
    waiting = client.get(E11_9)
    assert waiting.status_code == 403
    told = "Verify your email address to read this code: follow the link we emailed to coder@example.com."
    assert told in waiting.content.decode()
    assert "Register" not in waiting.content.decode().split('<main id="main"')[1]
    (message,) = sent_emails()
    assert message.to == ["coder@example.com"]
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302

    page = client.get(E11_9)

    assert page.status_code == 200
    html = page.content.decode()
    assert "4 code page views remaining." in html  # 6, less 77307 read as a guest, less this one
    assert "Type 2 diabetes mellitus without complications" in html
    assert client.get("/cpt/77307/").status_code == 200  # unlocked as a guest: free
    assert "4 code page views remaining." in client.get("/cpt/77307/").content.decode()


def test_registering_from_a_refused_code_page_returns_to_it_once_verified(client):
    client.get("/cpt/77307/")
    register = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', client.get(E11_9).content.decode()).group(
        1
    )
    form = client.get(register).content.decode()
    came_from = re.search(r'name="next" value="([^"]+)"', form).group(1)

    client.post(
        "/accounts/signup/",
        {"email": "coder@example.com", "password1": PASSWORD, "password2": PASSWORD, "next": came_from},
    )
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", sent_emails()[0].body).group(1)
    confirmed = client.post(link)

    assert confirmed.status_code == 302 and confirmed["Location"] == E11_9
    assert client.get(E11_9).status_code == 200


def test_an_unverified_account_logging_in_is_told_on_code_pages_to_verify(client):
    make_account("new@example.com", verified=False)

    client.post("/accounts/login/", {"login": "new@example.com", "password": PASSWORD})
    html = client.get(E11_9).content.decode()

    assert "0 code page views remaining." in html  # its guest view, just used
    assert (
        "Verify your email address to get 5 more views: follow the link we emailed to new@example.com."
        in html
    )
    assert "Register free account" not in html


def test_an_account_out_of_views_is_refused_until_they_renew(client):
    client.force_login(make_account("reader@example.com"))
    others = Code.objects.select_related("system").exclude(key="S52521A").order_by("pk")[:6]
    opened = [client.get(code.get_absolute_url()).status_code for code in others]

    refused = client.get(S52_521A)

    assert opened == [200] * 6
    assert refused.status_code == 403
    html = refused.content.decode()
    renews = services.renews_on(timezone.now(), "month")
    assert "0 code page views remaining." in html
    assert f"Your views renew on {renews:%B} {renews.day}, {renews.year}." in html
    for text in [*texts_of("S52521A"), "traumatic amputation of forearm"]:
        assert text not in html


def test_logging_in_carries_the_guests_views_over_once(client):
    make_account("reader@example.com")
    client.get("/cpt/77307/")

    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    html = client.get(E11_9).content.decode()
    assert "4 code page views remaining." in html  # 77307 carried once, E11.9 now


def test_the_guest_cookie_is_signed_and_a_forged_one_is_a_new_guest(client):
    client.get("/cpt/77307/")
    cookie = client.cookies["codeahead_guest"]
    assert cookie["httponly"] and int(cookie["max-age"]) > 300 * 24 * 3600
    guest_id = cookie.value.split(":")[0]

    client.cookies["codeahead_guest"] = guest_id  # the id without its signature
    response = client.get(E11_9)

    assert response.status_code == 200  # a new guest (the address has views left today)
    assert client.cookies["codeahead_guest"].value.split(":")[0] != guest_id


@pytest.mark.parametrize("existing", [True, False])
def test_the_banner_after_signing_up_does_not_tell_whether_the_email_has_an_account(client, existing):
    if existing:
        make_account("coder@example.com")
    client.get("/cpt/77307/")

    client.post(
        "/accounts/signup/", {"email": "coder@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    html = client.get(E11_9).content.decode().split('<main id="main"')[1]

    assert "follow the link we emailed to coder@example.com." in html
    assert "Register" not in html
