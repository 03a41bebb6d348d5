"""Coding-rule facts as plain functions: the pages, the API and the CasePilot assistant all call these.

Each returns a dataclass (turn it into JSON with `dataclasses.asdict`) carrying `source`: the
page of ours that shows the fact and the CMS release or file it comes from. They never return
CPT descriptors: a code is named by its number, with `title` only where the site may show it.
The signatures are stable:

    modifiers_for(code: str, year: int | None = None) -> ModifierFacts | None
    codes_for_modifier(modifier: str) -> ModifierUses | None
    pair_check(codes: str | Iterable[str], *, on: date | None = None) -> PairCheck
    mue(code: str) -> list[MueFact]
    pos(code: str) -> PlaceFact | None
    crosswalk(code: str) -> CrosswalkFacts

`codes` may be typed in any spelling and any mix of systems: "77307, 77300", "e11.9 E10.9",
["77307-26", "77300"] (a modifier after a dash is kept for the NCCI check).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse

from billing.models import FeeSchedule, FeeScheduleItem
from lookup.models import Code, normalize_code
from rules import places
from rules.models import EditRelease, GemMapping, Mue, PtpEdit
from rules.modifiers import NCCI_MODIFIER_SET, NCCI_MODIFIERS
from rules.notes import VERDICT_ALLOWED, VERDICT_NOT_TOGETHER, Lineages, NoteFinding
from rules.payment import ModifierRule, modifier_rules

PTP_URL = "https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-procedure-procedure-ptp-edits"
MUE_URL = "https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits/medicare-ncci-medically-unlikely-edits"
PFS_URL = "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files"
GEM_URL = "https://www.cms.gov/medicare/coding-billing/icd-10-codes"

MAX_CODES = 20
MAX_INPUT = 400


@dataclass(frozen=True)
class Source:
    url: str  # the page of ours that shows this fact (a path), or the publisher's page
    release: str  # the release and file it comes from
    publisher_url: str = ""


@dataclass
class CodeRef:
    """A code as the reader typed it, found (or not) in our code sets."""

    typed: str
    key: str
    code: str  # as published: E11.9
    system: str  # slug: cpt, hcpcs, icd-10-cm, icd-10-pcs; "" when unknown
    system_name: str
    found: bool
    title: str = ""  # only text the site may show (never a CPT descriptor without the licence)
    url: str = ""
    modifier: str = ""  # typed after a dash: 77300-59

    @property
    def label(self) -> str:
        return f"{self.code}-{self.modifier}" if self.modifier else self.code


# ---------------------------------------------------------------- modifiers


@dataclass
class ModifierFacts:
    code: CodeRef
    year: int
    years: list[int]
    status: str
    rules: list[ModifierRule]
    source: Source
    paid: bool = True  # False: CMS pays nothing under the schedule, so no modifier changes a payment


def modifiers_for(code: str, year: int | None = None) -> ModifierFacts | None:
    """Which payment modifiers apply to a CPT or HCPCS code in a fee-schedule year (the newest by
    default), and what each does to payment. None when the code is not in any fee schedule loaded
    (or not in the year asked for)."""
    key = normalize_code(code)
    items = list(
        FeeScheduleItem.objects.filter(hcpcs=key)
        .select_related("schedule", "code__system")
        .order_by("modifier")
    )
    years = sorted({item.schedule.year for item in items})
    if not years:
        return None
    chosen = year or years[-1]
    rows = {item.modifier: item for item in items if item.schedule.year == chosen}
    if not rows:
        return None
    base = rows.get("") or next(iter(rows.values()))
    schedule: FeeSchedule = base.schedule
    return ModifierFacts(
        code=_ref_for(base.code, typed=code),
        year=chosen,
        years=years,
        status=base.status,
        rules=modifier_rules(rows),
        paid=base.is_paid,
        source=Source(
            url=base.code.get_absolute_url() + "#modifiers",
            release=f"CY{schedule.year} Physician Fee Schedule, {schedule.release} ({schedule.source_name})",
            publisher_url=PFS_URL,
        ),
    )


# Which codes a modifier matters for, read from one fee-schedule year's indicators: the field
# of the code's row, the values that let the modifier apply, and what those values say.
_POSTOP = ("010", "090")
MODIFIER_INDICATORS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "26": ("pctc", ("1", "6"), "PC/TC indicator 1 or 6: a professional component to bill with 26"),
    "TC": ("pctc", ("1",), "PC/TC indicator 1: a technical component to bill with TC"),
    "50": ("bilateral_surgery", ("1", "3"), "bilateral surgery indicator 1 or 3: paid for both sides with 50"),
    "51": ("multiple_procedure", ("1", "2", "3"), "multiple procedure indicator 1, 2 or 3: the reduction applies"),
    "53": ("modifier", ("53",), "a discontinued-procedure (-53) line of their own"),
    "54": ("global_days", _POSTOP, "a 10- or 90-day global period, whose care may be shared out"),
    "55": ("global_days", _POSTOP, "a 10- or 90-day global period, whose care may be shared out"),
    "56": ("global_days", _POSTOP, "a 10- or 90-day global period, whose care may be shared out"),
    "24": ("global_days", _POSTOP, "a 10- or 90-day global period: later visits are in the package"),
    "58": ("global_days", _POSTOP, "a 10- or 90-day global period: a staged procedure starts a new one"),
    "78": ("global_days", _POSTOP, "a 10- or 90-day global period: a return to the operating room is in it"),
    "79": ("global_days", _POSTOP, "a 10- or 90-day global period: an unrelated procedure is paid apart"),
    "57": ("global_days", ("090",), "a 90-day global period: the visit deciding on surgery is in it"),
    "25": ("global_days", ("000", "010"), "a 0- or 10-day global period: a same-day visit is in it (25 goes on the visit)"),
    "62": ("co_surgery", ("1", "2"), "co-surgeons indicator 1 or 2: co-surgeons may be paid"),
    "66": ("team_surgery", ("1", "2"), "team surgery indicator 1 or 2: a surgical team may be paid"),
    "80": ("assistant_surgery", ("2",), "assistant at surgery indicator 2: an assistant is paid"),
    "81": ("assistant_surgery", ("2",), "assistant at surgery indicator 2: an assistant is paid"),
    "82": ("assistant_surgery", ("2",), "assistant at surgery indicator 2: an assistant is paid"),
    "AS": ("assistant_surgery", ("2",), "assistant at surgery indicator 2: an assistant is paid"),
}  # fmt: skip


@dataclass
class ModifierUses:
    """The codes a modifier matters for in the newest fee schedule, and NCCI pairs it may break."""

    modifier: str
    year: int | None = None
    rule: str = ""  # the indicator values that make it apply, in words
    count: int = 0
    codes: list[CodeRef] = field(default_factory=list)  # the first ones, in code order
    section: str = ""  # the code-page section that explains it there
    pairs: list[tuple[str, str]] = field(default_factory=list)  # NCCI edits it may break, a few
    source: Source | None = None


def codes_for_modifier(modifier: str, *, limit: int = 24) -> ModifierUses | None:
    """Where a modifier matters: the fee-schedule codes whose indicators let it apply (their count
    and the first `limit`), and a few NCCI edits it may break; None when neither applies."""
    key = normalize_code(modifier)
    uses = ModifierUses(modifier=key)
    releases = []
    if key in MODIFIER_INDICATORS:
        name, values, rule = MODIFIER_INDICATORS[key]
        schedule = FeeSchedule.objects.order_by("-year").first()
        if schedule is not None:
            rows = FeeScheduleItem.objects.filter(schedule=schedule, **{f"{name}__in": values})
            if name != "modifier":
                rows = rows.filter(modifier="")
            uses.year, uses.rule, uses.count = schedule.year, rule, rows.count()
            uses.section = "fee-schedule" if name == "modifier" else "modifiers"
            found = rows.select_related("code__system").order_by("hcpcs")[:limit]
            # A public list (/modifiers/<m>/ and its API twin): titles as every reader's lists show them.
            uses.codes = [
                replace(_ref_for(item.code, typed=item.hcpcs), title=item.code.public_title) for item in found
            ]
            releases.append(f"CY{schedule.year} Physician Fee Schedule, {schedule.release}")
    if key in NCCI_MODIFIER_SET:
        # Edits in effect that a modifier may break (indicator 1): the primary key's order, a few.
        edits = PtpEdit.objects.filter(modifier_indicator="1", deletion_date__isnull=True).order_by(
            "column1", "column2"
        )
        uses.pairs = [(e.column1, e.column2) for e in edits.only("column1", "column2")[:6]]
        if uses.pairs:
            releases += [_release_label(r) for k, r in sorted(_releases().items()) if k.startswith("ptp-")]
    if not (uses.count or uses.pairs):
        return None
    uses.source = Source(
        url=reverse("rules:modifier", args=[key]),
        release="; ".join(releases),
        publisher_url=PFS_URL if uses.count else PTP_URL,
    )
    return uses


# ---------------------------------------------------------------- codes as typed

_TOKEN_SPLIT = re.compile(r"[\s,;|+]+")
_WITH_MODIFIER = re.compile(r"^([0-9A-Z]{5})-([0-9A-Z]{2})$")
_CPT_SHAPE = re.compile(r"^[0-9]{4}[0-9FTU]$")
_HCPCS_SHAPE = re.compile(r"^[A-V][0-9]{4}$")
_ICD10CM_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:[0-9A-Z]{1,4})?$")
_PCS_SHAPE = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
SYSTEM_NAMES = {"cpt": "CPT", "hcpcs": "HCPCS Level II", "icd-10-cm": "ICD-10-CM", "icd-10-pcs": "ICD-10-PCS"}


class CodeInputError(ValueError):
    """Codes typed that cannot be checked: the message says why, in one sentence."""


def split_codes(codes: str | Iterable[str]) -> list[str]:
    text = codes if isinstance(codes, str) else ",".join(codes)
    if "\x00" in text:
        raise CodeInputError("The codes contain a character no code has.")
    if len(text) > MAX_INPUT:
        raise CodeInputError(f"Type at most {MAX_INPUT} characters of codes.")
    tokens = [t for t in _TOKEN_SPLIT.split(text.strip()) if t]
    if len(tokens) < 2:
        raise CodeInputError("Type at least two codes, separated by commas or spaces.")
    if len(tokens) > MAX_CODES:
        raise CodeInputError(f"Check at most {MAX_CODES} codes at once.")
    return tokens


def _ref_for(code: Code, *, typed: str, modifier: str = "") -> CodeRef:
    return CodeRef(
        typed=typed,
        key=code.key,
        code=code.code,
        system=code.system.slug,
        system_name=code.system.name,
        found=True,
        title=code.display_title,
        url=code.get_absolute_url(),
        modifier=modifier,
    )


def _preferred(typed: str, matches: list[Code]) -> Code:
    """One key may be a code in two systems (J1100 in HCPCS, J11.00 in ICD-10-CM): a dot means ICD-10."""
    order = (
        ["icd-10-cm", "icd-10-pcs", "cpt", "hcpcs"]
        if "." in typed
        else ["cpt", "hcpcs", "icd-10-pcs", "icd-10-cm"]
    )
    return min(matches, key=lambda c: order.index(c.system.slug) if c.system.slug in order else 9)


def resolve(codes: str | Iterable[str]) -> tuple[list[CodeRef], list[Code]]:
    """The codes typed, in order and without repeats, and the Code rows found, in one query."""
    parsed = []
    for token in split_codes(codes):
        upper = token.upper()
        modifier = ""
        if found := _WITH_MODIFIER.match(upper):
            upper, modifier = found.groups()
        key = normalize_code(upper)
        if not key or len(key) > 8:
            raise CodeInputError(f"{token[:20]!r} is not a code.")
        parsed.append((token, upper, key, modifier))
    keys = {key for _, _, key, _ in parsed}
    rows: dict[str, list[Code]] = {}
    for row in Code.objects.filter(key__in=keys).exclude(kind=Code.Kind.MODIFIER).select_related("system"):
        rows.setdefault(row.key, []).append(row)
    refs, found_codes, seen = [], [], set()
    for token, upper, key, modifier in parsed:
        if (key, modifier) in seen:
            continue
        seen.add((key, modifier))
        if key in rows:
            code = _preferred(upper, rows[key])
            refs.append(_ref_for(code, typed=token, modifier=modifier))
            found_codes.append(code)
            continue
        system = next(
            (
                slug
                for slug, shape in (
                    ("cpt", _CPT_SHAPE),
                    ("hcpcs", _HCPCS_SHAPE),
                    ("icd-10-pcs", _PCS_SHAPE),
                    ("icd-10-cm", _ICD10CM_SHAPE),
                )
                if shape.match(key)
            ),
            "",
        )
        if not system:
            raise CodeInputError(f"{token[:20]!r} is not a CPT, HCPCS, ICD-10-CM or ICD-10-PCS code.")
        refs.append(
            CodeRef(
                typed=token,
                key=key,
                code=upper,
                system=system,
                system_name=SYSTEM_NAMES[system],
                found=False,
                modifier=modifier,
            )
        )
    if len(refs) < 2:
        raise CodeInputError("Type at least two different codes.")
    return refs, found_codes


# ---------------------------------------------------------------- NCCI


@dataclass
class PtpFact:
    setting: str  # "Practitioner" or "Hospital outpatient"
    column1: str
    column2: str
    effective: datetime.date
    deleted: datetime.date | None
    active: bool
    modifier_indicator: str
    modifier_meaning: str
    modifiers: dict[str, list[str]]  # the modifiers that may break it, by kind; empty when none may
    rationale: str
    source: Source


@dataclass
class MueFact:
    code: str
    setting: str
    units: int
    adjudication: str
    adjudication_meaning: str
    rationale: str
    source: Source
    adjudication_short: str = ""


RELEASES_KEY = "rules:releases"
RELEASES_CACHE_SECONDS = 60


def _releases() -> dict[str, EditRelease]:
    """The newest release of each kind. A handful of rows that change with a quarterly import,
    asked for by every code page: each process keeps them a minute (the importing one drops them)."""

    def newest() -> dict[str, EditRelease]:
        found: dict[str, EditRelease] = {}
        for release in EditRelease.objects.order_by("kind", "-date", "-imported_at"):
            found.setdefault(release.kind, release)
        return found

    return caches["local"].get_or_set(RELEASES_KEY, newest, RELEASES_CACHE_SECONDS)


def _release_label(release: EditRelease | None) -> str:
    if release is None:
        return "not loaded"
    return f"{release.get_kind_display()} {release.version}, effective {release.date:%B %-d, %Y} ({release.source_name})"


PTP_KIND = {PtpEdit.Setting.PRACTITIONER: "ptp-practitioner", PtpEdit.Setting.OUTPATIENT: "ptp-outpatient"}
MUE_KIND = {
    Mue.Setting.PRACTITIONER: "mue-practitioner",
    Mue.Setting.OUTPATIENT: "mue-outpatient",
    Mue.Setting.DME: "mue-dme",
}


def releases_loaded(prefix: str) -> list[str]:
    """The newest loaded release of each kind whose name starts with prefix ("ptp", "mue", "gem"),
    one label each: empty when none is loaded."""
    return [_release_label(r) for k, r in sorted(_releases().items()) if k.startswith(prefix)]


def editions_loaded() -> list[str]:
    """The NCCI and MUE releases loaded, one label each (for a section to name its sources)."""
    return [_release_label(r) for k, r in sorted(_releases().items()) if not k.startswith("gem-")]


def ptp_edits_between(first: str, second: str) -> list[PtpEdit]:
    """The stored PTP edits of a pair, in either order (one indexed query)."""
    a, b = normalize_code(first), normalize_code(second)
    # Both columns IN the pair: one scan of the unique index, where an OR of two made a bitmap.
    edits = PtpEdit.objects.filter(column1__in=[a, b], column2__in=[a, b]).select_related("rationale")
    return [edit for edit in edits if {edit.column1, edit.column2} == {a, b}]


def _ptp_fact(edit: PtpEdit, on: datetime.date, releases: dict[str, EditRelease]) -> PtpFact:
    active = edit.effective_date <= on and (edit.deletion_date is None or on < edit.deletion_date)
    return PtpFact(
        setting=edit.get_setting_display(),
        column1=edit.column1,
        column2=edit.column2,
        effective=edit.effective_date,
        deleted=edit.deletion_date,
        active=active,
        modifier_indicator=edit.modifier_indicator,
        modifier_meaning=edit.get_modifier_indicator_display(),
        modifiers=NCCI_MODIFIERS if edit.modifier_indicator == "1" else {},
        rationale=edit.rationale.text,
        source=Source(
            url=reverse("rules:check") + f"?codes={edit.column1},{edit.column2}",
            release=_release_label(releases.get(PTP_KIND[edit.setting])),
            publisher_url=PTP_URL,
        ),
    )


ADJUDICATION_SHORT = {"1": "Per claim line", "2": "Per day, absolute", "3": "Per day, clinical"}


def _mue_fact(row: Mue, releases: dict[str, EditRelease]) -> MueFact:
    return MueFact(
        code=row.code,
        setting=row.get_setting_display(),
        units=row.units,
        adjudication=row.adjudication,
        adjudication_meaning=row.get_adjudication_display(),
        rationale=row.rationale.text,
        adjudication_short=ADJUDICATION_SHORT.get(row.adjudication, row.adjudication),
        source=Source(
            url=reverse("lookup:code_any", args=[row.code]),
            release=_release_label(releases.get(MUE_KIND[row.setting])),
            publisher_url=MUE_URL,
        ),
    )


def mue(code: str) -> list[MueFact]:
    """The medically unlikely edits of a code: at most how many units a day, per setting."""
    key = normalize_code(code)
    rows = list(Mue.objects.filter(code=key).select_related("rationale").order_by("setting"))
    if not rows:
        return []
    releases = _releases()
    return [_mue_fact(row, releases) for row in rows]


# ---------------------------------------------------------------- pair check


@dataclass
class PairResult:
    first: CodeRef
    second: CodeRef
    verdict: str  # "bundled", "modifier may apply", "not together", "allowed", "no edit"
    summary: str  # one sentence in our words
    ncci: list[PtpFact] = field(default_factory=list)
    notes: list[NoteFinding] = field(default_factory=list)
    modifier_used: str = ""  # a typed modifier that breaks an edit with indicator 1


@dataclass
class PairCheck:
    codes: list[CodeRef]
    pairs: list[PairResult]
    mues: dict[str, list[MueFact]]
    on: datetime.date
    sources: list[Source]
    unknown: list[CodeRef]


NCCI_SYSTEMS = {"cpt", "hcpcs"}


def _summary_for_ncci(first: CodeRef, second: CodeRef, edits: list[PtpFact]) -> tuple[str, str, str]:
    active = [e for e in edits if e.active]
    if not active:
        if edits:
            return "no edit", "An NCCI edit for this pair was deleted; today they may be billed together.", ""
        return "no edit", "No NCCI edit bundles these two codes: each may be paid.", ""
    edit = active[0]
    column2 = first if first.key == edit.column2 else second
    if edit.modifier_indicator == "1":
        typed = column2.modifier if column2.modifier in NCCI_MODIFIER_SET else ""
        if typed:
            return (
                "modifier may apply",
                f"{edit.column2} is bundled into {edit.column1}, but modifier {typed} may break the edit when "
                "the services were truly distinct; document why.",
                typed,
            )
        return (
            "modifier may apply",
            f"{edit.column2} is bundled into {edit.column1} (column 1, paid); a modifier such as 59, XE, XS, XP "
            f"or XU on {edit.column2} may break the edit when the services were truly distinct.",
            "",
        )
    return (
        "bundled",
        f"{edit.column2} is bundled into {edit.column1} (column 1, paid) and no modifier breaks this edit: "
        f"{edit.column2} is not paid with {edit.column1}.",
        "",
    )


def pair_check(codes: str | Iterable[str], *, on: datetime.date | None = None) -> PairCheck:
    """Every pair of the codes: NCCI bundling (both settings), and for ICD-10-CM codes what
    Excludes1, Excludes2, code-first and use-additional-code notes say; and each code's MUEs.
    Raises CodeInputError, with a sentence for the reader, when the codes cannot be read."""
    on = on or datetime.date.today()
    refs, found = resolve(codes)
    releases = _releases()
    ncci_keys = {r.key for r in refs if r.system in NCCI_SYSTEMS}
    edits: dict[frozenset, list[PtpFact]] = {}
    if len(ncci_keys) >= 2:
        rows = PtpEdit.objects.filter(column1__in=ncci_keys, column2__in=ncci_keys).select_related(
            "rationale"
        )
        for edit in rows.order_by("-setting", "-effective_date"):
            edits.setdefault(frozenset((edit.column1, edit.column2)), []).append(
                _ptp_fact(edit, on, releases)
            )
    mues: dict[str, list[MueFact]] = {}
    for row in (
        Mue.objects.filter(code__in=ncci_keys).select_related("rationale").order_by("code", "-setting")
    ):
        mues.setdefault(row.code, []).append(_mue_fact(row, releases))

    by_key = {c.key: c for c in found if c.system.slug == "icd-10-cm"}
    lineages = Lineages(list(by_key.values())) if by_key else None

    pairs = []
    for i, first in enumerate(refs):
        for second in refs[i + 1 :]:
            if first.key == second.key:
                continue
            if first.system in NCCI_SYSTEMS and second.system in NCCI_SYSTEMS:
                facts = edits.get(frozenset((first.key, second.key)), [])
                verdict, summary, used = _summary_for_ncci(first, second, facts)
                pairs.append(PairResult(first, second, verdict, summary, ncci=facts, modifier_used=used))
            elif first.system == "icd-10-cm" and second.system == "icd-10-cm":
                findings = []
                for one, other in ((first, second), (second, first)):
                    if one.key in by_key and lineages:
                        findings += lineages.findings(by_key[one.key], other.key, other.code)
                excludes1 = [f for f in findings if f.verdict == VERDICT_NOT_TOGETHER]
                if excludes1:
                    note = excludes1[0]
                    summary = (
                        f"Not together: Excludes1 at {note.at} ({note.note}) forbids coding {note.code} with "
                        f"{note.other}."
                    )
                    pairs.append(PairResult(first, second, VERDICT_NOT_TOGETHER, summary, notes=findings))
                else:
                    order = [f for f in findings if f.kind in ("code_first", "use_additional_code")]
                    summary = "Allowed: no Excludes1 note forbids these codes together."
                    if any(f.kind == "excludes2" for f in findings):
                        summary = "Allowed: an Excludes2 note says both may be coded when both are present."
                    if order:
                        summary += " " + order[0].says
                    pairs.append(PairResult(first, second, VERDICT_ALLOWED, summary, notes=findings))
            else:
                pairs.append(
                    PairResult(
                        first,
                        second,
                        "no edit",
                        f"No pair rule between {first.system_name} and {second.system_name} codes: NCCI edits pair "
                        "procedure codes, and ICD-10-CM notes pair diagnoses.",
                    )
                )
    sources = [
        Source(
            reverse("rules:check"),
            _release_label(releases.get(kind)),
            PTP_URL if kind.startswith("ptp") else MUE_URL,
        )
        for kind in ("ptp-practitioner", "ptp-outpatient", "mue-practitioner", "mue-outpatient", "mue-dme")
        if kind in releases
    ]
    if any(r.system == "icd-10-cm" for r in refs):
        icd = next((c for c in found if c.system.slug == "icd-10-cm"), None)
        newest = icd.system.releases.first() if icd else None
        sources.append(
            Source(
                reverse("rules:check"), f"ICD-10-CM tabular list {newest.version if newest else ''}".strip()
            )
        )
    return PairCheck(
        codes=refs, pairs=pairs, mues=mues, on=on, sources=sources, unknown=[r for r in refs if not r.found]
    )


# ---------------------------------------------------------------- places of service


@dataclass
class PlaceFact:
    code: str
    name: str
    description: str
    rate: str  # "facility" or "non-facility"
    rate_explained: str
    rate_note: str  # the condition on the rate, where there is one (an ASC: the procedure's list)
    source: Source


def pos(code: str) -> PlaceFact | None:
    """A place-of-service code ("11", "21") and the fee-schedule rate it is paid at; None if no such code."""
    found = places.place(code)
    if found is None:
        return None
    return PlaceFact(
        code=found.code,
        name=found.name,
        description=found.description,
        rate=found.rate,
        rate_explained=found.rate_explained,
        rate_note=found.rate_note,
        source=Source(found.url, places.RELEASE, places.SOURCE_URL),
    )


# ---------------------------------------------------------------- crosswalks

FLAG_MEANINGS = {
    "approximate": "Approximate: the two codes do not mean exactly the same; the target is the closest fit.",
    "exact": "Identical in meaning: the target says the same as the source.",
    "no_map": "No map: nothing in the other code set corresponds to this code.",
    "combination": "Combination: the source needs more than one target code together to say the same thing.",
}
GEM_SYSTEMS = {
    "gem-i9-i10cm": ("ICD-9-CM", "ICD-10-CM"),
    "gem-i10cm-i9": ("ICD-10-CM", "ICD-9-CM"),
    "gem-i9-i10pcs": ("ICD-9-CM procedures", "ICD-10-PCS"),
    "gem-i10pcs-i9": ("ICD-10-PCS", "ICD-9-CM procedures"),
}


@dataclass
class MappingFact:
    direction: str
    from_system: str
    to_system: str
    source: str
    target: str  # "" for no map
    target_url: str
    approximate: bool
    no_map: bool
    combination: bool
    scenario: int
    choice_list: int
    meaning: list[str]


@dataclass
class CrosswalkFacts:
    code: str
    forward: list[MappingFact]  # from this code to the other system
    backward: list[MappingFact]  # from codes of the other system to this one
    loaded: bool
    source: Source


def _display(system: str, key: str) -> str:
    """Codes as published: ICD-10-CM gets its dot after three characters, ICD-9-CM diagnoses too."""
    if system == "ICD-10-CM" and len(key) > 3:
        return f"{key[:3]}.{key[3:]}"
    if system == "ICD-9-CM" and len(key) > 3:
        head = 4 if key.startswith("E") else 3
        return f"{key[:head]}.{key[head:]}" if len(key) > head else key
    if system == "ICD-9-CM procedures" and len(key) > 2:
        return f"{key[:2]}.{key[2:]}"
    return key


def _mapping_fact(row: GemMapping) -> MappingFact:
    from_system, to_system = GEM_SYSTEMS[row.direction]
    meaning = []
    if row.no_map:
        meaning.append(FLAG_MEANINGS["no_map"])
    else:
        meaning.append(FLAG_MEANINGS["approximate" if row.approximate else "exact"])
    if row.combination:
        meaning.append(
            f"{FLAG_MEANINGS['combination']} This is part of scenario {row.scenario}: use one code from each choice "
            f"list of the scenario (this one is in choice list {row.choice_list})."
        )
    target = "" if row.no_map else _display(to_system, row.target)
    slug = {"ICD-10-CM": "icd-10-cm", "ICD-10-PCS": "icd-10-pcs"}.get(to_system)
    return MappingFact(
        direction=row.direction,
        from_system=from_system,
        to_system=to_system,
        source=_display(from_system, row.source),
        target=target,
        target_url=reverse("lookup:code", args=[slug, target]) if slug and target else "",
        approximate=row.approximate,
        no_map=row.no_map,
        combination=row.combination,
        scenario=row.scenario,
        choice_list=row.choice_list,
        meaning=meaning,
    )


def gem_mappings(code: str) -> list[GemMapping]:
    """The GEM lines from an ICD-10-CM or ICD-10-PCS code, and to it, in one query."""
    key = normalize_code(code)
    if not key:
        return []
    return list(
        GemMapping.objects.filter(
            Q(source=key, direction__in=["gem-i10cm-i9", "gem-i10pcs-i9"])
            | Q(target=key, direction__in=["gem-i9-i10cm", "gem-i9-i10pcs"])
        ).order_by("direction", "scenario", "choice_list", "source", "target")
    )


def crosswalk(code: str, *, mappings: list[GemMapping] | None = None) -> CrosswalkFacts:
    """What the 2018 GEMs map an ICD-10-CM or ICD-10-PCS code to in ICD-9-CM, and which ICD-9-CM
    codes map to it, each line with its flags in plain words. `mappings`: gem_mappings(code), when
    the caller has them already."""
    key = normalize_code(code)
    rows = gem_mappings(code) if mappings is None else mappings
    releases = [r for k, r in _releases().items() if k.startswith("gem-")]
    label = ", ".join(sorted({f"{r.get_kind_display()} {r.version}" for r in releases})) or "not loaded"
    return CrosswalkFacts(
        code=code,
        forward=[_mapping_fact(r) for r in rows if r.source == key],
        backward=[_mapping_fact(r) for r in rows if r.target == key],
        loaded=bool(releases),
        source=Source(
            url=reverse("lookup:code_any", args=[key]) + "#crosswalk" if key else "",
            release=label,
            publisher_url=GEM_URL,
        ),
    )


def icd9_crosswalk(code: str) -> CrosswalkFacts:
    """What the 2018 GEMs map an ICD-9-CM code (a diagnosis or a procedure) to in ICD-10-CM or
    ICD-10-PCS, and which ICD-10 codes map back to it. We keep no ICD-9-CM pages: each line's
    page is the ICD-10 code's (its crosswalk section lists the same line)."""
    key = normalize_code(code)
    rows = (
        list(
            GemMapping.objects.filter(
                Q(source=key, direction__in=["gem-i9-i10cm", "gem-i9-i10pcs"])
                | Q(target=key, direction__in=["gem-i10cm-i9", "gem-i10pcs-i9"])
            ).order_by("direction", "scenario", "choice_list", "source", "target")
        )
        if key
        else []
    )
    releases = [r for k, r in _releases().items() if k.startswith("gem-")]
    label = ", ".join(sorted({f"{r.get_kind_display()} {r.version}" for r in releases})) or "not loaded"
    return CrosswalkFacts(
        code=code,
        forward=[_mapping_fact(r) for r in rows if r.source == key],
        backward=[_mapping_fact(r) for r in rows if r.target == key],
        loaded=bool(releases),
        source=Source(url="", release=label, publisher_url=GEM_URL),
    )
