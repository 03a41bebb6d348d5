"""Finding open jobs: the filter form (read from the address, so every search is bookmarkable)
and the one function that turns its values into a queryset, shared by the list, the feed
and the email digests."""

from __future__ import annotations

import re

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from django.http import QueryDict

from jobs.choices import US_STATES, Credential, EmploymentType, Experience, Specialty, WorkSetting
from jobs.models import SEARCH_CONFIG, Job

_HAS_WORD = re.compile(r"\w")
SORTS = [("newest", "Newest"), ("pay", "Highest pay"), ("relevance", "Best match")]
# The order of the fields in a saved search's query string.
FILTER_FIELDS = [
    "q", "credential", "setting", "state", "city", "employment_type", "experience", "specialty",
    "pay_min", "pay_max", "sort",
]  # fmt: skip


class JobSearchForm(forms.Form):
    q = forms.CharField(label="Keywords", required=False, max_length=200)
    credential = forms.MultipleChoiceField(
        label="Credential", choices=Credential.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    setting = forms.MultipleChoiceField(
        label="Setting", choices=WorkSetting.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    state = forms.ChoiceField(label="State", choices=[("", "Any state"), *US_STATES], required=False)
    city = forms.CharField(label="City", required=False, max_length=100)
    employment_type = forms.MultipleChoiceField(
        label="Employment type",
        choices=EmploymentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience = forms.MultipleChoiceField(
        label="Experience", choices=Experience.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    specialty = forms.ChoiceField(
        label="Specialty", choices=[("", "Any specialty"), *Specialty.choices], required=False
    )
    pay_min = forms.IntegerField(
        label="Pay at least ($ a year)", required=False, min_value=0, max_value=10_000_000
    )
    pay_max = forms.IntegerField(
        label="Pay at most ($ a year)", required=False, min_value=0, max_value=10_000_000
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("pay_min"), data.get("pay_max")
        if low is not None and high is not None and low > high:
            self.add_error("pay_max", "The most must be at least the least.")
        return data

    def filters(self) -> dict:
        """The values that passed validation; a bad one is reported and left out, never a 500."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}


def form_from_query(query: str | QueryDict) -> JobSearchForm:
    data = QueryDict(query) if isinstance(query, str) else query
    return JobSearchForm(data)


def canonical_query(filters: dict) -> str:
    """The filters as a query string in a fixed order: what a saved search stores."""
    data = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        else:
            data[name] = str(value)
    return data.urlencode()


def search_jobs(filters: dict, *, queryset: QuerySet[Job] | None = None) -> QuerySet[Job]:
    """Open jobs matching the filters, in the order asked for (newest when none)."""
    # The stored search vector is only for the WHERE clause: never fetched.
    jobs = (
        (queryset if queryset is not None else Job.objects.open())
        .select_related("employer")
        .defer("search_vector")
    )
    if filters.get("credential"):
        # A coder holding any one of the ticked credentials qualifies.
        jobs = jobs.filter(credentials__overlap=filters["credential"])
    for name in ("setting", "employment_type", "experience"):
        if filters.get(name):
            jobs = jobs.filter(**{f"{name}__in": filters[name]})
    if filters.get("state"):
        jobs = jobs.filter(state=filters["state"])
    if filters.get("city"):
        jobs = jobs.filter(city__iexact=filters["city"].strip())
    if filters.get("specialty"):
        jobs = jobs.filter(specialty=filters["specialty"])
    if filters.get("pay_min") is not None:
        jobs = jobs.filter(annual_salary_max__gte=filters["pay_min"])
    if filters.get("pay_max") is not None:
        jobs = jobs.filter(annual_salary_min__lte=filters["pay_max"])
    sort = filters.get("sort") or "newest"
    # Punctuation alone makes an empty search query, which would match nothing: it is no search.
    if filters.get("q") and _HAS_WORD.search(filters["q"]):
        query = SearchQuery(filters["q"], search_type="websearch", config=SEARCH_CONFIG)
        jobs = jobs.filter(search_vector=query)
        if sort == "relevance":
            return jobs.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
                "-rank", "-approved_at", "-id"
            )
    if sort == "pay":
        return jobs.order_by(F("annual_salary_max").desc(), "-approved_at", "-id")
    return jobs.order_by("-approved_at", "-id")
