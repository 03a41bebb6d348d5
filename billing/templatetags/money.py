from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def dollars(amount: Decimal | None) -> str:
    """$1,234.56; amounts are already rounded to the cent by the models."""
    if amount is None:
        return ""
    sign = "−" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


@register.filter
def signed_dollars(amount: Decimal | None) -> str:
    """A change: +$1.10, −$0.50 or $0.00."""
    if amount is None:
        return ""
    return f"+{dollars(amount)}" if amount > 0 else dollars(amount)


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """+0.4%, −1.2%, 0.0%: the sign spelled out, as for money."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}%"
