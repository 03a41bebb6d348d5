"""Who is calling the API: a key (and its account), or nobody, by client address.

Every request is counted here, before its view runs: per key, or per client address
(codeahead.client) without one; over the limit, a 429 with Retry-After.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from api.errors import ApiError
from api.keys import api_key_for_token, api_key_touch
from api.limits import api_rate_consume
from api.models import ApiKey
from codeahead.client import client_key
from meter.services import Reader, reader_for_user


@dataclass(frozen=True)
class Caller:
    key: ApiKey | None

    @property
    def reader(self) -> Reader | None:
        return reader_for_user(self.key.user) if self.key else None

    @property
    def reads_members_words(self) -> bool:
        """Whether the caller may read what a code page view unlocks on the site (our plain-language
        texts, the notes, the history): a verified member's key. Everyone reads the public titles."""
        return self.key is not None and self.reader.is_verified_member

    def require_member(self) -> Reader:
        """The caller's reader, if a verified member's key; else 401 or 403."""
        if self.key is None:
            raise ApiError(401, "This resource needs an API key (Authorization: Bearer <key>).")
        reader = self.reader
        if not reader.is_verified_member:
            raise ApiError(403, "This resource is for verified members: verify your account's email address.")
        return reader


def token_from(request: HttpRequest) -> str | None:
    """The token of `Authorization: Bearer <token>` or `X-API-Key: <token>`; "" for a malformed header."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""
    return request.headers.get("X-API-Key")


class ApiKeyAuth(HttpBearer):
    """A key is optional: without one the caller is anonymous, on a smaller allowance."""

    def __call__(self, request: HttpRequest) -> Caller:
        token = token_from(request)
        key = None
        if token is not None:
            key = api_key_for_token(token)
            if key is None:
                raise ApiError(401, "Unknown or revoked API key.")
            client, limits = f"key:{key.pk}", settings.API_KEY_RATE_LIMITS
        else:
            client, limits = f"address:{client_key(request)}", settings.API_ANONYMOUS_RATE_LIMITS
        decision = api_rate_consume(client=client, limits=limits)
        request.api_rate = decision  # the middleware reports it in headers
        if not decision.allowed:
            raise ApiError(
                429,
                f"Too many requests: wait {decision.retry_after} seconds"
                + ("." if key else ", or use an API key for a larger allowance."),
                headers={"Retry-After": str(decision.retry_after)},
            )
        if key is not None:
            api_key_touch(key=key)
        return Caller(key=key)

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - __call__ decides
        raise NotImplementedError
