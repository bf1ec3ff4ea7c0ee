"""Pieces of Decree 30 skeletons shared by document kinds: căn cứ, 'QUYẾT ĐỊNH:', Điều with khoản,
Roman-numbered sections, score tables. Composers assemble documents from these and the frame."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from service.vietnamese import format_number, to_roman

from .body import Column, Paragraph, Run, Table, cell_paragraph, heading, paragraph

POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def basis_lines(lines: Sequence[str]) -> list[Paragraph]:
    """Căn cứ lines, italic, each ending ';' and the last '.' (ND30 PL I II.6.a)."""
    out = []
    for index, text in enumerate(lines):
        text = text.rstrip(" ;.")
        out.append(paragraph(text + ("." if index == len(lines) - 1 else ";"), italic=True))
    return out


def decision_marker(word: str = "QUYẾT ĐỊNH:") -> Paragraph:
    return paragraph(word, bold=True, align="center", indent=False, space_before=12, keep_next=True)


def article(number: int, title: str, clauses: Sequence[str | tuple[str, Sequence[str]]] = ()) -> list[Paragraph]:
    """'Điều 1. Title' (bold label), its khoản '1.', '2.' … and their điểm 'a)', 'b)' … 'đ)' in the
    Vietnamese letter order; a clause is its text, or (text, [điểm …])."""
    out = [Paragraph((Run(f"Điều {number}. ", bold=True), Run(title)))]
    for index, clause in enumerate(clauses, start=1):
        text, points_ = (clause, ()) if isinstance(clause, str) else clause
        out.append(paragraph(f"{index}. {text}"))
        out += [paragraph(f"{POINT_LETTERS[j]}) {item}") for j, item in enumerate(points_)]
    return out


def section_heading(number: int, title: str) -> Paragraph:
    return heading(f"{to_roman(number)}. {title.upper()}")


def points(value: Decimal | None) -> str:
    """A score as printed: 2 decimals, decimal comma; blank when there is none."""
    return "" if value is None else format_number(value, 2)


def grid(columns: Iterable[tuple[str, float, str]], rows: Iterable[Sequence[str | Sequence[str]]],
         bold_rows: set[int] = frozenset(), size: float = 12) -> Table:
    """A bordered table; a cell is text or a list of paragraph texts (each line of a multi-line text
    its own paragraph); ``bold_rows`` by row index."""
    columns = tuple(Column(title, width, align) for title, width, align in columns)
    body = []
    for index, row in enumerate(rows):
        cells = []
        for column, value in zip(columns, row):
            texts = [line for text in ([value] if isinstance(value, str) else value) for line in text.split("\n")]
            cells.append(tuple(cell_paragraph(text, column.align, size, bold=index in bold_rows) for text in texts))
        body.append(tuple(cells))
    return Table(columns, tuple(body), size=size)
