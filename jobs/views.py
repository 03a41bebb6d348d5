"""The job board's pages. Employers reach only their own jobs (`Job.objects.for_employer`: any
other id is a 404); moderators are staff or hold `jobs.moderate_job`."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from codeahead.client import client_key
from jobs import actions, alerts
from jobs.forms import EmployerForm, JobForm, RejectForm, SavedSearchForm
from jobs.models import Employer, Job, SavedSearch
from jobs.search import canonical_query, form_from_query, search_jobs

JOBS_PER_PAGE = 20
S = Job.Status


def is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("jobs.moderate_job"))


def moderator_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def employer_required(view):
    """Logged in with an employer profile; without one, the profile form comes first."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        employer = Employer.objects.filter(user=request.user).first()
        if employer is None:
            messages.info(request, "Tell us about your organisation before you post a job.")
            return redirect(reverse("jobs:employer") + "?next=" + request.path)
        request.employer = employer
        return view(request, *args, **kwargs)

    return wrapper


def _own_job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(Job.objects.for_employer(request.user).select_related("employer"), pk=pk)


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    form = form_from_query(request.GET)
    filters = form.filters()
    page = Paginator(search_jobs(filters), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    query = canonical_query(filters)
    context = {
        "form": form,
        "page": page,
        "jobs": page.object_list,
        "query": query,
        "filtered": bool(filters.keys() - {"sort"}),
        "save_form": SavedSearchForm(initial={"query": query, "name": _search_name(form, filters)}),
    }
    return render(request, "jobs/list.html#results" if request.htmx else "jobs/list.html", context)


def _search_name(form, filters: dict) -> str:
    parts = []
    for name in ("q", "credential", "setting", "state", "city", "employment_type"):
        value = filters.get(name)
        if not value:
            continue
        choices = dict(getattr(form.fields[name], "choices", []))
        values = value if isinstance(value, list) else [value]
        parts.append(", ".join(str(choices.get(item, item)) for item in values))
    return " · ".join(parts)[:120] or "All jobs"


@require_GET
def job_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("employer"), pk=pk)
    owner = request.user.is_authenticated and job.employer.user_id == request.user.pk
    moderator = is_moderator(request.user)
    public = job.status in (S.APPROVED, S.EXPIRED)
    if not (public or owner or moderator):
        raise Http404
    if slug != job.slug:
        return redirect(job.get_absolute_url(), permanent=True)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "owner": owner,
            "moderator": moderator,
            "open": job.is_open(),
            "expired": job.has_expired,
        },
    )


