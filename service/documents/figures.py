"""How the composers print a score: the one number format every template receives."""
from __future__ import annotations

from decimal import Decimal

from service.vietnamese import format_number


def points(value: Decimal | None) -> str:
    """A score as printed: 2 decimals, decimal comma; blank when there is none."""
    return "" if value is None else format_number(value, 2)


def names_at(ranked, index) -> str:
    """Every unit of a ranking whose index equals ``index``: all the tied units are named, not the
    first one the sort happened to put there ('Sở Nội vụ, Sở Tư pháp và Sở Y tế')."""
    names = [r.unit_name for r in ranked if r.index == index]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
