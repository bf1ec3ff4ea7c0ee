"""How the composers print a score: the one number format every template receives."""
from __future__ import annotations

from decimal import Decimal

from service.vietnamese import format_number


def points(value: Decimal | None) -> str:
    """A score as printed: 2 decimals, decimal comma; blank when there is none."""
    return "" if value is None else format_number(value, 2)
