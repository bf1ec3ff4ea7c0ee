"""Vietnamese text as an ASCII slug: province ids, file names ('Ninh Bình' → 'ninh-binh')."""
from __future__ import annotations

import unicodedata


def ascii_slug(text: str, separator: str = "-") -> str:
    """Diacritics dropped, đ → d, lower case, every run of other characters one separator."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn").lower()
    return separator.join("".join(c if c.isascii() and c.isalnum() else " " for c in plain).split())
