"""Sessions that bring their user along (accounts.sessions): one query for both, and every
check Django makes still made."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Session
from tests.factories import PASSWORD, make_account


def who_is_shown(client) -> str:
    """Whom the header's account menu names (the page's messages may name someone too)."""
    html = client.get("/").content.decode()
    return "reader@example.com" if '<span class="who">reader@example.com</span>' in html else "nobody"


def test_a_logged_in_request_reads_its_session_and_user_in_one_query(db, client):
    user = make_account("reader@example.com")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert Session.objects.get().user_id == user.pk

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/db")  # touches nothing else...
        request_user = client.get("/accounts/password/change/")  # ...and this needs the user

    assert response.status_code == 200 and request_user.status_code == 200
    session_queries = [q["sql"] for q in queries.captured_queries if "accounts_session" in q["sql"]]
    user_queries = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(session_queries) == 1 and "JOIN accounts_user" in session_queries[0]
    assert user_queries == []


def test_a_changed_password_logs_the_other_sessions_out(db, client):
    user = make_account("reader@example.com")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert who_is_shown(client) == "reader@example.com"

    user.set_password("a-quite-different-passphrase")
    user.save()

    assert who_is_shown(client) == "nobody"
    assert not Session.objects.exists()  # Django flushed it


def test_a_deactivated_account_is_logged_out(db, client):
    user = make_account("reader@example.com")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    user.is_active = False
    user.save()

    assert who_is_shown(client) == "nobody"


def test_an_unverified_account_is_known_unverified_from_the_joined_query(db, client):
    client.force_login(make_account("reader@example.com", verified=False))  # as if verification were optional

    assert who_is_shown(client) == "reader@example.com"
    store = Session.get_session_store_class()(client.cookies["sessionid"].value)
    assert store.joined_user().email_verified is False


def test_sessions_saved_by_djangos_engine_are_copied_with_their_user(db):
    user = make_account("reader@example.com")
    old = DjangoSessionStore()
    old[SESSION_KEY] = str(user.pk)
    old.save()
    anonymous = DjangoSessionStore()
    anonymous["seen"] = True
    anonymous.save()

    importlib.import_module("accounts.migrations.0005_sessions_with_user").copy_sessions(
        apps, connection.schema_editor()
    )

    copied = dict(Session.objects.values_list("session_key", "user_id"))
    assert copied == {old.session_key: user.pk, anonymous.session_key: None}
