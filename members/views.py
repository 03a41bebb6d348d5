"""A member's codes: the list page, its CSV, and the star and note forms of code pages.

Every view needs a signed-in account and reads or writes only that account's rows.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lookup.models import Code
from members import services
from members.forms import NoteForm


def _code(code_id: int) -> Code:
    return get_object_or_404(Code.objects.select_related("system"), pk=code_id)


def _back(request: HttpRequest, code: Code) -> HttpResponse:
    """Where a form without JavaScript returns: the page it was on, if it is ours."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = code.get_absolute_url()
    return redirect(target)


@login_required
@require_safe
def my_codes(request: HttpRequest) -> HttpResponse:
    context = {
        "favourites": services.favourites(request.user),
        "recent": services.recent(request.user),
        "notes": services.notes(request.user),
        "recent_max": services.RECENT_CODES,
    }
    return render(request, "members/my_codes.html", context)


@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The member's lists as CSV: all three, or one (`?list=favourites`)."""
    which = request.GET.get("list", "")
    if which and which not in services.LISTS:
        raise BadRequest("Unknown list")
    out = io.StringIO()
    services.write_csv(
        out,
        services.csv_rows(
            request.user, which=[which] if which else services.LISTS, site_url=settings.SITE_URL
        ),
    )
    name = f"codeahead-{which or 'my-codes'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def favourite(request: HttpRequest, code_id: int) -> HttpResponse:
    """Star (favourite=1) or unstar (favourite=0) a code: htmx gets the new button, a form the page back."""
    code = _code(code_id)
    wanted = request.POST.get("favourite", "")
    if wanted not in ("0", "1"):
        raise BadRequest("favourite must be 0 or 1")
    starred = services.favourite_set(user=request.user, code=code, on=wanted == "1")
    if request.htmx:
        next_url = request.POST.get("next", "")
        return render(request, "members/_star.html", {"code": code, "favourite": starred, "next": next_url})
    return _back(request, code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def note(request: HttpRequest, code_id: int) -> HttpResponse:
    """The member's note on a code: its own page without JavaScript, the code page's form with htmx."""
    code = _code(code_id)
    saved = False
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            services.note_save(user=request.user, code=code, text=form.cleaned_data["text"])
            if not request.htmx:
                return _back(request, code)
            saved = True
            form = NoteForm(initial={"text": form.cleaned_data["text"]})
    else:
        form = NoteForm(initial={"text": services.note_for(user=request.user, code=code)})
    context = {"code": code, "form": form, "saved": saved, "next": request.POST.get("next", "")}
    if request.htmx:  # htmx swaps only a 2xx answer: the form with its error is one
        return render(request, "members/_note.html", context)
    return render(request, "members/note.html", context, status=400 if form.errors else 200)
