"""The Times-metric fonts this product typesets with, found on disk, and text widths measured in them.

Decree 30 names Times New Roman. On Linux the metric-compatible Liberation Serif 2 or Tinos carry
the same advance widths and the full Vietnamese repertoire (Liberation 1.x does not); tools/setup.sh
installs them. Widths are used to size the rules under the Tiêu ngữ, the agency name and the title.
Below the composers, the writers, the charts and the signature appearances, which all use it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

MM_PER_PT = 25.4 / 72
#: Families accepted in a PDF, as the PDF names them (subset prefixes aside).
ACCEPTED_PDF_FONTS = ("TimesNewRoman", "Times New Roman", "LiberationSerif", "Liberation Serif", "Tinos")

_CANDIDATES = {
    (False, False): ["liberation2/LiberationSerif-Regular.ttf", "croscore/Tinos-Regular.ttf",
                     "msttcorefonts/Times_New_Roman.ttf"],
    (True, False): ["liberation2/LiberationSerif-Bold.ttf", "croscore/Tinos-Bold.ttf",
                    "msttcorefonts/Times_New_Roman_Bold.ttf"],
    (False, True): ["liberation2/LiberationSerif-Italic.ttf", "croscore/Tinos-Italic.ttf",
                    "msttcorefonts/Times_New_Roman_Italic.ttf"],
    (True, True): ["liberation2/LiberationSerif-BoldItalic.ttf", "croscore/Tinos-BoldItalic.ttf",
                   "msttcorefonts/Times_New_Roman_Bold_Italic.ttf"],
}
_FONT_DIRS = [Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]


class MissingFont(RuntimeError):
    """No Times-metric font with Vietnamese coverage is installed."""


@lru_cache(maxsize=None)
def font_path(bold: bool = False, italic: bool = False) -> Path:
    for name in _CANDIDATES[(bold, italic)]:
        for folder in _FONT_DIRS:
            path = folder / name
            if path.is_file():
                return path
    raise MissingFont("thiếu phông Liberation Serif 2 hoặc Tinos (chạy tools/setup.sh để cài fonts-liberation2)")


@lru_cache(maxsize=None)
def font_family() -> str:
    """Family name of the installed regular face ('Liberation Serif', 'Tinos' …)."""
    return TTFont(font_path(), lazy=True)["name"].getDebugName(1)


@lru_cache(maxsize=None)
def _metrics(bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    font = TTFont(font_path(bold, italic), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return widths, font["head"].unitsPerEm


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` set in the Times-metric font (no kerning: TNR sets none by default)."""
    widths, units_per_em = _metrics(bold, italic)
    fallback = widths.get(ord("n"), units_per_em // 2)
    units = sum(widths.get(ord(char), fallback) for char in text)
    return units * size_pt / units_per_em * MM_PER_PT


def font_faces() -> str:
    """@font-face rules on the four installed Times-metric files, under their own family name (so
    the PDF names them: LiberationSerif-Bold …), and that family for the page and its margin boxes."""
    family = font_family()
    rules = []
    for bold in (False, True):
        for italic in (False, True):
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{font_path(bold, italic).as_uri()}"); '
                f'font-weight: {"bold" if bold else "normal"}; font-style: {"italic" if italic else "normal"}; }}')
    rules.append(f'html {{ font-family: "{family}"; }}')
    rules.append(f'@page {{ font-family: "{family}"; }}')
    return "\n".join(rules)
