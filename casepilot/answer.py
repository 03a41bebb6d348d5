"""The offline answerer: recognise what is asked, call the tools, compose the answer from their facts.

Nothing here states a code, a rule or an amount of its own: every sentence of an answer is a
tool's fact (with its source) or a fixed sentence that says what we could not find. Questions
it does not recognise get an honest "I don't know", the closest pages and the expert button.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import Truncator

from casepilot import rule_tools, sources, tools
from casepilot.checker import check_answer
from casepilot.facts import Answer, Fact, Link, Source
from casepilot.models import GuideArticle
from lookup.models import normalize_code

MAX_QUESTION_LENGTH = 1000

EXAMPLES = [
    "What is CPT code 99213?",
    "e119",
    "J1100",
    "Code for torus fracture of right radius, initial encounter",
    "Can E11.9 and E10.9 be coded together?",
    "Does modifier 26 apply to 77307?",
    "How much does Medicare pay for 99214?",
    "Which 7th character for S52.521?",
    "Guidelines for E/M services",
    "Excludes1 vs Excludes2",
    "Can I bill 77307 with 77300?",
    "How many units of J1100 per day?",
    "What is place of service 11?",
    "What does ICD-9 250.00 map to?",
]


class Kind:
    EMPTY = "empty"
    TOO_LONG = "too_long"
    REFUSED = "refused"
    INJECTION = "injection"
    CODE = "code"
    NOT_A_CODE = "not_a_code"
    SEARCH = "search"
    PAIR = "pair"
    MODIFIER = "modifier"
    MODIFIER_MEANING = "modifier_meaning"
    PAYMENT = "payment"
    SEVENTH = "seventh"
    CHANGES = "changes"
    GUIDE = "guide"
    GLOBAL = "global_days"
    NCCI = "ncci"
    MUE = "mue"
    POS = "place_of_service"
    CROSSWALK = "crosswalk"
    RULES = "rules_not_loaded"
    KNOWLEDGE = "knowledge_base"
    UNKNOWN = "unknown"


KIND_LABELS = {
    Kind.CODE: "What a code is",
    Kind.NOT_A_CODE: "A code that does not exist",
    Kind.SEARCH: "Which code fits",
    Kind.PAIR: "Two codes together",
    Kind.MODIFIER: "Modifiers for a code",
    Kind.MODIFIER_MEANING: "What a modifier means",
    Kind.PAYMENT: "Payment",
    Kind.SEVENTH: "7th characters",
    Kind.CHANGES: "What a release changed",
    Kind.GUIDE: "Guidelines",
    Kind.GLOBAL: "Global surgery days",
    Kind.NCCI: "NCCI pair edits",
    Kind.MUE: "Units per day (MUEs)",
    Kind.POS: "Places of service",
    Kind.CROSSWALK: "Crosswalks (GEMs)",
    Kind.RULES: "Rule files not loaded",
    Kind.KNOWLEDGE: "From our experts' answers",
    Kind.UNKNOWN: "Not known",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(r"<[^>]{0,200}>")
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompt|above)\b|system prompt|\byou are now\b"
    r"|\bjailbreak\b|\bpretend (to be|you)\b|\bact as\b|\bdeveloper mode\b",
    re.IGNORECASE,
)
_MUE = re.compile(
    r"\bmues?\b|medically unlikely|\bhow many (units|times)\b|\bunits?\b.{0,30}\b(per|a|each|in one) "
    r"(day|claim|date|line)\b|\bunits? (allowed|per day|a day)\b|\bmax(imum)? (number of )?units\b"
    r"|(?<!value )\bunits?\b",
    re.IGNORECASE,
)
_POS = re.compile(r"\bplaces? of service\b|\bpos\b", re.IGNORECASE)
_POS_NUMBER = re.compile(
    r"\b(?:places? of service|pos)(?:\s+code)?\s*#?\s*(?P<a>\d{1,2})\b|\b(?P<b>\d{1,2})\s+(?:places? of service|pos)\b",
    re.IGNORECASE,
)
_CROSSWALK = re.compile(
    r"\bcrosswalks?\b|\bgems?\b|\bmaps?\b|\bmapping\b|\bmapped\b|\bicd[- ]?9\b|\bequivalent\b|\bconvert\b",
    re.IGNORECASE,
)
# An ICD-9-CM code: named as one ("ICD-9 250.00", "icd9 procedure 81.54"), or dotted in its own shape.
_ICD9_NAMED = re.compile(
    r"\bicd[- ]?9(?:[- ]?cm)?(?P<proc>\s+procedures?)?(?:\s+(?:code|diagnosis))?\s+"
    r"(?P<code>[0-9VvEe][0-9]{1,4}(?:\.[0-9]{1,2})?)(?![0-9A-Za-z.])",
    re.IGNORECASE,
)
_ICD9_DOTTED = re.compile(r"(?<![\w.$])(?P<code>(?:[0-9]{3}|[Vv][0-9]{2}|[Ee][0-9]{3})\.[0-9]{1,2})(?![\w.])")
_CODE_WITH_MODIFIER = re.compile(r"\b([0-9]{4}[0-9A-Z]|[A-V][0-9]{4})-([0-9A-Za-z]{2})\b")
_NCCI_WORDS = re.compile(r"\bncci\b|\bptp\b|procedure.to.procedure|\bbundl", re.IGNORECASE)
_GLOBAL = re.compile(r"\bglobal (period|days?|surgery|package)\b|\bpost-?op(erative)? (period|days)\b", re.I)
_SEVENTH = re.compile(r"\b(7th|seventh)\b|\bplaceholders?\b|\bextension character", re.IGNORECASE)
_CHANGES = re.compile(
    r"\bchang(e|ed|es)\b|\bstill valid\b|\bvalid (in|for|since|until)\b|\bdeleted\b|\bexpired?\b|\bnew (in|this|for)\b|\bnew\?|\badded\b|\brevis(ed|ion)\b|\bdeleted\b|\bwhat'?s new\b|\brelease\b|\bupdated?\b",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"\bpa(y|ys|id|yment)\b|\breimburs|\bfees?\b|\brvus?\b|\brelative value|\bprice\b|\bcost\b|\bhow much\b"
    r"|\ballowable\b|\bconversion factor\b|\brate\b",
    re.IGNORECASE,
)
_MODIFIER_NAMED = re.compile(
    r"\b(?:modifiers?|mod\.?)\s*-?\s*(?P<mod>\d{2}|[A-Z]{2}|X\{?EPSU\}?)\b"
    r"|(?:\bwith|\band|\busing|\bplus)\s+-?(?P<mod2>2[0-9]|5[0-9]|6[26]|7[6-9]|8[0-2]|TC|AS|XE|XS|XP|XU|RT|LT)\b"
    r"|(?<![A-Za-z0-9])-(?P<mod3>2[456]|5[0179]|6[26]|8[0-2]|TC|XE|XS|XP|XU)\b"
    r"|\b(?P<mod4>TC|XE|XS|XP|XU)\b"
    r"|\b(?P<mod5>[A-Z][A-Z0-9]|[0-9]{2})(?=\s+modifiers?\b)",
    re.IGNORECASE,
)
_MODIFIER_WORDS = re.compile(
    r"\bmodifiers?\b|\bbilateral\b|\bassistant\b|\bco-?surg|\bteam surgery\b|\bmultiple procedures?\b"
    r"|\bprofessional component\b|\btechnical component\b",
    re.IGNORECASE,
)
_MEANING = re.compile(
    r"\bmean(s|ing)?\b|\bwhat (is|are|does)\b|\bexplain\b|\bdefin|\bwhen (do|to|should)\b", re.I
)
_COMPARE = re.compile(r"\bcompare|\bdifferen|\bdiffer\b|\bvs\.?\b|\bversus\b", re.IGNORECASE)
_PAIR = re.compile(r"\btogether\b|\bsame claim\b|\bboth\b|\bcompare\b|\bvs\.?\b|\bversus\b|\bexcludes", re.I)
_SEARCH = re.compile(
    r"\b(code|codes) for\b|\bwhich code\b|\bwhat code\b|\bhow (do i|to|should i|would i) code\b|\bcode (a|an|the)\b"
    r"|\bdiagnosis code\b|\bicd[- ]?10(-cm)? (code )?for\b|\bfind (the|a) code\b|\bbest code\b",
    re.IGNORECASE,
)
_SEARCH_LEAD = re.compile(
    r"^(what|which) (is|are) (the )?(best |right |correct )?(icd[- ]?10(-cm)? |cpt |hcpcs )?(diagnosis )?codes? for\s+"
    r"|^(what|which) (icd[- ]?10(-cm)? |cpt |hcpcs )?(diagnosis )?codes? (is |fits |should i use )?(for )?"
    r"|^(icd[- ]?10(-cm)?|cpt|hcpcs) (codes? )?for\s+|^how (do i|to|should i|would i) code\s+|^(icd[- ]?10(-cm)?|cpt|hcpcs|diagnosis) codes? for\s+|^codes? for\s+"
    r"|^find (the|a) code for\s+|^best code for\s+",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"\b(it|this|that|its|this code|that code|the code)\b|^\s*(and|what about|how about|with)\b|\bbillable\b",
    re.IGNORECASE,
)
_QUESTION_WORDS = re.compile(r"\b(who|what|when|where|why|how|can|should|is|are|do|does|will|tell)\b", re.I)


def clean_question(text: str) -> str:
    """The question as read: control characters (NUL...) dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())


