"""The coding-rule facts (rules/tools.py) as JSON: what /api/v1/ and the MCP tools both answer.

rules.tools computes each fact once, for the pages, CasePilot and here; this module only turns
its dataclasses into dicts whose addresses are absolute, so an integrator or an agent can cite
them. Code titles come from Code.display_title (tools' CodeRef.title): the official text only
where its licence allows, else our own words; never a CPT descriptor without the licence.
"""

from __future__ import annotations

from dataclasses import asdict

from django.urls import reverse

from api.serialize import site_url
from rules import places, tools
from rules.modifiers import NCCI_MODIFIER_SET, Modifier, page_url


def absolute(url: str) -> str | None:
    """Our paths made absolute; the publishers' addresses (already absolute) kept; "" is None."""
    if not url:
        return None
    return site_url(url) if url.startswith("/") else url


def source(found: tools.Source) -> dict:
    return {
        "url": absolute(found.url),
        "release": found.release,
        "publisher_url": absolute(found.publisher_url),
    }


def code_ref(ref: tools.CodeRef) -> dict:
    return {
        "typed": ref.typed,
        "code": ref.code,
        "modifier": ref.modifier or None,
        "system": ref.system or None,
        "system_name": ref.system_name,
        "found": ref.found,
        "display_title": ref.title or None,
        "url": absolute(ref.url),
        "api_url": site_url(reverse("api_v1:code", args=[ref.system, ref.code])) if ref.found else None,
    }


# ---------------------------------------------------------------- modifiers


def modifier(found: Modifier, *, uses: tools.ModifierUses | None = None, detail: bool = False) -> dict:
    """A modifier with our explanation (CPT's: our name and words only, never the AMA's descriptor)."""
    data = {
        "code": found.code,
        "system": found.system,
        "name": found.name or None,
        "explanation": found.explanation or None,
        "official_text": found.official_text or None,  # CMS's HCPCS text, public domain; "" for CPT
        "breaks_ncci_edits": found.code in NCCI_MODIFIER_SET,
        "url": site_url(found.url),
        "api_url": site_url(reverse("api_v1:modifier", args=[found.code])),
    }
    if detail:
        data["uses"] = (
            {
                "year": uses.year,
                "rule": uses.rule or None,
                "count": uses.count,
                "codes": [code_ref(c) for c in uses.codes],
                # One edit per setting may name the same pair: once each here.
                "ncci_pairs": [{"column1": a, "column2": b} for a, b in dict.fromkeys(uses.pairs)],
                "source": source(uses.source),
            }
            if uses and uses.source
            else None
        )
    return data


def modifiers_for_code(facts: tools.ModifierFacts) -> dict:
    return {
        "code": code_ref(facts.code),
        "year": facts.year,
        "years": facts.years,
        "status": facts.status,
        "rules": [
            {
                "modifiers": [{"modifier": m, "url": absolute(page_url(m) or "")} for m in rule.modifiers],
                "topic": rule.topic,
                "indicator": rule.indicator,
                "applies": rule.applies,
                "effect": rule.effect,
                "amounts": [asdict(a) for a in rule.amounts],
            }
            for rule in facts.rules
        ],
        "source": source(facts.source),
    }


# ---------------------------------------------------------------- the pair check


def _ptp(fact: tools.PtpFact) -> dict:
    return {**{k: v for k, v in asdict(fact).items() if k != "source"}, "source": source(fact.source)}


def _mue(fact: tools.MueFact) -> dict:
    return {**{k: v for k, v in asdict(fact).items() if k != "source"}, "source": source(fact.source)}


def pair_check(check: tools.PairCheck) -> dict:
    """Every pair's verdict with the NCCI edits and ICD-10-CM notes behind it, each code's MUEs,
    and each fact's source: our page showing it and the release it was read from."""
    icd_release = next((s.release for s in check.sources if s.release.startswith("ICD-10-CM")), "")

    def note(finding) -> dict:
        # The note is written on `at` (the code itself or the ancestor it is inherited from).
        return {
            **asdict(finding),
            "source": {
                "url": site_url(reverse("lookup:code", args=["icd-10-cm", finding.at])),
                "release": icd_release,
                "publisher_url": None,
            },
        }

    return {
        "on": check.on,
        "codes": [code_ref(ref) for ref in check.codes],
        "unknown": [ref.code for ref in check.unknown],
        "pairs": [
            {
                "first": pair.first.label,
                "second": pair.second.label,
                "verdict": pair.verdict,
                "summary": pair.summary,
                "modifier_used": pair.modifier_used or None,
                "ncci": [_ptp(fact) for fact in pair.ncci],
                "notes": [note(finding) for finding in pair.notes],
            }
            for pair in check.pairs
        ],
        "mues": {code: [_mue(fact) for fact in facts] for code, facts in check.mues.items()},
        "sources": [source(s) for s in check.sources],
        "url": site_url(reverse("rules:check") + "?codes=" + ",".join(ref.label for ref in check.codes)),
    }


# ---------------------------------------------------------------- places of service


def place(found: places.Place) -> dict:
    fact = tools.pos(found.code)
    return {
        "code": fact.code,
        "name": fact.name,
        "description": fact.description,
        "rate": fact.rate,
        "rate_explained": fact.rate_explained,
        "rate_note": fact.rate_note or None,
        "url": site_url(found.url),
        "api_url": site_url(reverse("api_v1:place_of_service", args=[found.code])),
        "source": source(fact.source),
    }
