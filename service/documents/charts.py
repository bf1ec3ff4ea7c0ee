"""Charts of the results as PNG (matplotlib, Agg), embedded alike in DOCX and PDF; titles and axis
labels come worded from the templates."""
from __future__ import annotations

import io
from decimal import Decimal
import functools
from functools import cache

from service.fonts import font_path
from service.kept import Kept

#: Charts already drawn, by what they were drawn from: a results document is composed more than once
#: (checked, then issued; its DOCX and its PDF) and each compose asked matplotlib for the same PNG.
_DRAWN = Kept(32)


def _kept(draw):
    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        return _DRAWN.get((draw.__name__, repr(args), repr(sorted(kwargs.items()))), lambda: draw(*args, **kwargs))
    return drawn


@cache
def _pyplot():
    """matplotlib's pyplot on the Agg backend, imported when the first chart is drawn (it takes a third
    of a second, which every command and worker start would otherwise pay)."""
    import matplotlib
    matplotlib.use("Agg")
    # Unit names are text, never TeX: '$\\frac{$' in a name is printed as typed, not parsed (and failing).
    matplotlib.rcParams["text.parse_math"] = False
    from matplotlib import pyplot
    return pyplot


#: Colours of the classes, best first (cycled if a campaign has more bands).
BAND_COLOURS = ["#1b7837", "#5aae61", "#f1a340", "#e66101", "#b2182b", "#762a83"]


def _font():
    from matplotlib import font_manager
    _pyplot()
    return font_manager.FontProperties(fname=str(font_path()))


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(figure)
    return buffer.getvalue()


@_kept
def index_bar_chart(names: list[str], indices: list[Decimal], bands: list[str], band_order: list[str],
                    title: str, axis_label: str) -> bytes:
    """Horizontal bars of the index per unit, best on top, coloured by class, with a legend."""
    font = _font()
    colours = {band: BAND_COLOURS[i % len(BAND_COLOURS)] for i, band in enumerate(band_order)}
    height = max(3.0, 0.28 * len(names) + 1.2)
    figure, axis = _pyplot().subplots(figsize=(7.2, height))
    positions = list(range(len(names)))[::-1]
    axis.barh(positions, [float(v) for v in indices], color=[colours.get(b, "#999999") for b in bands])
    axis.set_yticks(positions, names, fontproperties=font, fontsize=8)
    axis.set_xlim(0, 100)
    axis.set_xlabel(axis_label, fontproperties=font)
    axis.set_title(title, fontproperties=font, fontsize=10)
    for position, value in zip(positions, indices):
        axis.text(float(value) + 0.5, position, f"{float(value):.2f}".replace(".", ","), va="center",
                  fontproperties=font, fontsize=7)
    handles = [_pyplot().Rectangle((0, 0), 1, 1, color=colours[b]) for b in band_order if b in bands]
    axis.legend(handles, [b for b in band_order if b in bands], prop=font, fontsize=8, loc="upper center",
                bbox_to_anchor=(0.5, -0.35 / height * 3), ncol=len(handles), frameon=False)   # below the axis, off the bars
    for label in axis.get_xticklabels():
        label.set_fontproperties(font)
    axis.grid(axis="x", linewidth=0.3)
    return _png(figure)


@_kept
def field_average_chart(fields: list[str], series: dict[str, list[Decimal]], title: str, axis_label: str) -> bytes:
    """Grouped bars: average index per field for each group of units."""
    font = _font()
    figure, axis = _pyplot().subplots(figsize=(7.2, 3.6))
    width = 0.8 / max(1, len(series))
    for offset, (label, values) in enumerate(series.items()):
        axis.bar([i + offset * width for i in range(len(fields))], [float(v) for v in values], width, label=label)
    axis.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(fields))], fields, fontproperties=font)
    axis.set_ylim(0, 100)
    axis.set_ylabel(axis_label, fontproperties=font)
    axis.set_title(title, fontproperties=font, fontsize=10)
    for label in axis.get_yticklabels():                 # the document's face on every label (D24)
        label.set_fontproperties(font)
    if len(series) > 1:                                  # one series needs no legend; several keep it off the bars
        axis.legend(prop=font, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(series),
                    frameon=False)
    axis.grid(axis="y", linewidth=0.3)
    return _png(figure)