def expert_url(question: str) -> str:
    return f"/consultant/ask/?{urlencode({'q': question[:500]})}"


def answer_question(text: str, *, focus: str = "") -> Answer:
    """The checked offline answer to a question, with the code in focus for follow-ups."""
    question = clean_question(text)
    answer = _compose(question, focus=focus)
    if answer.kind not in (Kind.EMPTY, Kind.TOO_LONG, Kind.INJECTION, Kind.REFUSED):
        _add_published_answers(answer)
    check_answer(answer)
    if answer.kind == Kind.UNKNOWN or answer.ask_expert:
        answer.ask_expert = True
    return answer


def _add_published_answers(answer: Answer) -> None:
    """Our experts' published answers to a question like this one (the knowledge sources other apps
    register, casepilot/sources.py): cited after the facts, or as the answer when we had none."""
    facts = sources.find(answer.question)
    if not facts:
        return
    if answer.kind == Kind.UNKNOWN:
        answer.kind = Kind.KNOWLEDGE
        answer.headline = (
            "CodeAhead's data does not answer that directly, but one of our coding experts answered a question "
            "like it; read the answer below, or ask an expert yourself."
        )
        answer.suggestions = [link for link in answer.suggestions if link.url != reverse("casepilot:guides")]
    answer.facts.extend(facts)
    if "knowledge_base" not in answer.tools_used:
        answer.tools_used.append("knowledge_base")


