"""The checker every answer passes before it is shown, whoever composed it.

1. Every code-like word (E11.9, E08.-, I60-I69, 99213, J1100, 0DTJ4ZZ) is looked up in the code
   sets we hold, in the system it was named with. A code we do not hold is flagged in place
   and never stated as fact; a code named with the wrong system is corrected.
2. No licensed official text (a CPT descriptor, an ADA D-code text) of any code the answer
   mentions appears in it, unless the site holds that licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db.models.functions import Collate

from casepilot.facts import Answer, Link
from lookup.models import Code, normalize_code

SYSTEM_OF_WORD = {"CPT": "cpt", "HCPCS": "hcpcs", "ICD-10-CM": "icd-10-cm", "ICD-10-PCS": "icd-10-pcs"}
WORD_OF_SYSTEM = {slug: word for word, slug in SYSTEM_OF_WORD.items()}

_ICD = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?"
_ONE = rf"(?:{_ICD}|[0-9]{{4}}[0-9A-Z]|[A-V][0-9]{{4}}|[0-9A-HJ-NP-Z]{{7}})"
CODE_WORD = re.compile(
    r"(?:(?P<system>CPT|HCPCS|ICD-10-CM|ICD-10-PCS)®?\s+(?:(?:code|category|modifier)\s+)?)?"
    r"(?<![A-Za-z0-9$.,/#:-])"
    rf"(?P<low>{_ONE})(?P<dash>\.?-)?(?:\s?-\s?(?P<high>{_ONE})(?P<dash2>\.?-)?)?"
    r"(?![A-Za-z0-9]|\.[0-9A-Za-z])",
    re.IGNORECASE,
)
FLAG = "not a code in our data"
# ICD-9-CM codes exist here only as lines of the GEMs (rules); answers always name them so.
ICD9_WORD = re.compile(
    r"\bICD-9-CM(?P<proc> procedure)? (?P<code>[0-9VE][0-9]{1,4}(?:\.[0-9]{1,2})?)(?![0-9A-Za-z]|\.[0-9])"
)


def _mask_icd9(text: str) -> str:
    """The text with its ICD-9-CM codes blanked, so they are not read as other systems' codes."""
    return ICD9_WORD.sub(lambda m: " " * len(m.group(0)), text)


def icd9_exists(code: str, *, procedure: bool) -> bool:
    """Whether a loaded GEM line names this ICD-9-CM diagnosis (or procedure) code."""
    from rules.models import GemMapping

    key = normalize_code(code)
    cache_key = f"casepilot:icd9:{key}:{int(procedure)}"
    cached = caches["local"].get(cache_key)
    if cached is not None:
        return cached
    into, out_of = ("gem-i9-i10pcs", "gem-i10pcs-i9") if procedure else ("gem-i9-i10cm", "gem-i10cm-i9")
    found = (
        GemMapping.objects.filter(direction=into, source=key).exists()
        or GemMapping.objects.filter(direction=out_of, target=key).exists()
    )
    caches["local"].set(cache_key, found, 60)
    return found


@dataclass
class Token:
    text: str  # the words matched, system name included
    system: str  # the system it was named with, or the one its shape says
    named: bool
    low: str
    high: str
    prefix: bool  # "E08.-", "I60-I69": a span of codes, not one code


@dataclass
class Report:
    unknown: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    licensed_removed: int = 0

    @property
    def clean(self) -> bool:
        return not (self.unknown or self.corrected or self.licensed_removed)


def _shape_system(word: str) -> str:
    key = normalize_code(word)
    if "." in word or (len(key) == 3 and key[0].isalpha()):
        return "icd-10-cm"
    if len(key) == 5 and key[0].isdigit():
        return "cpt"
    if len(key) == 5 and key[0].isalpha() and key[1:].isdigit():
        return "hcpcs"
    return ""  # seven characters: ICD-10-PCS or an undotted ICD-10-CM code


