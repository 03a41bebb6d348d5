"""The words a query matched, marked in each result's title by PostgreSQL's ts_headline."""

from __future__ import annotations

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lookup.search.index import SEARCH_CONFIG
from lookup.search.query import CONTROL_CHARACTERS
from lookup.search.result import SearchResult

_START, _STOP = "\x02", "\x03"


def highlight(result: SearchResult) -> None:
    """Give each code on the page `highlighted_title`: its display title, escaped, with the
    words the query matched in <mark>. One query for the whole page."""
    codes = list(result.page) if result.page else []
    titles = [CONTROL_CHARACTERS.sub(" ", code.display_title) for code in codes]
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
