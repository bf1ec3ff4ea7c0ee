"""Draws the sample signature (blue) and seal (red) images, PNG with transparent background, used by
the demo and the signing tests: fixtures/signing/chu-ky-mau.png and con-dau-mau.png.
Run: python tools/make_signing_images.py"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from service.fonts import font_path  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "signing"
BLUE, RED = "#1f3fbf", "#d71920"


def signature(path: Path) -> None:
    """A handwritten-looking flourish, 48 × 20 mm at 300 dpi."""
    figure = plt.figure(figsize=(48 / 25.4, 20 / 25.4), dpi=300)
    axis = figure.add_axes([0, 0, 1, 1])
    axis.set_xlim(0, 48)
    axis.set_ylim(0, 20)
    axis.axis("off")
    t = [i / 400 for i in range(401)]
    xs = [4 + 38 * s + 3 * math.sin(18 * s) for s in t]
    ys = [10 + 6 * math.sin(7 * math.pi * s) * (1 - s) + 2 * math.cos(23 * s) for s in t]
    axis.plot(xs, ys, color=BLUE, linewidth=1.6, solid_capstyle="round")
    axis.plot([8, 40], [5.5, 7.5], color=BLUE, linewidth=1.1, solid_capstyle="round")
    figure.savefig(path, transparent=True, metadata={"Software": None})
    plt.close(figure)


def seal(path: Path, text: str = "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH") -> None:
    """A round seal, 36 mm: two rings, the name around, a star in the middle."""
    font = font_manager.FontProperties(fname=str(font_path(bold=True)))
    figure = plt.figure(figsize=(36 / 25.4, 36 / 25.4), dpi=300)
    axis = figure.add_axes([0, 0, 1, 1])
    axis.set_xlim(-18, 18)
    axis.set_ylim(-18, 18)
    axis.set_aspect("equal")
    axis.axis("off")
    for radius, width in ((17.2, 2.2), (11.2, 1.0)):
        axis.add_patch(plt.Circle((0, 0), radius, fill=False, color=RED, linewidth=width))
    span = 300.0
    for index, char in enumerate(text):
        angle = math.radians(90 + span / 2 - span * index / (len(text) - 1))
        axis.text(14.2 * math.cos(angle), 14.2 * math.sin(angle), char, color=RED, fontproperties=font, fontsize=6.3,
                  rotation=math.degrees(angle) - 90, ha="center", va="center")
    star = [(6.5 * math.cos(math.radians(90 + 36 * k)) * (1 if k % 2 == 0 else 0.4),
             6.5 * math.sin(math.radians(90 + 36 * k)) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    axis.add_patch(plt.Polygon(star, color=RED))
    figure.savefig(path, transparent=True, metadata={"Software": None})
    plt.close(figure)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    signature(OUT / "chu-ky-mau.png")
    seal(OUT / "con-dau-mau.png")
    print(f"Đã vẽ {OUT / 'chu-ky-mau.png'} và {OUT / 'con-dau-mau.png'}")
