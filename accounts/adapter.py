from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import timezone

from accounts import quota
from accounts.middleware import AWAITING_VERIFICATION, read_guest_id


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user) -> None:
        """Log in, then carry over the views this browser used as a guest (sign-up included)."""
        super().login(request, user)
        request.session.pop(AWAITING_VERIFICATION, None)
        guest_id = read_guest_id(request)
        if guest_id:
            quota.guest_usage_carry(guest_id=guest_id, user=user, now=timezone.now())

    def send_confirmation_mail(self, request: HttpRequest, emailconfirmation, signup: bool) -> None:
        """Send the link; a browser still a guest (verification is mandatory) is then told to
        follow it, on code pages, rather than to register again."""
        super().send_confirmation_mail(request, emailconfirmation, signup)
        if not request.user.is_authenticated:
            request.session[AWAITING_VERIFICATION] = emailconfirmation.email_address.email
