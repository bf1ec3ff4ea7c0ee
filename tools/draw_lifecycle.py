"""Draws the document lifecycle of service/domain/lifecycle.py as docs/img/vong-doi-van-ban.png for the
README. State and action names come from the code, and every action must be drawn (the script stops
otherwise), so the picture cannot silently fall behind the state machine.

    python tools/draw_lifecycle.py [-o docs/img/vong-doi-van-ban.png]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from service.domain.lifecycle import (ACTIONS, APPROVED, DRAFT, ISSUED, PUBLISHED, RETURNED, SEALED,  # noqa: E402
                                      SIGNED, STATES, SUBMITTED, WITHDRAWN)

W, H = 1.7, 0.56                                # a state's box
POSITIONS = {DRAFT: (1.0, 3.0), SUBMITTED: (3.3, 3.0), APPROVED: (5.6, 3.0), ISSUED: (7.9, 3.0), SIGNED: (10.2, 3.0),
             SEALED: (12.5, 3.0), PUBLISHED: (14.8, 3.0), RETURNED: (3.3, 1.55), WITHDRAWN: (12.5, 1.55)}
OFFICIAL_BOX = (6.95, 2.62, 8.8, 0.76)            # x, y, width, height around the four official states
TOP, BOTTOM = 3.0 + H / 2, 3.0 - H / 2
#: (action or signing step, the line's points, where its label goes). The signing steps are not
#: ACTIONS: they happen when an accepted signed PDF is uploaded.
EDGES = [
    ("trinh-duyet", [(1.85, 3.0), (2.45, 3.0)], (2.15, TOP + 0.24)),
    ("duyet", [(4.15, 3.0), (4.75, 3.0)], (4.45, TOP + 0.24)),
    ("ban-hanh", [(6.45, 3.0), (7.05, 3.0)], (6.75, TOP + 0.24)),
    ("ký", [(8.75, 3.0), (9.35, 3.0)], (9.05, TOP + 0.24)),
    ("đóng dấu số", [(11.05, 3.0), (11.65, 3.0)], (11.35, TOP + 0.24)),
    ("phat-hanh", [(13.35, 3.0), (13.95, 3.0)], (13.65, TOP + 0.24)),
    ("rut-lai", [(3.3, TOP), (3.3, 3.95), (1.0, 3.95), (1.0, TOP)], (2.15, 3.95)),
    ("rut-lai", [(5.6, TOP), (5.6, 3.95), (3.3, 3.95)], None),
    ("hủy số (khi chưa ký)", [(7.9, TOP), (7.9, 4.45), (0.7, 4.45), (0.7, TOP)], (4.3, 4.45)),
    ("tra-lai", [(3.0, BOTTOM), (3.0, 1.55 + H / 2)], (2.2, 2.1)),
    ("trinh-duyet", [(3.6, 1.55 + H / 2), (3.6, BOTTOM)], (4.35, 2.1)),
    ("thu-hoi", [(12.5, 2.6), (12.5, 1.55 + H / 2)], (13.45, 2.1)),
    ("thay-the", [(12.5, 1.55 - H / 2), (12.5, 0.85), (1.0, 0.85), (1.0, BOTTOM)], (6.4, 0.85)),
    ("dinh-chinh", [(9.8, 2.6), (9.8, 0.85)], (9.8, 1.55)),          # joins the line to Dự thảo
]
COLOURS = {DRAFT: "#f2f2f2", RETURNED: "#fde2e1", SUBMITTED: "#fff4d6", APPROVED: "#e3f1e3", WITHDRAWN: "#e6e6e6"}


def _label(key: str) -> str:
    if key not in ACTIONS:
        return key[0].upper() + key[1:]
    action = ACTIONS[key]
    return action.label + (" (ghi lý do)" if action.needs_reason else "")


def draw(path: Path) -> None:
    missing = set(ACTIONS) - {e[0] for e in EDGES}
    if missing:
        raise SystemExit(f"thiếu thao tác trên hình: {', '.join(sorted(missing))}")
    figure, axes = plt.subplots(figsize=(16, 5.0), dpi=110)
    axes.set_xlim(0, 16)
    axes.set_ylim(0.0, 5.0)
    axes.axis("off")
    x, y, w, h = OFFICIAL_BOX
    axes.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.03", fc="#eef4fb", ec="#1f4e79", lw=1, ls="--"))
    for state, (cx, cy) in POSITIONS.items():
        axes.add_patch(FancyBboxPatch((cx - W / 2, cy - H / 2), W, H, boxstyle="round,pad=0.02",
                                      fc=COLOURS.get(state, "#ffffff"), ec="#333333", lw=1.2, zorder=3))
        axes.text(cx, cy, STATES[state], ha="center", va="center", fontsize=10.5, weight="bold", zorder=4)
    for key, points, label_at in EDGES:
        colour = "#8b1a1a" if key in ACTIONS and ACTIONS[key].irreversible else "#333333"
        joins = key == "dinh-chinh"
        xs, ys = zip(*(points if joins else points[:-1]))
        if joins or len(points) > 2:
            axes.plot(xs, ys, color=colour, lw=1.2, solid_joinstyle="round")
        if not joins:
            axes.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=13, lw=1.2,
                                           color=colour, shrinkA=0, shrinkB=1, zorder=2))
        if label_at:
            text = f"{ACTIONS['dinh-chinh'].label} hoặc thay thế (ghi lý do)" if joins else _label(key)
            axes.text(*label_at, text, ha="center", va="center", fontsize=8.5, color="#222222", zorder=5,
                      bbox={"fc": "white", "ec": "none", "pad": 1.0})
    axes.text(0.2, 0.42, "Khung xanh: bản chính thức — có số và ngày, DOCX/PDF/HTML đóng băng, mọi lượt xem và tải đều là "
              "bản này. Mũi tên đỏ: không hoàn tác (ban hành, phát hành, thu hồi).", fontsize=8.5, color="#1f4e79")
    axes.text(0.2, 0.15, "Văn bản thay thế, đính chính là một dự thảo mới dẫn chiếu văn bản cũ. Báo cáo tự đánh giá và "
              "báo cáo giải trình không qua bước duyệt: đơn vị nộp là ban hành (có số của đơn vị).", fontsize=8.5,
              color="#444444")
    figure.subplots_adjust(0.01, 0.01, 0.99, 0.99)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", default=str(Path(__file__).resolve().parents[1] / "docs/img/vong-doi-van-ban.png"))
    draw(Path(parser.parse_args().o))


if __name__ == "__main__":
    main()