def fixed_answer(question: str, kind: str, headline: str) -> Answer:
    return Answer(question=question, kind=kind, headline=headline)


def _compose(question: str, *, focus: str) -> Answer:
    if not question:
        return fixed_answer(
            question, Kind.EMPTY, "Type a question about a code, a modifier, a payment or a guideline."
        )
    if len(question) > MAX_QUESTION_LENGTH:
        return fixed_answer(
            question[:200],
            Kind.TOO_LONG,
            f"That question is {len(question):,} characters long; CasePilot reads at most "
            f"{MAX_QUESTION_LENGTH:,}. Ask about one code or one topic at a time.",
        )
    injection = bool(_INJECTION.search(question))
    # Markup is no part of a question: route on its text (the page escapes what it echoes).
    answer = _route(_TAG.sub(" ", question).strip() or question, focus=focus, searching=not injection)
    answer.question = question
    if injection:
        note = "CasePilot does not take instructions: it answers only from CodeAhead's data, with sources."
        if answer.kind in (Kind.UNKNOWN, Kind.SEARCH):
            answer.facts, answer.tools_used, answer.suggestions = [], [], []
            answer.kind = Kind.INJECTION
            answer.headline = note
        else:
            answer.flags.append(note)
    return answer


def _modifiers_named(question: str) -> list[str]:
    found = []
    for match in _MODIFIER_NAMED.finditer(question):
        typed = next(m for m in match.groups() if m)
        mod = typed.upper().replace("{", "").replace("}", "")
        # "modifier do I use": a lower-case word is a modifier only when it is a common one (tc, xs).
        if typed != typed.upper() and not rule_tools.known_modifier(mod) and not mod.startswith("XE"):
            continue
        if mod in ("THE", "A", "AN") or (
            mod.isalpha() and len(mod) == 2 and mod in ("IS", "IN", "OR", "TO", "OF")
        ):
            continue
        if mod == "XEPSU":
            found.extend(["XE", "XS", "XP", "XU"])
        elif mod not in found and (mod.isdigit() or rule_tools.known_modifier(mod) or len(mod) == 2):
            found.append(mod)
    return found