def tokens_in(text: str) -> list[Token]:
    found = []
    text = _mask_icd9(text)
    for match in CODE_WORD.finditer(text):
        low, high = match.group("low"), match.group("high")
        bare_category = len(normalize_code(low)) == 3 and "." not in low
        # A bare three-character word (B12, A1C) is a code only when written as one: named with its
        # system, or as a span (E08-E13, E10-).
        if bare_category and not (match.group("system") or match.group("dash") or high):
            continue
        if len(normalize_code(low)) == 7 and (low.isdigit() or not any(ch.isdigit() for ch in low)):
            continue
        if text[max(0, match.start() - 9) : match.start()].lower().endswith("locality "):
            continue
        system_word = (match.group("system") or "").upper()
        found.append(
            Token(
                text=match.group(0),
                system=SYSTEM_OF_WORD.get(system_word) or _shape_system(low),
                named=bool(system_word),
                low=normalize_code(low),
                high=normalize_code(high or ""),
                prefix=bool(match.group("dash") or high or match.group("dash2") or low.endswith(".")),
            )
        )
    return found


def _exists(system: str, key: str, *, prefix: bool) -> str:
    """The system holding the key ("" if none): the one asked for first, else any."""
    cache_key = f"casepilot:exists:{system}:{key}:{int(prefix)}"
    cached = caches["local"].get(cache_key)
    if cached is not None:
        return cached
    scope = Code.objects.order_by()
    if prefix:
        # Chapters and sections are named by their spans (E08-E13): no prefix of a code.
        scope = scope.exclude(kind__in=(Code.Kind.CHAPTER, Code.Kind.SECTION))
        scope = scope.annotate(key_c=Collate("key", "C")).filter(key_c__gte=key, key_c__lt=key + "~")
    else:
        scope = scope.filter(key=key)
    if system and scope.filter(system__slug=system).exists():
        answer = system
    else:
        other = scope.values_list("system__slug", flat=True).first()
        answer = "" if other is None else (other if not system else "!" + other)
    caches["local"].set(cache_key, answer, 60)
    return answer


class Checker:
    def __init__(self) -> None:
        self.report = Report()
        self.unknown_keys: list[tuple[str, str]] = []
        self.codes: dict[int, Code] = {}
        self.systems_of: dict[str, set[str]] = {}  # exact key -> systems holding it (prefetched)

    def prefetch(self, texts: list[str]) -> None:
        """Look every exact code of these texts up in one query (spans are looked up one by one)."""
        keys = set()
        for text in texts:
            for token in tokens_in(text or ""):
                if not token.prefix:
                    keys.add(token.low)
                elif token.high:
                    keys.add(f"{token.low}-{token.high}")
        if not keys:
            return
        for code in (
            Code.objects.filter(key__in=keys)
            .select_related("system")
            .only("pk", "key", "official_description", "text_licence", "system__slug")
        ):
            self.systems_of.setdefault(code.key, set()).add(code.system.slug)
            if len(self.codes) < 200:
                self.codes[code.pk] = code

    def _exists(self, system: str, key: str, *, prefix: bool) -> str:
        if prefix or key not in self.systems_of and not self.systems_of:
            return _exists(system, key, prefix=prefix)
        systems = self.systems_of.get(key, set())
        if system in systems or (systems and not system):
            return system or sorted(systems)[0]
        return ("!" + sorted(systems)[0]) if systems else ""

    def check_text(self, text: str) -> str:
        if not text:
            return text
        out, last = [], 0
        masked = _mask_icd9(text)
        for token in tokens_in(text):
            start = masked.index(token.text, last)
            out.append(text[last:start])
            end = start + len(token.text)
            if text.startswith(f" [{FLAG}]", end):  # checked before: keep the flag, once
                self.report.unknown.append(token.text.split()[-1])
                out.append(token.text)
            elif text.startswith(" is not a code", end):  # our own sentence saying so
                out.append(token.text)
            else:
                out.append(self._check_token(token))
            last = end
        out.append(text[last:])
        return self._check_icd9("".join(out))

    def _check_icd9(self, text: str) -> str:
        def one(match: re.Match) -> str:
            word, end = match.group(0), match.end()
            if text.startswith(f" [{FLAG}]", end):
                self.report.unknown.append(word)
                return word
            if text.startswith(" is not a code", end) or icd9_exists(
                match.group("code"), procedure=bool(match.group("proc"))
            ):
                return word
            self.report.unknown.append(word)
            return f"{word} [{FLAG}]"

        return ICD9_WORD.sub(one, text)

    def _check_token(self, token: Token) -> str:
        ends = [token.low] + ([token.high] if token.high else [])
        if (
            token.high
            and self._exists(token.system, f"{token.low}-{token.high}", prefix=False) == token.system
        ):
            return token.text  # a chapter or section named by its span, such as E00-E89
        verdicts = [self._exists(token.system, key, prefix=token.prefix) for key in ends]
        if all(v and not v.startswith("!") for v in verdicts):
            if not token.prefix and not self.systems_of:
                self._remember(verdicts[0], token.low)
            return token.text
        if token.named and all(v.startswith("!") for v in verdicts):
            right = verdicts[0][1:]
            corrected = re.sub(
                r"^(CPT|HCPCS|ICD-10-CM|ICD-10-PCS)", WORD_OF_SYSTEM.get(right, right), token.text, flags=re.I
            )
            self.report.corrected.append(
                f"{token.text.split()[-1]} is not a {token.text.split()[0].upper()} code; it is {corrected}."
            )
            return corrected
        bare = token.text.split()[-1] if token.named else token.text
        self.report.unknown.append(bare)
        self.unknown_keys.append((token.low, token.system))
        return f"{token.text} [{FLAG}]"

    def _remember(self, system: str, key: str) -> None:
        if len(self.codes) < 40:
            code = (
                Code.objects.filter(system__slug=system, key=key)
                .only("pk", "official_description", "text_licence")
                .first()
            )
            if code is not None:
                self.codes[code.pk] = code

    def strip_licensed(self, text: str) -> str:
        for code in self.codes.values():
            licensed = code.text_licence and code.text_licence not in settings.TEXT_LICENCES
            descriptor = code.official_description.strip()
            if licensed and len(descriptor) >= 12 and descriptor.lower() in text.lower():
                text = re.sub(re.escape(descriptor), "[licensed text removed]", text, flags=re.IGNORECASE)
                self.report.licensed_removed += 1
        return text


