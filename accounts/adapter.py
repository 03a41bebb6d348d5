from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import timezone

from codeahead import outbox
from codeahead.client import client_address
from meter.middleware import AWAITING_VERIFICATION
from meter.services import guest_usage_carry, read_guest_id


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits key on the client address every other limit uses
        (TRUSTED_PROXY_* settings), not on allauth's own proxy settings."""
        return client_address(request)

    def login(self, request: HttpRequest, user) -> None:
        """Log in, then carry over what this browser used as a guest (sign-up included)."""
        super().login(request, user)
        request.session.pop(AWAITING_VERIFICATION, None)
        guest_id = read_guest_id(request)
        if guest_id:
            guest_usage_carry(guest_id=guest_id, user=user, now=timezone.now())

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email and write it to the outbox, in the transaction of what asked
        for it (a sign-up, a reset); `send_emails` sends it, retrying while the server is down."""
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        outbox.enqueue_message(self.render_mail(template_prefix, email, context), name=template_prefix)

    def send_confirmation_mail(self, request: HttpRequest, emailconfirmation, signup: bool) -> None:
        """Send the link; a browser still a guest (verification is mandatory) is then told to
        follow it, on code pages, rather than to register again."""
        super().send_confirmation_mail(request, emailconfirmation, signup)
        if not request.user.is_authenticated:
            request.session[AWAITING_VERIFICATION] = emailconfirmation.email_address.email

    def get_email_verification_redirect_url(self, email_address) -> str:
        """Back to the code page that asked for the link again (accounts.views), if one did."""
        from accounts.views import RETURN_AFTER_VERIFICATION

        target = self.request.session.pop(RETURN_AFTER_VERIFICATION, None)
        return target or super().get_email_verification_redirect_url(email_address)

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with an address that has an account emails its owner; the browser is told
        the same as after a new sign-up, so the banner never tells whether the address is known."""
        super().send_account_already_exists_mail(email)
        request = self.request
        if request is not None and not request.user.is_authenticated:
            request.session[AWAITING_VERIFICATION] = email