def _icd9_asked(question: str) -> tuple[str, bool] | None:
    """The ICD-9-CM code a question asks about (and whether it is a procedure), if any."""
    named = _ICD9_NAMED.search(question)
    if named:
        return named.group("code"), bool(named.group("proc")) or bool(
            re.fullmatch(r"\d{2}(\.\d+)?", named.group("code"))
        )
    dotted = _ICD9_DOTTED.search(question)
    if dotted and _CROSSWALK.search(question):
        return dotted.group("code"), False
    return None


def _route(question: str, *, focus: str, searching: bool = True) -> Answer:
    icd9 = _icd9_asked(question)
    if icd9 is not None:
        typed, procedure = icd9
        result = rule_tools.icd9_crosswalk(typed, procedure=procedure)
        return _rules_answer(question, Kind.CROSSWALK, result, _crosswalk_headline(result))
    mentions = tools.find_mentions(question)
    codes = [m.code for m in mentions if m.code]
    missing = [m for m in mentions if m.code is None and m.strong]
    modifiers = _modifiers_named(question)
    # "modifier 59" is not a code; a modifier's number is not either.
    codes = [c for c in codes if not (c.kind == c.Kind.MODIFIER and c.key in modifiers)]

    focus_code = None
    if (
        not codes
        and not missing
        and focus
        and (
            _FOLLOW_UP.search(question)
            or _SEVENTH.search(question)
            or _PAYMENT.search(question)
            or _CHANGES.search(question)
            or modifiers
            or _MODIFIER_WORDS.search(question)
        )
    ):
        focus_code = tools.codes_by_focus(focus)
        if focus_code is not None and not (
            modifiers and _MEANING.search(question) and not _FOLLOW_UP.search(question)
        ):
            codes = [focus_code]

    if missing and not codes:
        answer = Answer(question=question, kind=Kind.NOT_A_CODE, headline="")
        for mention in missing:
            answer.add(tools.unknown_code(mention.typed))
        answer.headline = (
            f"{missing[0].typed} is not a code in the code sets CodeAhead has loaded."
            if len(missing) == 1
            else "None of those is a code in the code sets CodeAhead has loaded."
        )
        answer.suggestions = [
            Link(url=f.source.url, label=f.text)
            for f in answer.facts
            if f.source.url.startswith("/") and "/search" not in f.source.url
        ][:4]
        return answer

    if codes:
        answer = _about_codes(question, codes, modifiers)
        for mention in mentions:
            if mention.code is not None and mention.wrong_system:
                answer.flags.append(
                    f"{mention.typed} is not a {tools.SYSTEM_NAMES[mention.wrong_system]} code; "
                    f"it is {tools.name(mention.code)}."
                )
        for mention in missing:
            result = tools.unknown_code(mention.typed)
            answer.facts.extend(result.facts)
            answer.flags.append(f"{mention.typed} is not a code in the code sets CodeAhead has loaded.")
        if focus_code is not None:
            answer.headline = f"On {tools.name(focus_code)}, from this conversation: {answer.headline}"
        return answer

    if _POS.search(question):
        number = _POS_NUMBER.search(question)
        if number:
            result = rule_tools.place_of_service(number.group("a") or number.group("b"))
        else:
            result = rule_tools.facility_places()
        return _rules_answer(
            question, Kind.POS, result, result.facts[0].text.split(": ", 1)[0].rstrip(".") + "."
        )

    if modifiers:
        answer = Answer(question=question, kind=Kind.MODIFIER_MEANING, headline="")
        for mod in modifiers[:4]:
            answer.add(rule_tools.modifier_meaning(mod))
        articles = tools.guide_matches(question, limit=1)
        if articles:
            answer.add(tools.guide(articles[0], paragraphs=1))
        if answer.facts:
            answer.headline = f"What modifier{'s' if len(modifiers) > 1 else ''} {', '.join(modifiers[:4])} mean{'' if len(modifiers) > 1 else 's'}."
            return answer

    if _CHANGES.search(question) and (system := _system_named(question)) is not None:
        result = tools.release_summary(system)
        if result.found:
            answer = Answer(
                question=question, kind=Kind.CHANGES, headline="What the latest loaded releases changed."
            )
            answer.add(result)
            return answer
    if _MUE.search(question) or _NCCI_WORDS.search(question):
        return Answer(
            question=question,
            kind=Kind.UNKNOWN,
            headline="Name the codes: CasePilot reads NCCI edits and MUEs for the CPT or HCPCS codes you give "
            "(such as “Can I bill 77307 with 77300?” or “How many units of J1100 per day?”).",
            suggestions=[Link(reverse("rules:check"), "Code pair check")],
            ask_expert=True,
        )
    if re.search(r"\bconversion factor\b", question, re.IGNORECASE):
        result = tools.conversion_factors()
        if result.found:
            answer = Answer(question=question, kind=Kind.PAYMENT, headline=result.facts[0].text)
            answer.add(result)
            return answer
    articles = tools.guide_matches(question)
    if articles and not _SEARCH.search(question):
        answer = Answer(question=question, kind=Kind.GUIDE, headline=f"From our guide: {articles[0].title}.")
        answer.add(tools.guide(articles[0]))
        if len(articles) > 1:
            answer.suggestions.append(Link(articles[1].get_absolute_url(), f"Guide: {articles[1].title}"))
        return answer

    if not searching:
        return _unknown(question)
    description = _SEARCH_LEAD.sub("", question).strip(" ?.")
    wants_search = bool(_SEARCH.search(question))
    short_description = len(description.split()) <= 12 and not _QUESTION_WORDS.search(question)
    # A bare phrase is searched (ranked, typos fixed) only when some code has all its words.
    if description and (wants_search or (short_description and tools.closest_codes(description, limit=1))):
        result = tools.code_search(description, exact_words=not wants_search)
        if result.found and result.facts:
            answer = Answer(question=question, kind=Kind.SEARCH, headline="")
            answer.add(result)
            answer.headline = (
                f"The closest codes for “{_TAG.sub('', description)[:80]}”, billable codes first. Check the 7th character, "
                "the side and the notes on each code's page before you choose."
            )
            return answer
    return _unknown(question)


