"""The admin as an editor uses it: the site's name, the review queue, history that reads, roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from codeahead.history import word_diff
from lookup.models import Code, PlainText
from meter.models import Unlock
from tests.factories import make_account
from tests.lookup.test_admin import change_form_data

pytestmark = pytest.mark.usefixtures("demo_codes")
QUEUE = "/admin/lookup/generatedtexttoreview/"


def generated(key: str, text: str) -> Code:
    """A demo code whose own text is cleared, so only a generated one stands for it."""
    code = Code.objects.get(key=key)
    Code.objects.filter(pk=code.pk).update(plain_description="", plain_notes="", plain_source="")
    PlainText.objects.create(code=code, description=text, notes="", generated_at=timezone.now())
    return code


@pytest.fixture
def editor(client):
    user = make_account("editor@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    user = make_account("admin@example.com", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_admin_carries_the_sites_name_and_one_accounts_group(client, superuser):
    html = client.get("/admin/").content.decode()

    assert "<title>Site administration | CodeAhead admin</title>" in html
    assert "CodeAhead administration" in html
    groups = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", html)
    assert groups.count("Accounts") == 1 and "Authentication and Authorization" not in groups
    accounts = html[html.index('class="app-accounts') :]
    accounts = accounts[: accounts.index("</table>")]
    assert all(name in accounts for name in ("Users", "Groups", "Email addresses"))


def test_an_editor_reaches_the_queue_and_nothing_else(client, editor):
    generated("E119", "Diabetes type 2, no problems from it.")

    assert client.get(QUEUE).status_code == 200
    assert client.get("/admin/casepilot/guidearticle/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/codeahead/outboundemail/").status_code == 403
    code = Code.objects.get(key="E119")
    # Codes are theirs to read, beside the texts, not to change.
    assert client.post(f"/admin/lookup/code/{code.pk}/change/", change_form_data(code)).status_code == 403


def test_the_queue_lists_unreviewed_texts_most_read_first_with_filters(client, editor):
    diabetes = generated("E119", "Diabetes type 2, no problems from it.")
    generated("J1100", "A steroid shot.")
    office = generated("99213", "An office visit.")
    Code.objects.filter(pk=office.pk).update(official_description="Licensed AMA descriptor of 99213")
    for reader in range(3):
        Unlock.objects.create(
            reader=f"guest:{reader}",
            resource="code_page",
            period="2026-12-01",
            item=str(diabetes.pk),
            created_at=timezone.now(),
        )

    html = client.get(QUEUE).content.decode()
    assert html.index("E11.9") < html.index("J1100") and "An office visit." in html
    # CPT's descriptor is the AMA's: without the licence the queue names it instead.
    assert "Licensed AMA descriptor" not in html and "Not shown: AMA licence" in html
    assert "Type 2 diabetes mellitus without complications" in html  # official text beside ours

    read = client.get(QUEUE + "?views=1-9").content.decode()
    assert "E11.9" in read and "J1100" not in read
    icd = client.get(QUEUE + f"?code__system__id__exact={diabetes.system_id}").content.decode()
    assert "E11.9" in icd and "J1100" not in icd
    chapter = Code.objects.get(system=diabetes.system, kind="chapter", code__startswith="E00")
    in_chapter = client.get(QUEUE + f"?chapter={chapter.pk}").content.decode()
    assert "E11.9" in in_chapter and "J1100" not in in_chapter


def test_review_in_place_publishes_the_edited_text_with_the_reason(client, editor):
    code = generated("E119", "Diabetes type 2, no problems from it.")

    response = client.post(
        f"{QUEUE}{code.pk}/change/",
        {
            "description": "Type 2 diabetes with no complications.",
            "notes": "",
            "change_reason": "Checked wording",
        },
    )

    assert response.status_code == 302
    code.refresh_from_db()
    assert code.plain_description == "Type 2 diabetes with no complications."
    assert code.plain_source == Code.PlainSource.REVIEWED
    latest = code.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Checked wording")
    assert client.get(QUEUE).context["cl"].result_count == 0  # off the queue


def test_bulk_mark_reviewed(client, editor):
    codes = [generated("E119", "Diabetes type 2."), generated("J1100", "A steroid shot.")]

    response = client.post(
        QUEUE, {"action": "mark_reviewed", "_selected_action": [c.pk for c in codes]}, follow=True
    )

    assert "2 generated texts published as reviewed." in response.content.decode()
    assert [Code.objects.get(pk=c.pk).plain_source for c in codes] == [Code.PlainSource.REVIEWED] * 2


def test_an_edit_needs_a_reason_and_the_history_shows_a_word_diff(client, superuser):
    code = Code.objects.get(key="E119")
    before = code.plain_description
    url = f"/admin/lookup/code/{code.pk}/change/"
    new_text = before.replace("diabetes", "<b>diabetes</b>", 1)

    missing = client.post(url, change_form_data(code, plain_description=new_text, change_reason=""))
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()

    assert client.post(url, change_form_data(code, plain_description=new_text)).status_code == 302
    history = client.get(f"/admin/lookup/code/{code.pk}/history/").content.decode()
    assert "Clearer wording" in history and "admin" in history
    assert "<del>diabetes</del><ins>&lt;b&gt;diabetes&lt;/b&gt;</ins>" in history
    assert "Imported (the text before any edit)" in history and "Created" not in history


def test_word_diff_marks_words_and_escapes_them():
    assert word_diff("a quick fox", "a slow fox") == "a <del>quick</del><ins>slow</ins> fox"
    assert word_diff("x", "x & <y>") == "x<ins> &amp; &lt;y&gt;</ins>"
    assert word_diff("", "") == ""


def test_the_code_change_page_loads_its_stylesheet_and_stacked_notes(client, superuser):
    html = client.get(f"/admin/lookup/code/{Code.objects.get(key='E119').pk}/change/").content.decode()

    assert "admin/css/codeahead.css" in html and 'class="vTextField wide-field"' in html
    assert "inline-related" in html and "tabular" not in html