# Employers ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def employer_profile(request: HttpRequest) -> HttpResponse:
    employer = Employer.objects.filter(user=request.user).first()
    form = EmployerForm(
        request.POST or None,
        instance=employer or Employer(user=request.user),
        initial=None if employer else {"contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        changed_identity = employer is not None and {"organisation", "website"} & set(form.changed_data)
        saved = form.save(commit=False)
        if changed_identity:
            saved.verified_at = None  # a new name or website is verified again
            saved.verified_by = None
        saved.save()
        messages.success(request, "Your employer profile is saved.")
        next_url = request.GET.get("next", "")
        return redirect(next_url if next_url in (reverse("jobs:new"),) else reverse("jobs:dashboard"))
    return render(request, "jobs/employer_form.html", {"form": form, "employer": employer})


@employer_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(employer=request.employer).order_by("-created_at", "-id")
    return render(request, "jobs/dashboard.html", {"employer": request.employer, "jobs": jobs})


@employer_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = client_key(request)
        try:
            job = actions.post_job(job=form.save(commit=False), employer=request.employer, client=client)
        except actions.RateLimited as limited:
            return render(
                request, "jobs/job_form.html", {"form": form, "refused": limited.message}, status=429
            )
        messages.success(request, "Saved as a draft. Check it below, then submit it for review.")
        return redirect(job.get_absolute_url())
    return render(request, "jobs/job_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if not job.is_editable:
        raise Http404
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        was_public = job.status == S.APPROVED
        actions.edit_job(job=form.save(commit=False))
        messages.success(
            request,
            "Saved as a draft"
            + (": it is off the board until you submit it again." if was_public else ".")
            + " Check it below, then submit it.",
        )
        return redirect(job.get_absolute_url())
    return render(request, "jobs/job_form.html", {"form": form, "job": job})


@login_required
@require_POST
def job_submit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    try:
        job = actions.submit_job(job=job)
    except actions.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect(job.get_absolute_url())
    if job.status == S.APPROVED:
        messages.success(request, "Your job is on the board.")
    else:
        messages.success(request, "Submitted for review. We email you when a moderator has looked at it.")
    return redirect("jobs:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def job_renew(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if request.method == "POST":
        try:
            job = actions.renew_job(job=job)
        except actions.NotAllowed as refused:
            messages.error(request, str(refused))
        else:
            if job.status == S.REVIEW:
                messages.success(request, "Sent for review again: it is back on the board once approved.")
            else:
                messages.success(request, f"Renewed: open until {job.expires_at:%B %-d, %Y}.")
        return redirect("jobs:dashboard")
    return render(request, "jobs/renew.html", {"job": job, "days": settings.JOBS_EXPIRE_DAYS})


@login_required
@require_http_methods(["GET", "POST"])
def job_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first: a removed job is gone for good."""
    job = _own_job(request, pk)
    if job.status == S.REMOVED:
        raise Http404
    if request.method == "POST":
        actions.remove_job(job=job, by=request.user)
        messages.success(request, f"“{job.title}” is removed.")
        return redirect("jobs:dashboard")
    return render(request, "jobs/remove.html", {"job": job})


# Moderators --------------------------------------------------------------------------


@moderator_required
@require_GET
def moderate_queue(request: HttpRequest) -> HttpResponse:
    waiting = Job.objects.filter(status=S.REVIEW).select_related("employer").order_by("submitted_at", "id")
    unverified = Employer.objects.filter(verified_at__isnull=True).select_related("user")
    return render(request, "jobs/moderate_queue.html", {"jobs": waiting, "employers": unverified})


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("employer"), pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                actions.approve_job(job=job, moderator=request.user)
                messages.success(request, f"Approved “{job.title}”; the employer is emailed.")
                return redirect("jobs:moderate")
            if decision == "reject" and reject_form.is_valid():
                actions.reject_job(job=job, moderator=request.user, reason=reject_form.cleaned_data["reason"])
                messages.success(request, f"Rejected “{job.title}”; the employer is emailed the reason.")
                return redirect("jobs:moderate")
            if decision == "remove":
                actions.remove_job(job=job, by=request.user)
                messages.success(request, f"Removed “{job.title}”.")
                return redirect("jobs:moderate")
        except actions.NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("jobs:moderate")
    status = 400 if request.method == "POST" else 200
    return render(request, "jobs/moderate_job.html", {"job": job, "reject_form": reject_form}, status=status)


@moderator_required
@require_POST
def verify_employer(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer, pk=pk)
    actions.verify_employer(employer=employer, moderator=request.user)
    messages.success(
        request, f"{employer.organisation} is verified: its jobs go on the board when submitted."
    )
    return redirect("jobs:moderate")


# Job seekers ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def saved_searches(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                alerts.save_search(user=request.user, **form.cleaned_data)
            except alerts.TooManySavedSearches as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, "Search saved: we email you new jobs that match it.")
                return redirect("jobs:saved")
        else:
            messages.error(request, "That search could not be saved: " + " ".join(
                str(error) for errors in form.errors.values() for error in errors
            ))  # fmt: skip
    searches = SavedSearch.objects.filter(user=request.user)
    return render(
        request,
        "jobs/saved_searches.html",
        {"searches": searches, "limit": settings.JOBS_SAVED_SEARCHES_MAX},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    search.delete()
    messages.success(request, f"Deleted the saved search “{search.name}”.")
    return redirect("jobs:saved")


# The token in the address is the proof: no log-in needed. One click on the emailed link stops
# the emails; nothing is deleted, so a link checker or mail preview that fetches it loses the
# reader nothing, and the page offers to resume them.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    search = alerts.search_for_token(token)
    if search is None:
        return render(request, "jobs/unsubscribe.html", {"gone": True}, status=404)
    resume = request.method == "POST" and request.POST.get("resume") == "1"
    SavedSearch.objects.filter(pk=search.pk).update(alerts_on=resume)
    return render(request, "jobs/unsubscribe.html", {"search": search, "resumed": resume, "token": token})