def check_answer(answer: Answer) -> Report:
    """Check and correct an answer in place; its flags say what was found."""
    checker = Checker()
    checker.prefetch(
        [answer.headline, answer.summary, *(t for f in answer.facts for t in [f.text, *f.details])]
    )
    answer.headline = checker.check_text(answer.headline)
    answer.summary = checker.check_text(answer.summary)
    for fact in answer.facts:
        fact.text = checker.check_text(fact.text)
        fact.details = [checker.check_text(line) for line in fact.details]
    answer.headline = checker.strip_licensed(answer.headline)
    answer.summary = checker.strip_licensed(answer.summary)
    for fact in answer.facts:
        fact.text = checker.strip_licensed(fact.text)
        fact.details = [checker.strip_licensed(line) for line in fact.details]
    for word in dict.fromkeys(checker.report.unknown):
        flag = f"{word} is not a code in the code sets CodeAhead has loaded."
        if flag not in answer.flags:
            answer.flags.append(flag)
    answer.flags.extend(f for f in checker.report.corrected if f not in answer.flags)
    if checker.report.licensed_removed:
        answer.flags.append("Licensed official text was removed from this answer.")
    _suggest_nearest(answer, checker.unknown_keys[:3])
    return checker.report


def _suggest_nearest(answer: Answer, unknown: list[tuple[str, str]]) -> None:
    from casepilot.tools import name, nearest_codes, title_of

    known = {link.url for link in answer.suggestions}
    for key, system in unknown:
        for code in nearest_codes(key, system, limit=3):
            url = code.get_absolute_url()
            if url not in known:
                known.add(url)
                answer.suggestions.append(Link(url=url, label=f"{name(code)} {title_of(code)}".strip()))


def codes_in(text: str) -> list[str]:
    """Every code-like word of a text, normalized: for tests and the evaluation."""
    return [token.low for token in tokens_in(text)]
