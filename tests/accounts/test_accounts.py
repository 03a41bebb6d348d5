"""Accounts with django-allauth: register, verify, log in and out, passwords, admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from codeahead.models import OutboundEmail
from lookup.models import Code
from meter import services
from tests.factories import PASSWORD, make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.usefixtures("demo_codes")


def test_the_header_offers_log_in_and_register_to_guests(client):
    html = client.get("/").content.decode()

    assert 'href="/accounts/login/"' in html and ">Log in<" in html
    assert 'href="/accounts/signup/"' in html and ">Register<" in html


def test_the_header_shows_the_account_email_and_log_out(client):
    client.force_login(make_account("reader@example.com"))

    html = client.get("/").content.decode()

    assert "reader@example.com" in html
    assert 'action="/accounts/logout/"' in html and "Log out" in html
    assert ">Register<" not in html


def test_account_pages_are_in_the_site_layout(client):
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        html = client.get(path).content.decode()
        assert 'class="site-header"' in html and "/static/css/site.css" in html, path
        assert 'class="account-form"' in html, path
        assert "| CodeAhead</title>" in html, path


def test_registering_sends_a_verification_link_and_does_not_log_in_before_it(client):
    response = client.post(
        "/accounts/signup/", {"email": "Coder@Example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    (message,) = sent_emails()
    assert "/accounts/confirm-email/" in message.body
    assert "_auth_user_id" not in client.session
    # Mandatory verification: logging in before it only resends the link.
    login = client.post("/accounts/login/", {"login": "coder@example.com", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_a_verified_account_logs_in_by_email_and_logs_out(client):
    make_account("reader@example.com")

    login = client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert login.status_code == 302 and "_auth_user_id" in client.session
    logout = client.post("/accounts/logout/")

    assert logout.status_code == 302 and "_auth_user_id" not in client.session


def test_messages_name_the_account_by_its_email(client):
    make_account("reader@example.com")

    page = client.post(
        "/accounts/login/", {"login": "reader@example.com", "password": PASSWORD}, follow=True
    ).content.decode()

    assert "You are logged in as reader@example.com." in page


def test_a_wrong_password_is_a_form_error_and_repeated_failures_are_rate_limited(client):
    make_account("reader@example.com")
    pages = [
        client.post("/accounts/login/", {"login": "reader@example.com", "password": "wrong-guess"})
        for _ in range(6)
    ]

    assert pages[0].status_code == 200
    assert "Too many failed login attempts" not in pages[0].content.decode()
    assert "Too many failed login attempts. Try again later." in pages[-1].content.decode()
    # Even the right password is refused while the limit holds.
    right = client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    make_account("reader@example.com")

    client.post("/accounts/password/reset/", {"email": "reader@example.com"})
    (message,) = sent_emails()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"password1": "a-new-passphrase-9", "password2": "a-new-passphrase-9"}
    )

    assert done.status_code == 302
    assert client.login(username="reader", password="a-new-passphrase-9")


def test_a_logged_in_account_changes_its_password(client):
    client.force_login(make_account("reader@example.com"))

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another-passphrase-7", "password2": "another-passphrase-7"},
    )

    assert response.status_code == 302
    assert client.login(username="reader", password="another-passphrase-7")


def test_admin_shows_this_periods_usage_and_unlocked_codes_and_edits_plan_and_grants(admin_client):
    user = make_account("reader@example.com")
    services.grant(user=user, resource="code_page", extra=2)
    reader = services.reader_for_user(user)
    for code in Code.objects.filter(key__in=["E119", "77307"]):
        services.consume(reader=reader, resource="code_page", item=str(code.pk), now=timezone.now())

    html = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()

    assert "Uses this period" in html and "Unlocked this period" in html
    assert "ICD-10-CM E11.9" in html and "CPT 77307" in html  # the codes, not their ids
    assert 'name="plan"' in html
    assert 'name="meter_grants-0-extra" value="2"' in html


def test_too_many_attempts_get_a_429_page_in_the_site_layout(client):
    client.force_login(make_account("reader@example.com"))
    wrong = {"oldpassword": "not-it", "password1": "a-new-passphrase", "password2": "a-new-passphrase"}

    answers = [client.post("/accounts/password/change/", wrong) for _ in range(6)]

    assert answers[0].status_code == 200
    assert answers[-1].status_code == 429
    html = answers[-1].content.decode()
    assert "Too many attempts" in html and 'class="site-header"' in html


def test_account_emails_wait_in_the_outbox_while_the_mail_server_refuses(client, settings):
    # Nothing listens on port 9 (discard) here: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False

    signup = client.post(
        "/accounts/signup/", {"email": "coder@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    reset = client.post("/accounts/password/reset/", {"email": "coder@example.com"})
    call_command("send_emails", "--once")

    assert signup.status_code == 302 and reset.status_code == 302
    assert get_user_model().objects.filter(email="coder@example.com").exists()
    waiting = OutboundEmail.objects.filter(to=["coder@example.com"]).order_by("id")
    assert [email.name for email in waiting] == [
        "account/email/email_confirmation_signup",
        "account/email/password_reset_key",
    ]
    assert all(email.status == "pending" and email.attempts == 1 for email in waiting)
    assert all("Connection refused" in email.last_error for email in waiting)
