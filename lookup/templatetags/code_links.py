"""`{{ text|link_codes:system_slug }}`: the codes and ranges a note names, as links.

The text is escaped first and only then are links added, so a note (or any text) can
never inject markup: "E11.A", "(E08.-)", "Z79.4", "C00-C75", "N48.2, N49.-" become links
to their code pages (a category for "E08.-", the range page for "C00-C75").
"""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ICD = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_ICD_REFERENCE = re.compile(rf"(?<![\w.-])(?P<first>{_ICD})(?:-(?P<last>{_ICD})|(?P<open>\.?-))?(?![\w])")
_HCPCS_REFERENCE = re.compile(r"(?<![\w.-])(?P<first>[A-V][0-9]{4})(?:-(?P<last>[A-V][0-9]{4}))?(?![\w])")
_PATTERNS = {"icd-10-cm": _ICD_REFERENCE, "hcpcs": _HCPCS_REFERENCE}


def _link(system: str, match: re.Match) -> str:
    first, last = match.group("first"), match.group("last")
    if last:
        url = reverse("lookup:range", args=[system, f"{first}-{last}"])
    else:
        # "E08.-" and "O24.4-" stand for every code under E08 and O24.4: their pages list them.
        url = reverse("lookup:code", args=[system, first])
    return format_html('<a class="code-ref" href="{}">{}</a>', url, match.group(0))


@register.filter(needs_autoescape=True)
def link_codes(text: str, system: str = "icd-10-cm", autoescape: bool = True) -> SafeString:
    escaped = str(conditional_escape(text) if autoescape else text)
    pattern = _PATTERNS.get(system)
    if pattern is None or not escaped:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    return mark_safe(pattern.sub(lambda match: _link(system, match), escaped))  # noqa: S308 - escaped above
