"""The admin checks a code against its code set's shape and derives its key (issue 17, item 4).

A "/" saved in a code made every page linking to it a 500 (NoReverseMatch): now it is a
form error, and the pages that list the code keep answering.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lookup.models import Code, CodeSystem
from tests.lookup.test_admin import change_form_data as _change_form_data

pytestmark = pytest.mark.usefixtures("demo_codes")

# Pages that link to E11.9 or its parent, as a reader reaches them.
PAGES_NEAR_E119 = [
    "/icd-10-cm/",
    "/icd-10-cm/browse/E11/",
    "/search?q=E11",
    "/icd-10-cm/E11/",
    "/icd-10-cm/E11.9/",
]


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


def change_form_data(row: Code, **changes) -> dict:
    return {**_change_form_data(row), **changes}


def add_form_data(system: CodeSystem, code: str, **changes) -> dict:
    data = {
        "system": system.pk,
        "code": code,
        "kind": "code",
        "sort_order": 999,
        "title": "A title",
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
        "notes-MIN_NUM_FORMS": 0,
        "notes-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def assert_pages_answer(client, pages=PAGES_NEAR_E119):
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("E119", "E11.9/1"),
        ("E119", "E11/9"),
        ("E119", "E11 9"),
        ("E119", "E11.99999"),  # more than seven characters
        ("E119", "119.E"),
        ("E119", "E11.9?x=1"),
        ("E119", "E11.9\x00"),
        ("E119", "E11.9%2F"),
        ("J1100", "J11OO"),
        ("J1100", "J1100/"),
        ("99213", "9921"),
        ("99213", "99213X"),
        ("E112", "E11-2"),  # a subcategory is no span
    ],
)
def test_a_code_of_the_wrong_shape_is_a_form_error_and_pages_still_answer(client, editor, key, bad):
    code = Code.objects.get(key=key)

    response = client.post(f"/admin/lookup/code/{code.pk}/change/", change_form_data(code, code=bad))

    assert response.status_code == 200
    # Ours, or Django's own for a NUL ("Null characters are not allowed").
    assert response.context["adminform"].form.errors["code"]
    code.refresh_from_db()
    assert code.key == key and "/" not in code.code
    assert_pages_answer(client)


def test_every_shape_of_the_demo_and_the_importers_passes(client, editor):
    # Each demo code saved unchanged through the admin: the shapes fit real codes of each kind.
    for code in Code.objects.select_related("system"):
        response = client.post(f"/admin/lookup/code/{code.pk}/change/", change_form_data(code))
        assert response.status_code == 302, (code, response.content.decode()[-3000:])


def test_a_new_code_gets_its_key_from_its_code(client, editor):
    icd = CodeSystem.objects.get(slug="icd-10-cm")
    e11 = Code.objects.get(system=icd, key="E11")

    response = client.post("/admin/lookup/code/add/", add_form_data(icd, "e11.8", parent=e11.pk, key="WRONG"))

    assert response.status_code == 302, response.content.decode()[-3000:]
    added = Code.objects.get(system=icd, code="E11.8")
    assert added.key == "E118"
    assert_pages_answer(client, [*PAGES_NEAR_E119, "/icd-10-cm/E11.8/", "/search?q=E11.8"])


@pytest.mark.parametrize(
    ("slug", "kind", "good", "bad"),
    [
        ("icd-10-pcs", "code", "0DTJ4ZZ", "0DTJ4Z"),
        ("icd-10-pcs", "code", "0DTJ4ZZ", "0DTJ4ZO"),  # PCS has no letter O
        ("hcpcs", "modifier", "LT", "L/"),
        ("hcpcs", "code", "A9999", "A99999"),
        ("cpt", "code", "0042T", "0042X"),
        ("icd-10-cm", "section", "E14-E14", "E14"),
    ],
)
def test_each_code_set_has_its_shape_when_adding(client, editor, slug, kind, good, bad):
    system = CodeSystem.objects.get(slug=slug)

    refused = client.post("/admin/lookup/code/add/", add_form_data(system, bad, kind=kind))
    accepted = client.post("/admin/lookup/code/add/", add_form_data(system, good, kind=kind))

    assert refused.status_code == 200 and "is not written like this code set" in refused.content.decode()
    assert not Code.objects.filter(system=system, code=bad).exists()
    assert accepted.status_code == 302
    assert Code.objects.get(system=system, code=good).get_absolute_url()


def test_a_code_whose_key_is_taken_is_a_form_error(client, editor):
    icd = CodeSystem.objects.get(slug="icd-10-cm")

    response = client.post("/admin/lookup/code/add/", add_form_data(icd, "E11.9"))

    assert response.status_code == 200
    assert "already has the code E11.9" in response.content.decode()
    assert Code.objects.filter(system=icd, key="E119").count() == 1


def test_key_system_and_sort_order_are_read_only_on_change(client, editor):
    code = Code.objects.get(key="E119")
    other_system = CodeSystem.objects.get(slug="hcpcs")
    page = client.get(f"/admin/lookup/code/{code.pk}/change/").content.decode()
    assert 'name="key"' not in page and 'name="system"' not in page and 'name="sort_order"' not in page
    add_page = client.get("/admin/lookup/code/add/").content.decode()
    assert 'name="system"' in add_page and 'name="key"' not in add_page

    response = client.post(
        f"/admin/lookup/code/{code.pk}/change/",
        change_form_data(code, key="HACKED", system=other_system.pk, sort_order=1, title="Edited title"),
    )

    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.key, code.system.slug, code.sort_order, code.title) == (
        "E119",
        "icd-10-cm",
        80,
        "Edited title",
    )


def test_changing_a_code_derives_its_new_key(client, editor):
    code = Code.objects.get(key="E1165")

    response = client.post(f"/admin/lookup/code/{code.pk}/change/", change_form_data(code, code="E11.69"))

    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.code, code.key) == ("E11.69", "E1169")
    assert_pages_answer(client, [*PAGES_NEAR_E119, "/icd-10-cm/E11.69/", "/icd-10-cm/browse/E11.6/"])
