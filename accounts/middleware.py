"""Django's AuthenticationMiddleware, given the user that the session's own query loaded."""

from __future__ import annotations

from contextvars import ContextVar
from functools import partial

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.middleware import auser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

# The user accounts.sessions loaded with the request's session, for accounts.backends to take
# instead of querying again. Set only while auth.get_user runs for that request.
session_user: ContextVar = ContextVar("session_user", default=None)


def get_user(request: HttpRequest):
    if not hasattr(request, "_cached_user"):
        joined = getattr(request.session, "joined_user", None)
        token = session_user.set(joined() if joined else None)
        try:
            # Django's own: the backend named in the session, the session hash check (a changed
            # password logs out), an inactive user refused.
            request._cached_user = auth.get_user(request)
        finally:
            session_user.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = partial(auser, request)
