from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from lookup.models import Code
from rules import places, tools
from rules.access import is_member
from rules.modifiers import NCCI_MODIFIER_SET, all_modifiers, get_modifier


@require_safe
def modifier_list(request: HttpRequest) -> HttpResponse:
    modifiers = all_modifiers()
    return render(
        request,
        "rules/modifier_list.html",
        {
            "cpt": [m for m in modifiers if m.system == "CPT"],
            "hcpcs": [m for m in modifiers if m.system == "HCPCS"],
        },
    )


@require_safe
def modifier_detail(request: HttpRequest, modifier: str) -> HttpResponse:
    found = get_modifier(modifier) if len(modifier) <= 4 else None
    if found is None:
        raise Http404("No such modifier")
    if modifier != found.code:
        return HttpResponsePermanentRedirect(found.url)
    # Its own HCPCS code page, where the code set has it (CPT's modifiers are no codes of ours).
    entry = (
        Code.objects.filter(system__slug="hcpcs", kind=Code.Kind.MODIFIER, key=found.code).first()
        if found.system == "HCPCS"
        else None
    )
    return render(
        request,
        "rules/modifier_detail.html",
        {
            "modifier": found,
            "breaks_ncci_edits": found.code in NCCI_MODIFIER_SET,
            "uses": tools.codes_for_modifier(found.code),
            "entry": entry,
        },
    )


class CheckForm(forms.Form):
    codes = forms.CharField(
        label="Codes",
        max_length=tools.MAX_INPUT,
        help_text="Two or more codes of any system, separated by commas or spaces: 77307, 77300 or E11.9 E10.9.",
    )

    def clean_codes(self) -> tools.PairCheck:
        try:
            return tools.pair_check(self.cleaned_data["codes"])
        except tools.CodeInputError as error:
            raise forms.ValidationError(str(error)) from None


@require_safe
def check(request: HttpRequest) -> HttpResponse:
    """The pair checker: every pair of the codes typed, for members; guests see the form and why not."""
    member = is_member(request)
    asked = "codes" in request.GET
    form = CheckForm(request.GET if asked else None)
    result = None
    status = 200
    if asked and member:
        if form.is_valid():
            result = form.cleaned_data["codes"]
        else:
            status = 400
    elif asked:
        status = 403
    template = "rules/check.html"
    if request.htmx:
        # htmx swaps only 2xx answers: the partial itself says "for members" or what is wrong.
        template, status = "rules/check.html#results", 200
    return render(
        request, template, {"form": form, "result": result, "member": member, "asked": asked}, status=status
    )


@require_safe
def pos_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rules/pos_list.html",
        {"places": places.all_places(), "unassigned": places.unassigned_ranges()},
    )


@require_safe
def pos_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = places.place(code) if len(code) <= 3 else None
    if found is None:
        raise Http404("No such place of service")
    if code != found.code:
        return HttpResponsePermanentRedirect(reverse("rules:pos", args=[found.code]))
    return render(request, "rules/pos_detail.html", {"place": found})
