"""The JSON API, version 1, at /api/v1/ (django-ninja: typed parameters, OpenAPI out of the box).

Views stay thin: lookup answers (search, browse, code pages' data), serialize.py leaves out
licensed text, caller.py counts every request and says who is asking.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from api import serialize
from api.caller import ApiKeyAuth, Caller
from api.errors import ApiError, error_body
from lookup.browse import children_of, first_character_groups, has_hierarchy
from lookup.models import Code, CodeChange, CodeSystem, Note, Release, key_from_address
from lookup.pages import breadcrumbs
from lookup.search.query import search_codes
from lookup.search.result import QueryError

log = logging.getLogger(__name__)

CODE_CACHE_SECONDS = 300
MAX_LIMIT = 100


api = NinjaAPI(
    title="CodeAhead API",
    version="1",
    description=(
        "Medical codes (ICD-10-CM, ICD-10-PCS, HCPCS Level II, CPT) as JSON. Send your key as "
        "`Authorization: Bearer <key>` (keys are made on your account's API keys page); without one, "
        "a small allowance per address. CPT descriptors (the AMA's) and ADA text are never served."
    ),
    urls_namespace="api_v1",
    auth=ApiKeyAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


# Errors: one shape for every status.


def _error(request: HttpRequest, status: int, message: str, *, headers: dict | None = None, **extra):
    response = api.create_response(request, error_body(status, message, **extra), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.message, headers=exc.headers, code=exc.code)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja's own (an unreadable request body is its 400), in our shape.
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(ValidationError)
def on_invalid(request, exc: ValidationError):
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "problem": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, 422, "Some parameters are not valid.", details=details)


@api.exception_handler(Exception)
def on_exception(request, exc):
    log.exception("API error on %s", request.path)
    return _error(request, 500, "Something went wrong on our side; it has been logged.")


# Shared pieces.


def find_system(slug: str) -> CodeSystem:
    system = CodeSystem.objects.for_slug(slug[:30])
    if system is None:
        raise ApiError(404, f"No code system {slug[:30]!r}: see /api/v1/systems.")
    return system


def find_code(system: CodeSystem, code: str) -> Code:
    key = key_from_address(code)
    found = Code.objects.filter(system=system, key=key).first() if key else None
    if found is None:
        raise ApiError(404, f"No {system.name} code {code[:20]!r}.")
    found.system = system
    return found


def _page_links(request: HttpRequest, *, count: int, limit: int, offset: int) -> dict:
    def link(at: int) -> str:
        params = request.GET.copy()
        params["offset"], params["limit"] = str(at), str(limit)
        return serialize.site_url(request.path) + "?" + params.urlencode()

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
    }


class Paging(Schema):
    limit: int = 25
    offset: int = 0

    def checked(self) -> tuple[int, int]:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}.")
        if self.offset < 0:
            raise ApiError(400, "offset must be 0 or more.")
        return self.limit, self.offset


def code_resource(found: Code) -> dict:
    """The whole code resource (the API's and the MCP tool's), licensed text left out."""
    ancestors = breadcrumbs(found)
    children = list(found.children.order_by("sort_order"))
    notes = list(Note.objects.filter(code_id__in=[found.pk, *(a.pk for a in ancestors)]).order_by("position"))
    # The code's own notes first, then its ancestors', nearest first.
    depth = {a.pk: i for i, a in enumerate(reversed([*ancestors, found]))}
    notes.sort(key=lambda n: (depth[n.code_id], n.position))
    changes = (
        CodeChange.objects.filter(code=found).select_related("release", "code").order_by("-release__date")
    )
    return serialize.code_detail(found, ancestors=ancestors, children=children, notes=notes, changes=changes)


def for_caller(request: HttpRequest, data):
    """`data` as the caller may read it: without a verified member's key, the site's line for a
    guest's lists (README, accounts): public titles yes; our plain-language texts, the notes and
    the history no. Otherwise the anonymous allowance would read what the page-view meter guards."""
    if request.auth.reads_members_words:
        return data
    return _withhold_members_words(data)


def _withhold_members_words(value):
    if isinstance(value, dict):
        return {
            key: None
            if key == "plain_text"
            else []
            if key in ("notes", "history")
            else _withhold_members_words(v)
            for key, v in value.items()
        }
    if isinstance(value, list):
        return [_withhold_members_words(v) for v in value]
    return value


def _cached_json(request: HttpRequest, data: dict) -> HttpResponse:
    """A code resource with an ETag (its body's hash) and Cache-Control; 304 on If-None-Match."""
    body = json.dumps(data, cls=NinjaJSONEncoder, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    wanted = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    response = (
        HttpResponseNotModified()
        if etag in wanted or "*" in wanted
        else HttpResponse(body, content_type=JSONRenderer.media_type + "; charset=utf-8")
    )
    response["ETag"] = etag
    # The body depends on the key (for_caller): a shared cache keeps the anonymous one only.
    response["Vary"] = "Authorization, X-API-Key"
    visibility = "private" if request.auth.key is not None else "public"
    response["Cache-Control"] = f"{visibility}, max-age={CODE_CACHE_SECONDS}"
    return response


# Schemas (for the OpenAPI document and its docs page).


class CodeRef(Schema):
    system: str
    code: str
    kind: str
    title: str | None
    plain_text: str | None
    billable: bool
    url: str
    api_url: str


class NoteOut(Schema):
    kind: str
    label: str
    character: str | None
    text: str
    inherited_from: str | None


class ChangeOut(Schema):
    release: str
    date: date
    kind: str
    old_text: str | None
    new_text: str | None


class CodeOut(CodeRef):
    official_description: str | None
    text_withheld: str | None
    terminated: bool
    effective_date: date | None
    termination_date: date | None
    parent: CodeRef | None
    ancestors: list[CodeRef]
    children: list[CodeRef]
    notes: list[NoteOut]
    history: list[ChangeOut]
    publisher: str
    copyright: str


class SystemOut(Schema):
    slug: str
    name: str
    full_name: str
    publisher: str
    text_withheld: str | None
    url: str


class ErrorDetail(Schema):
    status: int
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class SearchOut(Schema):
    query: str
    mode: str
    corrected: str | None
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[CodeRef]


class BrowseEntry(Schema):
    code: CodeRef | None = None
    range: str | None = None
    code_count: int
    billable_count: int
    browse_url: str | None


class BrowseOut(Schema):
    system: str
    parent: CodeRef | None
    entries: list[BrowseEntry]


class ReleaseOut(Schema):
    system: str
    version: str
    date: date
    baseline: bool
    changes: dict[str, int]
    changes_url: str


class ChangeRow(Schema):
    code: CodeRef
    kind: str
    old_text: str | None
    new_text: str | None


class ChangesOut(Schema):
    release: ReleaseOut
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[ChangeRow]


# Resources.


@api.get("/systems", response={200: list[SystemOut], 429: ErrorOut}, summary="The code systems")
def systems(request):
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "full_name": s.full_name,
            "publisher": s.publisher,
            "text_withheld": s.text_licence if s.text_licence and s.text_licence not in _licences() else None,
            "url": serialize.site_url(s.get_absolute_url()),
        }
        for s in CodeSystem.objects.all()
    ]


