"""Every change to a question happens here, in one transaction with its status record and
the email it causes (written to the outbox, so it goes out exactly when the change is saved).

Views call these with keyword arguments; a refused change raises one of the errors below,
whose message is what the person is told.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from codeahead import emails
from codeahead.privacy import describe, find_patient_information
from consultant import allowance
from consultant.models import OPEN_STATUSES, Article, Entry, Question, Status, StatusChange, TrackingCounter


class Refused(Exception):
    """A change that may not happen now; str() says why, for the person who asked for it."""


class PatientInformation(Refused):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(describe(reasons))


def guard(*texts: str) -> None:
    """Refuse text that could identify a patient, before anything is stored."""
    reasons = []
    for text in texts:
        reasons += [reason for reason in find_patient_information(text or "") if reason not in reasons]
    if reasons:
        raise PatientInformation(reasons)


def business_days_after(start: datetime, days: int) -> datetime:
    """`start` moved on by `days` working days (Monday to Friday), at the same local time."""
    moment = timezone.localtime(start)
    while moment.weekday() >= 5:  # asked at the weekend: the clock starts on Monday morning
        moment = (moment + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    for _ in range(days):
        moment += timedelta(days=1)
        while moment.weekday() >= 5:
            moment += timedelta(days=1)
    return moment


def next_tracking_number(now: datetime) -> str:
    """CC-<year>-<sequence>: one statement raises the year's counter, so no two questions
    asked at once can get the same number."""
    year = timezone.localtime(now).year
    table = TrackingCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (sequence,) = cursor.fetchone()
    return f"CC-{year}-{sequence:06d}"


def check_rate(*, user, now: datetime) -> None:
    """No more than CONSULTANT_POSTS_PER_HOUR questions and messages from one person an hour."""
    since = now - timedelta(hours=1)
    posted = (
        Question.objects.filter(member=user, submitted_at__gte=since).count()
        + Entry.objects.filter(author=user, created_at__gte=since).count()
    )
    if posted >= settings.CONSULTANT_POSTS_PER_HOUR:
        raise Refused("You have sent many messages in the last hour. Please wait a while and try again.")


def _record(question: Question, *, to: str, by, now: datetime) -> None:
    StatusChange.objects.create(question=question, from_status=question.status, to_status=to, by=by, at=now)
    question.status = to
    question.updated_at = now


def _locked(question: Question, *, allowed: list[str], action: str) -> Question:
    """The question's row, locked for this change, if its status allows `action`."""
    current = Question.objects.select_for_update().get(pk=question.pk)
    if current.status not in allowed:
        raise Refused(f"This question is {current.get_status_display().lower()}: it cannot be {action} now.")
    return current


def _email_member(question: Question, name: str, *, repliable: bool = False, **context) -> None:
    """`repliable`: the member may answer this email (when inbound replies are set up, its
    Reply-To carries the question; consultant/inbound.py)."""
    reply_to = question.reply_address() if repliable else None
    emails.send(
        f"consultant/{name}",
        to=[question.member.email],
        context={
            "question": question,
            "url": settings.SITE_URL + question.get_absolute_url(),
            "reply_by_email": bool(reply_to),
            **context,
        },
        reply_to=[reply_to] if reply_to else None,
    )


def ask(
    *,
    member,
    question: str,
    codes: list,
    setting: str,
    considered: str,
    consent_to_publish: bool,
    now: datetime | None = None,
) -> Question:
    """Store a member's question with its tracking number and send the confirmation email."""
    now = now or timezone.now()
    guard(question, considered)
    with transaction.atomic():
        check_rate(user=member, now=now)
        decision = allowance.take_question(member=member, now=now)
        if not decision.allowed:
            raise Refused(
                "You have used all your questions this month. "
                f"You can ask again from {decision.renews_on:%B} {decision.renews_on.day}."
            )
        asked = Question.objects.create(
            tracking_number=next_tracking_number(now),
            member=member,
            question=question,
            setting=setting,
            considered=considered,
            consent_to_publish=consent_to_publish,
            status=Status.SUBMITTED,
            submitted_at=now,
            due_at=business_days_after(now, settings.CONSULTANT_RESPONSE_BUSINESS_DAYS),
            updated_at=now,
        )
        asked.codes.set(codes)
        StatusChange.objects.create(question=asked, to_status=Status.SUBMITTED, by=member, at=now)
        _email_member(asked, "received", repliable=True, remaining=decision.remaining)
    return asked


