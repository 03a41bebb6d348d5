"""CasePilot's tools: plain functions over our own tables, each returning facts with their source.

The answerer calls them offline; a language model, when one is configured, calls the same
functions by name (TOOLS) and sees only what they return. Every text here is either ours or
official text our licences let us show (Code.display_title / official_text_visible); a CPT
descriptor other than 77307's, or an ADA D-code's without the licence, never leaves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery
from django.core.cache import caches
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Length
from django.urls import reverse

from billing import indicators
from billing.models import FeeScheduleItem, Locality
from casepilot.facts import Fact, Source, ToolResult
from casepilot.models import GuideArticle
from lookup.models import Code, CodeChange, Note, Release, normalize_code

SYSTEM_NAMES = {"cpt": "CPT", "hcpcs": "HCPCS", "icd-10-cm": "ICD-10-CM", "icd-10-pcs": "ICD-10-PCS"}
HEADER_KINDS = (Code.Kind.CHAPTER, Code.Kind.SECTION)
NOTE_KINDS_SHOWN = (
    Note.Kind.EXCLUDES1,
    Note.Kind.EXCLUDES2,
    Note.Kind.CODE_FIRST,
    Note.Kind.USE_ADDITIONAL_CODE,
    Note.Kind.CODE_ALSO,
    Note.Kind.INCLUDES,
    Note.Kind.INCLUSION_TERM,
)
MAX_NOTES_PER_KIND = 10


def search_codes(text: str, **options):
    """Our one use of the site's ranked search (lookup/search/)."""
    from lookup.search.query import search_codes as site_search

    return site_search(text, **options)


def closest_codes(text: str, limit: int = 3, system=None) -> list[Code]:
    """Codes whose indexed text has every word (no spelling fixes, no ranking): one indexed query.

    Cheap enough to try before the site's ranked search, and to list the closest pages when
    a question is not about codes at all.
    """
    from lookup.search.index import SEARCH_CONFIG
    from lookup.search.words import DEFAULT_CODE_PATTERN, fold

    words = re.findall(r"[a-z0-9]+", fold(text))[:12]
    if not words:
        return []
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    scope = Code.objects.filter(system=system) if system is not None else Code.objects.all()
    in_title = Q()
    for word in words[:6]:
        if len(word) > 3:
            in_title &= Q(title__icontains=word[:-1])  # a stem's worth: "fractures" finds "fracture"
    return list(
        scope.filter(search_vector=query)
        .exclude(kind__in=HEADER_KINDS)
        .select_related("system")
        .defer("search_vector", "search_title_size")
        .annotate(
            # The code a coder means when nothing more is said first ("without complications"),
            # then the codes whose own title has the words, then the closest titles.
            is_exact=Case(When(title__iexact=" ".join(text.split()), then=0), default=1),
            is_default=Case(When(title__iregex=DEFAULT_CODE_PATTERN, then=0), default=1),
            words_in_title=Case(When(in_title, then=0), default=1) if in_title else Value(1),
        )
        .order_by(
            "is_exact", "is_default", "words_in_title", "search_title_size", Length("title"), "sort_order"
        )[:limit]
    )


def system_preference(text: str) -> list[str]:
    from lookup.search.codes import system_preference as preference

    return preference(text)


# Naming codes and their pages ---------------------------------------------------------------


def name(code: Code) -> str:
    """How an answer names a code: its system and the code as published, such as ICD-10-CM E11.9."""
    return f"{SYSTEM_NAMES.get(code.system.slug, code.system.name)} {code.code}"


def focus_of(code: Code) -> str:
    return f"{code.system.slug}:{code.key}"


def title_of(code: Code) -> str:
    """A title the site may show (the licence rule lives on Code), or ""."""
    return code.display_title


def release_label(code: Code) -> str:
    """The loaded release of the code's system, such as "ICD-10-CM 2026-04"."""

    def latest() -> str:
        release = Release.objects.filter(system_id=code.system_id).order_by("-date").first()
        return release.version if release else "as loaded (no release file)"

    version = caches["local"].get_or_set(f"casepilot:release:{code.system_id}", latest, 60)
    return f"{code.system.name} {version}"


def code_source(code: Code) -> Source:
    return Source(url=code.get_absolute_url(), label=name(code), release=release_label(code))


def guide_source(article: GuideArticle) -> Source:
    return Source(
        url=article.get_absolute_url(),
        label=f"Guide: {article.title}",
        release=f"CodeAhead guide, updated {article.updated_at:%Y-%m-%d}",
    )


def codes_by_focus(focus: str) -> Code | None:
    """The code a conversation keeps in focus ("icd-10-cm:E119")."""
    slug, _, key = focus.partition(":")
    if not key:
        return None
    return Code.objects.select_related("system").filter(system__slug=slug, key=key).first()


# Finding codes in a question ------------------------------------------------------------------

