"""Text fields: NFC-normalised, trimmed, no control characters or emoji, bounded length.

Every string that reaches a document passes through here, so a document never carries a control
character (which would corrupt the DOCX XML) or a glyph that Times New Roman cannot draw.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

#: Symbols that Times-metric fonts carry and administrative texts use.
_ALLOWED_SYMBOLS = set("°©®™№•–—…‰€₫±×÷§¶†‡“”‘’«»")


_DATE_IN_TEXT = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
#: '1.5 điểm' reads as fifteen in Vietnamese: a score or a percentage takes a decimal comma.
DOT_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.])(?=\s*(?:điểm|%))")


#: Text made only of these (printable ASCII, Latin letters with Vietnamese's, the symbols above) needs
#: no character-by-character check: nearly every string of a campaign, checked at regex speed.
_PLAIN = "\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u1e00-\u1eff" + re.escape("".join(sorted(_ALLOWED_SYMBOLS)))
_PLAIN_TEXT = {"": re.compile(f"[{_PLAIN}]*"), "\n": re.compile(f"[{_PLAIN}\n]*")}


def _check_characters(value: str, allowed: str = "") -> str:
    plain = _PLAIN_TEXT.get(allowed)
    for char in ("" if plain is not None and plain.fullmatch(value) else value):
        if char in allowed:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ValueError(f"chứa ký tự điều khiển hoặc không hợp lệ (U+{ord(char):04X})")
        if category == "So" and char not in _ALLOWED_SYMBOLS and ord(char) >= 0x2190:
            raise ValueError(f"chứa ký hiệu không dùng được trong văn bản hành chính: {char!r} (U+{ord(char):04X})")
    decimal = DOT_DECIMAL.search(value)
    if decimal:
        raise ValueError(f"số thập phân phải viết dấu phẩy: '{decimal[0]}' → '{decimal[1]},{decimal[2]}' "
                         "(viết '1.5 điểm' sẽ đọc thành mười lăm)")
    for day, month, year in _DATE_IN_TEXT.findall(value):
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"ngày {day}/{month}/{year} trong nội dung không tồn tại (viết ngày/tháng/năm)") from None
    return value


def _check_multiline(value: str) -> str:
    return _check_characters(value, allowed="\n")


def normalise_multiline(value: object) -> object:
    """As ``normalise_text``, and the line ends a browser sends (CR LF, CR) become LF."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return "\n".join(line.rstrip() for line in unicodedata.normalize("NFC", value).strip().split("\n"))
    return value


def normalise_text(value: object) -> object:
    """NFC, trimmed; non-strings are left for pydantic to reject with its own type error."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def _text(max_length: int):
    return Annotated[
        str,
        BeforeValidator(normalise_text),
        StringConstraints(min_length=1, max_length=max_length),
        AfterValidator(_check_characters),
    ]


#: Names of agencies, people, units (Phụ lục VI allows 200 characters for an agency name).
Name = _text(200)
#: Short labels: abbreviations, titles, column headings, times.
Label = _text(300)
#: A trích yếu line or a title (Phụ lục VI: trích yếu up to 500 characters).
Subject = _text(500)
#: One paragraph of body text.
Paragraph = _text(5000)
#: Text typed in a multi-line box (an explanation, a remark): its lines stay lines in the documents.
MultilineText = Annotated[
    str,
    BeforeValidator(normalise_multiline),
    StringConstraints(min_length=1, max_length=10000),
    AfterValidator(_check_multiline),
]