def _about_codes(question: str, codes: list, modifiers: list[str]) -> Answer:
    code = codes[0]
    if _CROSSWALK.search(question) and code.system.slug in ("icd-10-cm", "icd-10-pcs"):
        result = rule_tools.crosswalk(code)
        return _rules_answer(question, Kind.CROSSWALK, result, _crosswalk_headline(result))
    if _POS.search(question):
        number = _POS_NUMBER.search(question)
        result = (
            rule_tools.place_of_service(number.group("a") or number.group("b"))
            if number
            else rule_tools.facility_places()
        )
        answer = _rules_answer(question, Kind.POS, result, "")
        answer.headline = (
            f"The place of service is where {tools.name(code)} was given, not part of the code: it decides "
            "whether the fee schedule's facility or non-facility rate is paid."
        )
        paid = tools.payment(code)
        if paid.found:
            answer.add(paid)
        return answer
    if _MUE.search(question):
        answer = Answer(question=question, kind=Kind.MUE, headline="")
        for each in codes[:3]:
            result = rule_tools.units_per_day(each)
            answer.add(result)
            if result.not_loaded:
                answer.kind, answer.ask_expert = Kind.RULES, True
                answer.headline = result.facts[0].text
                return answer
        limits = [f for f in answer.facts if f.text.startswith("MUE for ")]
        answer.headline = (
            limits[0].text.split(". ", 1)[0] + "."
            if len(limits) == 1
            else answer.facts[0].text.split(". ", 1)[0] + "."
        )
        if len(limits) > 1:
            answer.headline = (
                f"Medically unlikely edits for {', '.join(tools.name(c) for c in codes[:3])}, by setting."
            )
        return answer
    if _GLOBAL.search(question):
        answer = Answer(question=question, kind=Kind.GLOBAL, headline="")
        answer.add(tools.global_days(code))
        answer.headline = answer.facts[0].text.split(". ", 1)[0] + "."
        return answer
    if _SEVENTH.search(question):
        answer = Answer(
            question=question, kind=Kind.SEVENTH, headline=f"7th characters for {tools.name(code)}."
        )
        answer.add(tools.seventh_characters(code))
        if "placeholder" in question.lower() or re.search(r"\bX\b", question):
            article = GuideArticle.objects.filter(slug="seventh-characters-and-x-placeholder").first()
            if article:
                answer.add(tools.guide(article, paragraphs=0))
        return answer
    if _CHANGES.search(question) and not _PAYMENT.search(question):
        answer = Answer(
            question=question,
            kind=Kind.CHANGES,
            headline=f"What the loaded releases did to {tools.name(code)}.",
        )
        answer.add(tools.code_changes(code))
        if len(answer.facts) == 1:
            answer.headline = answer.facts[0].text
        return answer
    if modifiers or _MODIFIER_WORDS.search(question):
        answer = Answer(question=question, kind=Kind.MODIFIER, headline="")
        wanted = modifiers or _modifier_from_words(question)
        for mod in wanted[:4] or [""]:
            answer.add(rule_tools.modifiers_for(code, mod))
        verdict = _modifier_verdict(answer, wanted)
        if not verdict and len(wanted) == 1 and wanted[0] not in rule_tools.VERDICT_MODIFIERS:
            verdict = (
                f"What modifier {wanted[0]} means, and what our data says about it for {tools.name(code)}."
            )
        label = f" {', '.join(wanted[:4])}" if wanted else ""
        answer.headline = verdict or (
            f"Modifier{'s' if len(wanted) != 1 else ''}{label} for {tools.name(code)}, "
            "from the Medicare fee schedule's indicators."
        )
        return answer
    if _PAYMENT.search(question):
        answer = Answer(question=question, kind=Kind.PAYMENT, headline="")
        place = question if re.search(r"\b(in|at|for|locality)\s+[A-Za-z]", question) else ""
        for each in codes[:3]:
            answer.add(tools.payment(each, locality_words=place))
        paid = [f for f in answer.facts if f.text.startswith("In Medicare locality ")] or [
            f for f in answer.facts if " national Medicare payment for " in f.text
        ]
        answer.headline = (
            paid[0].text
            if len(codes) == 1 and paid
            else f"Medicare Physician Fee Schedule payment for {', '.join(tools.name(c) for c in codes[:3])}."
        )
        return answer
    both_procedures = {c.system.slug for c in codes[:2]} <= rule_tools.NCCI_SYSTEMS
    if len(codes) >= 2 and both_procedures and not _COMPARE.search(question):
        typed = {normalize_code(c): m.upper() for c, m in _CODE_WITH_MODIFIER.findall(question)}
        result = rule_tools.ncci_pair(codes[0], codes[1], modifiers=typed)
        answer = _rules_answer(question, Kind.NCCI, result, rule_tools.ncci_headline(result))
        if answer.kind == Kind.NCCI and len(answer.facts) > 1:
            answer.facts.pop(0)  # the headline says it; the edits below cite the same check page
        return answer
    if len(codes) >= 2:
        answer = Answer(question=question, kind=Kind.PAIR, headline="")
        result = tools.pair_check(codes[0], codes[1])
        answer.add(result)
        answer.headline = _pair_headline(result, codes[0], codes[1], question)
        article = GuideArticle.objects.filter(slug="excludes1-vs-excludes2", published=True).first()
        if article:
            answer.suggestions.append(Link(article.get_absolute_url(), f"Guide: {article.title}"))
        return answer
    answer = Answer(question=question, kind=Kind.CODE, headline="")
    answer.add(tools.code_lookup(code))
    coverage = [f for f in answer.facts if f.text.startswith("Medicare coverage of ")]
    if coverage and re.search(r"\bcover(ed|age|s)?\b", question, re.IGNORECASE):
        answer.headline = coverage[0].text
        return answer
    if code.official_text_visible or not code.text_licence:
        title = tools.title_of(code)
        answer.headline = f"{tools.name(code)}" + (f": {title}" if title else "") + "."
        if len(answer.facts) > 1 and answer.facts[0].text == answer.headline.rstrip("."):
            answer.facts.pop(0)  # the headline says it; its page is cited by the facts that follow
    elif code.plain_description:
        answer.headline = (
            f"{tools.name(code)}, in our own words: {Truncator(code.plain_description).words(24)} "
            f"(the official descriptor needs an {code.text_licence} licence)."
        )
    else:
        answer.headline = f"{tools.name(code)}: the official descriptor needs an {code.text_licence} licence."
    return answer