_SYSTEM_WORDS = r"(?P<system>cpt|hcpcs(?: level ii)?|icd[- ]?10[- ]?cm|icd[- ]?10[- ]?pcs|icd[- ]?10|icd|pcs)"
_TOKEN = re.compile(
    rf"(?:\b{_SYSTEM_WORDS}(?:®)?\s+(?:codes?\s+|category\s+)?)?"
    r"(?<![A-Za-z0-9.$,])(?P<code>[A-Za-z0-9]{3,7}(?:\.[A-Za-z0-9]{1,4})?)(?![A-Za-z0-9]|\.[A-Za-z0-9])",
    re.IGNORECASE,
)
# The shapes a code of some system may have (normalized, no dot).
_SHAPES = {
    "icd-10-cm": re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}"),
    "hcpcs": re.compile(r"[A-V][0-9]{4}"),
    "cpt": re.compile(r"[0-9]{4}[0-9A-Z]"),
    "icd-10-pcs": re.compile(r"[0-9A-HJ-NP-Z]{7}"),
}


def system_from_words(words: str | None) -> str:
    if not words:
        return ""
    words = words.lower().replace(" ", "").replace("-", "")
    if words.startswith("cpt"):
        return "cpt"
    if words.startswith("hcpcs"):
        return "hcpcs"
    if "pcs" in words:
        return "icd-10-pcs"
    return "icd-10-cm"


@dataclass
class Mention:
    """A code-shaped word of a question: what was typed, its key, the system named before it."""

    typed: str
    key: str
    system: str
    start: int
    code: Code | None = None
    wrong_system: str = ""  # the system it was named with, when the code is in another one

    @property
    def strong(self) -> bool:
        """Typed as a code for sure: dotted, named with its system, or five or more characters."""
        return "." in self.typed or bool(self.system) or len(self.key) >= 5


def find_mentions(text: str) -> list[Mention]:
    """Code-shaped words of a question, each resolved to the code it most likely means."""
    mentions: list[Mention] = []
    for match in _TOKEN.finditer(text):
        typed = match.group("code")
        key = normalize_code(typed)
        if not any(ch.isdigit() for ch in key) or not any(shape.fullmatch(key) for shape in _SHAPES.values()):
            continue
        if key.isdigit() and len(key) != 5:  # years, amounts, counts
            continue
        if "." in typed and not _SHAPES["icd-10-cm"].fullmatch(key):
            continue
        mentions.append(Mention(typed, key, system_from_words(match.group("system")), match.start("code")))
    if not mentions:
        return []
    candidates: dict[str, list[Code]] = {}
    for code in (
        Code.objects.filter(key__in={m.key for m in mentions})
        .exclude(kind__in=HEADER_KINDS)
        .select_related("system")
    ):
        candidates.setdefault(code.key, []).append(code)
    unique: dict[str, Mention] = {}
    for mention in mentions:
        options = candidates.get(mention.key, [])
        if mention.system:
            in_named = [c for c in options if c.system.slug == mention.system]
            if options and not in_named:
                mention.wrong_system = mention.system
            else:
                options = in_named
        elif "." in mention.typed:
            options = [c for c in options if c.system.slug == "icd-10-cm"]
        if options:
            order = system_preference(mention.typed)
            options.sort(key=lambda c: order.index(c.system.slug) if c.system.slug in order else 9)
            mention.code = options[0]
        marker = focus_of(mention.code) if mention.code else f"?{mention.system}:{mention.key}"
        unique.setdefault(marker, mention)
    return list(unique.values())


def nearest_codes(key: str, system: str = "", limit: int = 4) -> list[Code]:
    """Real codes nearest to a key that is not a code: under its longest prefix that is one."""
    prefixes = [key[:n] for n in range(len(key) - 1, 2, -1)]
    scope = Code.objects.select_related("system").exclude(kind__in=HEADER_KINDS)
    if system:
        scope = scope.filter(system__slug=system)
    found = {c.key: c for c in scope.filter(key__in=prefixes)}
    for prefix in prefixes:
        if prefix in found:
            parent = found[prefix]
            children = list(scope.filter(parent=parent).order_by("-billable", "sort_order")[: limit - 1])
            return [parent, *children] if not parent.billable or not children else [*children, parent][:limit]
    return []


# code_lookup --------------------------------------------------------------------------------------


