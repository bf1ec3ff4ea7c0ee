"""A small body model — paragraphs of runs and tables — that both writers emit.

The kind templates' block language (``markup.py``) builds documents out of these; the DOCX and HTML
frame templates each know how to draw them, so a document kind is written once (pandoc's idea: one
model, many writers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .frame import Frame, Rule

Align = Literal["both", "center", "left", "right"]

#: Body typography (ND30 PL I: 13–14 pt, justified, first-line indent 1–1.27 cm, ≥ 6 pt between paragraphs).
BODY_SIZE = 14
TABLE_SIZE = 13


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    align: Align = "both"
    indent: bool = True            # first-line indent 1.27 cm
    size: float = BODY_SIZE        # pt
    space_before: float = 6        # pt
    keep_next: bool = False
    page_break_before: bool = False
    kind: Literal["paragraph"] = "paragraph"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Column:
    heading: str
    width_mm: float
    align: Align = "both"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[tuple[Paragraph, ...], ...], ...]   # row → cell → paragraphs
    size: float = TABLE_SIZE
    kind: Literal["table"] = "table"

    @property
    def width_mm(self) -> float:
        return sum(column.width_mm for column in self.columns)


@dataclass(frozen=True)
class Image:
    """A picture (a chart), centred, ``width_mm`` wide; ``key`` names it uniquely in the document."""
    key: str
    png: bytes
    width_mm: float
    kind: Literal["image"] = "image"


Block = Paragraph | Table | Image


@dataclass(frozen=True)
class Annex:
    """A phụ lục in the same file: a new section whose page numbers restart at 1 (ND30 PL I III.1),
    headed 'Phụ lục [I]', its title in capitals and '(Kèm theo …)', landscape when its table needs it."""
    label: str
    title: str
    reference: str
    blocks: tuple[Block, ...]
    rule: "Rule"
    landscape: bool = False


def paragraph(text: str, *, bold: bool = False, italic: bool = False, align: Align = "both",
              indent: bool = True, size: float = BODY_SIZE, space_before: float = 6,
              keep_next: bool = False, page_break_before: bool = False) -> Paragraph:
    """One paragraph of a single run."""
    return Paragraph((Run(text, bold, italic),), align, indent, size, space_before, keep_next, page_break_before)


def cell_paragraph(text: str, align: Align, size: float = TABLE_SIZE, bold: bool = False) -> Paragraph:
    return paragraph(text, bold=bold, align=align, indent=False, size=size, space_before=2)


@dataclass(frozen=True)
class Document:
    """What a composer hands to the writers: the ND30 frame, the body, and a file stem."""
    kind: str
    frame: Frame
    body: tuple[Block, ...]
    stem: str
    title: str = ""
    annexes: tuple[Annex, ...] = ()
    meta: dict = field(default_factory=dict)

    def text_lines(self) -> list[str]:
        """What the document says, one line per paragraph or table row (cells joined by ' | '), frame
        included: what an issued version is compared with to list what a later edit changes."""
        f = self.frame
        lines = [*f.parent_lines, *f.agency_lines, f.number_line, f.subject_line or "", f.place_date or "",
                 f.type_name, *f.title_lines, f.authority_line or "", *f.addressees]
        lines += _block_lines(self.body)
        lines += [*f.left_signature_lines, f.left_signer_name or "", *f.signature_lines, f.signer_name,
                  f.recipients_heading, *f.recipient_lines]
        for annex in self.annexes:
            lines += [annex.label, annex.title, annex.reference, *_block_lines(annex.blocks)]
        return [" ".join(line.split()) for line in lines if line and line.strip()]


def _block_lines(blocks) -> list[str]:
    out = []
    for block in blocks:
        if block.kind == "paragraph":
            out.append(block.text)
        elif block.kind == "table":
            out.append(" | ".join(column.heading for column in block.columns))
            out += [" | ".join(" / ".join(p.text for p in cell) for cell in row) for row in block.rows]
        else:
            out.append(f"[hình: {block.key}]")
    return out

