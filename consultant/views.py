"""CaseConsultant's pages: ask, the member's questions and threads, the consultants' queue, the
knowledge base. Every question page answers 404 to anyone but its member and consultants."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from consultant import allowance, kb, refusals, services
from consultant.draft import draft_for
from consultant.forms import AskForm, MessageForm, PublishForm, QueueFilter, codes_as_text
from consultant.models import OPEN_STATUSES, Article, Entry, Question, Status, is_consultant
from lookup.models import Code, CodeSystem, key_from_address
from meter.services import reader_for


def consultant_required(view):
    """The queue and a consultant's actions: 404 for everyone else, as if they did not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_consultant(request.user):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper


def _question_for(request: HttpRequest, tracking: str) -> Question:
    return get_object_or_404(
        Question.objects.visible_to(request.user).select_related("member", "consultant"),
        tracking_number=tracking,
    )


def _refuse_files(request: HttpRequest, form) -> bool:
    if request.FILES:
        form.add_error(None, "Attachments are not accepted: describe the case in words.")
        return True
    return False


def _refusal_error(refused: services.Refused) -> ValidationError:
    code = refusals.GUARD_CODE if isinstance(refused, services.PatientInformation) else "refused"
    return ValidationError(str(refused), code=code)


def _may_post(request: HttpRequest, form) -> bool:
    """Whether a post goes ahead: not paused for the guard's refusals, no attachment, valid."""
    decision = refusals.paused(request)
    if not decision.allowed:
        form.paused = True
        form.add_error(None, refusals.message(decision))
        return False
    return not _refuse_files(request, form) and form.is_valid()


def _refused_status(request: HttpRequest, form) -> int:
    """The status of a post shown again: 429 when paused, 400 when refused. A post the patient-information
    guard refused counts towards the pause (consultant/refusals.py)."""
    if getattr(form, "paused", False):
        return 429
    if not form.errors:  # not refused: shown again as it was (an unverified member's ask)
        return 200
    if refusals.refused_by_guard(form):
        refusals.count_refusal(request)
        decision = refusals.paused(request)
        if not decision.allowed:
            form.add_error(None, refusals.message(decision))
            return 429
    return 400


def _prefill(request: HttpRequest) -> dict:
    """?code=icd-10-cm:E11.9 from a code page (or ?code=E11.9), ?q= from CasePilot's "ask an
    expert". What does not name one of our codes is left out."""
    initial = {}
    system_slug, _, code_text = request.GET.get("code", "").rpartition(":")
    key = key_from_address(code_text) if code_text else ""
    found = Code.objects.filter(key=key).select_related("system")
    if system_slug:
        system = CodeSystem.objects.for_slug(system_slug)
        found = found.filter(system=system) if system else found.none()
    matches = list(found[:2]) if key else []
    if len(matches) == 1:
        initial["codes"] = codes_as_text(matches)
    question = request.GET.get("q", "").replace("\x00", "")
    if question:
        initial["question"] = question[:5000]
    return initial


