"""Health checks for the load balancer."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


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
