"""Numbers in Vietnamese notation (babel ``vi``: ``1.278``, ``92,83``), money, Roman numerals."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from numbers import Number

from babel.numbers import format_decimal

LOCALE = "vi"


def to_decimal(value: Number | str) -> Decimal:
    """Exact Decimal of an int, Decimal, float (through its shortest repr) or numeric string."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("giá trị logic không phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"không phải là số: {value!r}")


def round_half_up(value: Number | str, places: int = 0) -> Decimal:
    """Round half away from zero, as accountants do (Python's round() is banker's rounding)."""
    quantum = Decimal(1).scaleb(-places)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: Number | str, decimals: int | None = None) -> str:
    """``1.278``; ``92,83`` with ``decimals=2`` (rounded half-up, trailing zeros kept)."""
    number = to_decimal(value)
    if decimals is None:
        return format_decimal(number, format="#,##0.###############", locale=LOCALE)
    number = round_half_up(number, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(number, format=pattern, locale=LOCALE, decimal_quantization=False)


def format_money(value: Number | str, unit: str = "đồng") -> str:
    """``1.500.000 đồng``: rounded half-up to whole đồng first."""
    return f"{format_number(round_half_up(value, 0))} {unit}"


def format_count(value: int, pad: bool = True) -> str:
    """Counts in running text: ``03 người`` style zero-padding below 10 (the plans' convention)."""
    if value < 0:
        raise ValueError("số lượng không được âm")
    return f"{value:02d}" if pad and value < 10 else format_number(value)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(value: int) -> str:
    """Roman numeral for section numbers (``I``, ``IV``, ``XII``); 1–3999."""
    if not 1 <= value <= 3999:
        raise ValueError(f"không viết được số La Mã cho {value}")
    out = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)
