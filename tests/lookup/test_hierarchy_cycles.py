"""A code is never its own ancestor: refused on save, and pages stay bounded if one gets in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from codeahead.database import limit_web_statements
from lookup.models import Code
from tests.lookup.test_admin import change_form_data

pytestmark = pytest.mark.usefixtures("demo_codes")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


def test_the_admin_refuses_a_parent_below_the_code(client, editor):
    chapter = Code.objects.get(system__slug="icd-10-cm", key="E08-E13")
    leaf = Code.objects.get(system__slug="icd-10-cm", key="E119")
    assert chapter in Code.objects.ancestors_of(leaf)

    response = client.post(
        f"/admin/lookup/code/{chapter.pk}/change/", change_form_data(chapter, parent=leaf.pk)
    )

    assert response.status_code == 200
    assert "would be its own ancestor" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.parent_id != leaf.pk


@pytest.mark.parametrize("parent_key", ["E11", "E119"])
def test_the_model_refuses_a_cycle(parent_key):
    code = Code.objects.get(system__slug="icd-10-cm", key="E11")
    code.parent = Code.objects.get(system__slug="icd-10-cm", key=parent_key)

    with pytest.raises(ValidationError, match="its own ancestor"):
        code.full_clean()


def test_the_model_refuses_a_parent_from_another_code_set():
    code = Code.objects.get(system__slug="icd-10-cm", key="E119")
    code.parent = Code.objects.get(system__slug="hcpcs", key="J1100")

    with pytest.raises(ValidationError, match="same code set"):
        code.full_clean()


def test_a_cycle_already_in_the_database_leaves_pages_answering(client):
    chapter = Code.objects.get(system__slug="icd-10-cm", key="E08-E13")
    leaf = Code.objects.get(system__slug="icd-10-cm", key="E119")
    Code.objects.filter(pk=chapter.pk).update(parent=leaf)  # what a raw SQL edit could do

    ancestors = Code.objects.ancestors_of(leaf)
    assert len(ancestors) == len({a.pk for a in ancestors}) <= 10
    assert client.get("/icd-10-cm/E11.9/").status_code == 200
    assert client.get("/icd-10-cm/browse/E11/").status_code == 200
    assert client.get("/icd-10-cm/browse/E08-E13/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_web_connections_have_a_statement_timeout_and_commands_do_not(settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 300
    plain = connections.create_connection("default")
    with plain.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    plain.close()

    disconnect = limit_web_statements()
    try:
        web = connections.create_connection("default")
        with web.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "300ms"
            with pytest.raises(OperationalError):
                cursor.execute("SELECT pg_sleep(2)")
        web.close()
    finally:
        disconnect()
