"""Who may use the members-only rule pages (the pair checker)."""

from __future__ import annotations

from django.http import HttpRequest

from meter.services import reader_for_user


def is_member(request: HttpRequest) -> bool:
    """A verified account, staff or an unlimited plan: as for the code pages' members' sections.

    Only an account can be one, so a guest is answered without a guest cookie being made."""
    user = request.user
    return bool(user.is_authenticated) and reader_for_user(user).is_verified_member
