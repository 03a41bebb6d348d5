"""Words: ranked full-text search over the stored search vectors (see index.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection

from lookup.models import Code, CodeSystem, Note
from lookup.search.index import SEARCH_CONFIG, SEARCHABLE_NOTE_KINDS
from lookup.search.result import SEARCH_COLUMNS, SearchResult
from lookup.search.spelling import corrections

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
_WORD = re.compile(r"[a-z0-9]+")


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


def words_search(query: str, filters: Filters, *, page_number, page_size: int) -> SearchResult:
    words = [
        part for word in _WORD.findall(fold(query))[:12] for part in ABBREVIATIONS.get(word, word).split()
    ]
    result = SearchResult(query=query, mode="words")
    fixes = corrections(words, last_is_prefix=True)
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
            codes, notes = Code._meta.db_table, Note._meta.db_table
            # The tsquery is a constant in the SQL, so the planner can estimate how many rows match.
            sql = f"""
                SELECT count(*) FROM (
                    SELECT id FROM (
                        SELECT c.id FROM {codes} c
                        WHERE c.search_vector @@ to_tsquery(%s::regconfig, %s) {filters} LIMIT %s
                    ) direct
                    UNION
                    SELECT code_id FROM (
                        SELECT n.code_id FROM {notes} n JOIN {codes} c ON c.id = n.code_id
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
        codes, notes, systems = Code._meta.db_table, Note._meta.db_table, CodeSystem._meta.db_table
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
                SELECT c.id FROM {codes} c
                WHERE c.search_vector @@ to_tsquery(%s::regconfig, %s) {filters}
                ORDER BY {size_order} LIMIT %s
            ),
            note_hits AS (
                -- "diabetes NOS" under E11: NOS marks where the bare term belongs.
                SELECT n.code_id AS id,
                    min(n.search_size - CASE WHEN n.text ~* '\ynos\y' THEN 1 ELSE 0 END) AS size,
                    bool_or(n.text ~* '\ynos\y') AS nos
                FROM {notes} n
                WHERE n.kind = ANY(%s) AND n.search_vector @@ to_tsquery(%s::regconfig, %s)
                GROUP BY n.code_id ORDER BY min(n.search_size) LIMIT %s
            ),
            described AS (
                SELECT c.id, c.billable, c.search_title_size, c.search_vector,
                    CASE WHEN c.text_licence <> '' THEN '' ELSE coalesce(nullif(c.official_description, ''), c.title)
                    END AS text,
                    nh.size AS note_size, coalesce(nh.nos, false) AS note_nos
                FROM (SELECT id FROM title_hits UNION SELECT id FROM note_hits) ids
                JOIN {codes} c ON c.id = ids.id
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
            SELECT c.id FROM s JOIN {codes} c ON c.id = s.id
            JOIN {systems} sys ON sys.id = c.system_id CROSS JOIN q
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
