"""Emails the site sends, each a template triplet under templates/emails/<name>/:
subject.txt (one line), body.txt and body.html.

send() is the one door every feature uses; it may later write to an outbox table in the
caller's transaction instead of sending at once, with the same signature.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def render(name: str, context: dict) -> tuple[str, str, str]:
    """The email's subject (one line), plain text and HTML, rendered from its templates."""
    context = {"SITE_NAME": "CodeAhead", "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(_render_plain(f"emails/{name}/subject.txt", context).split())
    text = _render_plain(f"emails/{name}/body.txt", context)
    html = render_to_string(f"emails/{name}/body.html", context)
    return subject, text, html


def _render_plain(template_name: str, context: dict) -> str:
    """Plain text is not HTML: render it without HTML escaping ("<" stays "<")."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send(name: str, *, to: list[str], context: dict, reply_to: list[str] | None = None) -> None:
    """Send the email `name` to `to` as a text message with an HTML alternative."""
    subject, text, html = render(name, context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to
    )
    message.attach_alternative(html, "text/html")
    message.send()
