"""Stand-ins for what issue 10 brings to the site app (codeahead.emails.send and
codeahead.client.client_address), with the same signatures. Deleted at that merge."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts import quota


def send(name: str, *, to: list[str] | str, context: dict, reply_to: list[str] | None = None) -> None:
    """Render templates/emails/<name>/{subject.txt,body.txt,body.html} and send them."""
    recipients = [to] if isinstance(to, str) else list(to)
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}/body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=reply_to,
    )
    message.attach_alternative(render_to_string(f"emails/{name}/body.html", context), "text/html")
    message.send()


def client_address(request: HttpRequest) -> str:
    return quota.client_address(request)
