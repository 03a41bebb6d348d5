"""The pages around the quota: the refused page, the verification email sent again, and the
account's own page (its usage, renewal date, the codes it may reopen, its plan)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from lookup.models import Code, CodeSystem
from meter import services
from tests.factories import PASSWORD, make_account
from tests.outbox import sent_emails

pytestmark = pytest.mark.usefixtures("demo_codes")

E11_9 = "/icd-10-cm/E11.9/"


def main_of(response) -> str:
    return response.content.decode().split('<main id="main"')[1]


def renewal() -> str:
    renews = services.renews_on(timezone.now(), "month")
    return f"{renews:%B} {renews.day}, {renews.year}"


def use_up_views(client: Client, count: int) -> list[Code]:
    codes = list(Code.objects.select_related("system").exclude(key="E119").order_by("pk")[:count])
    assert [client.get(code.get_absolute_url()).status_code for code in codes] == [200] * count
    return codes


# The refused page.


@pytest.mark.parametrize(
    ("system", "key", "title"),
    [
        ("hcpcs", "J1100", "Injection, dexamethasone sodium phosphate, 1 mg"),
        (
            "icd-10-cm",
            "S52521A",
            "Torus fracture of lower end of right radius, initial encounter for closed fracture",
        ),
    ],
)
def test_the_refused_page_shows_the_public_domain_title(client, system, key, title):
    client.get("/cpt/77307/")
    code = Code.objects.select_related("system").get(system__slug=system, key=key)

    refused = client.get(code.get_absolute_url())

    assert refused.status_code == 403
    assert f'<span class="code-title">{title}</span>' in main_of(refused)
    assert code.plain_description not in refused.content.decode()


@pytest.mark.parametrize(("system", "key", "licence"), [("cpt", "99213", "AMA"), ("hcpcs", "D0120", "ADA")])
def test_the_refused_page_never_shows_a_licensed_descriptor(client, settings, system, key, licence):
    code_system = CodeSystem.objects.get(slug=system)
    Code.objects.update_or_create(
        system=code_system,
        key=key,
        defaults={
            "code": key,
            "billable": True,
            "sort_order": 99_999,
            "title": "Licensed short descriptor",
            "official_description": "Licensed descriptor text",
            "plain_description": "",
            "text_licence": code_system.text_licence_for(key),
        },
    )
    client.get("/cpt/77307/")

    refused = client.get(f"/{system}/{key}/")
    settings.TEXT_LICENCES = [licence]
    licensed = client.get(f"/{system}/{key}/")

    assert refused.status_code == 403 and licensed.status_code == 403
    assert "Licensed" not in refused.content.decode()
    assert '<span class="code-title">Licensed descriptor text</span>' in main_of(licensed)


def test_a_member_out_of_views_is_told_when_they_renew_with_no_button(client):
    client.force_login(make_account("reader@example.com"))
    use_up_views(client, 6)

    refused = client.get(E11_9)

    assert refused.status_code == 403
    main = main_of(refused)
    assert f"Your views renew on {renewal()}." in main
    assert 'class="button' not in main
    assert 'href="/accounts/"' in main  # the codes it may reopen


# The verification email, sent again.


def test_an_unverified_member_gets_the_email_again_and_the_link_returns_to_the_code(client):
    client.force_login(make_account("new@example.com", verified=False))
    use_up_views(client, 1)
    refused = client.get(E11_9)
    assert refused.status_code == 403
    form = re.search(r'<form class="send-again" method="post" action="([^"]+)">', main_of(refused))
    assert form and 'name="next" value="/icd-10-cm/E11.9/"' in main_of(refused)

    sent = client.post(form.group(1), {"next": E11_9})

    assert sent.status_code == 302 and sent["Location"] == E11_9
    (message,) = sent_emails()
    assert message.to == ["new@example.com"]
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed["Location"] == E11_9
    opened = client.get(E11_9)
    assert opened.status_code == 200
    assert "Type 2 diabetes mellitus without complications" in opened.content.decode()


def test_sending_again_is_rate_limited_by_allauth(client):
    client.force_login(make_account("new@example.com", verified=False))

    client.post("/accounts/email/send-again/", {"next": E11_9})
    again = client.post("/accounts/email/send-again/", {"next": E11_9}, follow=True)

    assert len(sent_emails()) == 1
    assert "We emailed new@example.com a few minutes ago" in again.content.decode()


def test_a_guest_who_signed_up_gets_the_email_again_once_the_wait_is_over(client):
    client.post(
        "/accounts/signup/", {"email": "coder@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert len(sent_emails()) == 1

    too_soon = client.post("/accounts/email/send-again/", {"next": E11_9}, follow=True)
    caches["default"].clear()  # allauth's wait (its rate limit) is over
    later = client.post("/accounts/email/send-again/", {"next": E11_9})

    assert "We emailed coder@example.com a few minutes ago" in too_soon.content.decode()
    assert later.status_code == 302 and later["Location"] == E11_9
    assert [message.to for message in sent_emails()] == [["coder@example.com"]] * 2


def test_sending_again_needs_a_post_with_its_csrf_token_and_someone_to_send_to():
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_account("new@example.com", verified=False))
    assert strict.get("/accounts/email/send-again/").status_code == 405
    assert strict.post("/accounts/email/send-again/").status_code == 403

    stranger = Client().post("/accounts/email/send-again/", {"next": "https://elsewhere.example/"})
    assert stranger.status_code == 302 and stranger["Location"] == "/accounts/login/"
    assert sent_emails() == []


def test_sending_again_never_redirects_off_the_site(client):
    client.force_login(make_account("new@example.com", verified=False))

    sent = client.post("/accounts/email/send-again/", {"next": "https://elsewhere.example/"})

    assert sent["Location"] == "/accounts/"


# The account page.


def test_the_account_page_needs_a_login(client):
    response = client.get("/accounts/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/accounts/"


def test_the_account_page_shows_this_periods_usage_renewal_unlocked_codes_and_plan(
    client, django_assert_max_num_queries
):
    client.force_login(make_account("reader@example.com"))
    opened = use_up_views(client, 2)

    with django_assert_max_num_queries(6):
        response = client.get("/accounts/")

    html = main_of(response)
    assert "2 of 6 views used, 4 remaining." in html
    assert f"Your views renew on {renewal()}." in html
    assert "<dt>Plan</dt>\n    <dd>Free</dd>" in html
    for code in opened:
        assert f'<a href="{code.get_absolute_url()}">{code.system.name} {code.code}' in html
    assert "CasePilot, our coding assistant:\n        0 of 20 questions asked" in html
    # Reopening one is free: the count stays.
    client.get(opened[0].get_absolute_url())
    assert "2 of 6 views used, 4 remaining." in main_of(client.get("/accounts/"))


def test_each_account_sees_only_its_own_usage():
    first, second = Client(), Client()
    first.force_login(make_account("first@example.com"))
    second.force_login(make_account("second@example.com", plan="unlimited"))
    (opened,) = use_up_views(first, 1)

    mine = main_of(first.get("/accounts/"))
    theirs = main_of(second.get("/accounts/"))

    assert "first@example.com" in mine and opened.get_absolute_url() in mine
    assert "second@example.com" in theirs and "first@example.com" not in theirs
    assert opened.get_absolute_url() not in theirs
    assert "Unlimited code page views." in theirs and "Unlimited" in theirs


def test_an_unverified_account_page_offers_the_email_again(client):
    client.force_login(make_account("new@example.com", verified=False))

    html = main_of(client.get("/accounts/"))

    assert "not verified yet" in html
    assert "Send the email again" in html
    assert "0 of 1 view used, 1 remaining." in html
    assert "Our coding experts:\n        open to accounts with a verified email address." in html


def test_a_verified_member_asking_again_is_told_it_is_verified(client):
    client.force_login(make_account("reader@example.com"))

    response = client.post("/accounts/email/send-again/", {"next": E11_9}, follow=True)

    assert response.redirect_chain == [(E11_9, 302)]
    assert "reader@example.com is verified already." in response.content.decode()
    assert sent_emails() == []
