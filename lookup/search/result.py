"""The answer every kind of search gives, and the error a query the site cannot search raises."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page

from lookup.models import Code, CodeSystem

PAGE_SIZE = 25
# Only the database needs these; leave them out of the rows a page shows.
SEARCH_COLUMNS = ("search_vector", "search_title_size")


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

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def more(self) -> bool:
        """A words search that matched more codes than it counts (words.MAX_WORD_RESULTS)."""
        return bool(self.page) and getattr(self.page.paginator.object_list, "more", False)
