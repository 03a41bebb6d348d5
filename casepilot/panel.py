"""The "Have a question about CPT® Code 77307?" panel that code pages show, asking with that code in focus."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from casepilot.answer import examples_for
from casepilot.services import may_ask
from casepilot.tools import SYSTEM_NAMES, focus_of


def panel_html(*, code, request: HttpRequest | None) -> str:
    """The panel for one code page: everyone sees it; asking from it needs a verified account."""
    user = getattr(request, "user", None)
    context = {
        "code": code,
        "system_name": SYSTEM_NAMES.get(code.system.slug, code.system.name),
        "focus": focus_of(code),
        "examples": examples_for(code),
        "may_ask": bool(user) and may_ask(user),
    }
    return render_to_string("casepilot/_panel.html", context, request=request)
