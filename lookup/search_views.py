"""Search and browse pages. Neither ever uses a page view: they list codes, not code pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_safe

from lookup.browse import BadRange, children_of, parse_span
from lookup.models import Code, CodeSystem, key_from_address
from lookup.pages import breadcrumbs
from lookup.ratelimit import rate_limited
from lookup.search import PAGE_SIZE, QueryError, SearchResult, highlight, range_codes, search_codes

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
    }
    status = 200
    try:
        result = search_codes(
            request.GET.get("q", ""),
            system=system,
            billable_only=billable_only,
            page_number=request.GET.get("page"),
            page_size=SUGGESTION_COUNT if suggest else PAGE_SIZE,
        )
    except QueryError as error:
        result, status = SearchResult(query=request.GET.get("q", "")[:200], mode="error"), 400
        context["error"] = str(error)
    else:
        # A submitted code (the Search button sends go=1) opens its page; typing, links and
        # Back only list it first, so Back never bounces the reader to the code again.
        if result.exact is not None and request.GET.get("go") and not request.htmx:
            return redirect(result.exact)
        highlight(result)
    context.update(result=result, query=result.query)
    template = "lookup/search.html#results" if partial else "lookup/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _system_or_404(slug: str) -> CodeSystem:
    system = CodeSystem.objects.for_slug(slug)
    if system is None:
        raise Http404("No such code system")
    return system


@require_safe
def browse(request: HttpRequest, system: str, code: str) -> HttpResponse:
    """A chapter, section or category with the codes under it and how many each holds."""
    code_system = _system_or_404(system)
    key = key_from_address(code)
    found = Code.objects.filter(system=code_system, key=key).first() if key else None
    if found is None:
        raise Http404("No such code")
    if system != code_system.slug or code != found.code:
        return HttpResponsePermanentRedirect(f"/{code_system.slug}/browse/{found.code}/")
    found.system = code_system
    return render(
        request,
        "lookup/browse.html",
        {
            "system": code_system,
            "code": found,
            "ancestors": breadcrumbs(found),
            "children": children_of(code_system, found),
        },
    )


@require_safe
def code_range(request: HttpRequest, system: str, span: str) -> HttpResponse:
    """Every code from one code to another, in code order, like a fee schedule's range."""
    code_system = _system_or_404(system)
    if system != code_system.slug:
        return HttpResponsePermanentRedirect(f"/{code_system.slug}/range/{span}/")
    try:
        low, high = parse_span(span[:40])
    except BadRange as error:
        return render(request, "lookup/range.html", {"system": code_system, "error": str(error)}, status=400)
    rows = range_codes(code_system, low, high).select_related("system")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    header = Code.objects.filter(system=code_system, key=f"{low}-{high}").first()
    return render(
        request,
        "lookup/range.html",
        {"system": code_system, "low": low, "high": high, "page": page, "header": header},
    )
