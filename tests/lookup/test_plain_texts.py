"""Where a plain-language text comes from, on the page and in the admin; note links."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lookup.models import Code, Note, PlainText
from tests.factories import make_account
from tests.lookup.test_admin import change_form_data

pytestmark = pytest.mark.usefixtures("demo_codes")

GENERATED = "Generated from the official text; not yet reviewed"
TEAM = "Written by our coding team"
REVIEWED = "Generated from the official text, then reviewed by our coding team"


@pytest.fixture
def member(client):
    client.force_login(make_account("reader@example.com", verified=True))


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


@pytest.fixture
def e11_a():
    """A code with no text of our own and a generated one."""
    parent = Code.objects.get(key="E11")
    code = Code.objects.create(
        system=parent.system,
        code="E11.A",
        key="E11A",
        parent=parent,
        billable=True,
        sort_order=parent.sort_order + 1,
        official_description="Type 2 diabetes mellitus without complications in remission",
    )
    PlainText.objects.create(
        code=code,
        description="Type 2 diabetes mellitus without complications in remission.",
        notes="It sits in category E11 (Type 2 diabetes mellitus).",
        generated_at=timezone.now(),
    )
    return code


def test_demo_texts_are_our_coding_teams(client):
    page = client.get("/icd-10-cm/E11.9/").content.decode()
    assert TEAM in page
    assert GENERATED not in page
    assert Code.objects.get(key="E119").plain_source == Code.PlainSource.TEAM


def test_a_generated_text_is_shown_and_labelled_not_reviewed(client, e11_a):
    page = client.get("/icd-10-cm/E11.A/").content.decode()
    assert "Type 2 diabetes mellitus without complications in remission." in page
    assert GENERATED in page
    assert "We have not written a plain-language description" not in page
    # Where it sits and its notes are for members, as the page's other sections are.
    assert "It sits in category" not in page


def test_a_member_reads_the_generated_notes_with_their_codes_linked(client, member, e11_a):
    page = client.get("/icd-10-cm/E11.A/").content.decode()
    assert 'It sits in category <a class="code-ref" href="/icd-10-cm/E11/">E11</a>' in page


def test_codes_in_notes_are_links_and_the_note_stays_escaped(client, member):
    code = Code.objects.get(key="E11")
    Note.objects.create(
        code=code,
        kind=Note.Kind.EXCLUDES1,
        text="<script>x()</script> due to (E08.-), see C00-C75",
        position=99,
    )
    page = client.get("/icd-10-cm/E11.9/").content.decode()
    assert '(<a class="code-ref" href="/icd-10-cm/E08/">E08.-</a>)' in page
    assert '<a class="code-ref" href="/icd-10-cm/range/C00-C75/">C00-C75</a>' in page
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_the_codes_own_seventh_character_is_highlighted(client, member):
    page = client.get("/icd-10-cm/S52.521A/").content.decode()
    assert '<div class="current" aria-current="true"><dt>A</dt>' in page
    assert page.count('class="current"') == 1


def test_staff_review_publishes_the_generated_text_with_history(client, editor, e11_a):
    response = client.post(
        f"/admin/lookup/code/{e11_a.pk}/change/", change_form_data(e11_a, mark_reviewed="on")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    e11_a.refresh_from_db()
    assert e11_a.plain_description == "Type 2 diabetes mellitus without complications in remission."
    assert e11_a.plain_notes == "It sits in category E11 (Type 2 diabetes mellitus)."
    assert e11_a.plain_source == Code.PlainSource.REVIEWED
    assert e11_a.plain_reviewed_at is not None
    latest = e11_a.history.latest()
    assert latest.history_user == editor
    assert latest.plain_source == "reviewed"
    client.logout()
    assert REVIEWED in client.get("/icd-10-cm/E11.A/").content.decode()


def test_the_admin_action_reviews_many_and_skips_codes_with_their_own_text(client, editor, e11_a):
    own = Code.objects.get(key="E119")
    response = client.post(
        "/admin/lookup/code/",
        {"action": "publish_generated_texts", "_selected_action": [e11_a.pk, own.pk]},
    )
    assert response.status_code == 302
    e11_a.refresh_from_db()
    own.refresh_from_db()
    assert e11_a.plain_source == Code.PlainSource.REVIEWED
    assert own.plain_source == Code.PlainSource.TEAM


def test_staff_words_are_the_teams_and_clearing_them_shows_the_generated_text(client, editor, e11_a):
    client.post(
        f"/admin/lookup/code/{e11_a.pk}/change/", change_form_data(e11_a, plain_description="Our words.")
    )
    e11_a.refresh_from_db()
    assert (e11_a.plain_description, e11_a.plain_source) == ("Our words.", Code.PlainSource.TEAM)
    client.post(f"/admin/lookup/code/{e11_a.pk}/change/", change_form_data(e11_a, plain_description=""))
    e11_a.refresh_from_db()
    assert (e11_a.plain_description, e11_a.plain_source) == ("", Code.PlainSource.NONE)
    client.logout()
    assert GENERATED in client.get("/icd-10-cm/E11.A/").content.decode()


def test_the_admin_shows_the_generated_text_beside_the_form(client, editor, e11_a):
    page = client.get(f"/admin/lookup/code/{e11_a.pk}/change/").content.decode()
    assert "Publish the generated text as reviewed" in page
    assert "It sits in category E11 (Type 2 diabetes mellitus)." in page


@pytest.mark.parametrize(
    ("key", "text", "where"),
    [
        ("K0001", "Standard wheelchair", "K0000-K9999: temporary codes for durable medical equipment MACs."),
        (
            "S9083",
            "Global fee urgent care centers",
            "S0000-S9999: temporary national codes (non-Medicare, for private payers).",
        ),
        (
            "T1015",
            "Clinic visit/encounter, all-inclusive",
            "T0000-T9999: national codes for state Medicaid agencies.",
        ),
    ],
)
def test_an_hcpcs_section_keeps_its_acronyms_and_names_in_the_sentence(key, text, where):
    from lookup.glossary import glossary
    from lookup.plain_language import hcpcs
    from lookup.plain_language.facts import Facts

    written = hcpcs.describe(Facts(system="hcpcs", code=key, key=key, kind="code", text=text), glossary())

    assert written.notes == f"It is in the HCPCS Level II section {where}"