def _licences() -> set[str]:
    from django.conf import settings

    return settings.TEXT_LICENCES


@api.get("/codes/{system}/{code}", response={200: CodeOut, **ERRORS}, url_name="code", summary="One code")
def code(request, system: str, code: str):
    """A code by its system (slug or alias) and code in any spelling (`e11.9`, `E119`, `E11 9`)."""
    return _cached_json(request, for_caller(request, code_resource(find_code(find_system(system), code))))


class SearchParams(Paging):
    q: str
    system: str | None = None
    billable: bool = False


@api.get("/search", response={200: SearchOut, **ERRORS}, summary="Search codes")
def search(request, params: Query[SearchParams]):
    """The site's search: a range (`E08-E13`), a code or its start (`E11.9`, `J11`), or words."""
    limit, offset = params.checked()
    if offset % limit:
        raise ApiError(400, "offset must be a multiple of limit (search pages are whole).")
    system = find_system(params.system) if params.system else None
    try:
        result = search_codes(
            params.q,
            system=system,
            billable_only=params.billable,
            page_number=offset // limit + 1,
            page_size=limit,
        )
    except QueryError as error:
        raise ApiError(400, str(error)) from error
    rows = []
    if result.page is not None and (offset // limit + 1) == result.page.number:
        rows = list(result.page.object_list)
    count = result.count
    return {
        "query": result.query,
        "mode": result.mode,
        "corrected": result.corrected or None,
        **_page_links(request, count=count, limit=limit, offset=offset),
        "results": for_caller(request, [serialize.code_ref(c) for c in rows]),
    }


def _browse_entries(system: CodeSystem, parent: Code | None) -> list[dict]:
    if parent is not None or has_hierarchy(system):
        return [
            {
                "code": serialize.code_ref(c),
                "code_count": c.code_count,
                "billable_count": c.billable_count,
                "browse_url": serialize.site_url(reverse("api_v1:browse_code", args=[system.slug, c.code]))
                if c.code_count
                else None,
            }
            for c in children_of(system, parent)
        ]
    return [
        {
            "range": g.span,
            "code_count": g.count,
            "billable_count": g.billable_count,
            "browse_url": serialize.site_url(
                reverse("api_v1:search") + "?" + urlencode({"q": g.span, "system": system.slug})
            ),
        }
        for g in first_character_groups(system)
    ]


@api.get(
    "/browse/{system}", response={200: BrowseOut, **ERRORS}, url_name="browse", summary="A code set's top"
)
def browse(request, system: str):
    """Chapters with their counts, or for a flat code set its codes by first character."""
    found = find_system(system)
    return {
        "system": found.slug,
        "parent": None,
        "entries": for_caller(request, _browse_entries(found, None)),
    }


@api.get(
    "/browse/{system}/{code}",
    response={200: BrowseOut, **ERRORS},
    url_name="browse_code",
    summary="Codes under a code",
)
def browse_code(request, system: str, code: str):
    found_system = find_system(system)
    parent = find_code(found_system, code)
    return {
        "system": found_system.slug,
        "parent": for_caller(request, serialize.code_ref(parent)),
        "entries": for_caller(request, _browse_entries(found_system, parent)),
    }


def _release_dict(release: Release) -> dict:
    return {
        "system": release.system.slug,
        "version": release.version,
        "date": release.date,
        "baseline": release.is_baseline,
        "changes": {kind: n for kind, _, n in release.change_counts()},
        "changes_url": serialize.site_url(
            reverse("api_v1:changes", args=[release.system.slug, release.version])
        ),
    }


@api.get("/releases/{system}", response={200: list[ReleaseOut], **ERRORS}, summary="A code set's releases")
def releases(request, system: str):
    found = find_system(system)
    return [_release_dict(r) for r in found.releases.all()]


class ChangeParams(Paging):
    kind: str | None = None


@api.get(
    "/releases/{system}/{version}/changes",
    response={200: ChangesOut, **ERRORS},
    url_name="changes",
    summary="What a release changed",
)
def changes(request, system: str, version: str, params: Query[ChangeParams]):
    limit, offset = params.checked()
    found_system = find_system(system)
    release = (
        Release.objects.filter(system=found_system, version=version[:40]).select_related("system").first()
    )
    if release is None:
        raise ApiError(404, f"No {found_system.name} release {version[:40]!r}.")
    if params.kind and params.kind not in CodeChange.Kind.values:
        raise ApiError(400, f"kind must be one of {', '.join(CodeChange.Kind.values)}.")
    rows = release.changes.select_related("code__system", "release").order_by("code__sort_order")
    if params.kind:
        rows = rows.filter(kind=params.kind)
    count = rows.count()
    page = []
    for change in rows[offset : offset + limit]:
        as_dict = serialize.change_dict(change)
        page.append(
            {
                "code": serialize.code_ref(change.code),
                **{k: as_dict[k] for k in ("kind", "old_text", "new_text")},
            }
        )
    return {
        "release": _release_dict(release),
        **_page_links(request, count=count, limit=limit, offset=offset),
        "results": page,
    }


# Members' resources: a verified member's key.


class FeeParams(Schema):
    year: int | None = None
    locality: str | None = None


@api.get(
    "/fee-schedule/{code}",
    response={200: dict, **ERRORS, 403: ErrorOut},
    summary="Medicare fee schedule (members)",
)
def fee_schedule(request, code: str, params: Query[FeeParams]):
    """The Medicare Physician Fee Schedule for a CPT or HCPCS code: RVUs and national (or local) amounts."""
    from billing.sections import fee_schedule_section

    caller: Caller = request.auth
    caller.require_member()
    key = key_from_address(code)
    found = (
        Code.objects.filter(key=key, system__slug__in=["cpt", "hcpcs"]).select_related("system").first()
        if key
        else None
    )
    if found is None:
        raise ApiError(404, f"No CPT or HCPCS code {code[:20]!r}.")
    query = QueryDict(mutable=True)
    if params.year:
        query["year"] = str(params.year)
    if params.locality:
        query["locality"] = params.locality[:20]
    section = fee_schedule_section(code=found, params=query)
    if section is None or section.schedule is None:
        raise ApiError(404, f"No fee schedule rows for {found.code}.")
    return {
        "code": serialize.code_ref(found),
        "year": section.schedule.year,
        "release": section.schedule.release,
        "conversion_factor": section.schedule.conversion_factor,
        "years": section.years,
        "locality": {"id": section.locality.slug, "name": section.locality.name}
        if section.locality
        else None,
        "messages": section.messages,
        "lines": [
            {
                "modifier": line.item.modifier or None,
                "status": line.item.status,
                "work_rvu": line.item.work_rvu,
                "total_rvu_nonfacility": line.item.total_nonfacility,
                "total_rvu_facility": line.item.total_facility,
                "global_days": line.item.global_days,
                "national_nonfacility": line.item.national_nonfacility,
                "national_facility": line.item.national_facility,
                "local_nonfacility": line.local_nonfacility,
                "local_facility": line.local_facility,
            }
            for line in section.lines
        ],
        "source": f"CMS Medicare Physician Fee Schedule {section.schedule.release}",
        "as_of": timezone.now().date(),
    }


# The coding rules' and CasePilot's resources, in modules of their own (they import this one, so
# they are mounted here, at the end, once everything they use is defined).
from api.v1_casepilot import router as casepilot_router  # noqa: E402
from api.v1_rules import router as rules_router  # noqa: E402

api.add_router("", rules_router)
api.add_router("", casepilot_router)
