"""The search page and its htmx partials. Searching never uses a page view: it lists codes, not code pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lookup.list_titles import plain_words_in_lists
from lookup.models import CodeSystem
from lookup.ratelimit import rate_limited
from lookup.search.highlight import highlight
from lookup.search.query import search_codes
from lookup.search.result import PAGE_SIZE, QueryError, SearchResult

SUGGESTION_COUNT = 8


@require_GET
@rate_limited
def search(request: HttpRequest) -> HttpResponse:
    """The search page; htmx asks for its results partial as the reader types."""
    system_slug = request.GET.get("system", "")[:30]
    system = CodeSystem.objects.for_slug(system_slug) if system_slug else None
    billable_only = request.GET.get("billable") in {"1", "on", "true"}
    suggest = request.GET.get("suggest") == "1"
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "systems": CodeSystem.objects.all(),
        "system": system,
        "billable_only": billable_only,
        "suggest": suggest,
        "partial": partial,
        "spell": request.GET.get("spell") != "0",
    }
    status = 200
    try:
        result = search_codes(
            request.GET.get("q", ""),
            system=system,
            billable_only=billable_only,
            page_number=request.GET.get("page"),
            page_size=SUGGESTION_COUNT if suggest else PAGE_SIZE,
            spell=request.GET.get("spell") != "0",
        )
    except QueryError as error:
        result, status = SearchResult(query=request.GET.get("q", "")[:200], mode="error"), 400
        context["error"] = str(error)
    else:
        # A submitted code (the Search button sends go=1) opens its page; typing, links and
        # Back only list it first, so Back never bounces the reader to the code again.
        if result.exact is not None and request.GET.get("go") and not request.htmx:
            return redirect(result.exact)
        highlight(result, plain_words=plain_words_in_lists(request))
    context.update(result=result, query=result.query)
    template = "lookup/search.html#results" if partial else "lookup/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