def code_lookup(code: Code) -> ToolResult:
    """What a code is: title (where its licence allows), plain text, billable, where it sits, notes, payment."""
    source = code_source(code)
    result = ToolResult(tool="code_lookup", focus=focus_of(code))
    title = title_of(code)
    if code.official_text_visible:
        result.facts.append(Fact(f"{name(code)}: {code.official_description}", source))
    elif title and not code.text_licence:
        result.facts.append(Fact(f"{name(code)}: {title}", source))
    else:
        licence = code.text_licence or "publisher"
        result.facts.append(
            Fact(
                f"{name(code)}: its official descriptor needs an {licence} licence, so we do not show it.",
                source,
            )
        )
    if code.plain_description:
        result.facts.append(Fact(f"In plain words (our own): {code.plain_description}", source))
    result.facts.append(Fact(_billable_sentence(code), source))
    ancestors = Code.objects.ancestors_of(code)
    for ancestor in ancestors:
        ancestor.system = code.system
    if ancestors:
        path = " › ".join(f"{a.code} {title_of(a)}".strip() for a in ancestors)
        result.facts.append(Fact(f"Where it sits: {path}.", source))
    children = list(code.children.order_by("sort_order")[:12]) if not code.billable else []
    for child in children:
        child.system = code.system
    if children:
        result.facts.append(
            Fact(
                f"Codes under {code.code}:",
                source,
                details=[f"{c.code} {title_of(c)}{' (billable)' if c.billable else ''}" for c in children],
            )
        )
    result.facts.extend(_notes_facts(code, ancestors, source))
    seventh = seventh_characters(code)
    if seventh.found and len(code.key) < 7:
        result.facts.extend(seventh.facts[:1])
    changes = code_changes(code)
    if changes.found:
        result.facts.extend(changes.facts[:2])
    if code.system.slug == "hcpcs":
        coverage = coverage_fact(code)
        if coverage is not None:
            result.facts.append(coverage)
    if code.is_terminated:
        result.facts.append(Fact(f"{name(code)} was terminated on {code.termination_date:%Y-%m-%d}.", source))
    if code.system.slug in ("cpt", "hcpcs"):
        paid = payment(code)
        if paid.found:
            result.facts.append(paid.facts[0])
    return result


# The Medicare coverage code of the HCPCS file, in our words.
COVERAGE = {
    "C": "left to the Medicare contractor's judgment",
    "D": "covered under special coverage instructions (see the Medicare manuals and national coverage decisions)",
    "I": "not payable by Medicare: another code is used to bill it",
    "M": "not covered by Medicare",
    "S": "not covered by Medicare, by statute",
}


def coverage_fact(code: Code) -> Fact | None:
    from lookup.models import HcpcsDetail

    detail = HcpcsDetail.objects.filter(code=code).only("coverage_code").first()
    if detail is None or detail.coverage_code not in COVERAGE:
        return None
    return Fact(
        f"Medicare coverage of {name(code)} (the HCPCS file's coverage code {detail.coverage_code}): "
        f"{COVERAGE[detail.coverage_code]}.",
        code_source(code),
    )


def conversion_factors() -> ToolResult:
    """The fee schedule's conversion factor for each loaded year."""
    from billing.models import FeeSchedule

    result = ToolResult(tool="conversion_factor")
    for schedule in FeeSchedule.objects.order_by("-year"):
        result.facts.append(
            Fact(
                f"CY{schedule.year} Medicare Physician Fee Schedule conversion factor: "
                f"${schedule.conversion_factor} per RVU ({schedule.release}).",
                Source(
                    url=reverse("lookup:system", args=["cpt"]),
                    label=f"Medicare fee schedule CY{schedule.year} (each CPT and HCPCS page's fee section)",
                    release=f"CMS {schedule.release}",
                ),
            )
        )
    result.found = bool(result.facts)
    return result


def _billable_sentence(code: Code) -> str:
    kind = code.get_kind_display().lower()
    if code.kind == Code.Kind.MODIFIER:
        return f"{code.code} is a modifier, not a code billed on its own."
    if code.billable:
        return f"{name(code)} is a billable {kind}."
    if code.is_terminated:
        return f"{name(code)} is no longer valid for billing."
    return f"{name(code)} is a {kind}, not billable: a more specific code under it is required."


def _notes_facts(code: Code, ancestors: list[Code], source: Source) -> list[Fact]:
    lineage = [code, *reversed(ancestors)]
    notes = list(
        Note.objects.filter(code__in=lineage, kind__in=NOTE_KINDS_SHOWN).order_by(
            "code__sort_order", "position"
        )
    )
    owners = {c.pk: c for c in lineage}
    facts: list[Fact] = []
    for kind in NOTE_KINDS_SHOWN:
        for owner in lineage:
            own = [n for n in notes if n.kind == kind and n.code_id == owner.pk]
            # Includes and inclusion terms only from the code itself; excludes and sequencing
            # notes from every level, as they apply to everything beneath them.
            if not own or (owner is not code and kind in (Note.Kind.INCLUDES, Note.Kind.INCLUSION_TERM)):
                continue
            where = "" if owner is code else f" (from {owners[owner.pk].code}, applies here too)"
            owner_source = source if owner is code else code_source(owner)
            facts.append(
                Fact(
                    f"{Note.Kind(kind).label}{where}:",
                    owner_source,
                    details=[n.text for n in own[:MAX_NOTES_PER_KIND]]
                    + (
                        [f"and {len(own) - MAX_NOTES_PER_KIND} more"] if len(own) > MAX_NOTES_PER_KIND else []
                    ),
                )
            )
    return facts


