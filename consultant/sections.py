"""CaseConsultant's part of a code page: published answers that name the code, and a link to
ask an expert about it, the form opened with the code filled in."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from consultant.kb import articles_for_code


def ask_url(system_slug: str, code_text: str) -> str:
    return reverse("consultant:ask") + "?" + urlencode({"code": f"{system_slug}:{code_text}"})


def code_page_section(*, system_slug: str, code_key: str, code_text: str) -> str:
    """The section's HTML, for the code-page section registry (two queries at most)."""
    return render_to_string(
        "consultant/_code_section.html",
        {
            "articles": articles_for_code(system_slug, code_key),
            "ask_url": ask_url(system_slug, code_text),
            "code_text": code_text,
        },
    )
