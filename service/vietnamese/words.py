"""Numbers read out in Vietnamese words, for money ("Bằng chữ: …") and counts.

Written here rather than taken from num2words, whose ``vi`` reader drops "không trăm" inside numbers
(1.050.000), says "lẻ mười" for 1.010, reads 12,5 as "mười hai phẩy năm mươi", loses the sign of
negatives and stops below 10^15. The rules (Vietnamese usage in financial documents):

* groups of three digits named nghìn (or ngàn), triệu, tỷ; above a tỷ the names repeat
  (nghìn tỷ, triệu tỷ, tỷ tỷ);
* an inner group is read in full, with "không trăm" for an empty hundreds digit (1.050.000 → một
  triệu không trăm năm mươi nghìn); an all-zero inner group is skipped;
* a zero tens digit before a units digit reads "linh" (or "lẻ"): 105 → một trăm linh năm;
* units after a tens digit ≥ 2: 1 → "mốt", 4 → "tư" (optional, default "bốn"); after any tens
  digit ≥ 1: 5 → "lăm";
* decimals are read digit by digit after "phẩy" (2,05 → hai phẩy không năm); negatives with "âm".
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from numbers import Number

from .numbers import round_half_up, to_decimal

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_BILLION = 10**9


def _read_triple(value: int, full: bool, le: bool, tu: bool) -> list[str]:
    """Words of 0–999; ``full`` reads an empty hundreds digit as "không trăm" (inner groups)."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("lẻ" if le else "linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens >= 2 else "một")
    elif units == 4:
        words.append("tư" if (tu and tens >= 2) else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _read_below_billion(value: int, full: bool, le: bool, thousand: str, tu: bool) -> list[str]:
    """Words of 0 < value < 10^9; ``full`` when a higher group precedes this one."""
    scales = ["", thousand, "triệu"]
    groups = [(value // 10**6) % 1000, (value // 1000) % 1000, value % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        started = bool(words) or full
        words += _read_triple(group, started, le, tu)
        scale = scales[2 - index]
        if scale:
            words.append(scale)
    return words


def _read_integer(value: int, le: bool, thousand: str, tu: bool, full: bool = False) -> list[str]:
    """Words of a non-negative integer of any size (tỷ groups recurse: nghìn tỷ, triệu tỷ …)."""
    if value == 0:
        return [DIGITS[0]]
    high, low = divmod(value, _BILLION)
    words: list[str] = []
    if high:
        words += _read_integer(high, le, thousand, tu, full) + ["tỷ"]
    if low:
        words += _read_below_billion(low, bool(high) or full, le, thousand, tu)
    return words


def read_number_vi(value: Number | str, *, le: bool = False, ngan: bool = False, tu: bool = False) -> str:
    """Read an integer or decimal in Vietnamese words, lower case.

    ``le``: "lẻ" instead of "linh"; ``ngan``: "ngàn" instead of "nghìn"; ``tu``: "tư" for a final 4
    after a tens digit ≥ 2 (hai mươi tư).
    """
    number = parse_vietnamese_number(value) if isinstance(value, str) else to_decimal(value)
    if not number.is_finite():
        raise ValueError("không đọc được số vô hạn hoặc không xác định")
    thousand = "ngàn" if ngan else "nghìn"
    sign, digits, exponent = number.as_tuple()
    words: list[str] = ["âm"] if sign and number != 0 else []
    magnitude = abs(number)
    integer_part = int(magnitude)
    words += _read_integer(integer_part, le, thousand, tu)
    if exponent < 0:
        fraction = format(magnitude, "f").partition(".")[2].rstrip("0")
        if fraction:
            words.append("phẩy")
            words += [DIGITS[int(d)] for d in fraction]
    return " ".join(words)


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only (``Một triệu …``)."""
    return text[:1].upper() + text[1:]


def amount_in_words(amount: Number | str, *, unit: str = "đồng", le: bool = False,
                    ngan: bool = False, tu: bool = False) -> str:
    """``Một triệu không trăm năm mươi nghìn đồng`` (rounded half-up to whole units first)."""
    number = parse_vietnamese_number(amount) if isinstance(amount, str) else to_decimal(amount)
    rounded = round_half_up(number, 0)
    return capitalize_first(f"{read_number_vi(rounded, le=le, ngan=ngan, tu=tu)} {unit}")


def amount_in_words_line(amount: Number | str, **options) -> str:
    """The line printed under a money figure: ``Bằng chữ: Một triệu … đồng.``"""
    return f"Bằng chữ: {amount_in_words(amount, **options)}."


def parse_vietnamese_number(text: str) -> Decimal:
    """Parse ``1.050.000``, ``2,05``, ``-5`` or plain ``1050000`` (Vietnamese notation)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if not cleaned:
        raise ValueError("chưa nhập số")
    if "," in cleaned:
        integer, _, fraction = cleaned.partition(",")
        if "," in fraction or "." in fraction:
            raise ValueError(f"số không hợp lệ: {text!r}")
        cleaned = integer.replace(".", "") + "." + fraction
    elif cleaned.count(".") >= 1:
        body = cleaned.lstrip("+-")
        groups = body.split(".")
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"số không hợp lệ: {text!r} (dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân)")
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"số không hợp lệ: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"số không hợp lệ: {text!r}")
    return number
