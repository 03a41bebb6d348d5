"""Members' API keys: made, named, shown once, stored hashed, revoked, each seen by its owner only."""

from __future__ import annotations

import hashlib
import re

import pytest

from api.models import ApiKey
from tests.factories import make_account

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"ca_[0-9a-f]{8}_[A-Za-z0-9_\-]{20,}")


def create(client, name="billing system"):
    response = client.post("/api/keys/", {"name": name})
    found = TOKEN.findall(response.content.decode())
    return response, found[0] if found else None


def test_keys_page_needs_login(client):
    response = client.get("/api/keys/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/api/keys/", {"name": "x"}).status_code == 302
    assert ApiKey.objects.count() == 0


def test_create_shows_the_token_once_and_stores_only_its_hash(client, member):
    response, token = create(client)
    assert response.status_code == 200 and token
    assert "no-store" in response["Cache-Control"].split(", ")
    key = ApiKey.objects.get(user=member)
    assert key.name == "billing system"
    assert key.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(key.prefix)
    # Nowhere in the database in clear.
    assert token not in str(list(ApiKey.objects.values_list()))
    # The page again lists the key by its prefix, never the token.
    again = client.get("/api/keys/").content.decode()
    assert key.prefix in again and token not in again and "billing system" in again
    # And the token works.
    assert client.get("/api/v1/systems", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "\x00"])
def test_a_key_needs_a_name(client, member, name):
    response, token = create(client, name)
    assert response.status_code == 400 and token is None
    assert "Give the key a name" in response.content.decode()
    assert ApiKey.objects.count() == 0


def test_odd_names_are_kept_safely(client, member):
    response, token = create(client, "<script>alert(1)</script>" + "x" * 10_000)
    assert response.status_code == 200 and token
    assert "<script>alert" not in response.content.decode()
    assert ApiKey.objects.get().name.startswith("<script>")
    assert len(ApiKey.objects.get().name) == 100


def test_keys_per_account_are_limited(client, member, settings):
    settings.API_KEYS_PER_ACCOUNT = 2
    assert create(client, "a")[1] and create(client, "b")[1]
    response, token = create(client, "c")
    assert response.status_code == 400 and token is None
    assert ApiKey.objects.filter(user=member).count() == 2


def test_revoke(client, member):
    _, token = create(client)
    key = ApiKey.objects.get()
    response = client.post(f"/api/keys/{key.pk}/revoke", follow=True)
    assert "revoked" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None
    answer = client.get("/api/v1/systems", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
    assert client.get(f"/api/keys/{key.pk}/revoke").status_code == 405
    assert client.post(f"/api/keys/{key.pk}/revoke").status_code == 404  # already revoked


def test_only_the_owner_sees_or_revokes_their_keys(client, member):
    _, token = create(client, "members secret name")
    key = ApiKey.objects.get()
    other = make_account("other@example.com")
    client.force_login(other)
    page = client.get("/api/keys/").content.decode()
    assert "members secret name" not in page and key.prefix not in page
    assert client.post(f"/api/keys/{key.pk}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    client.logout()
    assert client.post(f"/api/keys/{key.pk}/revoke").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is None


def test_a_disabled_account_s_keys_stop_working(client, member):
    _, token = create(client)
    member.is_active = False
    member.save()
    assert client.get("/api/v1/systems", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