def _system_named(question: str) -> str | None:
    """The code set a question names ("" for "codes" in general), or None when it names none."""
    lowered = question.lower()
    for pattern, slug in (
        (r"\bhcpcs\b", "hcpcs"),
        (r"\b(icd[- ]?10-?)?pcs\b", "icd-10-pcs"),
        (r"\bicd", "icd-10-cm"),
        (r"\bcpt", "cpt"),
    ):
        if re.search(pattern, lowered):
            return slug
    return "" if re.search(r"\b(codes?|code sets?|releases?)\b", lowered) else None


def _modifier_verdict(answer: Answer, wanted: list[str]) -> str:
    """ "Yes: modifier 26 applies to CPT 77307 (CY2025)." from the indicator fact, for one modifier."""
    if len(wanted) != 1 or wanted[0] not in rule_tools.VERDICT_MODIFIERS:
        return ""
    words = {
        "applies to": "Yes",
        "does not apply to": "No",
        "may apply, with documentation, to": "Only with documentation",
    }
    for fact in answer.facts:
        head = fact.text.split(": ", 1)[0]
        for verb, word in words.items():
            if head.startswith(f"Modifier {wanted[0]} {verb} "):
                return f"{word}: {head[0].lower()}{head[1:]}."
    return ""


def _rules_answer(question: str, kind: str, result, headline: str) -> Answer:
    """An answer from one coding-rules tool; when its file is not loaded, the answer says so and no more."""
    if result.not_loaded:
        answer = Answer(question=question, kind=Kind.RULES, headline=result.facts[0].text, ask_expert=True)
        answer.add(result)
        return answer
    answer = Answer(question=question, kind=kind, headline=headline)
    answer.add(result)
    return answer


