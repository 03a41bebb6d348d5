"""Codes, the starts of codes, and ranges: a query shaped like codes, answered in code order."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from lookup.browse import AFTER_KEY, HEADER_KINDS, BadRange, range_codes, range_header, range_keys
from lookup.models import Code, CodeSystem, normalize_code
from lookup.search.result import SEARCH_COLUMNS, QueryError, SearchResult


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


def code_search(
    query: str, *, system: CodeSystem | None, billable_only: bool, page_number, page_size: int
) -> SearchResult:
    """The exact code first (in the code set it most likely belongs to), then the codes it starts."""
    key = normalize_code(query)
    scope = Code.objects.defer(*SEARCH_COLUMNS)
    if system is not None:
        scope = scope.filter(system=system)
    if billable_only:
        scope = scope.filter(billable=True)
    rows = (
        scope.annotate(key_c=Collate("key", "C"))
        .filter(key_c__gte=key, key_c__lt=key + AFTER_KEY)
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


def range_search(
    query: str,
    low: str,
    high: str,
    *,
    system: CodeSystem | None,
    billable_only: bool,
    page_number,
    page_size: int,
) -> SearchResult:
    """The range page's list (browse.range_codes) in the code set the range most likely means."""
    try:
        low_key, high_key = range_keys(low, high)
    except BadRange as error:
        raise QueryError(str(error)) from error

    def in_range(code_system: CodeSystem) -> QuerySet[Code]:
        rows = range_codes(code_system, low_key, high_key).defer(*SEARCH_COLUMNS)
        return rows.filter(billable=True) if billable_only else rows

    if system is not None:
        candidates = [system]
    else:
        systems = {item.slug: item for item in CodeSystem.objects.all()}
        candidates = [systems[slug] for slug in system_preference(low) if slug in systems]
    chosen = next((candidate for candidate in candidates if in_range(candidate).exists()), None)
    result = SearchResult(query=query, mode="range")
    if chosen is None:
        result.page = Paginator(Code.objects.none(), page_size).get_page(1)
        return result
    result.page = Paginator(in_range(chosen).select_related("system"), page_size).get_page(page_number)
    result.range_system = chosen
    result.range_header = range_header(chosen, low_key, high_key)
    return result
