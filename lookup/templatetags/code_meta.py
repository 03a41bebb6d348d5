from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from lookup.models import Code
from lookup.structured_data import as_json_ld, medical_code, share_description

register = template.Library()


@register.simple_tag
def code_json_ld(code: Code, url: str) -> SafeString:
    return as_json_ld(medical_code(code, url=url))


@register.filter
def share_text(code: Code) -> str:
    return share_description(code)