@require_safe
def my_questions(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    questions = Question.objects.filter(member=request.user).prefetch_related("codes__system")
    return render(
        request,
        "consultant/my_questions.html",
        {"questions": questions, "now": timezone.now(), "is_consultant": is_consultant(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    verified = reader_for(request).is_verified_member
    left = allowance.remaining(member=request.user, now=now)
    context = {
        "verified": verified,
        "left": left,
        "business_days": settings.CONSULTANT_RESPONSE_BUSINESS_DAYS,
        "is_consultant": is_consultant(request.user),
    }
    if request.method == "POST":
        form = AskForm(request.POST)
        if verified and _may_post(request, form):
            data = form.cleaned_data
            try:
                question = services.ask(
                    member=request.user,
                    question=data["question"],
                    codes=data["codes"],
                    setting=data["setting"],
                    considered=data["considered"],
                    consent_to_publish=data["consent_to_publish"],
                    now=now,
                )
            except services.Refused as refused:
                form.add_error(None, _refusal_error(refused))
            else:
                messages.success(
                    request,
                    f"Your question {question.tracking_number} is with our consultants. "
                    f"We emailed you a confirmation.",
                )
                return redirect(question)
    else:
        form = AskForm(initial=_prefill(request))
    status = _refused_status(request, form) if request.method == "POST" else 200
    return render(request, "consultant/ask.html", {**context, "form": form}, status=status)


@require_safe
def question_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    question = _question_for(request, tracking)
    return _render_thread(request, question)


def _render_thread(request, question, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    consultant = is_consultant(request.user)
    own = question.member_id == request.user.pk
    entries = Entry.objects.filter(question=question).select_related("author")
    changes = question.status_changes.select_related("by")
    forms = forms or {}
    can_work = consultant and question.status in (
        Status.CLAIMED,
        Status.NEEDS_INFORMATION,
        Status.MEMBER_REPLIED,
    )
    # CasePilot's cited draft beside the answer box; ?draft=1 starts the answer from it.
    draft = draft_for(question) if can_work else None
    work_form = forms.get("work")
    if work_form is None:
        start = {"body": draft.text} if draft and request.GET.get("draft") == "1" else None
        work_form = MessageForm(initial=start)
    context = {
        "question": question,
        "codes": question.codes.select_related("system"),
        "entries": entries,
        "changes": changes,
        "overdue": question.is_overdue(timezone.now()),
        "is_consultant": consultant,
        "is_member": own,
        "can_reply": own
        and question.status
        in (Status.SUBMITTED, Status.CLAIMED, Status.NEEDS_INFORMATION, Status.MEMBER_REPLIED),
        "can_close": question.status == Status.ANSWERED and (own or consultant),
        "can_claim": consultant
        and question.status in [*OPEN_STATUSES, Status.NEEDS_INFORMATION]
        and question.consultant_id != request.user.pk,
        "can_work": can_work,
        "draft": draft,
        "can_publish": consultant
        and question.consent_to_publish
        and question.status in (Status.ANSWERED, Status.CLOSED),
        "article": Article.objects.filter(source=question).first(),
        "reply_form": forms.get("reply") or MessageForm(),
        "work_form": work_form,
    }
    return render(request, "consultant/question.html", context, status=status)


def _act(request: HttpRequest, tracking: str, action) -> HttpResponse:
    """Run a change from a form post; a refused change shows the page again with the reason."""
    question = _question_for(request, tracking)
    try:
        action(question)
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect(question)


@require_POST
def reply(request: HttpRequest, tracking: str) -> HttpResponse:
    question = _question_for(request, tracking)
    if question.member_id != request.user.pk:
        raise Http404("No such page")
    form = MessageForm(request.POST)
    if _may_post(request, form):
        try:
            services.reply(question=question, member=request.user, body=form.cleaned_data["body"])
        except services.Refused as refused:
            form.add_error(None, _refusal_error(refused))
        else:
            messages.success(request, "Your reply is added to the question.")
            return redirect(question)
    return _render_thread(request, question, forms={"reply": form}, status=_refused_status(request, form))


@require_POST
def close(request: HttpRequest, tracking: str) -> HttpResponse:
    return _act(request, tracking, lambda question: services.close(question=question, by=request.user))


@require_POST
@consultant_required
def claim(request: HttpRequest, tracking: str) -> HttpResponse:
    return _act(
        request, tracking, lambda question: services.claim(question=question, consultant=request.user)
    )


@require_POST
@consultant_required
def work(request: HttpRequest, tracking: str) -> HttpResponse:
    """A consultant's message: `send=answer` answers, `send=request` asks for information."""
    question = _question_for(request, tracking)
    form = MessageForm(request.POST)
    send = {"answer": services.answer, "request": services.request_information}.get(request.POST.get("send"))
    if send is None:
        form.add_error(None, "Choose whether to send the answer or ask for information.")
    if send and _may_post(request, form):
        try:
            send(question=question, consultant=request.user, body=form.cleaned_data["body"])
        except services.Refused as refused:
            form.add_error(None, _refusal_error(refused))
        else:
            sent = "answer is sent" if send is services.answer else "request for information is sent"
            messages.success(request, f"The {sent} to the member.")
            return redirect(question)
    return _render_thread(request, question, forms={"work": form}, status=_refused_status(request, form))


@require_http_methods(["GET", "HEAD", "POST"])
@consultant_required
def publish(request: HttpRequest, tracking: str) -> HttpResponse:
    question = _question_for(request, tracking)
    article = Article.objects.filter(source=question).first()
    answer = question.entries.filter(kind=Entry.Kind.ANSWER).last()
    if request.method == "POST":
        form = PublishForm(request.POST)
        if _may_post(request, form):
            data = form.cleaned_data
            try:
                article = services.publish(
                    question=question,
                    consultant=request.user,
                    title=data["title"],
                    question_text=data["question"],
                    answer_text=data["answer"],
                    codes=data["codes"],
                )
            except services.Refused as refused:
                form.add_error(None, _refusal_error(refused))
            else:
                messages.success(request, "Published in the knowledge base.")
                return redirect(article)
    elif article:
        form = PublishForm(
            initial={
                "title": article.title,
                "question": article.question,
                "answer": article.answer,
                "codes": codes_as_text(list(article.codes.select_related("system"))),
            }
        )
    else:
        form = PublishForm(
            initial={
                "question": question.question,
                "answer": answer.body if answer else "",
                "codes": codes_as_text(list(question.codes.select_related("system"))),
            }
        )
    return render(
        request,
        "consultant/publish.html",
        {"question": question, "form": form, "article": article},
        status=_refused_status(request, form) if request.method == "POST" else 200,
    )


@require_safe
@consultant_required
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    filters = QueueFilter(request.GET)
    questions = Question.objects.select_related("member", "consultant").prefetch_related(
        Prefetch("codes", queryset=Code.objects.select_related("system"))
    )
    if (statuses := filters.statuses()) is not None:
        questions = questions.filter(status__in=statuses)
    age = filters.cleaned_data.get("age") if filters.is_valid() else ""
    if age == "overdue":
        questions = questions.filter(due_at__lt=now, status__in=OPEN_STATUSES)
    elif age:
        questions = questions.filter(submitted_at__lt=now - timedelta(days=int(age)))
    page = Paginator(questions.order_by("due_at", "id"), 50).get_page(request.GET.get("page"))
    for question in page:
        question.overdue = question.is_overdue(now)
    return render(
        request,
        "consultant/queue.html",
        {
            "filters": filters,
            "page": page,
            "now": now,
            "business_days": settings.CONSULTANT_RESPONSE_BUSINESS_DAYS,
        },
    )


@require_safe
def knowledge_base(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    articles = kb.search(query).prefetch_related(
        Prefetch("codes", queryset=Code.objects.select_related("system"))
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "consultant/kb_list.html",
        {"page": page, "kb_query": query, "is_consultant": is_consultant(request.user)},
    )


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Article, slug=slug)
    return render(
        request,
        "consultant/kb_article.html",
        {
            "article": found,
            "codes": found.codes.select_related("system"),
            "is_consultant": is_consultant(request.user),
        },
    )
