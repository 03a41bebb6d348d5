"""The JSON API at the HTTP edge: CORS for the origins settings list, rate headers, JSON errors.

It acts only on the API's own views (their URL namespace), never on the site's pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from api.errors import error_response

NAMESPACE = "api_v1"
CORS_MAX_AGE = 86_400


def is_api_request(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and NAMESPACE in match.namespaces


def allowed_origin(request: HttpRequest) -> str | None:
    origin = request.headers.get("Origin")
    return origin if origin and origin in settings.API_CORS_ORIGINS else None


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = error_response(405, f"Method {request.method} not allowed here; use {allow}.")
            response["Allow"] = allow
        rate = getattr(request, "api_rate", None)
        if rate is not None and rate.limit:
            response["X-RateLimit-Limit"] = str(rate.limit)
            response["X-RateLimit-Remaining"] = str(rate.remaining)
        origin = allowed_origin(request)
        if origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = (
                "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
            )
        patch_vary_headers(response, ["Origin"])
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        # A browser's preflight: answered here for a listed origin, before the view sees it.
        if request.method != "OPTIONS" or not is_api_request(request):
            return None
        origin = allowed_origin(request)
        if origin is None:
            return error_response(403, "Cross-origin requests are not allowed from this origin.")
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Authorization, X-API-Key, Content-Type, If-None-Match"
        response["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
        return response
