"""Health checks for the load balancer; robots.txt and /favicon.ico."""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

CACHE_SECONDS = 3600


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """The process answers (liveness): touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def health_database(request: HttpRequest) -> HttpResponse:
    """The process and its database answer (readiness): one round trip to PostgreSQL."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


def not_found(request: HttpRequest) -> HttpResponse:
    """A reserved top-level path that nothing serves (yet)."""
    raise Http404("Nothing here yet")


# Public pages are open to crawlers; what is one person's, or costs a member's allowance, is not.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/members/",
    "/api/",
    "/check/",
    "/casepilot/",
    "/consultant/",
    "/jobs/post/",
    "/jobs/employer/",
    "/jobs/dashboard/",
    "/jobs/moderate/",
    "/jobs/saved/",
    "/jobs/unsubscribe/",
    "/search",
)
# Public parts of the prefixes above: the longest matching rule wins.
ROBOTS_ALLOW = ("/casepilot/guides/", "/consultant/kb/", "/api/v1/docs")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Allow: {path}" for path in ROBOTS_ALLOW)]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, where browsers and crawlers look for it whatever the page links."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response