def claim(*, question: Question, consultant, now: datetime | None = None) -> Question:
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(question, allowed=[*OPEN_STATUSES, Status.NEEDS_INFORMATION], action="claimed")
        if current.consultant_id == consultant.pk and current.status != Status.SUBMITTED:
            return current
        current.consultant = consultant
        if current.status == Status.SUBMITTED:
            _record(current, to=Status.CLAIMED, by=consultant, now=now)
        current.updated_at = now
        current.save()
    return current


def request_information(
    *, question: Question, consultant, body: str, now: datetime | None = None
) -> Question:
    """Ask the member for more; they are emailed and reply on the question's page."""
    now = now or timezone.now()
    guard(body)
    with transaction.atomic():
        current = _locked(
            question, allowed=[Status.CLAIMED, Status.MEMBER_REPLIED], action="sent a request for information"
        )
        current.consultant = current.consultant or consultant
        Entry.objects.create(
            question=current,
            author=consultant,
            kind=Entry.Kind.INFORMATION_REQUEST,
            body=body,
            created_at=now,
        )
        _record(current, to=Status.NEEDS_INFORMATION, by=consultant, now=now)
        current.save()
        _email_member(current, "information_requested", repliable=True, request=body)
    return current


def reply(
    *, question: Question, member, body: str, email_message_id: str = "", now: datetime | None = None
) -> Question:
    """The member adds to their question, on the page or by email (`email_message_id`, from
    consultant/inbound.py); a consultant waiting for information gets it back."""
    now = now or timezone.now()
    guard(body)
    with transaction.atomic():
        check_rate(user=member, now=now)
        current = _locked(
            question,
            allowed=[Status.SUBMITTED, Status.CLAIMED, Status.NEEDS_INFORMATION, Status.MEMBER_REPLIED],
            action="replied to",
        )
        Entry.objects.create(
            question=current,
            author=member,
            kind=Entry.Kind.MEMBER_REPLY,
            body=body,
            created_at=now,
            email_message_id=email_message_id,
        )
        if current.status == Status.NEEDS_INFORMATION:
            _record(current, to=Status.MEMBER_REPLIED, by=member, now=now)
        current.updated_at = now
        current.save()
        if current.consultant and current.consultant.email:
            emails.send(
                "consultant/member_replied",
                to=[current.consultant.email],
                context={
                    "question": current,
                    "reply": body,
                    "url": settings.SITE_URL + current.get_absolute_url(),
                },
            )
    return current


def answer(*, question: Question, consultant, body: str, now: datetime | None = None) -> Question:
    """Send the answer: it is on the question's page and in the member's email."""
    now = now or timezone.now()
    guard(body)
    with transaction.atomic():
        current = _locked(
            question,
            allowed=[Status.CLAIMED, Status.NEEDS_INFORMATION, Status.MEMBER_REPLIED],
            action="answered",
        )
        current.consultant = current.consultant or consultant
        Entry.objects.create(
            question=current, author=consultant, kind=Entry.Kind.ANSWER, body=body, created_at=now
        )
        _record(current, to=Status.ANSWERED, by=consultant, now=now)
        current.answered_at = now
        current.save()
        _email_member(current, "answered", answer=body)
    return current


def close(*, question: Question, by, now: datetime | None = None) -> Question:
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(question, allowed=[Status.ANSWERED], action="closed")
        _record(current, to=Status.CLOSED, by=by, now=now)
        current.save()
    return current


def publish(
    *,
    question: Question,
    consultant,
    title: str,
    question_text: str,
    answer_text: str,
    codes: list,
    now: datetime | None = None,
) -> Article:
    """Publish an answered question, rewritten by a consultant, in the knowledge base."""
    now = now or timezone.now()
    guard(title, question_text, answer_text)
    with transaction.atomic():
        question = _locked(question, allowed=[Status.ANSWERED, Status.CLOSED], action="published")
        if not question.consent_to_publish:
            raise Refused("The member did not agree to publishing an anonymised answer.")
        base = slugify(title)[:100] or "question"
        slug, number = base, 1
        while Article.objects.filter(slug=slug).exclude(source=question).exists():
            number += 1
            slug = f"{base}-{number}"
        article, _ = Article.objects.update_or_create(
            source=question,
            defaults={
                "slug": slug,
                "title": title,
                "question": question_text,
                "answer": answer_text,
                "published_by": consultant,
                "published_at": now,
            },
        )
        article.codes.set(codes)
    return article
