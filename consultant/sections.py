"""CaseConsultant's part of a code page: published answers that name the code, and a link to
ask an expert about it, the form opened with the code filled in.

Registered from ConsultantConfig.ready() with lookup/sections.py's registry: `consultant_section`
is its `data`, and `consultant/_code_section.html` reads what it returns.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from consultant.kb import articles_for_code
from lookup.sections import Section, everyone


def ask_url(system_slug: str, code_text: str) -> str:
    return reverse("consultant:ask") + "?" + urlencode({"code": f"{system_slug}:{code_text}"})


def consultant_section(*, code, params=None) -> dict:
    """What the section shows for `code` (its `system` set): one query."""
    return {
        "articles": articles_for_code(code.system.slug, code.key),
        "ask_url": ask_url(code.system.slug, code.code),
        "code_text": code.code,
    }


# After the code's history (40), before its place in the hierarchy (90). Everyone sees it: the
# published answers are public, and asking starts with logging in.
CONSULTANT = Section(
    slug="ask-an-expert",
    title="Questions answered by our consultants",
    template="consultant/_code_section.html",
    data=consultant_section,
    visible=everyone,
    order=50,
)
