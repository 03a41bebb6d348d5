"""What a code page tells search engines and link previews: schema.org MedicalCode JSON-LD
and the Open Graph description. Only text anyone may read: a licensed descriptor (CPT
without the AMA licence, ADA's dental text) never, and nothing of the members' sections."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from lookup.models import Code

# As Django's json_script: nothing in the data can end the script element or start markup.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def public_name(code: Code) -> str:
    """The code's official text where it is public or licensed, else its public short title, else ""."""
    if code.official_text_visible:
        return code.official_description
    if code.title and not code.text_licence:
        return code.title
    return ""


def medical_code(code: Code, *, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalCode",
        "codeValue": code.code,
        "codingSystem": code.system.name,
        "url": url,
    }
    name = public_name(code)
    if name:
        data["name"] = name
    return data


def as_json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def share_description(code: Code) -> str:
    """The Open Graph and Twitter description: the code and its public name, nothing locked."""
    name = public_name(code)
    return f"{code.system.name} code {code.code}" + (f": {name}" if name else "") + "."
