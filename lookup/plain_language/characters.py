"""The seven characters of an ICD-10-PCS code, explained for its page: each value's meaning
read from the titles of the codes that differ from it in that character alone (one query),
with our glossary's everyday words beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from lookup.glossary import glossary, pcs_structure
from lookup.models import Code
from lookup.plain_language.icd10pcs import Character, PcsTable


@dataclass(frozen=True, slots=True)
class ExplainedCharacter:
    character: Character
    plain: str  # our glossary's everyday words for it, "" where it has none


def explain_characters(code: Code) -> list[ExplainedCharacter]:
    key = code.key
    if code.system.slug != "icd-10-pcs" or len(key) != 7:
        return []
    one_away = Q()
    for index in range(3, 7):
        one_away |= Q(key__startswith=key[:index], key__endswith=key[index + 1 :])
    titles = dict(
        Code.objects.filter(system_id=code.system_id, key__startswith=key[:3])
        .filter(one_away)
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
