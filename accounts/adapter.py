from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import timezone

from accounts import quota
from accounts.middleware import read_guest_id


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user) -> None:
        """Log in, then carry over the views this browser used as a guest (sign-up included)."""
        super().login(request, user)
        guest_id = read_guest_id(request)
        if guest_id:
            quota.guest_usage_carry(guest_id=guest_id, user=user, now=timezone.now())
