"""Who may use the members-only rule pages (the pair checker and the code-page sections)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.quota import subject_for_user


def is_member(request: HttpRequest) -> bool:
    """A verified (or unlimited) account, as for the code pages' deeper sections."""
    user = request.user
    return bool(user.is_authenticated) and subject_for_user(user).is_registered