# code_search ------------------------------------------------------------------------------------

_SIDE = re.compile(r"\b(right|left|bilateral|unspecified side)\b", re.IGNORECASE)


def code_search(
    description: str, *, system: str = "", limit: int = 5, exact_words: bool = False
) -> ToolResult:
    """Which codes fit a description: the top candidates and what tells them apart.

    With exact_words, a search that had to correct a word finds nothing: a bare phrase that
    only matches after spelling fixes is more likely not a description at all.
    """
    from lookup.models import CodeSystem

    scope = CodeSystem.objects.for_slug(system) if system else None
    result = ToolResult(tool="code_search")
    # The site's ranked search: its spelling fixes, notes and default codes ("unspecified")
    # put the code a coder means first.
    try:
        found = search_codes(description, system=scope, page_size=limit * 4)
    except ValueError:
        result.found = False
        return result
    rows = [row for row in (found.page or []) if row.kind not in HEADER_KINDS]
    if found.mode != "words" or found.any_words or not rows or (exact_words and found.corrected):
        result.found = False
        rows = rows[:3]
    # Billable codes first: the answer a coder can put on a claim.
    rows.sort(key=lambda c: not c.billable)
    rows = rows[:limit]
    for row in rows:
        details = ["billable" if row.billable else "not billable: needs more characters"]
        side = _SIDE.search(title_of(row) or "")
        if side:
            details.append(f"side: {side.group(1).lower()}")
        seventh = _seventh_meaning(row)
        if seventh:
            details.append(f"7th character {row.key[-1]}: {seventh}")
        result.facts.append(Fact(f"{name(row)} {title_of(row)}".strip(), code_source(row), details=details))
    if rows and result.found:
        result.focus = focus_of(rows[0])
    return result


def _seventh_meaning(code: Code) -> str:
    if code.system.slug != "icd-10-cm" or len(code.key) != 7:
        return ""
    definitions = _seventh_definitions(code)
    return next((n.text for n in definitions[1] if n.label == code.key[-1]), "") if definitions else ""


# seventh characters and placeholders -----------------------------------------------------------


def _seventh_definitions(code: Code) -> tuple[Code, list[Note]] | None:
    """The nearest level (the code or above) that lists 7th characters, with the list."""
    lineage = [code, *reversed(Code.objects.ancestors_of(code))]
    notes = Note.objects.filter(code__in=lineage, kind=Note.Kind.SEVEN_CHR_DEF).order_by("position")
    by_owner: dict[int, list[Note]] = {}
    for note in notes:
        by_owner.setdefault(note.code_id, []).append(note)
    for owner in lineage:
        if owner.pk in by_owner:
            owner.system = code.system
            return owner, by_owner[owner.pk]
    return None


def seventh_characters(code: Code) -> ToolResult:
    """Whether an ICD-10-CM code needs a 7th character, which ones apply, and its X placeholders."""
    result = ToolResult(tool="seventh_characters", focus=focus_of(code))
    if code.system.slug != "icd-10-cm":
        result.found = False
        result.facts.append(
            Fact(f"7th characters belong to ICD-10-CM; {name(code)} has none.", code_source(code))
        )
        return result
    definitions = _seventh_definitions(code)
    if definitions is None:
        result.found = False
        result.facts.append(
            Fact(f"{name(code)} needs no 7th character: no level above it lists any.", code_source(code))
        )
        return result
    owner, notes = definitions
    source = code_source(owner)
    base = code.key[:6] if len(code.key) >= 7 else code.key.ljust(6, "X")
    if len(code.key) >= 7:
        chosen = next((n for n in notes if n.label == code.key[-1]), None)
        text = f"{name(code)} already has its 7th character, {code.key[-1]}"
        text += f": {chosen.text}." if chosen else "."
        result.facts.append(Fact(text, code_source(code)))
    elif children := [c for c in code.children.order_by("sort_order")[:6] if len(c.key) < 7]:
        # A category or subcategory with codes under it that are not yet 7 characters long.
        result.facts.append(
            Fact(
                f"{name(code)} needs more characters before its 7th character (listed at {owner.code}): "
                "choose one of the codes under it first.",
                source,
                details=[f"{c.code} {title_of(c)}" for c in children],
            )
        )
    else:
        padding = 6 - len(code.key)
        text = f"{name(code)} needs a 7th character, listed at {owner.code}."
        if padding:
            text += (
                f" It has {len(code.key)} characters, so {padding} X placeholder{'s' if padding > 1 else ''}"
                " fill the empty places before the 7th character."
            )
        result.facts.append(Fact(text, source))
    full_keys = {base + n.label: n for n in notes}
    existing = {
        c.key: c
        for c in Code.objects.filter(system_id=code.system_id, key__in=full_keys).select_related("system")
    }
    details = []
    for note in notes:
        full = existing.get(base + note.label)
        details.append(f"{note.label}: {note.text}" + (f" ({full.code})" if full else ""))
    result.facts.append(Fact(f"7th characters listed at {owner.code}:", source, details=details))
    return result


