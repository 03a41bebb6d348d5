"""Site-wide request guards that run before any view."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# C0 and C1 control characters and DEL. No URL we serve holds one, and PostgreSQL refuses NUL in
# text, so a view would fail with a 500 where the answer is "bad request".
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a query value, whitespace pasted into a search box is allowed through.
QUERY_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(request: HttpRequest) -> bool:
    if CONTROL_CHARACTERS.search(request.path):
        return True
    for key, values in request.GET.lists():
        if CONTROL_CHARACTERS.search(key) or any(QUERY_CONTROL_CHARACTERS.search(value) for value in values):
            return True
    return False


class ControlCharacterGuard:
    """A control character in the path or a query parameter is a 400 for every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            raise BadRequest("The address holds a control character.")
        return self.get_response(request)
