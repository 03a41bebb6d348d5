"""CaseConsultant's part of a code page: published answers that name the code, and a link to
ask an expert about it, the form opened with the code filled in.

`consultant_section(code=, params=)` is the `data` of a code-page section (lookup/sections.py's
registry): the template `consultant/_code_section.html` reads what it returns.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from consultant.kb import articles_for_code


def ask_url(system_slug: str, code_text: str) -> str:
    return reverse("consultant:ask") + "?" + urlencode({"code": f"{system_slug}:{code_text}"})


def consultant_section(*, code, params=None) -> dict:
    """What the section shows for `code` (its `system` set): one query."""
    return {
        "articles": articles_for_code(code.system.slug, code.key),
        "ask_url": ask_url(code.system.slug, code.code),
        "code_text": code.code,
    }