# pair_check -------------------------------------------------------------------------------------

_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9])([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:\s*-\s*([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?))?"
)


def note_references(text: str) -> list[tuple[str, str]]:
    """The code spans a note names: (low, high) keys; a single code or category is (key, key)."""
    spans = []
    for low, high in _REFERENCE.findall(text):
        spans.append((normalize_code(low), normalize_code(high or low)))
    return spans


def _covers(span: tuple[str, str], key: str) -> bool:
    low, high = span
    return key >= low and key[: len(high)] <= high


PAIR_NOTE_KINDS = {
    Note.Kind.EXCLUDES1: "Excludes1: not coded together",
    Note.Kind.EXCLUDES2: "Excludes2: may be coded together when both are present",
    Note.Kind.CODE_FIRST: "Code first",
    Note.Kind.USE_ADDITIONAL_CODE: "Use additional code",
    Note.Kind.CODE_ALSO: "Code also",
}


def pair_check(first: Code, second: Code) -> ToolResult:
    """Whether two codes may be coded together: ICD-10-CM excludes and sequencing notes."""
    result = ToolResult(tool="pair_check", focus=focus_of(first))
    icd = {first.system.slug, second.system.slug} == {"icd-10-cm"}
    if first.pk == second.pk:
        result.facts.append(Fact(f"Both codes are {name(first)}.", code_source(first)))
        return result
    if not icd:
        from casepilot.rule_tools import NCCI_SYSTEMS, ncci_pair

        result.found = False
        if {first.system.slug, second.system.slug} <= NCCI_SYSTEMS:
            # Procedure codes: whether they are billed together is NCCI's to say.
            ncci = ncci_pair(first, second)
            result.facts.extend(ncci.facts)
            result.found = ncci.found
        else:
            result.facts.append(
                Fact(
                    f"No pair rule links {name(first)} and {name(second)}: excludes notes link ICD-10-CM codes, "
                    "and NCCI edits pair CPT and HCPCS codes.",
                    code_source(first),
                )
            )
        for code in (first, second):
            result.facts.append(_describe(code))
            paid = payment(code)
            if paid.found and paid.facts:
                result.facts.append(paid.facts[0])
        return result
    linked = False
    for this, other in ((first, second), (second, first)):
        lineage = [this, *reversed(Code.objects.ancestors_of(this))]
        notes = Note.objects.filter(code__in=lineage, kind__in=PAIR_NOTE_KINDS).select_related("code")
        for note in notes:
            if any(_covers(span, other.key) for span in note_references(note.text)):
                note.code.system = this.system
                level = "" if note.code_id == this.pk else f" (at {note.code.code}, applying to {this.code})"
                result.facts.append(
                    Fact(
                        f"{PAIR_NOTE_KINDS[note.kind]}. {name(this)}{level} has the note “{note.text}”, "
                        f"which covers {other.code}.",
                        code_source(note.code),
                    )
                )
                linked = True
    if not linked:
        result.facts.append(
            Fact(
                f"No Excludes1, Excludes2, code first or use additional code note in our data links "
                f"{name(first)} and {name(second)}: the notes do not forbid coding them together.",
                code_source(first),
            )
        )
        result.facts.append(Fact(f"Compare: {name(second)}", code_source(second)))
    for code in (first, second):
        result.facts.append(_describe(code))
    return result


def _describe(code: Code) -> Fact:
    """One line naming a code with the text we may show: its title, else our own description."""
    if code.official_text_visible or (title_of(code) and not code.text_licence):
        return Fact(f"{name(code)}: {title_of(code)}", code_source(code))
    if code.plain_description:
        return Fact(f"{name(code)}, in our words: {code.plain_description}", code_source(code))
    return Fact(
        f"{name(code)}: its official descriptor needs an {code.text_licence} licence.", code_source(code)
    )


# payment and modifiers ------------------------------------------------------------------------------


def _fee_rows(code: Code) -> tuple[list[FeeScheduleItem], list[FeeScheduleItem]]:
    """The latest year's rows for a code (global first, then 26, TC, 53) and the year before's."""
    items = list(FeeScheduleItem.objects.filter(code=code).select_related("schedule"))
    if not items:
        return [], []
    years = sorted({i.schedule.year for i in items})
    order = {"": 0, "26": 1, "TC": 2, "53": 3}
    latest = sorted(
        (i for i in items if i.schedule.year == years[-1]), key=lambda i: order.get(i.modifier, 9)
    )
    previous = [i for i in items if len(years) > 1 and i.schedule.year == years[-2]]
    return latest, previous


def fee_source(code: Code, item: FeeScheduleItem) -> Source:
    return Source(
        url=f"{code.get_absolute_url()}?year={item.schedule.year}",
        label=f"Medicare Physician Fee Schedule CY{item.schedule.year}: {name(code)}",
        release=f"CMS {item.schedule.release}",
    )


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def payment(code: Code, *, locality_words: str = "") -> ToolResult:
    """National (and, when named, a locality's) Medicare payment, RVUs and the change from last year."""
    result = ToolResult(tool="payment", focus=focus_of(code))
    latest, previous = _fee_rows(code)
    if not latest:
        result.found = False
        result.facts.append(
            Fact(
                f"The Medicare Physician Fee Schedule we load has no row for {name(code)}.", code_source(code)
            )
        )
        return result
    before = {i.modifier: i for i in previous}
    for item in latest:
        source = fee_source(code, item)
        label = {"": "", "26": " with modifier 26", "TC": " with modifier TC", "53": " with modifier 53"}.get(
            item.modifier, f" with modifier {item.modifier}"
        )
        if not item.is_paid:
            result.facts.append(
                Fact(
                    f"CY{item.schedule.year}: {name(code)}{label} has status {item.status}: "
                    f"{indicators.meaning(indicators.STATUS, item.status)} No national amount is published.",
                    source,
                )
            )
            continue
        text = (
            f"CY{item.schedule.year} national Medicare payment for {name(code)}{label}: "
            f"{money(item.national_nonfacility)} in an office (non-facility), "
            f"{money(item.national_facility)} in a facility."
        )
        details = [
            f"Total RVUs: {item.total_nonfacility} non-facility, {item.total_facility} facility "
            f"(work {item.work_rvu}, practice expense {item.pe_rvu_nonfacility} / {item.pe_rvu_facility}, "
            f"malpractice {item.mp_rvu})",
            f"Conversion factor: {money(item.conversion_factor)}",
        ]
        old = before.get(item.modifier)
        if old is not None and old.is_paid:
            change = item.national_nonfacility - old.national_nonfacility
            percent = (
                f" ({change * 100 / old.national_nonfacility:+.1f}%)" if old.national_nonfacility else ""
            )
            details.append(
                f"Change from CY{old.schedule.year}: {money(old.national_nonfacility)} to "
                f"{money(item.national_nonfacility)} non-facility, {'+' if change >= 0 else '-'}"
                f"{money(abs(change))}{percent}"
            )
        result.facts.append(Fact(text, source, details=details))
    locality = _locality_named(latest[0], locality_words) if locality_words else None
    if locality is not None:
        item = latest[0]
        amount = item.local_payment(locality, facility=False)
        result.facts.append(
            Fact(
                f"In Medicare locality {locality.slug}, {locality.display_name} ({locality.state}), CY"
                f"{item.schedule.year}: {money(amount)} non-facility, "
                f"{money(item.local_payment(locality, facility=True))} facility.",
                Source(
                    url=f"{code.get_absolute_url()}?year={item.schedule.year}&locality={locality.slug}",
                    label=f"Medicare fee schedule CY{item.schedule.year}, {locality.display_name}: {name(code)}",
                    release=f"CMS {item.schedule.release}",
                ),
                details=[
                    f"GPCIs: work {locality.work_gpci}, practice expense {locality.pe_gpci}, "
                    f"malpractice {locality.mp_gpci}"
                ],
            )
        )
    return result


def global_days(code: Code) -> ToolResult:
    """A code's global surgery period and status from the latest fee schedule."""
    result = ToolResult(tool="global_days", focus=focus_of(code))
    latest, _ = _fee_rows(code)
    base = next((i for i in latest if i.modifier == ""), latest[0] if latest else None)
    if base is None:
        result.found = False
        result.facts.append(
            Fact(
                f"The Medicare Physician Fee Schedule we load has no row for {name(code)}.", code_source(code)
            )
        )
        return result
    text = (
        f"Global surgery days for {name(code)} (CY{base.schedule.year}): {base.global_days}. "
        f"{indicators.meaning(indicators.GLOBAL_DAYS, base.global_days)}"
    )
    details = []
    if base.preop_share or base.intraop_share or base.postop_share:
        details.append(
            f"Shares of the global package: pre-operative {base.preop_share}, intra-operative "
            f"{base.intraop_share}, post-operative {base.postop_share} (modifiers 56, 54, 55)"
        )
    details.append(f"Status {base.status}: {indicators.meaning(indicators.STATUS, base.status)}")
    result.facts.append(Fact(text, fee_source(code, base), details=details))
    return result


def release_summary(system_slug: str = "") -> ToolResult:
    """What the latest loaded release of each code set (or one) added, revised and deleted."""
    result = ToolResult(tool="release_summary")
    releases = Release.objects.select_related("system").order_by("system__position", "-date")
    if system_slug:
        releases = releases.filter(system__slug=system_slug)
    seen = set()
    for release in releases:
        if release.system_id in seen:
            continue
        seen.add(release.system_id)
        source = Source(
            url=release.get_absolute_url(),
            label=f"{release.system.name} {release.version} changes",
            release=str(release),
        )
        if release.is_baseline:
            result.facts.append(
                Fact(
                    f"{release.system.name} {release.version} is the first release loaded: no changes recorded.",
                    source,
                )
            )
            continue
        counts = ", ".join(f"{count:,} {label.lower()}" for _, label, count in release.change_counts())
        result.facts.append(Fact(f"{release.system.name} {release.version}: {counts}.", source))
    result.found = bool(result.facts)
    return result


def _locality_named(item: FeeScheduleItem, words: str) -> Locality | None:
    wanted = words.lower()
    best = None
    for locality in Locality.objects.filter(schedule_id=item.schedule_id):
        full = locality.display_name.lower()
        # "Los Angeles-Long Beach-Anaheim (Los Angeles County)" is asked for as "Los Angeles".
        names = {full, re.split(r"[-(/]", full)[0].strip()}
        for candidate in names:
            bare = candidate.replace("rest of ", "").strip()
            named = len(bare) >= 4 and re.search(rf"\b{re.escape(bare)}\b", wanted)
            if named and (best is None or len(bare) > best[0]):
                best = (len(bare), locality)
    return best[1] if best else None


# what a release changed ------------------------------------------------------------------------------


def code_changes(code: Code) -> ToolResult:
    """What each loaded release did to a code: added, revised (with the text where we may show it), deleted."""
    result = ToolResult(tool="code_changes", focus=focus_of(code))
    changes = list(
        CodeChange.objects.filter(code=code).select_related("release__system").order_by("-release__date")
    )
    if not changes:
        result.found = False
        result.facts.append(
            Fact(
                f"No loaded release changed {name(code)}: it is unchanged since the first release we loaded "
                f"({release_label(code)} is the latest).",
                code_source(code),
            )
        )
        return result
    for change in changes:
        release = change.release
        source = Source(
            url=release.get_absolute_url(),
            label=f"{release.system.name} {release.version} changes",
            release=str(release),
        )
        text = {
            CodeChange.Kind.ADDED: f"{release.system.name} {release.version} added {name(code)}.",
            CodeChange.Kind.REVISED: f"{release.system.name} {release.version} revised the text of {name(code)}.",
            CodeChange.Kind.DELETED: f"{release.system.name} {release.version} deleted {name(code)}: it is no longer "
            "valid for billing from that release (its page stays, marked as such).",
        }.get(change.kind, f"{release.system.name} {release.version} changed {name(code)}.")
        details = []
        if change.kind == CodeChange.Kind.REVISED and (not code.text_licence or code.official_text_visible):
            details = [f"Before: {change.old_text}", f"After: {change.new_text}"]
        result.facts.append(Fact(text, source, details=details))
    return result


# guides ----------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/&{}]+", " ", text.lower())).strip()


def guide_matches(question: str, limit: int = 2) -> list[GuideArticle]:
    """Our guide articles whose keywords the question uses, the best match first."""
    asked = f" {_fold(question)} "
    scored = []
    for article in caches["local"].get_or_set(
        "casepilot:guides", lambda: list(GuideArticle.objects.filter(published=True)), 30
    ):
        score = sum(len(word) for word in article.keyword_list() if f" {_fold(word)} " in asked)
        if f" {_fold(article.title)} " in asked:
            score += 50
        if score:
            scored.append((score, article.title, article))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [article for _, _, article in scored[:limit]]


def guide(article: GuideArticle, *, paragraphs: int = 2) -> ToolResult:
    """A guide article we wrote: its summary and first paragraphs, citing its page."""
    source = guide_source(article)
    result = ToolResult(tool="guide")
    result.facts.append(Fact(article.summary, source))
    for paragraph in article.paragraphs()[:paragraphs]:
        result.facts.append(Fact(paragraph, source))
    return result


# For the language model: each tool by name, with its JSON schema. -----------------------------------

TOOL_SCHEMAS = [
    {
        "type": "function",
        "function": {
            "name": "code_lookup",
            "description": "What a code is (CPT, HCPCS, ICD-10-CM, ICD-10-PCS): title where allowed, plain "
            "text, billable, hierarchy, notes, payment.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "system": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "code_search",
            "description": "Codes that fit a description, best first, with what distinguishes them.",
            "parameters": {
                "type": "object",
                "properties": {"description": {"type": "string"}, "system": {"type": "string"}},
                "required": ["description"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "pair_check",
            "description": "Whether two codes may be coded together (Excludes1/Excludes2, code first, use "
            "additional code).",
            "parameters": {
                "type": "object",
                "properties": {"first": {"type": "string"}, "second": {"type": "string"}},
                "required": ["first", "second"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "modifiers",
            "description": "Whether modifiers 26/TC, 50, 51, 62, 66, 80/81/82/AS apply to a code, from the "
            "Medicare fee schedule's indicators; or what a modifier means.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "modifier": {"type": "string"}},
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "ncci_pair",
            "description": "Whether NCCI procedure-to-procedure edits bundle two CPT or HCPCS codes: column 1 "
            "and 2, the modifier indicator and whether a modifier may break the edit.",
            "parameters": {
                "type": "object",
                "properties": {"first": {"type": "string"}, "second": {"type": "string"}},
                "required": ["first", "second"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "units_per_day",
            "description": "A CPT or HCPCS code's medically unlikely edits (MUEs): at most how many units a "
            "day, with the adjudication indicator.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "place_of_service",
            "description": "What a place-of-service code (two digits, such as 11 or 21) is and whether the fee "
            "schedule pays it at the facility rate; with no code, which places are facility.",
            "parameters": {"type": "object", "properties": {"code": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "crosswalk",
            "description": "What the 2018 GEMs map a code to: an ICD-10-CM or ICD-10-PCS code to ICD-9-CM, or "
            "an ICD-9-CM code (system icd-9-cm, or icd-9-cm-procedure) to ICD-10.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "system": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "payment",
            "description": "Medicare national payment, RVUs and the change from last year for a CPT or HCPCS code.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "locality": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "global_days",
            "description": "A CPT or HCPCS code's global surgery period from the Medicare fee schedule.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "seventh_characters",
            "description": "The 7th characters and X placeholders an ICD-10-CM code needs.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "code_changes",
            "description": "What each loaded release changed for a code.",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}},
                "required": ["code"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "guideline",
            "description": "CodeAhead's own guide article on a coding topic (E/M levels, 7th characters, "
            "excludes notes, modifiers 25 and 59, 26/TC, global days, bilateral).",
            "parameters": {
                "type": "object",
                "properties": {"topic": {"type": "string"}},
                "required": ["topic"],
            },
        },
    },
]


def resolve(text: str, system: str = "") -> Code | None:
    """A code as a model or a question names it, in the system named (or the likeliest)."""
    mentions = find_mentions(
        f"{SYSTEM_NAMES.get(system, '')} {text}".strip() if system in SYSTEM_NAMES else text
    )
    return next((m.code for m in mentions if m.code), None)


def unknown_code(text: str) -> ToolResult:
    key = normalize_code(text)[:12]
    result = ToolResult(tool="code_lookup", found=False)
    near = nearest_codes(key)
    result.facts.append(
        Fact(
            f"{text[:12]} is not a code in the code sets CodeAhead has loaded.",
            Source(url=f"{reverse('lookup:search')}?q={key}", label=f"Search for {key}"),
            details=[f"Nearest: {name(c)} {title_of(c)}".strip() for c in near],
        )
    )
    for code in near[:2]:
        result.facts.append(Fact(f"{name(code)} {title_of(code)}".strip(), code_source(code)))
    return result


def run_tool(tool_name: str, arguments: dict) -> ToolResult:
    """Run a tool by the name a language model used; a bad name or argument is a result, not an error."""
    args = {key: str(value)[:200] for key, value in (arguments or {}).items() if isinstance(key, str)}
    if tool_name == "code_search":
        return code_search(args.get("description", ""), system=args.get("system", ""))
    if tool_name == "guideline":
        articles = guide_matches(args.get("topic", ""), limit=1)
        if articles:
            return guide(articles[0])
        return ToolResult(tool="guide", found=False)
    from casepilot import rule_tools

    if tool_name == "modifiers" and not args.get("code"):
        return rule_tools.modifier_meaning(args.get("modifier", ""))
    if tool_name == "place_of_service":
        return rule_tools.place_of_service(args["code"]) if args.get("code") else rule_tools.facility_places()
    if tool_name == "crosswalk" and args.get("system", "").lower().startswith("icd-9"):
        procedure = "proc" in args["system"].lower()
        return rule_tools.icd9_crosswalk(args.get("code", "")[:12], procedure=procedure)
    if tool_name in ("pair_check", "ncci_pair"):
        first, second = resolve(args.get("first", "")), resolve(args.get("second", ""))
        if first is None or second is None:
            return unknown_code(args.get("first", "") if first is None else args.get("second", ""))
        return rule_tools.ncci_pair(first, second) if tool_name == "ncci_pair" else pair_check(first, second)
    functions = {
        "code_lookup": lambda code: code_lookup(code),
        "modifiers": lambda code: rule_tools.modifiers_for(code, args.get("modifier", "")),
        "units_per_day": rule_tools.units_per_day,
        "crosswalk": rule_tools.crosswalk,
        "payment": lambda code: payment(code, locality_words=args.get("locality", "")),
        "seventh_characters": seventh_characters,
        "global_days": global_days,
        "code_changes": code_changes,
    }
    if tool_name not in functions:
        return ToolResult(tool=tool_name[:40], found=False)
    code = resolve(args.get("code", ""), args.get("system", "").lower())
    if code is None:
        return unknown_code(args.get("code", ""))
    return functions[tool_name](code)
