"""Effective formatting of runs and paragraphs: direct formatting → style chain → document defaults.

python-docx reports only what is set directly (``run.font.bold`` is None when inherited), so a checker
must walk the chain itself, the way Word does.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

_TRUE = {None, "1", "true", "on"}


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _defaults(document: DocxDocument, tag: str):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return None
    holder = defaults.find(qn(f"w:{tag}Default"))
    return None if holder is None else holder.find(qn(f"w:{tag}"))


def run_properties_chain(run: Run, paragraph: Paragraph, document: DocxDocument) -> list:
    chain = [run._r.rPr]
    if run.style is not None and run.style.style_id != "DefaultParagraphFont":
        chain += [s.element.rPr for s in _style_chain(run.style)]
    chain += [s.element.rPr for s in _style_chain(paragraph.style)]
    chain.append(_defaults(document, "rPr"))
    return [element for element in chain if element is not None]


def paragraph_properties_chain(paragraph: Paragraph, document: DocxDocument) -> list:
    chain = [paragraph._p.pPr] + [s.element.pPr for s in _style_chain(paragraph.style)]
    chain.append(_defaults(document, "pPr"))
    return [element for element in chain if element is not None]


def _first(chain, tag: str):
    for element in chain:
        found = element.find(qn(tag))
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class RunFormat:
    ascii: str | None
    h_ansi: str | None
    size_pt: float | None
    bold: bool
    italic: bool
    color: str | None


def run_format(run: Run, paragraph: Paragraph, document: DocxDocument) -> RunFormat:
    chain = run_properties_chain(run, paragraph, document)

    def font(slot: str) -> str | None:
        for element in chain:
            fonts = element.find(qn("w:rFonts"))
            if fonts is None:
                continue
            if fonts.get(qn(f"w:{slot}Theme")) is not None:
                return "(theme font)"
            if fonts.get(qn(f"w:{slot}")) is not None:
                return fonts.get(qn(f"w:{slot}"))
        return None

    def toggle(tag: str) -> bool:
        found = _first(chain, tag)
        return found is not None and found.get(qn("w:val")) in _TRUE

    size = _first(chain, "w:sz")
    color = _first(chain, "w:color")
    return RunFormat(
        ascii=font("ascii"), h_ansi=font("hAnsi"),
        size_pt=int(size.get(qn("w:val"))) / 2 if size is not None else None,
        bold=toggle("w:b"), italic=toggle("w:i"),
        color=color.get(qn("w:val")) if color is not None else None,
    )


@dataclass(frozen=True)
class ParagraphFormat:
    align: str | None
    first_line_twips: int
    left_twips: int
    right_twips: int
    before_twips: int
    after_twips: int
    line: int | None
    line_rule: str | None
    top_border: bool


def paragraph_format(paragraph: Paragraph, document: DocxDocument) -> ParagraphFormat:
    chain = paragraph_properties_chain(paragraph, document)
    jc = _first(chain, "w:jc")
    ind = _first(chain, "w:ind")
    spacing = _first(chain, "w:spacing")
    border = _first(chain, "w:pBdr")

    def attr(element, name, default=None):
        if element is None or element.get(qn(f"w:{name}")) is None:
            return default
        return element.get(qn(f"w:{name}"))

    return ParagraphFormat(
        align=attr(jc, "val", "left"),
        first_line_twips=int(attr(ind, "firstLine", 0)),
        left_twips=int(attr(ind, "left", attr(ind, "start", 0))),
        right_twips=int(attr(ind, "right", attr(ind, "end", 0))),
        before_twips=int(attr(spacing, "before", 0)),
        after_twips=int(attr(spacing, "after", 0)),
        line=int(attr(spacing, "line")) if attr(spacing, "line") else None,
        line_rule=attr(spacing, "lineRule", "auto"),
        top_border=border is not None and border.find(qn("w:top")) is not None
        and border.find(qn("w:top")).get(qn("w:val")) not in (None, "nil", "none"),
    )


def text_runs(paragraph: Paragraph) -> list[Run]:
    """Runs that carry visible text."""
    return [run for run in paragraph.runs if run.text.strip()]


def paragraph_size(paragraph: Paragraph, document: DocxDocument) -> float | None:
    """The size of the paragraph's text (its first text run)."""
    runs = text_runs(paragraph)
    return run_format(runs[0], paragraph, document).size_pt if runs else None


def all_bold(paragraph: Paragraph, document: DocxDocument) -> bool:
    runs = text_runs(paragraph)
    return bool(runs) and all(run_format(r, paragraph, document).bold for r in runs)


def any_italic(paragraph: Paragraph, document: DocxDocument) -> bool:
    return any(run_format(r, paragraph, document).italic for r in text_runs(paragraph))


def all_italic(paragraph: Paragraph, document: DocxDocument) -> bool:
    runs = text_runs(paragraph)
    return bool(runs) and all(run_format(r, paragraph, document).italic for r in runs)
