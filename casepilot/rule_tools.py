"""CasePilot's tools over the coding rules: NCCI pairs, MUEs, modifiers, places of service, GEMs.

Each calls the coding-rules app's plain functions (rules/tools.py, the same ones its pages and
the API use) and turns what they return into facts citing our pages: /check/?codes=...,
/modifiers/<m>/, /pos/<code>/ and the code pages. When a rule file is not loaded, the result
says so (`not_loaded`) and states no rule at all.
"""

from __future__ import annotations

import re

from django.urls import reverse

from casepilot.facts import Fact, Source, ToolResult
from casepilot.models import GuideArticle
from casepilot.tools import code_source, focus_of, guide_source, name
from lookup.models import Code
from rules import places
from rules import tools as rules
from rules.modifiers import CPT_MODIFIERS, HCPCS_EXPLANATIONS, get_modifier
from rules.payment import CONDITIONAL, NO, NOT_APPLICABLE, YES

NCCI_SYSTEMS = {"cpt", "hcpcs"}

# The modifiers whose use the fee schedule's indicators decide (a yes or no for a code); the
# global-surgery ones (24, 25, 57...) depend on the visit, so their rule is told, not judged.
VERDICT_MODIFIERS = frozenset({"26", "TC", "50", "51", "62", "66", "80", "81", "82", "AS"})

# Our guide article on each modifier's topic (casepilot's guides; the meanings are the rules app's).
MODIFIER_GUIDES = {
    "24": "global-surgery-days",
    "25": "modifier-25",
    "26": "professional-and-technical-components",
    "TC": "professional-and-technical-components",
    "50": "bilateral-procedures",
    "RT": "bilateral-procedures",
    "LT": "bilateral-procedures",
    "51": "surgical-team-modifiers",
    "57": "global-surgery-days",
    "58": "global-surgery-days",
    "59": "modifier-59-and-x-epsu",
    "XE": "modifier-59-and-x-epsu",
    "XS": "modifier-59-and-x-epsu",
    "XP": "modifier-59-and-x-epsu",
    "XU": "modifier-59-and-x-epsu",
    "62": "surgical-team-modifiers",
    "66": "surgical-team-modifiers",
    "78": "global-surgery-days",
    "79": "global-surgery-days",
    "80": "surgical-team-modifiers",
    "81": "surgical-team-modifiers",
    "82": "surgical-team-modifiers",
    "AS": "surgical-team-modifiers",
}


def known_modifier(modifier: str) -> bool:
    """A modifier we explain in our own words (CPT's payment modifiers, the common HCPCS ones)."""
    return modifier in CPT_MODIFIERS or modifier in HCPCS_EXPLANATIONS


def not_loaded(tool: str, text: str, source: Source, focus: str = "") -> ToolResult:
    result = ToolResult(tool=tool, focus=focus, found=False, not_loaded=True)
    result.facts.append(Fact(text, source))
    return result


# modifiers ---------------------------------------------------------------------------------------


def modifier_meaning(modifier: str) -> ToolResult:
    """What a modifier means, in our words (the rules app's /modifiers/ page), with our guide on it."""
    result = ToolResult(tool="modifier_meaning")
    found = get_modifier(modifier.upper()) if modifier else None
    if found is None:
        result.found = False
        return result
    source = Source(
        url=found.url, label=f"Modifier {found.code}", release=f"{found.system} modifier, CodeAhead"
    )
    title = f" ({found.name})" if found.name else ""
    text = found.explanation or found.official_text
    result.facts.append(Fact(f"Modifier {found.code}{title}: {text}", source))
    slug = MODIFIER_GUIDES.get(found.code)
    article = GuideArticle.objects.filter(slug=slug, published=True).first() if slug else None
    if article is not None:
        result.facts.append(Fact(article.summary, guide_source(article)))
    return result


def _verdict(mod: str, rule: rules.ModifierRule) -> str:
    if mod == "TC" and rule.indicator.endswith(" 6"):
        return NO  # PC/TC 6: the code has a professional part only
    return rule.applies


VERDICT_WORDS = {
    YES: "applies to",
    NO: "does not apply to",
    CONDITIONAL: "may apply, with documentation, to",
    NOT_APPLICABLE: "does not apply to",
}


