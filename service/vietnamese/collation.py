"""Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …; tones compared after the letters),
so that lists of units read as a Vietnamese reader expects: "Đài Phát thanh" after "Cục …" and before
"Sở …", "phường Đông A" before "phường Trung Sơn". Python's default order puts every accented letter
after "z"; ICU would do this, but it is not installed here and the rule is short."""
from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}                 # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}   # huyền, hỏi, ngã, sắc, nặng


def _letters(text: str):
    for char in unicodedata.normalize("NFC", text.lower()):
        if char == "đ":
            yield "đ", 0
            continue
        parts = unicodedata.normalize("NFD", char)
        base = parts[0] + "".join(mark for mark in parts[1:] if mark in _LETTER_MARKS)
        tone = next((_TONES[mark] for mark in parts[1:] if mark in _TONES), 0)
        yield unicodedata.normalize("NFC", base), tone


def vietnamese_key(text: str) -> tuple:
    """Sort key: letters by the Vietnamese alphabet first, then tones (ngang, huyền, hỏi, ngã, sắc, nặng)."""
    letters = list(_letters(text))
    primary = tuple(_ALPHABET.index(letter) if letter in _ALPHABET else -1 if letter.isspace() else 100 + ord(letter[0])
                    for letter, _ in letters)                       # a word ends before any letter follows
    return primary, tuple(tone for _, tone in letters)


def search_key(text: str) -> str:
    """Text as a search compares it: lower case, without tones or letter marks, đ as d, single spaces;
    so 'xay dung', 'XÂY DỰNG' and 'Xây dựng' all find 'Sở Xây dựng'."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
                   if not unicodedata.combining(c))
    return " ".join(bare.split())