def _crosswalk_headline(result) -> str:
    if not result.found:
        return result.facts[0].text if result.facts else "The GEMs loaded have no line for that code."
    return result.facts[0].text


def _modifier_from_words(question: str) -> list[str]:
    lowered = question.lower()
    words = [
        ("bilateral", "50"),
        ("assistant", "80"),
        ("co-surg", "62"),
        ("cosurg", "62"),
        ("team surgery", "66"),
        ("multiple procedure", "51"),
        ("professional component", "26"),
        ("technical component", "TC"),
    ]
    return [mod for word, mod in words if word in lowered]


def _pair_headline(result, first, second, question: str = "") -> str:
    # Each linking fact starts with its note's kind ("Excludes1: not coded together. ...").
    starts = {fact.text.split(".", 1)[0].split(":", 1)[0] for fact in result.facts}
    a, b = tools.name(first), tools.name(second)
    if _COMPARE.search(question) and not ({"Excludes1", "Excludes2"} & starts):
        return f"{a} and {b} compared, from our data."
    if not result.found:
        return f"We cannot tell from our data whether {a} and {b} may be billed together."
    if "Excludes1" in starts:
        return f"No: an Excludes1 note says {a} and {b} are not coded together."
    if "Excludes2" in starts:
        return f"Yes, when both conditions are present: an Excludes2 note links {a} and {b}, so both may be coded."
    if {"Code first", "Use additional code", "Code also"} & starts:
        return f"Yes: a sequencing note links {a} and {b}; it says which comes first."
    return f"No note in our data stops {a} and {b} from being coded together."


def _unknown(question: str) -> Answer:
    answer = Answer(
        question=question,
        kind=Kind.UNKNOWN,
        headline="I don't know: CodeAhead's data does not answer that, and CasePilot does not guess. "
        "The pages below are the closest we have, or ask one of our coding experts.",
        ask_expert=True,
    )
    # Only codes that have every word of the question: a near miss on one word is no help.
    for row in tools.closest_codes(_SEARCH_LEAD.sub("", question)[:200]):
        answer.suggestions.append(
            Link(row.get_absolute_url(), f"{tools.name(row)} {tools.title_of(row)}".strip())
        )
    for article in tools.guide_matches(question, limit=2):
        answer.suggestions.append(Link(article.get_absolute_url(), f"Guide: {article.title}"))
    if not answer.suggestions:
        answer.suggestions.append(Link(reverse("casepilot:guides"), "CasePilot guides"))
    return answer


__all__ = ["EXAMPLES", "Answer", "Fact", "Kind", "Source", "answer_question", "clean_question", "expert_url"]


def examples_for(code) -> list[str]:
    """Questions a reader of this code's page may ask, for the code-page panel."""
    slug = code.system.slug
    if slug in ("cpt", "hcpcs"):
        return [
            f"How much does Medicare pay for {code.code}?",
            f"Does modifier 26 apply to {code.code}?",
            f"What is the global period for {code.code}?",
            f"How many units of {code.code} per day?",
        ]
    if slug == "icd-10-cm":
        return [
            f"What is {code.code}?",
            f"Which 7th character for {code.code}?",
            f"Can {code.code} and I10 be coded together?",
            f"What does {code.code} map to in ICD-9?",
        ]
    return [f"What is {code.code}?"]
