"""Members reply to CaseConsultant's emails: django-anymail's inbound webhook, read here.

With settings.CONSULTANT_REPLY_ADDRESS set (say consult@reply.example.org), the emails a
member gets carry Reply-To: consult+CC-2026-000123.<token>@reply.example.org, the token a
keyed hash of that question and its member (Question.reply_address). The provider (Postmark,
Mailgun...) posts each email it receives to anymail's URL (/anymail/<provider>/inbound/, basic
auth from ANYMAIL_WEBHOOK_SECRET), anymail sends its `inbound` signal, and `receive` adds the
reply to the thread through services.reply, as if the member had written it on the page: the
same guard, status change (needs information -> member replied) and email to the consultant.

Only a reply to a valid token, from the member's own address, is taken. Anything else is
logged and ignored (the provider gets its 200, so it does not send it again); a reply we refuse
from the member's own address (patient information, a closed question) is answered by email.
"""

from __future__ import annotations

import logging
import re
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags

from codeahead import emails
from consultant import services
from consultant.models import Entry, Question

log = logging.getLogger(__name__)

MAX_REPLY_LENGTH = 5000  # as on the page (forms.MessageForm)
_ADDRESS = re.compile(
    r"^(?P<local>[^@+]+)\+(?P<tracking>CC-\d{4}-\d{6,9})\.(?P<token>[a-z2-7]{16})@(?P<domain>[^@]+)$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Where the quoted email starts: "On Tue, ... wrote:", Outlook's header block, a "> " line.
_QUOTE_START = re.compile(
    r"^\s*(?:On\b.{0,300}\bwrote:\s*$|-{2,}\s*Original Message\s*-{2,}|_{10,}\s*$|From:\s.*@|>)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^-- ?$")


def strip_quoted(text: str) -> str:
    """The member's own words: the quoted email and the signature below them cut off."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _addressed_to(message) -> list[str]:
    """Every address the email was delivered to: the envelope's first, then the headers'."""
    found = [message.envelope_recipient or ""]
    for header in (message.to, message.cc, message.bcc):
        found += [address.addr_spec for address in header]
    return [address for address in found if address]


def _our_address(message) -> re.Match | None:
    configured = settings.CONSULTANT_REPLY_ADDRESS.lower()
    local, _, domain = configured.rpartition("@")
    for address in _addressed_to(message):
        match = _ADDRESS.match(address.strip())
        if match and (match["local"].lower(), match["domain"].lower()) == (local, domain):
            return match
    return None


def _forged(message) -> str:
    """Why the provider's own checks say this email is not what it claims, or ""."""
    spf = (message.get("Received-SPF") or "").strip().lower()
    if spf.startswith(("fail", "softfail")):
        return f"SPF {spf.split()[0]}"
    if getattr(message, "spam_detected", False):
        return "the provider marked it as spam"
    return ""


def _body(message) -> str:
    text = message.stripped_text or message.text or strip_tags(message.html or "")
    return strip_quoted(_CONTROL.sub("", text or ""))


def receive(message, *, event_id: str = "") -> str:
    """Add a member's emailed reply to their question's thread. Returns what happened, in words
    (for the log and the tests); every outcome but "added" leaves the question as it was."""
    if not settings.CONSULTANT_REPLY_ADDRESS:
        return _ignore("inbound replies are not configured", message)
    match = _our_address(message)
    if match is None:
        return _ignore("not addressed to a question's reply address", message)
    question = (
        Question.objects.select_related("member", "consultant")
        .filter(tracking_number=match["tracking"].upper())
        .first()
    )
    if question is None:
        return _ignore(f"no question {match['tracking'].upper()}", message)
    if not constant_time_compare(match["token"].lower(), question.reply_token()):
        return _ignore(f"a forged token for {question.tracking_number}", message)
    sender = (message.from_email.addr_spec if message.from_email else "").lower()
    if sender != question.member.email.lower():
        return _ignore(f"{question.tracking_number}: sent by someone other than its member", message)
    if why := _forged(message):
        return _ignore(f"{question.tracking_number}: {why}", message)
    # The email's own Message-ID; without one, the provider's id for this delivery.
    message_id = ((message.get("Message-ID") or "").strip() or (f"event:{event_id}" if event_id else ""))[
        :255
    ]
    if message_id and Entry.objects.filter(email_message_id=message_id).exists():
        return _ignore(f"{question.tracking_number}: this email was added already", message)
    body = _body(message)
    if not body:
        return _ignore(f"{question.tracking_number}: nothing above the quoted email", message)
    try:
        if len(body) > MAX_REPLY_LENGTH:
            raise services.Refused(
                f"Your reply is {len(body):,} characters long; at most {MAX_REPLY_LENGTH:,} fit."
            )
        with transaction.atomic():
            services.reply(question=question, member=question.member, body=body, email_message_id=message_id)
    except services.Refused as refused:
        _tell_member(question, reason=str(refused))
        return _ignore(f"{question.tracking_number}: refused ({refused})", message)
    except IntegrityError:  # the same email posted twice at once: the other post added it
        return _ignore(f"{question.tracking_number}: this email was added already", message)
    log.info("Reply by email added to %s", question.tracking_number)
    return "added"


def _ignore(why: str, message) -> str:
    sender = parseaddr(str(message.get("From") or ""))[1]
    log.warning("Inbound email ignored: %s (from %r, subject %r)", why, sender, message.subject)
    return f"ignored: {why}"


def _tell_member(question: Question, *, reason: str) -> None:
    """The member wrote from their own address: say why the reply is not on the page."""
    emails.send(
        "consultant/reply_refused",
        to=[question.member.email],
        context={
            "question": question,
            "reason": reason,
            "url": settings.SITE_URL + question.get_absolute_url(),
        },
    )


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    """anymail's `inbound` signal (connected in apps.py)."""
    receive(event.message, event_id=f"{esp_name}:{event.event_id}" if event.event_id else "")
