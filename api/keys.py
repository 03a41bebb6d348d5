"""Creating, finding and revoking API keys. A token is shown once, when it is made.

A token reads `ca_<8 hex>_<secret>`; its first part (the prefix) is stored and shown so a
member can tell keys apart; the whole token is stored only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from api.models import ApiKey

TOKEN_START = "ca_"
MAX_TOKEN_LENGTH = 100


class KeyRefused(ValueError):
    """A key that cannot be made, with a message for the member."""


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_key_create(*, user, name: str) -> tuple[ApiKey, str]:
    """A new key for `user` and its token, which is never stored or shown again."""
    name = " ".join(name.split())[:100]
    if not name:
        raise KeyRefused("Give the key a name, such as the program that will use it.")
    with transaction.atomic():
        # Lock the account's row so that two requests at once cannot pass the limit together.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        active = ApiKey.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= settings.API_KEYS_PER_ACCOUNT:
            raise KeyRefused(f"You have {active} keys, the most an account may hold: revoke one first.")
        prefix = TOKEN_START + secrets.token_hex(4)
        token = f"{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey.objects.create(user=user, name=name, prefix=prefix, digest=digest_of(token))
    return key, token


def api_key_for_token(token: str) -> ApiKey | None:
    """The active key a token belongs to, with its user; None for anything else."""
    if not token.startswith(TOKEN_START) or len(token) > MAX_TOKEN_LENGTH:
        return None
    key = (
        ApiKey.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Note the key's use, at most once a minute, so that a busy key writes little."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def api_key_revoke(*, user, key_id: int) -> bool:
    """Revoke one of `user`'s keys; False when it is not theirs or already revoked."""
    return bool(
        ApiKey.objects.filter(pk=key_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