def modifiers_for(code: Code, modifier: str = "") -> ToolResult:
    """Whether 26/TC, 50, 51, 62, 66, 80/81/82/AS (and the global-surgery modifiers) apply to a code,
    and what each does to payment: the rules app's reading of the fee schedule's indicators."""
    result = ToolResult(tool="modifiers", focus=focus_of(code))
    modifier = modifier.upper()
    facts = rules.modifiers_for(code.key) if code.system.slug in NCCI_SYSTEMS else None
    if facts is None:
        result.found = False
        text = f"The Medicare Physician Fee Schedule we load has no indicators for {name(code)}"
        text += f", so we cannot say whether modifier {modifier} applies." if modifier else "."
        result.facts.append(Fact(text, code_source(code)))
        if modifier:
            result.facts.extend(modifier_meaning(modifier).facts)
        return result
    source = Source(
        url=facts.source.url,
        label=f"Modifiers for {name(code)} (CY{facts.year})",
        release=facts.source.release,
    )
    who = f"{name(code)} (CY{facts.year})"
    if not modifier:
        for rule in facts.rules:
            verb = VERDICT_WORDS[rule.applies]
            if len(rule.modifiers) > 1:
                verb = verb.replace("applies", "apply").replace("does not", "do not")
            mods = f"Modifier{'s' if len(rule.modifiers) > 1 else ''} {'/'.join(rule.modifiers)}"
            text = f"{mods} {verb} {who}: {rule.indicator}. {rule.effect}"
            result.facts.append(Fact(text, source, _amounts(rule)))
        return result
    rule = next((r for r in facts.rules if modifier in r.modifiers), None)
    if rule is None:
        result.facts.extend(modifier_meaning(modifier).facts)
        result.facts.append(
            Fact(
                f"The fee schedule has no indicator for modifier {modifier} on {name(code)}; whether it applies "
                "depends on the documentation and the payer's edits.",
                source,
            )
        )
        return result
    if modifier in VERDICT_MODIFIERS:
        text = f"Modifier {modifier} {VERDICT_WORDS[_verdict(modifier, rule)]} {who}: {rule.indicator}. {rule.effect}"
    else:
        result.facts.extend(modifier_meaning(modifier).facts)
        text = f"Modifier {modifier} and {who}: {rule.indicator}. {rule.effect}"
    result.facts.append(Fact(text, source, _amounts(rule)))
    return result


def _amounts(rule: rules.ModifierRule) -> list[str]:
    def money(value) -> str:
        return "no amount" if value is None else f"${value:,.2f}"

    return [
        f"{amount.label}: {money(amount.nonfacility)} non-facility, {money(amount.facility)} facility (national)"
        for amount in rule.amounts
    ]


# NCCI procedure-to-procedure edits ----------------------------------------------------------------


def check_url(*codes: str) -> str:
    return f"{reverse('rules:check')}?codes={','.join(codes)}"


def _breakers(ptp: rules.PtpFact) -> str:
    if ptp.modifier_indicator == "1":
        # The anatomic group is long (every finger, toe, eyelid): named by what it covers.
        groups = "; ".join(
            "anatomic LT, RT and the finger, toe, eyelid and coronary-artery modifiers"
            if kind == "anatomic"
            else f"{kind} {', '.join(mods)}"
            for kind, mods in ptp.modifiers.items()
        )
        return f"Modifiers that may break it: {groups}."
    if ptp.modifier_indicator == "0":
        return f"{ptp.column2} is not paid with {ptp.column1}."
    return "No modifier is needed: the edit does not apply."


def ncci_pair(first: Code, second: Code, *, modifiers: dict[str, str] | None = None) -> ToolResult:
    """Whether NCCI's procedure-to-procedure edits bundle two CPT or HCPCS codes: column 1 and 2,
    the modifier indicator, whether a modifier may break the edit, with the edit release.
    `modifiers`: a modifier typed on a code (77300-59), by the code's key."""
    typed = {key: mod for key, mod in (modifiers or {}).items() if re.fullmatch(r"[0-9A-Z]{2}", mod)}
    labels = [f"{c.code}-{typed[c.key]}" if c.key in typed else c.code for c in (first, second)]
    url = check_url(*labels)
    loaded = rules.releases_loaded("ptp")
    if not loaded:
        return not_loaded(
            "ncci",
            f"CodeAhead has not loaded CMS's NCCI procedure-to-procedure edits, so it cannot say whether "
            f"{name(first)} and {name(second)} are bundled.",
            Source(url=url, label=f"Code pair check: {first.code} and {second.code}", release="not loaded"),
            focus_of(first),
        )
    result = ToolResult(tool="ncci", focus=focus_of(first))
    check = rules.pair_check(labels)
    pair = check.pairs[0]
    result.facts.append(
        Fact(
            pair.summary,
            Source(
                url=url, label=f"Code pair check: {first.code} and {second.code}", release="; ".join(loaded)
            ),
        )
    )
    for ptp in pair.ncci:
        state = (
            f"in effect since {ptp.effective:%B %-d, %Y}"
            if ptp.active
            else f"deleted {ptp.deleted:%B %-d, %Y}"
            if ptp.deleted
            else f"in effect from {ptp.effective:%B %-d, %Y}"
        )
        text = (
            f"NCCI PTP edit, {ptp.setting.lower()}: column 1 {ptp.column1}, column 2 {ptp.column2}, {state}. "
            f"Modifier indicator {ptp.modifier_indicator}: {ptp.modifier_meaning}."
        )
        details = [f"Rationale: {ptp.rationale}"]
        if ptp.active and ptp.modifier_indicator == "1":
            details.insert(0, _breakers(ptp))
        elif ptp.active:
            text += f" {_breakers(ptp)}"
        result.facts.append(
            Fact(
                text,
                Source(
                    url=ptp.source.url,
                    label=f"NCCI PTP edits, {ptp.setting.lower()}: {ptp.column1} with {ptp.column2}",
                    release=ptp.source.release,
                ),
                details=details,
            )
        )
    result.verdict = pair.verdict
    return result


