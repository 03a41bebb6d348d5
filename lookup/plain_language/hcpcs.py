"""HCPCS Level II: supplies, drugs and services in plain words; for a drug, the dose one
billed unit stands for."""

from __future__ import annotations

import re

from lookup.glossary import Glossary
from lookup.hcpcs_sections import hcpcs_section
from lookup.plain_language.facts import Facts, PlainText, sentence
from lookup.plain_language.wording import gloss

_UNIT_WORDS = {
    "mg": "milligram",
    "mcg": "microgram",
    "microgram": "microgram",
    "micrograms": "microgram",
    "milligram": "milligram",
    "milligrams": "milligram",
    "g": "gram",
    "gm": "gram",
    "gram": "gram",
    "grams": "gram",
    "ml": "millilitre",
    "cc": "cubic centimetre (millilitre)",
    "iu": "international units",
    "units": "units",
    "unit": "unit",
    "mci": "millicurie",
    "millicurie": "millicurie",
    "microcurie": "microcurie",
    "meq": "milliequivalent",
}
_DOSE = re.compile(
    r",\s*(?P<per>per\s+|up to\s+)?(?P<amount>\d[\d,.]*\s*)?(?P<unit>mg|mcg|micrograms?|milligrams?|gm|g|grams?|ml|cc|iu|units?|mci|millicuries?|microcuries?|meq)\b\.?\s*$",
    re.IGNORECASE,
)
_PER = re.compile(r",\s*(per\s+[a-z0-9 ]+|each)\s*$", re.IGNORECASE)
_INJECTION = re.compile(r"^(injection|infusion|inhalation solution)\b,?\s*", re.IGNORECASE)
# Short forms CMS writes in descriptions, read out in full (whole words only).
_EXPAND = {
    "w/": "with",
    "w/o": "without",
    "ea": "each",
    "inj": "injection",
    "supp": "supply",
    "incl": "including",
}
_EXPANDABLE = re.compile(r"(?<![\w/])(w/o|w/|ea|inj|supp|incl)(?![\w/])", re.IGNORECASE)


def _expanded(text: str) -> str:
    return _EXPANDABLE.sub(lambda match: _EXPAND[match.group(1).lower()], text)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _format(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:,g}"


def describe(facts: Facts, glossary: Glossary) -> PlainText:
    used: set[str] = set()
    text = _expanded(facts.text)
    if facts.kind == "modifier":
        described = [sentence(f"A modifier added to a code to show: {gloss(text, glossary, used)}")]
        return PlainText(description=" ".join(described))

    described: list[str] = []
    dose = _DOSE.search(text)
    drug_kind = _INJECTION.match(text)
    if dose and (drug_kind or facts.key.startswith("J")):
        name = text[: dose.start()]
        route = drug_kind.group(1).lower() if drug_kind else ""
        name = _INJECTION.sub("", name) if drug_kind else name
        what = {"injection": "An injection of", "infusion": "An infusion (drip) of"}.get(route, "The drug")
        described.append(sentence(f"{what} {gloss(name.strip(), glossary, used)}"))
        unit = dose.group("unit").lower()
        amount_text = (dose.group("amount") or "1").strip()
        unit_words = _UNIT_WORDS.get(unit, unit)
        plural = "" if amount_text == "1" or unit_words.endswith("s") or "(" in unit_words else "s"
        spelled = f"{amount_text} {unit_words}{plural}" + (f" ({unit})" if unit not in unit_words else "")
        if (dose.group("per") or "").strip().lower() == "up to":
            described.append(sentence(f"One billed unit of this code covers up to {spelled}"))
        else:
            described.append(sentence(f"One billed unit of this code is {spelled}"))
            amount = _number(amount_text)
            if amount is not None:
                # Arithmetic on the official dose, to show how units count.
                shown = unit if unit not in unit_words else f"{unit_words}s"
                described.append(sentence(f"A dose of {_format(amount * 2)} {shown} is reported as 2 units"))
    else:
        described.append(sentence(gloss(text, glossary, used)))
        per = _PER.search(text)
        if per:
            amount = per.group(1).lower()
            described.append(sentence("Billed for each item" if amount == "each" else f"Billed {amount}"))

    context = []
    section = hcpcs_section(facts.key)
    if section:
        context.append(
            sentence(f"It is in the HCPCS Level II section {section.span}: {_lower_first(section.name)}")
        )
    return PlainText(description=" ".join(described), notes=" ".join(context))


def _lower_first(name: str) -> str:
    """A section name inside a sentence: its first letter lower case, its acronyms and names
    (MACs, Medicare, COVID-19) as CMS spells them."""
    return name[:1].lower() + name[1:]
