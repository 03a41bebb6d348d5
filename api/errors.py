"""The API's one error shape: {"error": {"status": 404, "code": "not_found", "message": "..."}}."""

from __future__ import annotations

import json

from django.http import HttpResponse

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class ApiError(Exception):
    """Raised anywhere in an API view: answered with its status and message."""

    def __init__(self, status: int, message: str, *, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers or {}


def error_body(status: int, message: str, *, code: str | None = None, **extra) -> dict:
    return {
        "error": {"status": status, "code": code or CODES.get(status, "error"), "message": message, **extra}
    }


def error_response(status: int, message: str, *, code: str | None = None, **extra) -> HttpResponse:
    """The error as a plain Django response, for answers given outside ninja (404s, 405s)."""
    return HttpResponse(
        json.dumps(error_body(status, message, code=code, **extra)),
        status=status,
        content_type="application/json; charset=utf-8",
    )