VERDICT_LEADS = {"bundled": "No", "modifier may apply": "Only with a modifier", "no edit": "Yes"}


def ncci_headline(result: ToolResult) -> str:
    """ "No: 99213 is bundled into 99214 ..." from the pair's verdict and summary."""
    lead = VERDICT_LEADS.get(result.verdict)
    summary = result.facts[0].text
    if not lead:
        return summary
    if summary.split(" ", 1)[0] in ("No", "An"):  # a sentence, not a code, comes first
        summary = summary[0].lower() + summary[1:]
    return f"{lead}: {summary}"


# medically unlikely edits -------------------------------------------------------------------------

PER = {"1": "per claim line", "2": "per day", "3": "per day"}


def units_per_day(code: Code) -> ToolResult:
    """At most how many units of a code Medicare pays a day (its MUEs), with the adjudication indicator."""
    page = code.get_absolute_url() + "#ncci"
    loaded = rules.releases_loaded("mue")
    if not loaded:
        return not_loaded(
            "mue",
            f"CodeAhead has not loaded CMS's medically unlikely edits (MUEs), so it cannot say how many units "
            f"of {name(code)} are paid a day.",
            Source(url=page, label=f"MUEs: {name(code)}", release="not loaded"),
            focus_of(code),
        )
    result = ToolResult(tool="mue", focus=focus_of(code))
    rows = rules.mue(code.key) if code.system.slug in NCCI_SYSTEMS else []
    if not rows:
        result.found = False
        result.facts.append(
            Fact(
                f"The MUE files loaded have no edit for {name(code)}: CMS publishes none for it, or it is not "
                "a service MUEs cover.",
                Source(url=page, label=f"MUEs: {name(code)}", release="; ".join(loaded)),
            )
        )
        return result
    for row in rows:
        units = f"{row.units} unit{'s' if row.units != 1 else ''}"
        result.facts.append(
            Fact(
                f"MUE for {name(code)}, {row.setting.lower()}: at most {units} {PER.get(row.adjudication, '')}. "
                f"MUE adjudication indicator {row.adjudication}: {row.adjudication_meaning}.",
                Source(url=page, label=f"MUEs: {name(code)} ({row.setting})", release=row.source.release),
                details=[f"Rationale: {row.rationale}"],
            )
        )
    return result


# places of service --------------------------------------------------------------------------------


def _pos_list_source() -> Source:
    return Source(url=reverse("rules:pos_list"), label="Places of service", release=places.RELEASE)


def place_of_service(code: str) -> ToolResult:
    """What a place-of-service code is, and whether the fee schedule pays it at the facility rate."""
    result = ToolResult(tool="place_of_service")
    found = rules.pos(code)
    if found is None:
        result.found = False
        result.facts.append(
            Fact(f"{code[:4]} is not a place-of-service code in CMS's POS code set.", _pos_list_source())
        )
        return result
    source = Source(
        url=found.source.url, label=f"Place of service {found.code}", release=found.source.release
    )
    result.facts.append(
        Fact(
            f"Place of service {found.code} is {found.name}, paid at the fee schedule's {found.rate} rate: "
            f"{found.description}",
            source,
            details=[f"{found.rate.capitalize()} rate. {found.rate_explained}"],
        )
    )
    return result


def facility_places() -> ToolResult:
    """Which places of service the fee schedule pays at the facility rate, and which not."""
    result = ToolResult(tool="place_of_service")
    every = places.all_places()
    facility = [p for p in every if p.rate == places.FACILITY]
    result.facts.append(
        Fact(
            f"{len(facility)} places of service are paid at the fee schedule's facility rate; every other one "
            "(such as 11 Office and 12 Home) at the non-facility rate.",
            _pos_list_source(),
            details=[f"{p.code} {p.name}" for p in facility],
        )
    )
    office = places.place("11")
    result.facts.append(Fact(office.rate_explained if office else "", _pos_list_source()))
    if facility:
        result.facts.append(Fact(facility[0].rate_explained, _pos_list_source()))
    return result


