"""Case2Code search: one entry point, `search_codes`, that views and the bench call.

A query is read as the first of these that fits:
- a range (`77261-77799`, `E08-E13`): every code between the two, in code order;
- a code or the start of one (`E11.9`, `e119`, `J11`, `773`): the exact code first, then
  the codes under it, in code order;
- words (`type 2 diabetes without complications`): ranked full-text search over the
  stored search vectors, with typos corrected from the vocabulary by trigram similarity.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramDistance
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Collate
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lookup.models import Code, CodeSystem, SearchWord, normalize_code
from lookup.search_index import SEARCH_CONFIG, SEARCHABLE_NOTE_KINDS

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 25
# Words searches count and page through at most this many results: refine the words instead.
MAX_WORD_RESULTS = 1000
# How many of the closest matches a words search ranks in full (see RankedMatches).
RANK_CANDIDATES = 150
# The code a coder means when the record says no more: "Anemia, unspecified", "Unspecified
# asthma, uncomplicated", "Type 2 diabetes mellitus without complications" (as the ICD-10-CM
# index sends a bare condition to them).
DEFAULT_CODE_PATTERN = (
    r"(^unspecified\y|, unspecified\y|\ynot specified\y|without complications|uncomplicated)"
)
# How alike (trigram similarity) a known word must be to stand in for a misspelt one.
MIN_SIMILARITY = 0.3
# Bytes that end a key prefix in C order: every key character sorts below "~".
_AFTER_KEY = "~"
HEADER_KINDS = (Code.Kind.CHAPTER, Code.Kind.SECTION)
# Only the database needs these; leave them out of the rows a page shows.
SEARCH_COLUMNS = ("search_vector", "search_title_size")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CODE_SHAPE = re.compile(r"[A-Z0-9]{1,8}(?:[. ][A-Z0-9]{1,5})?\.?", re.IGNORECASE)
_RANGE = re.compile(
    r"([A-Z0-9][A-Z0-9.]{1,8})\s*(?:-|–|—|\.\.|\s(?:to|through|thru)\s)\s*([A-Z0-9][A-Z0-9.]{1,8})",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")


class QueryError(ValueError):
    """A query the site cannot search, with a message for the reader (answered with 400)."""


@dataclass
class SearchResult:
    query: str
    mode: str  # "empty", "code", "range" or "words"
    page: Page | None = None
    # The one code a submitted query means, so the form can open its page.
    exact: Code | None = None
    # For a range: the chapter or section whose code is the range itself, and the system.
    range_header: Code | None = None
    range_system: CodeSystem | None = None
    # Words search: the query as corrected ("diabetis" -> "diabetes").
    corrected: str = ""
    any_words: bool = False
    tsquery: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def more(self) -> bool:
        """A words search that matched more codes than it counts (MAX_WORD_RESULTS)."""
        return bool(self.page) and getattr(self.page.paginator.object_list, "more", False)


def clean_query(text: str) -> str:
    """The query as searched: control characters (NUL...) dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Search text is too long: at most {MAX_QUERY_LENGTH} characters, please.")
    return text


