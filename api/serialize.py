"""Codes as the API and MCP tools give them: licensed text left out by the model's own rule.

Every official text goes through Code.official_text_visible (the licence flag and
settings.TEXT_LICENCES): a CPT descriptor or an ADA text the site may not show is never here.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from lookup.models import Code, CodeChange, Note


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def official_title(code: Code) -> str | None:
    """The official text where its licence allows, else None."""
    if code.official_text_visible:
        return code.official_description
    if code.title and not code.text_licence:
        return code.title
    return None


def code_ref(code: Code) -> dict:
    return {
        "system": code.system.slug,
        "code": code.code,
        "kind": code.kind,
        "title": official_title(code),
        "plain_text": code.plain_description or None,
        "billable": code.billable,
        "url": site_url(code.get_absolute_url()),
        "api_url": site_url(reverse("api_v1:code", args=[code.system.slug, code.code])),
    }


def text_withheld(code: Code) -> str | None:
    """The licence whose text is left out, when it is (AMA, ADA); None when nothing is."""
    return code.text_licence if code.text_licence and not code.official_text_visible else None


def change_dict(change: CodeChange) -> dict:
    visible = change.code.official_text_visible or not change.code.text_licence
    return {
        "release": change.release.version,
        "date": change.release.date,
        "kind": change.kind,
        "old_text": (change.old_text or None) if visible else None,
        "new_text": (change.new_text or None) if visible else None,
    }


def code_detail(
    code: Code, *, ancestors: list[Code], children: list[Code], notes: list[Note], changes
) -> dict:
    """The whole code resource. Notes are left out with the text when the text is licensed."""
    for related in [*ancestors, *children]:
        related.system = code.system
    licensed_away = text_withheld(code) is not None
    lineage = {c.pk: c for c in [*ancestors, code]}
    return {
        **code_ref(code),
        "official_description": code.official_description if code.official_text_visible else None,
        "text_withheld": text_withheld(code),
        "terminated": code.is_terminated,
        "effective_date": code.effective_date,
        "termination_date": code.termination_date,
        "parent": code_ref(ancestors[-1]) if ancestors else None,
        "ancestors": [code_ref(a) for a in ancestors],
        "children": [code_ref(c) for c in children],
        "notes": []
        if licensed_away
        else [
            {
                "kind": n.kind,
                "label": n.get_kind_display(),
                "character": n.label or None,
                "text": n.text,
                "inherited_from": None if n.code_id == code.pk else lineage[n.code_id].code,
            }
            for n in notes
        ],
        "history": [change_dict(c) for c in changes],
        "publisher": code.system.publisher,
        "copyright": code.system.copyright_line,
    }
