"""What a code's place in its code set looks like on its page: chapter numbers, and the
named range of a flat code set's code."""

from __future__ import annotations

from django import template

from lookup.code_ranges import NamedRange, named_range
from lookup.icd10cm_chapters import chapter_number as icd10cm_chapter_number
from lookup.models import Code

register = template.Library()


@register.filter
def chapter_number(code: Code) -> int | None:
    # Only ICD-10-CM has chapters; reading code.system would cost an ancestor a query.
    if code.kind != Code.Kind.CHAPTER:
        return None
    return icd10cm_chapter_number(code.code)


@register.simple_tag
def code_range_of(code: Code) -> NamedRange | None:
    """The named section or range of a flat code set's code (HCPCS, CPT, ICD-10-PCS)."""
    return named_range(code.system.slug, code.key)
