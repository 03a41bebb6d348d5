"""Site-wide request guards that run before any view."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import has_vary_header, patch_cache_control
from django.views.defaults import bad_request

# C0 and C1 control characters and DEL. No URL we serve holds one, and PostgreSQL refuses NUL in
# text, so a view would fail with a 500 where the answer is "not found" or "bad request".
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a query value, whitespace pasted into a search box is let through.
QUERY_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def query_has_control_characters(request: HttpRequest) -> bool:
    return any(
        CONTROL_CHARACTERS.search(key) or any(QUERY_CONTROL_CHARACTERS.search(value) for value in values)
        for key, values in request.GET.lists()
    )


class ControlCharacterGuard:
    """A control character in the path is a 404 (no such page), in a query parameter a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The JSON API answers bad input in its own error shape (api/errors), tested there.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if CONTROL_CHARACTERS.search(request.path):
            raise Http404("No page has a control character in its address.")
        if query_has_control_characters(request):
            return bad_request(request, BadRequest("A query parameter holds a control character."))
        return self.get_response(request)


class PrivateWhenPersonal:
    """A response that depends on the reader's cookies (Vary: Cookie: code pages, member pages,
    anything that read the session) is `Cache-Control: private`, so no shared cache in front
    serves one reader's page to another."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # SessionMiddleware adds Vary: Cookie to every response whose view read the session,
        # the user included; asking for request.user here would load the session on every
        # request (/healthz too).
        if has_vary_header(response, "Cookie"):
            patch_cache_control(response, private=True)
        return response
