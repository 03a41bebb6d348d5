"""What a list of codes (search, browse, ranges, the home page) shows as each code's title.

Official public-domain titles (ICD-10-CM, ICD-10-PCS, HCPCS Level II) are shown to everyone,
as every reference does. Our own plain-language words are what a code page unlocks: a list,
which costs no view, shows them (as the stand-in title of a code whose official text is
licensed, such as CPT 99213) only to verified members, staff and unlimited plans. A guest's
views belong to a cookie, and a cleared cookie is a new guest with views again, so a guest
never reads them in a list, views left or not; neither does an unverified account.
"""

from __future__ import annotations

from django.http import HttpRequest

from lookup.models import Code
from meter.services import reader_for_user


def plain_words_in_lists(request: HttpRequest | None) -> bool:
    """Whether this request's reader may read our plain-language words in lists (kept per request)."""
    if request is None:
        return False  # rendered for nobody in particular (a cached fragment): public text only
    allowed = getattr(request, "_plain_words_in_lists", None)
    if allowed is None:
        user = getattr(request, "user", None)
        allowed = bool(user and user.is_authenticated and reader_for_user(user).is_verified_member)
        request._plain_words_in_lists = allowed
    return allowed


def list_title(code: Code, *, plain_words: bool) -> str:
    return code.display_title if plain_words else code.public_title
