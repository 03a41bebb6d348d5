"""allauth's pages in our words and sentence case, with no dead ends: each offers the next
step (log in after a reset, an email link where one says to write to us)."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, make_account
from tests.outbox import sent_emails

# Title Case headings and buttons allauth ships with, which our pages must not show.
TITLE_CASE = re.compile(r"<(h1|h2|button)[^>]*>\s*(?:[A-Z][a-z]+ ){1,3}[A-Z][a-z]+\s*</\1>")


def main_of(response) -> str:
    return response.content.decode().split('<main id="main"')[1]


def assert_sentence_case(html: str) -> None:
    assert not TITLE_CASE.search(html), TITLE_CASE.search(html).group(0)


@pytest.mark.django_db
def test_a_password_reset_ends_on_a_page_with_a_log_in_link(client):
    make_account("reader@example.com")

    asked = client.post("/accounts/password/reset/", {"email": "reader@example.com"}, follow=True)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", sent_emails()[0].body).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a-new-passphrase-9", "password2": "a-new-passphrase-9"},
        follow=True,
    )

    for page in (asked, form, done):
        assert_sentence_case(main_of(page))
    assert "<h1>Check your email</h1>" in main_of(asked)
    assert "<h1>Choose a new password</h1>" in main_of(form)
    assert "<h1>Your password is changed</h1>" in main_of(done)
    assert '<a class="button" href="/accounts/login/">Log in</a>' in main_of(done)


@pytest.mark.django_db
def test_an_expired_reset_link_says_so_and_offers_a_new_one(client):
    response = client.get("/accounts/password/reset/key/1-not-a-key/", follow=True)

    html = main_of(response)
    assert "<h1>This link no longer works</h1>" in html
    assert 'href="/accounts/password/reset/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/accounts/password/reset/", "/accounts/password/reset/done/", "/accounts/confirm-email/"]
)
def test_pages_that_say_write_to_us_link_the_contact_address(client, settings, address):
    settings.CONTACT_EMAIL = "coders@codeahead.example"
    if address == "/accounts/confirm-email/":
        client.post(
            "/accounts/signup/", {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
        )

    html = main_of(client.get(address))

    assert '<a href="mailto:coders@codeahead.example">Email us at coders@codeahead.example</a>' in html
    assert "contact us" not in html.lower()
    assert_sentence_case(html)


@pytest.mark.django_db
def test_the_verification_sent_page_names_the_address_and_sends_it_again(client):
    client.post(
        "/accounts/signup/", {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    html = main_of(client.get("/accounts/confirm-email/"))

    assert "We have emailed you a link at new@example.com." in html
    assert "Send the email again" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/accounts/password/change/", "/accounts/email/", "/accounts/logout/", "/accounts/"]
)
def test_a_members_account_pages_are_in_sentence_case_and_lead_back(client, address):
    client.force_login(make_account("reader@example.com"))

    html = main_of(client.get(address))

    assert_sentence_case(html)
    assert "Sign Out" not in html and "Change Password" not in html and "Re-send" not in html
    assert 'href="/accounts/"' in html or 'href="/"' in html or address == "/accounts/"


@pytest.mark.django_db
def test_logging_in_and_out_speak_of_logging_in(client):
    make_account("reader@example.com")

    logged_in = client.post(
        "/accounts/login/", {"login": "reader@example.com", "password": PASSWORD}, follow=True
    )
    logged_out = client.post("/accounts/logout/", follow=True)

    assert "You are logged in as reader@example.com." in logged_in.content.decode()
    assert "You have logged out." in logged_out.content.decode()
