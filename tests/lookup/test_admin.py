from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lookup.models import Code

pytestmark = pytest.mark.usefixtures("demo_codes")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


def change_form_data(code: Code, **changes) -> dict:
    data = {
        "system": code.system_id,
        "code": code.code,
        "key": code.key,
        "kind": code.kind,
        "parent": code.parent_id or "",
        "billable": "on" if code.billable else "",
        "featured": "on" if code.featured else "",
        "sort_order": code.sort_order,
        "title": code.title,
        "official_description": code.official_description,
        "text_licence": code.text_licence,
        "plain_description": code.plain_description,
        "effective_date": "",
        "termination_date": "",
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
        "notes-MIN_NUM_FORMS": 0,
        "notes-MAX_NUM_FORMS": 1000,
        "change_reason": "Clearer wording",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "" or key.endswith("date")}


def test_staff_edit_of_plain_description_is_recorded_with_who_and_before_after(client, editor):
    code = Code.objects.get(key="E119")
    before = code.plain_description

    response = client.post(
        f"/admin/lookup/code/{code.pk}/change/",
        change_form_data(code, plain_description="Type 2 diabetes, no complications documented."),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    code.refresh_from_db()
    assert code.plain_description == "Type 2 diabetes, no complications documented."
    assert code.official_edited is False
    latest = code.history.latest()
    assert latest.history_user == editor
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("plain_description", before, "Type 2 diabetes, no complications documented.")
    ]
    history_page = client.get(f"/admin/lookup/code/{code.pk}/history/").content.decode()
    assert "<ins>complications</ins> documented." in history_page and "<del>" in history_page  # a word diff
    assert "editor" in history_page


def test_staff_edit_of_official_text_is_flagged_for_imports(client, editor):
    code = Code.objects.get(key="J1100")

    client.post(
        f"/admin/lookup/code/{code.pk}/change/",
        change_form_data(
            code, official_description="Injection, dexamethasone sodium phosphate, 1 mg (edited)"
        ),
    )

    code.refresh_from_db()
    assert code.official_edited is True


def test_admin_finds_codes_by_any_spelling_and_filters(client, editor):
    by_key = client.get("/admin/lookup/code/", {"q": "e119"}).content.decode()
    assert "E11.9" in by_key

    by_words = client.get("/admin/lookup/code/", {"q": "dexamethasone"}).content.decode()
    assert "J1100" in by_words

    billable_cpt = client.get("/admin/lookup/code/", {"system__id__exact": 1, "billable__exact": 1}).content
    assert b"77307" in billable_cpt
