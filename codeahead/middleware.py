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


# Our pages run only our own static scripts and styles: no inline <script>, <style>, style=""
# or on*="" handler, and no other host (htmx is served from static/, its indicator styles
# are in site.css). A JSON-LD data block is not a script a browser runs, so it needs nothing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page uses a device sensor, the camera, payments...: none may, nor anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


# The admin's one exception: django-simple-history's history page has a style="" attribute.
# Attributes only, in /admin/ only: no inline <style> block or script anywhere.
ADMIN_CONTENT_SECURITY_POLICY = f"{CONTENT_SECURITY_POLICY}; style-src-attr 'unsafe-inline'"


def content_security_policy(path: str) -> str:
    """The policy for a path: one for the whole site, with its one exception named here."""
    return ADMIN_CONTENT_SECURITY_POLICY if path.startswith("/admin/") else CONTENT_SECURITY_POLICY


class SecurityPolicyHeaders:
    """Content-Security-Policy and Permissions-Policy on every response (a view may set its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request.path))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
