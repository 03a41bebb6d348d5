"""The meter at the HTTP edge: a request.meter for views marked @meter.metered, and the
guest's cookie kept."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from meter import services

# In the session of a browser that signed up (or tried to log in) and has not verified yet;
# set by accounts' adapter, read here so that the meter's pages can say what to do.
AWAITING_VERIFICATION = "codeahead_awaiting_verification"


class Meter:
    """What a marked view gets as request.meter: its reader, resolved once, and its decision."""

    def __init__(self, request: HttpRequest, resource: str) -> None:
        self.request = request
        self.resource = resource
        # The transaction of a counted use, entered by consume() and left with the view.
        self.counting = ExitStack()

    @cached_property
    def reader(self) -> services.Reader:
        return services.reader_for(self.request)

    @property
    def awaiting_verification(self) -> str | None:
        """The email address this guest browser must verify to get the account's uses, if any."""
        return self.request.session.get(AWAITING_VERIFICATION)

    def consume(self, *, item: str | None) -> services.Decision:
        """Use the view's resource. A HEAD is told the same answer for free."""
        reader, now = self.reader, timezone.now()
        if self.request.method == "HEAD":
            return services.peek(reader=reader, resource=self.resource, item=item, now=now)
        # A re-use is free, and a plain read says so; a guest we have just met has none.
        if item is not None and getattr(self.request, "meter_new_guest_id", None) is None:
            seen = services.peek(reader=reader, resource=self.resource, item=item, now=now)
            if not seen.counted:
                return seen
        self.counting.enter_context(transaction.atomic())
        return services.consume(reader=reader, resource=self.resource, item=item, now=now)


class MeterMiddleware:
    """Gives views marked @meter.metered a request.meter; keeps a new guest's cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        new_guest_id = getattr(request, "meter_new_guest_id", None)
        if new_guest_id and response.status_code in (200, 403):
            response.set_signed_cookie(
                services.GUEST_COOKIE,
                new_guest_id,
                salt=services.GUEST_COOKIE_SALT,
                max_age=settings.QUOTA_GUEST_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        resource = getattr(view_func, "metered_resource", None)
        if resource is not None:
            request.meter = Meter(request, resource)
        return None
