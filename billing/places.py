"""The places of service the fee schedule section's locality form offers, handed in by another app.

Why a hook and not an import: the place-of-service code set, with the facility or non-facility
rate each place gets, lives in rules (rules/places.py, beside its /pos/ pages), and rules already
reads billing's fee schedule (rules/payment.py, rules/tools.py). billing importing rules would
close a cycle, so rules hands its list in from `RulesConfig.ready()`, as apps hand lookup their
code-page sections. With nothing registered the form simply has no place-of-service select.
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
    def rate_note(self) -> str: ...  # a caveat to the rate ("" when none)


_source: Callable[[], Sequence[Place]] | None = None


def register(source: Callable[[], Sequence[Place]]) -> None:
    """Give the locality form its places: `source()` returns them in the order to list them."""
    global _source
    _source = source


def places_of_service() -> list[Place]:
    return list(_source()) if _source is not None else []