# crosswalks (GEMs) -----------------------------------------------------------------------------


ICD10_SLUGS = {"ICD-10-CM": "icd-10-cm", "ICD-10-PCS": "icd-10-pcs"}


def gem_name(system: str, code: str) -> str:
    """How an answer names a code of a GEM line: ICD-9-CM codes carry the words the checker reads."""
    if system == "ICD-9-CM procedures":
        return f"ICD-9-CM procedure {code}"
    return f"{system} {code}"


def _mapping_facts(lines: list[rules.MappingFact], page: Source | None) -> list[Fact]:
    facts = []
    for line in lines:
        # The ICD-10 end of the line has the page (its crosswalk section lists the line).
        slug = ICD10_SLUGS.get(line.from_system)
        if page is None and slug:
            url = reverse("lookup:code", args=[slug, line.source])
            source = Source(url=url + "#crosswalk", label=f"Crosswalk: {line.from_system} {line.source}")
        elif page is None and line.target_url:
            source = Source(
                url=line.target_url + "#crosswalk", label=f"Crosswalk: {line.to_system} {line.target}"
            )
        else:
            source = page or Source(url=rules.GEM_URL, label="CMS 2018 General Equivalence Mappings")
        source = Source(url=source.url, label=source.label, release="CMS 2018 GEMs")
        if line.no_map:
            text = (
                f"{gem_name(line.from_system, line.source)} has no {line.to_system} equivalent in the GEMs."
            )
        else:
            text = (
                f"{gem_name(line.from_system, line.source)} maps to {gem_name(line.to_system, line.target)}."
            )
        facts.append(Fact(text, source, details=list(line.meaning)))
    return facts


def crosswalk(code: Code) -> ToolResult:
    """What the 2018 GEMs map an ICD-10-CM or ICD-10-PCS code to in ICD-9-CM, and back."""
    page = Source(url=code.get_absolute_url() + "#crosswalk", label=f"Crosswalk: {name(code)}")
    if not rules.releases_loaded("gem"):
        return not_loaded(
            "crosswalk",
            f"CodeAhead has not loaded CMS's General Equivalence Mappings (GEMs), so it cannot say what "
            f"{name(code)} maps to.",
            page,
            focus_of(code),
        )
    result = ToolResult(tool="crosswalk", focus=focus_of(code))
    if code.system.slug not in ("icd-10-cm", "icd-10-pcs"):
        result.found = False
        result.facts.append(
            Fact(
                f"The GEMs map ICD-10-CM and ICD-10-PCS codes only; {name(code)} has none.", code_source(code)
            )
        )
        return result
    facts = rules.crosswalk(code.code)
    result.facts += _mapping_facts(facts.forward, page)
    result.facts += _mapping_facts([m for m in facts.backward if m not in facts.forward], page)
    if not result.facts:
        result.found = False
        result.facts.append(Fact(f"The GEMs loaded have no line for {name(code)}.", page))
    return result


def icd9_crosswalk(typed: str, *, procedure: bool = False) -> ToolResult:
    """What the 2018 GEMs map an ICD-9-CM code to in ICD-10 (each line citing the ICD-10 code's page)."""
    label = f"ICD-9-CM{' procedure' if procedure else ''} {typed}"
    if not rules.releases_loaded("gem"):
        return not_loaded(
            "crosswalk",
            # "the ICD-9-CM code 250.00": no code is named as one, as none can be checked.
            f"CodeAhead has not loaded CMS's General Equivalence Mappings (GEMs), so it cannot say what "
            f"the ICD-9-CM{' procedure' if procedure else ''} code {typed} maps to.",
            Source(url=rules.GEM_URL, label="CMS 2018 General Equivalence Mappings", release="not loaded"),
        )
    result = ToolResult(tool="crosswalk")
    facts = rules.icd9_crosswalk(typed)
    wanted = ("ICD-9-CM procedures",) if procedure else ("ICD-9-CM",)
    forward = [m for m in facts.forward if m.from_system in wanted] or facts.forward
    backward = [m for m in facts.backward if m.to_system in wanted] or facts.backward
    result.facts += _mapping_facts(forward, None)
    result.facts += _mapping_facts(backward, None)
    if not result.facts:
        result.found = False
        result.facts.append(
            Fact(
                f"{label} is not a code in the GEMs CodeAhead has loaded (CMS's 2018 General Equivalence "
                "Mappings).",
                Source(
                    url=rules.GEM_URL, label="CMS 2018 General Equivalence Mappings", release="CMS 2018 GEMs"
                ),
            )
        )
        return result
    first = next((m for m in forward if m.target_url), None)
    if first is not None:
        result.focus = f"{'icd-10-pcs' if first.to_system == 'ICD-10-PCS' else 'icd-10-cm'}:{first.target.replace('.', '')}"
    return result
