"""What a code's place in its code set looks like on its page: chapter numbers, siblings,
the seven characters of an ICD-10-PCS code, the named range of a flat code set's code."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import Q

from lookup.code_ranges import NamedRange, named_range
from lookup.glossary import glossary, pcs_structure
from lookup.icd10cm_chapters import chapter_number as icd10cm_chapter_number
from lookup.models import Code
from lookup.plain_language.icd10pcs import Character, PcsTable

register = template.Library()
MAX_SIBLINGS = 60


@register.filter
def chapter_number(code: Code) -> int | None:
    # Only ICD-10-CM has chapters; reading code.system would cost an ancestor a query.
    if code.kind != Code.Kind.CHAPTER:
        return None
    return icd10cm_chapter_number(code.code)


@register.simple_tag
def sibling_codes(code: Code) -> list[Code]:
    """The other codes under the same parent, in code order (none for a code set's top level)."""
    if code.parent_id is None:
        return []
    siblings = list(
        Code.objects.filter(parent_id=code.parent_id)
        .exclude(pk=code.pk)
        .order_by("sort_order")[:MAX_SIBLINGS]
    )
    for sibling in siblings:
        sibling.system = code.system
    return siblings


@dataclass(frozen=True, slots=True)
class ExplainedCharacter:
    character: Character
    plain: str  # our glossary's everyday words for it, "" where it has none


@register.simple_tag
def pcs_characters(code: Code) -> list[ExplainedCharacter]:
    """The seven characters of an ICD-10-PCS code, each read from the titles of the codes that
    differ from it in that character alone (one query)."""
    key = code.key
    if code.system.slug != "icd-10-pcs" or len(key) != 7:
        return []
    patterns = Q()
    for index in range(3, 7):
        patterns |= Q(key__startswith=key[:index], key__endswith=key[index + 1 :])
    titles = dict(
        Code.objects.filter(system_id=code.system_id, key__startswith=key[:3])
        .filter(patterns)
        .values_list("key", "official_description")
    )
    titles[key] = code.official_description
    words = glossary()
    structure = pcs_structure()
    explained = []
    for character in PcsTable(titles).characters(key):
        plain = ""
        if character.position == 1 and key[:1] in structure:
            plain = structure[key[:1]].plain
        elif character.position == 2 and key[:2] in structure:
            plain = structure[key[:2]].plain
        elif character.meaning and character.value != "Z":
            entry = words.get(character.meaning, "pcs") or words.get(character.meaning)
            plain = entry.gloss if entry and entry.gloss.lower() != character.meaning.lower() else ""
        explained.append(ExplainedCharacter(character, plain))
    return explained


@register.simple_tag
def code_range_of(code: Code) -> NamedRange | None:
    """The named section or range of a flat code set's code (HCPCS, CPT, ICD-10-PCS)."""
    return named_range(code.system.slug, code.key)