def search_codes(
    text: str,
    *,
    system: CodeSystem | None = None,
    billable_only: bool = False,
    page_number: str | int | None = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """Search every code set (or one) the way a coder types: range, code, prefix or words."""
    query = clean_query(text)
    if not query:
        return SearchResult(query=query, mode="empty")
    scope = Code.objects.defer(*SEARCH_COLUMNS)
    if system is not None:
        scope = scope.filter(system=system)
    if billable_only:
        scope = scope.filter(billable=True)

    match = _RANGE.fullmatch(query)
    # Both ends of a range are codes, with a digit: "covid-19" and "non-insulin" are words.
    if match and all(any(ch.isdigit() for ch in end) for end in match.groups()):
        return _range_search(query, match.group(1), match.group(2), scope, system, page_number, page_size)
    if _looks_like_code(query):
        result = _code_search(query, scope, page_number, page_size)
        if result.count:
            return result
    filters = Filters(system_id=system.pk if system else None, billable_only=billable_only)
    return _words_search(query, filters, page_number, page_size)


# Codes, prefixes and ranges -------------------------------------------------------------


def _looks_like_code(query: str) -> bool:
    key = normalize_code(query)
    return bool(_CODE_SHAPE.fullmatch(query)) and 2 <= len(key) <= 8 and any(ch.isdigit() for ch in key)


def system_preference(text: str) -> list[str]:
    """Which code sets a code-shaped text most likely belongs to, best first.

    `J1100` is HCPCS J1100 before ICD-10-CM J11.00; `E11` is ICD-10-CM before HCPCS E1100.
    """
    key = normalize_code(text)
    if "." in text:
        order = ["icd-10-cm", "icd-10-pcs", "hcpcs", "cpt"]
    elif key[:1].isdigit():
        order = ["cpt", "icd-10-pcs", "hcpcs", "icd-10-cm"] if len(key) <= 5 else ["icd-10-pcs", "cpt"]
    elif len(key) == 5 and key[1:].isdigit():
        order = ["hcpcs", "icd-10-cm", "icd-10-pcs"]
    else:
        order = ["icd-10-cm", "hcpcs", "icd-10-pcs"]
    return order + [slug for slug in ("icd-10-cm", "hcpcs", "cpt", "icd-10-pcs") if slug not in order]


def _system_order(text: str) -> Case:
    slugs = system_preference(text)
    return Case(
        *[When(system__slug=slug, then=Value(rank)) for rank, slug in enumerate(slugs)],
        default=Value(len(slugs)),
        output_field=IntegerField(),
    )


def _code_search(query: str, scope, page_number, page_size: int) -> SearchResult:
    key = normalize_code(query)
    rows = (
        scope.annotate(key_c=Collate("key", "C"))
        .filter(key_c__gte=key, key_c__lt=key + _AFTER_KEY)
        .exclude(~Q(key=key) & Q(kind__in=HEADER_KINDS))
        .select_related("system")
        .annotate(
            is_exact=ExpressionWrapper(Q(key=key), output_field=BooleanField()),
            system_rank=_system_order(query),
        )
        .order_by("-is_exact", "system_rank", "key_c")
    )
    page = Paginator(rows, page_size).get_page(page_number)
    result = SearchResult(query=query, mode="code", page=page)
    exact = [code for code in page if code.is_exact] if page.number == 1 else []
    literal = [code for code in exact if code.code.upper() == query.upper()]
    target = exact[0] if len(exact) == 1 else literal[0] if len(literal) == 1 else None
    # A code with codes under it (E11) is also a prefix: the list is the answer, not its page.
    if target is not None and not Code.objects.filter(parent=target).exists():
        result.exact = target
    return result


def _range_search(query: str, low: str, high: str, scope, system, page_number, page_size) -> SearchResult:
    low_key, high_key = normalize_code(low), normalize_code(high)
    if low_key > high_key:
        raise QueryError(f"The range {low}-{high} runs backwards: try {high}-{low}.")
    in_range = (
        scope.annotate(key_c=Collate("key", "C"))
        .filter(key_c__gte=low_key)
        .filter(key_c__lt=high_key + _AFTER_KEY)  # up to `high` and every code under it
        .exclude(kind__in=HEADER_KINDS)
    )
    systems = {item.slug: item for item in CodeSystem.objects.all()}
    slugs = [system.slug] if system else [slug for slug in system_preference(low) if slug in systems]
    chosen = next((systems[slug] for slug in slugs if in_range.filter(system=systems[slug]).exists()), None)
    result = SearchResult(query=query, mode="range")
    if chosen is None:
        result.page = Paginator(Code.objects.none(), page_size).get_page(1)
        return result
    rows = in_range.filter(system=chosen).select_related("system").order_by("key_c")
    result.page = Paginator(rows, page_size).get_page(page_number)
    result.range_system = chosen
    range_key = f"{low_key}-{high_key}"
    result.range_header = Code.objects.filter(system=result.range_system, key=range_key).first()
    return result


def range_codes(system: CodeSystem, low: str, high: str):
    """Every code of `system` from `low` to `high` (with the codes under `high`), in code order."""
    low_key, high_key = normalize_code(low), normalize_code(high)
    return (
        system.codes.annotate(key_c=Collate("key", "C"))
        .filter(key_c__gte=low_key)
        .filter(key_c__lt=high_key + _AFTER_KEY)  # up to `high` and every code under it
        .exclude(kind__in=HEADER_KINDS)
        .order_by("key_c")
    )


# Words ----------------------------------------------------------------------------------


# Shorthand coders and charts use, spelled as the code sets spell it.
ABBREVIATIONS = {
    "afib": "atrial fibrillation",
    "cad": "coronary artery disease",
    "chf": "heart failure",
    "ckd": "chronic kidney disease",
    "copd": "chronic obstructive pulmonary",
    "cva": "cerebral infarction",
    "dm": "diabetes mellitus",
    "dvt": "deep vein thrombosis",
    "flu": "influenza",
    "gerd": "gastro esophageal reflux",
    "htn": "hypertension",
    "mi": "myocardial infarction",
    "ms": "multiple sclerosis",
    "ptsd": "post traumatic stress",
    "uti": "urinary tract infection",
}


def fold(text: str) -> str:
    """Lower case without accents, as the stored vectors are (codeahead_unaccent)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _corrections(words: list[str], *, last_is_prefix: bool) -> dict[str, list[str]]:
    """For each word the vocabulary lacks, the known words it was probably meant to be.

    A word with no close match maps to [] and is dropped: it could only make the search fail.
    """
    # Words under 5 letters have too many near neighbours ("gerd" is not "german").
    candidates = [w for w in words if w.isalpha() and len(w) >= 5]
    if not candidates:
        return {}
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    fixes: dict[str, list[str]] = {}
    for index, word in enumerate(candidates):
        if word in known:
            continue
        is_last = word == words[-1] and index == len(candidates) - 1
        if is_last and last_is_prefix and SearchWord.objects.filter(word__startswith=word).exists():
            continue  # still being typed: the prefix search finds it
        similar = _similar_words(word)
        # Between close spellings, the word the code sets use more is the likelier meaning:
        # "fractrue" is "fracture", not the rare abbreviation "fract".
        scored = sorted(((sim + 0.05 * math.log(1 + uses), w) for w, sim, uses in similar), reverse=True)
        fixes[word] = [w for score, w in scored[:3] if score >= scored[0][0] - 0.05] if scored else []
    return fixes


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() for one lower-case word each: shared trigrams over all trigrams."""
    ours, theirs = _trigrams(a), _trigrams(b)
    return len(ours & theirs) / len(ours | theirs)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _similar_words(word: str) -> list[tuple[str, float, int]]:
    """Known words that look like `word`: (word, trigram similarity, uses), most alike first.

    Most typos keep the first letter and about the length: those few hundred words come
    from the primary key's order and are compared here, in a millisecond. Otherwise the
    trigram index finds the nearest words.
    """
    initial = word[0]
    alike = [
        (known, trigram_similarity(known, word), uses)
        for known, uses in SearchWord.objects.filter(
            word__gte=initial, word__lt=chr(ord(initial) + 1)
        ).values_list("word", "uses")
        if abs(len(known) - len(word)) <= 2
    ]
    found = sorted((item for item in alike if item[1] >= MIN_SIMILARITY), key=lambda i: (-i[1], -i[2]))[:8]
    if found:
        return found
    nearest = (
        SearchWord.objects.annotate(distance=TrigramDistance("word", word))
        .order_by("distance")
        .values_list("word", "distance", "uses")[:8]
    )
    return [(w, 1 - distance, uses) for w, distance, uses in nearest if distance <= 1 - MIN_SIMILARITY]


def _tsquery(groups: list[list[str]], *, prefix_last: bool, any_word: bool) -> str:
    """A raw tsquery from plain [a-z0-9] words: nothing a reader types can change its syntax."""
    parts = []
    for index, alternatives in enumerate(groups):
        terms = []
        for word in alternatives:
            is_prefix = prefix_last and index == len(groups) - 1 and word.isalpha() and len(word) >= 3
            terms.append(f"{word}:*" if is_prefix else word)
        parts.append(terms[0] if len(terms) == 1 else "(" + " | ".join(terms) + ")")
    return (" | " if any_word else " & ").join(parts)


def _words_search(query: str, filters: Filters, page_number, page_size: int) -> SearchResult:
    words = [
        part for word in _WORD.findall(fold(query))[:12] for part in ABBREVIATIONS.get(word, word).split()
    ]
    result = SearchResult(query=query, mode="words")
    fixes = _corrections(words, last_is_prefix=True)
    groups: list[list[str]] = []
    shown: list[str] = []
    for word in words:
        if word in fixes:
            if fixes[word]:
                groups.append(fixes[word])
                shown.append(fixes[word][0])
        else:
            groups.append([word])
            shown.append(word)
    if fixes and shown:
        result.corrected = " ".join(shown)
    if not groups:
        result.page = Paginator(Code.objects.none(), page_size).get_page(1)
        return result

    for any_word in (False, True) if len(groups) > 1 else (False,):
        raw = _tsquery(groups, prefix_last=not fixes.get(words[-1]), any_word=any_word)
        matches = RankedMatches(raw, words=" ".join(shown), any_word=any_word, filters=filters)
        page = Paginator(matches, page_size).get_page(page_number)
        if page.paginator.count:
            break
    result.page, result.any_words, result.tsquery = page, any_word, raw
    return result


@dataclass(frozen=True)
class Filters:
    system_id: int | None = None
    billable_only: bool = False

    def sql(self) -> tuple[str, list]:
        sql, params = "", []
        if self.system_id is not None:
            sql += " AND c.system_id = %s"
            params.append(self.system_id)
        if self.billable_only:
            sql += " AND c.billable"
        return sql, params


class RankedMatches:
    """The codes a tsquery matches, best first, as a list Paginator can count and slice.

    Best first: codes in use before terminated ones; then the score: how much of the code's
    official description the query covers (ICD's parenthesized nonessential words and
    "unspecified (organism)", "site not specified", "without complications" left out, a leading "Other" counted); an inclusion-term match counts 0.85
    of a title match as close; matching both, or being the default code of its kind
    (DEFAULT_CODE_PATTERN, or an inclusion term marked NOS), adds a little; a header (not billable) scores 0.8 of a billable
    code. Equal scores (to a tenth) put billable codes above their headers; then the shorter
    description, text rank, code set and code order.

    A common word matches tens of thousands of codes, and reading them all takes longer
    than a search may. Closeness only falls as descriptions grow, so ranking the shortest
    matching descriptions (an index on their size finds them) gives the same first pages;
    and the count stops at MAX_WORD_RESULTS ("more than 1,000").
    """

    def __init__(self, tsquery: str, *, words: str, any_word: bool, filters: Filters):
        self.tsquery, self.words, self.any_word, self.filters = tsquery, words, any_word, filters
        self._count: int | None = None
        self.more = False  # more matches than MAX_WORD_RESULTS

    def count(self) -> int:
        if self._count is None:
            filters, filter_params = self.filters.sql()
            # The tsquery is a constant in the SQL, so the planner can estimate how many rows match.
            sql = f"""
                SELECT count(*) FROM (
                    SELECT id FROM (
                        SELECT c.id FROM lookup_code c
                        WHERE c.search_vector @@ to_tsquery(%s::regconfig, %s) {filters} LIMIT %s
                    ) direct
                    UNION
                    SELECT code_id FROM (
                        SELECT n.code_id FROM lookup_note n JOIN lookup_code c ON c.id = n.code_id
                        WHERE n.kind = ANY(%s) AND n.search_vector @@ to_tsquery(%s::regconfig, %s) {filters}
                        LIMIT %s
                    ) via_notes
                ) hits"""
            args = [
                SEARCH_CONFIG,
                self.tsquery,
                *filter_params,
                MAX_WORD_RESULTS + 1,
                list(SEARCHABLE_NOTE_KINDS),
                SEARCH_CONFIG,
                self.tsquery,
                *filter_params,
                MAX_WORD_RESULTS + 1,
            ]
            with connection.cursor() as cursor:
                cursor.execute(sql, args)
                total = cursor.fetchone()[0]
            self.more = total > MAX_WORD_RESULTS
            self._count = min(total, MAX_WORD_RESULTS)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Code]:
        offset, stop = window.start or 0, window.stop
        cap = max(RANK_CANDIDATES, stop * 2)
        filters, filter_params = self.filters.sql()
        # Few matches: read them all (bitmap scan) and sort. Many: walk the size index
        # from the shortest descriptions and stop at `cap` matches.
        size_order = "c.search_title_size" if self.count() and self.more else "c.search_title_size + 0"
        if self.any_word:
            order = "ts_rank(c.search_vector, q.q) DESC, c.billable DESC, c.search_title_size"
        else:
            order = (
                "(c.termination_date IS NULL) DESC, round(s.score::numeric, 1) DESC, c.billable DESC, "
                "s.score DESC, c.search_title_size, ts_rank(c.search_vector, q.q) DESC"
            )
        sql = rf"""
            WITH q AS MATERIALIZED (
                SELECT to_tsquery(%s::regconfig, %s) AS q, greatest(length(to_tsvector(%s::regconfig, %s)), 1) AS n
            ),
            title_hits AS (
                SELECT c.id FROM lookup_code c
                WHERE c.search_vector @@ to_tsquery(%s::regconfig, %s) {filters}
                ORDER BY {size_order} LIMIT %s
            ),
            note_hits AS (
                -- "diabetes NOS" under E11: NOS marks where the bare term belongs.
                SELECT n.code_id AS id,
                    min(n.search_size - CASE WHEN n.text ~* '\ynos\y' THEN 1 ELSE 0 END) AS size,
                    bool_or(n.text ~* '\ynos\y') AS nos
                FROM lookup_note n
                WHERE n.kind = ANY(%s) AND n.search_vector @@ to_tsquery(%s::regconfig, %s)
                GROUP BY n.code_id ORDER BY min(n.search_size) LIMIT %s
            ),
            described AS (
                SELECT c.id, c.billable, c.search_title_size, c.search_vector,
                    CASE WHEN c.text_licence <> '' THEN '' ELSE coalesce(nullif(c.official_description, ''), c.title)
                    END AS text,
                    nh.size AS note_size, coalesce(nh.nos, false) AS note_nos
                FROM (SELECT id FROM title_hits UNION SELECT id FROM note_hits) ids
                JOIN lookup_code c ON c.id = ids.id
                LEFT JOIN note_hits nh ON nh.id = c.id
                WHERE true {filters}
            ),
            scored AS (
                SELECT d.id, d.billable,
                    CASE WHEN ts_filter(d.search_vector, '{{a}}') @@ q.q
                        THEN least(1.0, q.n::float / greatest(
                            d.search_title_size
                            - CASE WHEN d.text ~* '\yunspecified\y' THEN 1 ELSE 0 END
                            - CASE WHEN d.text ~* '\yunspecified (organism|site)\y' THEN 1 ELSE 0 END
                            - CASE WHEN d.text ~* '\ysite not specified\y' THEN 2 ELSE 0 END
                            - CASE WHEN d.text ~* '\ywithout complications?\y' THEN 2 ELSE 0 END
                            - CASE WHEN d.text ~* '\yuncomplicated\y' THEN 1 ELSE 0 END
                            + CASE WHEN d.text ~* '^other\y' THEN 1 ELSE 0 END, 1))
                        ELSE 0 END AS title_cov,
                    CASE WHEN d.note_size IS NULL THEN 0 ELSE least(1.0, q.n::float / greatest(d.note_size, 1)) END
                        AS note_cov,
                    d.search_vector @@ q.q AS direct,
                    d.text ~* %s AS default_code, d.note_nos
                FROM described d CROSS JOIN q
            ),
            s AS (
                SELECT id, (
                    greatest(title_cov, 0.85 * note_cov, CASE WHEN direct THEN 0.2 ELSE 0 END)
                    + CASE WHEN title_cov > 0 AND note_cov > 0 THEN 0.1 ELSE 0 END
                    + CASE WHEN (default_code AND title_cov > 0) OR note_nos THEN 0.15 ELSE 0 END
                ) * CASE WHEN billable THEN 1 ELSE 0.8 END AS score
                FROM scored
            )
            SELECT c.id FROM s JOIN lookup_code c ON c.id = s.id
            JOIN lookup_codesystem sys ON sys.id = c.system_id CROSS JOIN q
            ORDER BY {order}, sys.position, c.sort_order
            LIMIT %s OFFSET %s"""
        tsquery = [SEARCH_CONFIG, self.tsquery]
        args = [
            *tsquery,
            SEARCH_CONFIG,
            self.words,
            *tsquery,
            *filter_params,
            cap,
            list(SEARCHABLE_NOTE_KINDS),
            *tsquery,
            cap,
            *filter_params,
            DEFAULT_CODE_PATTERN,
            stop - offset,
            offset,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            ids = [row[0] for row in cursor.fetchall()]
        found = Code.objects.select_related("system").defer(*SEARCH_COLUMNS).in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


# Highlighting ---------------------------------------------------------------------------

_START, _STOP = "\x02", "\x03"


def highlight(result: SearchResult) -> None:
    """Give each code on the page `highlighted_title`: its display title, escaped, with the
    words the query matched in <mark>. One query for the whole page."""
    codes = list(result.page) if result.page else []
    titles = [_CONTROL.sub(" ", code.display_title) for code in codes]
    marked = titles
    raw = result.tsquery
    if raw and codes:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_headline(%s::regconfig, codeahead_unaccent(t), to_tsquery(%s::regconfig, %s), "
                "%s) FROM unnest(%s::text[]) WITH ORDINALITY AS titles(t, n) ORDER BY n",
                [
                    SEARCH_CONFIG,
                    SEARCH_CONFIG,
                    raw,
                    f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true",
                    titles,
                ],
            )
            headlines = [row[0] for row in cursor.fetchall()]
        # Only trust a headline that is the title itself plus markers (unaccent may change letters).
        marked = [
            h if h.replace(_START, "").replace(_STOP, "") == t else t
            for h, t in zip(headlines, titles, strict=True)
        ]
    for code, text in zip(codes, marked, strict=True):
        code.highlighted_title = _to_html(text)


def _to_html(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))
