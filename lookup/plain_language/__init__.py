"""Plain-language descriptions generated from what the code sets state.

`generate(facts)` writes a code's paragraph from its official text, hierarchy, notes and
(ICD-10-PCS) the titles of its table, with our glossary's everyday words. It states only
those facts, and never reads licensed text (CPT, CDT): a licensed code gets no text.
`lookup.plain_language.bulk` gathers the facts of a whole code set and writes the texts.
"""

from __future__ import annotations

from lookup.glossary import glossary as default_glossary
from lookup.plain_language import hcpcs, icd10cm, icd10pcs
from lookup.plain_language.facts import Facts, PlainText
from lookup.plain_language.icd10pcs import PcsTable

GENERATED_SYSTEMS = ("icd-10-cm", "icd-10-pcs", "hcpcs")


def generate(facts: Facts, *, text_licence: str = "", pcs_table: PcsTable | None = None) -> PlainText | None:
    """The plain text of one code, or None where we may not or cannot write one."""
    if text_licence or not facts.text or facts.system not in GENERATED_SYSTEMS:
        return None
    words = default_glossary()
    if facts.system == "icd-10-cm":
        return icd10cm.describe(facts, words)
    if facts.system == "icd-10-pcs":
        table = pcs_table or PcsTable(facts.table or {facts.key: facts.text})
        return icd10pcs.describe(facts, words, table)
    return hcpcs.describe(facts, words)


__all__ = ["GENERATED_SYSTEMS", "Facts", "PcsTable", "PlainText", "generate"]
