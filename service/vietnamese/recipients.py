"""Nơi nhận (ô 9b): ``- …;`` lines, notes such as ``(để b/c)``, and the last ``- Lưu: VT, TCDNC.``."""
from __future__ import annotations

from collections.abc import Iterable, Sequence


def recipient_lines(recipients: Iterable[tuple[str, str | None]], archive_units: Sequence[str]) -> list[str]:
    """Every line under ``Nơi nhận:``; recipients are (name, note) pairs, notes printed in brackets.

    The archive line always closes the list: ``- Lưu: VT, <đơn vị soạn thảo>.`` (VT = văn thư).
    """
    lines = []
    for name, note in recipients:
        name = name.strip().rstrip(";.").strip()
        if not name:
            raise ValueError("tên nơi nhận trống")
        lines.append(f"- {name} ({note.strip()});" if note else f"- {name};")
    units = [u.strip() for u in archive_units if u.strip()]
    lines.append("- Lưu: " + ", ".join(["VT", *units]) + ".")
    return lines
