from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import push_url

from casepilot import services
from casepilot.answer import EXAMPLES, KIND_LABELS, clean_question
from casepilot.facts import Answer
from casepilot.models import Conversation, Exchange, GuideArticle
from codeahead.privacy import describe, find_patient_information
from meter.services import reader_for

MAX_FOCUS_LENGTH = 40


def _own_conversation(request: HttpRequest, pk: int) -> Conversation:
    """The reader's own conversation; anyone else's is a 404, as if it did not exist."""
    if not request.user.is_authenticated:
        raise Http404("No such conversation")
    return get_object_or_404(Conversation, pk=pk, user=request.user)


def _thread(conversation: Conversation) -> list[tuple[Exchange, Answer]]:
    return [(ex, Answer.from_dict(ex.answer)) for ex in conversation.exchanges.order_by("created_at", "pk")]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The question box; with ?q= the answer (a plain page, or the thread in place for htmx)."""
    text = request.GET.get("q", "")
    focus = clean_question(request.GET.get("focus", ""))[:MAX_FOCUS_LENGTH]
    context = {
        "examples": EXAMPLES,
        "asked_text": clean_question(text)[:1000],
        "questions_per_day": settings.METER_RULES[services.RESOURCE]["verified"],
        "focus": focus,
        "may_ask": services.may_ask(reader_for(request)),
        "kinds": KIND_LABELS,
    }
    conversation = None
    if request.GET.get("c", "").isdigit() and len(request.GET["c"]) < 12:
        conversation = _own_conversation(request, int(request.GET["c"]))
    if "q" in request.GET and context["may_ask"]:
        asked = services.ask(
            user=request.user,
            reader=reader_for(request),
            text=text,
            conversation=conversation,
            focus=focus,
            now=timezone.now(),
        )
        conversation = asked.conversation or conversation
        if asked.answer.refused:
            context["asked_text"] = ""  # patient information is not echoed back either
        context["latest"] = asked.answer
        context["latest_exchange"] = asked.exchange
    elif "q" in request.GET:
        context["needs_account"] = True
    if conversation is not None:
        context["conversation"] = conversation
        context["thread"] = _thread(conversation)
    template = "casepilot/home.html#thread" if request.htmx else "casepilot/home.html"
    response = render(request, template, context)
    if request.htmx and conversation is not None:
        push_url(response, conversation.get_absolute_url())
    return response


@require_safe
def conversations(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    rows = Conversation.objects.filter(user=request.user).order_by("-updated_at")
    return render(
        request,
        "casepilot/conversations.html",
        {
            "page": Paginator(rows, 25).get_page(request.GET.get("page")),
            "may_ask": services.may_ask(reader_for(request)),
        },
    )


@require_safe
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_conversation(request, pk)
    return render(
        request,
        "casepilot/conversation.html",
        {
            "conversation": found,
            "thread": _thread(found),
            "examples": EXAMPLES,
            "may_ask": services.may_ask(reader_for(request)),
            "focus": found.focus,
        },
    )


@require_POST
def conversation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _own_conversation(request, pk).delete()
    return redirect("casepilot:conversations")


@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404("No such answer")
    exchange = get_object_or_404(Exchange.objects.select_related("conversation"), pk=pk, user=request.user)
    choice = request.POST.get("helpful", "")
    comment = request.POST.get("comment", "")
    error = ""
    if choice not in ("yes", "no"):
        error = "Choose helpful or not helpful."
    elif reasons := find_patient_information(comment):
        error = describe(reasons)
    if not error:
        services.rate(exchange=exchange, helpful=choice == "yes", comment=comment, now=timezone.now())
    if request.htmx:
        return render(
            request,
            "casepilot/_rating.html",
            {"exchange": exchange, "rating_error": error},
            status=400 if error else 200,
        )
    if error:
        return render(
            request,
            "casepilot/conversation.html",
            {
                "conversation": exchange.conversation,
                "thread": _thread(exchange.conversation),
                "rating_error": error,
                "rating_error_for": exchange.pk,
                "may_ask": services.may_ask(reader_for(request)),
                "focus": exchange.conversation.focus,
            },
            status=400,
        )
    return redirect(f"{exchange.conversation.get_absolute_url()}#answer-{exchange.pk}")


@require_safe
def guides(request: HttpRequest) -> HttpResponse:
    return render(request, "casepilot/guides.html", {"articles": GuideArticle.objects.filter(published=True)})


@require_safe
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(GuideArticle, slug=slug[:50], published=True)
    return render(request, "casepilot/guide.html", {"article": article})
