"""The words a query matched, marked in each result's title by PostgreSQL's ts_headline."""

from __future__ import annotations

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lookup.list_titles import list_title
from lookup.search.index import SEARCH_CONFIG
from lookup.search.query import CONTROL_CHARACTERS
from lookup.search.result import SearchResult

_START, _STOP = "\x02", "\x03"


def highlight(result: SearchResult, *, plain_words: bool) -> None:
    """Give each code on the page `highlighted_title`: its title in a list (our own words only
    with `plain_words`, see lookup/list_titles.py), escaped, with the words the query matched
    in <mark>; and `matched_in_plain` where the match is in our plain-language description
    and not in the title shown, which says so without showing it. One query for the whole page."""
    codes = list(result.page) if result.page else []
    titles = [CONTROL_CHARACTERS.sub(" ", list_title(code, plain_words=plain_words)) for code in codes]
    marked = titles
    in_plain = [False] * len(codes)
    raw = result.tsquery
    if raw and codes:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_headline(%s::regconfig, codeahead_unaccent(t), q, %s),"
                " to_tsvector(%s::regconfig, codeahead_unaccent(p)) @@ q"
                " FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS titles(t, p, n),"
                " to_tsquery(%s::regconfig, %s) AS q ORDER BY n",
                [
                    SEARCH_CONFIG,
                    f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true",
                    SEARCH_CONFIG,
                    titles,
                    [code.plain_description for code in codes],
                    SEARCH_CONFIG,
                    raw,
                ],
            )
            rows = cursor.fetchall()
        headlines = [row[0] for row in rows]
        # Only trust a headline that is the title itself plus markers (unaccent may change letters).
        marked = [
            h if h.replace(_START, "").replace(_STOP, "") == t else t
            for h, t in zip(headlines, titles, strict=True)
        ]
        # Said only where the title shown is not our words already, and shows no match.
        in_plain = [
            bool(row[1]) and _START not in text and not (plain_words and not code.public_title)
            for row, text, code in zip(rows, marked, codes, strict=True)
        ]
    for code, text, plain in zip(codes, marked, in_plain, strict=True):
        code.highlighted_title = _to_html(text)
        code.matched_in_plain = plain


def _to_html(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))
