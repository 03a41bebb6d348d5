"""The meter: counts uses of any resource per reader and period (meter.services decides)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps


def metered(resource: str) -> Callable:
    """Marks a view that uses `resource` through request.meter (see meter.middleware).

    The view calls request.meter.consume(item=...). A view whose use is counted runs on in the
    transaction that counted it, to its end: a request that then fails with an exception (a
    500) takes the use back, so errors cost nothing. A free re-use opens no transaction.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def metered_view(request, *args, **kwargs):
            with request.meter.counting:
                return view(request, *args, **kwargs)

        metered_view.metered_resource = resource  # type: ignore[attr-defined]
        return metered_view

    return decorate
