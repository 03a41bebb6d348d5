"""What other apps lend the fee schedule section: the places of service its locality form
offers, and the pages of the modifiers it names.

Why hooks and not imports: the place-of-service code set (with the facility or non-facility
rate each place gets) and the modifier pages live in rules (rules/places.py, rules/modifiers.py),
and rules already reads billing's fee schedule (rules/payment.py, rules/tools.py). billing
importing rules would close a cycle, so rules hands them in from `RulesConfig.ready()`, as apps
hand lookup their code-page sections. With nothing registered, the form has no place-of-service
select and the modifiers are plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class Place(Protocol):
    """What the section needs of a place of service."""

    code: str  # "11"
    name: str  # "Office"

    @property
    def url(self) -> str: ...  # its page

    @property
    def is_facility(self) -> bool: ...  # paid at the facility rate

    @property
    def rate_note(self) -> str: ...  # a condition on the rate ("" when none)


_places: Callable[[], Sequence[Place]] | None = None
_modifier_url: Callable[[str], str | None] | None = None


def register_places(source: Callable[[], Sequence[Place]]) -> None:
    """Give the locality form its places: `source()` returns them in the order to list them."""
    global _places
    _places = source


def places_of_service() -> list[Place]:
    return list(_places()) if _places is not None else []


def register_modifier_pages(url_for: Callable[[str], str | None]) -> None:
    """`url_for("26")` gives the page of a modifier, or None where there is none; no query."""
    global _modifier_url
    _modifier_url = url_for


def modifier_url(modifier: str) -> str | None:
    return _modifier_url(modifier) if _modifier_url is not None and modifier else None
