"""The code page quota at the HTTP edge: who the reader is, and the marker on views that count."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from contextlib import ExitStack
from functools import cached_property, wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts import quota
from codeahead.client import client_key

GUEST_COOKIE = "codeahead_guest"
GUEST_COOKIE_SALT = "accounts.guest"
GUEST_ID = re.compile(r"^[0-9a-f]{32}$")
# In the session of a browser that signed up (or tried to log in) and has not verified yet.
AWAITING_VERIFICATION = "codeahead_awaiting_verification"


def counts_page_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view whose successful GET uses a code page view (see PageViewQuotaMiddleware).

    A view whose page view is counted runs on in the transaction that counted it, to its end:
    a request that then fails with an exception (a 500) rolls the count back, so errors cost
    nothing. A free re-view opens no transaction.
    """

    @wraps(view)
    def counted_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with request.page_views.counting:
            return view(request, *args, **kwargs)

    counted_view.counts_page_view = True  # type: ignore[attr-defined]
    return counted_view


def read_guest_id(request: HttpRequest) -> str | None:
    guest_id = request.get_signed_cookie(
        GUEST_COOKIE, default=None, salt=GUEST_COOKIE_SALT, max_age=settings.QUOTA_GUEST_COOKIE_AGE
    )
    return guest_id if guest_id and GUEST_ID.match(guest_id) else None


class PageViews:
    """What a marked view gets as request.page_views: the reader, resolved once, and its decision."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.new_guest_id: str | None = None
        # The transaction of a counted view, entered by consume() and left with the view.
        self.counting = ExitStack()

    @cached_property
    def subject(self) -> quota.Subject:
        if self.request.user.is_authenticated:
            return quota.subject_for_user(self.request.user)
        guest_id = read_guest_id(self.request)
        if guest_id is None:
            guest_id = self.new_guest_id = secrets.token_hex(16)
        return quota.subject_for_guest(guest_id=guest_id, address_hash=client_key(self.request))

    @property
    def awaiting_verification(self) -> str | None:
        """The email address this guest browser must verify to get the account's views, if any."""
        return self.request.session.get(AWAITING_VERIFICATION)

    def consume(self, *, code) -> quota.Decision:
        """Only a GET uses a view; a HEAD is told the same answer for free."""
        subject, now = self.subject, timezone.now()
        if self.request.method != "GET":
            return quota.page_view_peek(subject=subject, code=code, now=now)
        # A re-view is free, and a plain read says so; a guest we have just met has none.
        if self.new_guest_id is None:
            seen = quota.page_view_peek(subject=subject, code=code, now=now)
            if not seen.counted:
                return seen
        self.counting.enter_context(transaction.atomic())
        return quota.page_view_consume(subject=subject, code=code, now=now)


class PageViewQuotaMiddleware:
    """Gives views marked @counts_page_view a request.page_views; keeps the guest's cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        page_views: PageViews | None = getattr(request, "page_views", None)
        if page_views is not None and page_views.new_guest_id and response.status_code in (200, 403):
            response.set_signed_cookie(
                GUEST_COOKIE,
                page_views.new_guest_id,
                salt=GUEST_COOKIE_SALT,
                max_age=settings.QUOTA_GUEST_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if getattr(view_func, "counts_page_view", False):
            request.page_views = PageViews(request)
        return None
