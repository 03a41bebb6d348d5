from __future__ import annotations

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

import meter
from lookup import pcs_browse
from lookup.browse import (
    BadRange,
    children_of,
    first_character_groups,
    has_hierarchy,
    parse_span,
    range_codes,
    range_header,
    systems_with_counts,
)
from lookup.models import Code, CodeChange, CodeSystem, Release, key_from_address
from lookup.pages import breadcrumbs, code_page, public_title
from lookup.sections import code_sections, reader_parts


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    systems = systems_with_counts()
    popular = (
        Code.objects.filter(featured=True).select_related("system").order_by("system__position", "sort_order")
    )
    return render(request, "lookup/home.html", {"systems": systems, "popular": popular})


@require_safe
def system_detail(request: HttpRequest, system: str) -> HttpResponse:
    code_system = CodeSystem.objects.for_slug(system)
    if code_system is None:
        raise Http404("No such code system")
    if system != code_system.slug:
        return HttpResponsePermanentRedirect(code_system.get_absolute_url())
    # ICD-10-PCS by its tables' sections; chapters with their counts where the code set has
    # them; else runs of codes under named sections or by first character.
    if code_system.slug == pcs_browse.PCS:
        sections = pcs_browse.children(code_system, "")
        return render(request, "lookup/system.html", {"system": code_system, "pcs_sections": sections})
    if has_hierarchy(code_system):
        return render(
            request, "lookup/system.html", {"system": code_system, "chapters": children_of(code_system, None)}
        )
    return render(
        request, "lookup/system.html", {"system": code_system, "groups": first_character_groups(code_system)}
    )


@require_safe
@meter.metered("code_page")
def code_detail(request: HttpRequest, system: str, code: str) -> HttpResponse:
    code_system = CodeSystem.objects.for_slug(system)
    key = key_from_address(code)
    if code_system is None or not key:
        raise Http404("No such code")
    try:
        # get(), not first(): the key is unique in its system, and first()'s ordering costs.
        # What the meter says of the code comes in the same statement.
        meter_columns = request.meter.peek_columns(item_sql=f"{Code._meta.db_table}.id::text")
        found = Code.objects.annotate(**meter_columns).get(system=code_system, key=key)
    except Code.DoesNotExist:
        return render(
            request,
            "lookup/code_not_found.html",
            {"system": code_system, "code": code, "key": key},
            status=404,
        )
    found.system = code_system
    if system != code_system.slug or code != found.code:
        return HttpResponsePermanentRedirect(found.get_absolute_url())

    quota = request.meter.consume(item=str(found.pk), row=found)
    page = code_page(found)
    if not quota.allowed:
        # Out of views: the code and where it sits, nothing of its content.
        context = {"page": page, "code": found, "quota": quota, "public_title": public_title(found)}
        return render(request, "lookup/code_locked.html", context, status=403)
    # Each section decides who sees it (members, by default); a locked one shows its
    # placeholder and its data is never computed.
    sections = code_sections(found, decision=quota, params=request.GET)
    # What is this reader's own (a member's star and note), from the apps that add it.
    own = reader_parts(found, request=request, decision=quota)
    return render(
        request,
        "lookup/code_detail.html",
        {"page": page, "code": found, "quota": quota, "sections": sections, "own": own},
    )


@require_safe
def code_any_system(request: HttpRequest, code: str) -> HttpResponse:
    key = key_from_address(code)
    if not key:
        raise Http404("No such code")
    matches = list(Code.objects.filter(key=key).select_related("system").order_by("system__position"))
    if len(matches) == 1:
        return redirect(matches[0], permanent=True)
    if not matches:
        return render(request, "lookup/code_not_found.html", {"code": code, "key": key}, status=404)
    return render(request, "lookup/code_choices.html", {"code": code, "matches": matches})


@require_safe
def latest_changes(request: HttpRequest, system: str) -> HttpResponse:
    code_system = CodeSystem.objects.for_slug(system)
    latest = code_system.releases.first() if code_system else None
    if latest is None:
        raise Http404("No release of this code system is loaded")
    return redirect(latest)


@require_safe
def release_changes(request: HttpRequest, system: str, release: str) -> HttpResponse:
    """What one release added, revised and deleted, as a paged list."""
    code_system = CodeSystem.objects.for_slug(system)
    found = None
    if code_system is not None and len(release) <= Release._meta.get_field("version").max_length:
        found = Release.objects.filter(system=code_system, version=release).first()
    if found is None:
        raise Http404("No such release")
    kind = request.GET.get("kind", "")
    if kind and kind not in CodeChange.Kind.values:
        raise BadRequest("Unknown kind of change")
    changes = found.changes.select_related("code__system").order_by("code__sort_order")
    if kind:
        changes = changes.filter(kind=kind)
    context = {
        "system": code_system,
        "release": found,
        "releases": code_system.releases.all(),
        "page": Paginator(changes, 100).get_page(request.GET.get("page")),
        "kind": kind,
        "kinds": found.change_counts(),
    }
    return render(request, "lookup/changes.html", context)


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
    if key and pcs_browse.is_table_prefix(code_system, key):
        return _pcs_browse(request, code_system, key, asked=(system, code))
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


def _pcs_browse(
    request: HttpRequest, system: CodeSystem, prefix: str, *, asked: tuple[str, str]
) -> HttpResponse:
    """An ICD-10-PCS section or body system with what is under it, or a table with its codes."""
    if asked != (system.slug, prefix):
        return HttpResponsePermanentRedirect(reverse("lookup:browse", args=[system.slug, prefix]))
    context = {"system": system, "trail": pcs_browse.trail(system, prefix)}
    context["level"] = context["trail"][-1]
    if len(prefix) < 3:
        context["children"] = pcs_browse.children(system, prefix)
        if not context["children"]:
            raise Http404("No ICD-10-PCS codes start with these characters")
        axis = pcs_browse.axis_name(prefix[:1] or context["children"][0].prefix, len(prefix))
        context["heading"] = pcs_browse.axis_count(axis, len(context["children"]))
    else:
        page = Paginator(pcs_browse.table_codes(system, prefix), 100).get_page(request.GET.get("page"))
        if not page.object_list:
            raise Http404("No ICD-10-PCS codes start with these characters")
        for item in page.object_list:
            item.system = system
        context["page"] = page
    return render(request, "lookup/pcs_browse.html", context)


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
    header = range_header(code_system, low, high)
    return render(
        request,
        "lookup/range.html",
        {"system": code_system, "low": low, "high": high, "page": page, "header": header},
    )
