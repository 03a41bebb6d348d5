from __future__ import annotations

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import timezone

from codeahead.client import client_address
from meter.middleware import AWAITING_VERIFICATION
from meter.services import guest_usage_carry, read_guest_id

logger = logging.getLogger(__name__)


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
        """Send an account email; a mail server that is down or refuses it is logged, not a 500.

        What asked for the email (a sign-up, a reset) is already saved, and asking again
        sends it again.
        """
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send %s to %s", template_prefix, email)

    def send_confirmation_mail(self, request: HttpRequest, emailconfirmation, signup: bool) -> None:
        """Send the link; a browser still a guest (verification is mandatory) is then told to
        follow it, on code pages, rather than to register again."""
        super().send_confirmation_mail(request, emailconfirmation, signup)
        if not request.user.is_authenticated:
            request.session[AWAITING_VERIFICATION] = emailconfirmation.email_address.email

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with an address that has an account emails its owner; the browser is told
        the same as after a new sign-up, so the banner never tells whether the address is known."""
        super().send_account_already_exists_mail(email)
        request = self.request
        if request is not None and not request.user.is_authenticated:
            request.session[AWAITING_VERIFICATION] = email
