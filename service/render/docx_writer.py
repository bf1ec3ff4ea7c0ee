"""DOCX writer: the ND30 frame template (doc_templates/docx) rendered by docxtpl.

The package is zipped once per process from its parts; each render opens a fresh DocxTemplate on
those bytes (a shared template object silently produced wrong documents under threads) and renders
with ``autoescape=True`` so '&', '<' and quotes in names stay text.
"""
from __future__ import annotations

import io
import zipfile
from functools import lru_cache

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from doc_templates import DOCX_DIR
from service.documents.body import Document, Image
from service.kept import Kept
from service.vietnamese import unbreakable_segments

#: (name inside the .docx, file under doc_templates/docx)
PACKAGE_PARTS = (
    ("[Content_Types].xml", "parts/content_types.xml"),
    ("_rels/.rels", "parts/package.rels"),
    ("docProps/core.xml", "parts/core.xml"),
    ("docProps/app.xml", "parts/app.xml"),
    ("word/document.xml", "document.xml"),
    ("word/_rels/document.xml.rels", "parts/document.xml.rels"),
    ("word/styles.xml", "parts/styles.xml"),
    ("word/settings.xml", "parts/settings.xml"),
    ("word/fontTable.xml", "parts/fontTable.xml"),
    ("word/header1.xml", "parts/header1.xml"),
    ("word/header2.xml", "parts/header2.xml"),
)
TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(value: float) -> int:
    return round(value * TWIPS_PER_MM)


@lru_cache(maxsize=1)
def frame_template_bytes() -> bytes:
    """The frame .docx (with its Jinja tags), zipped from doc_templates/docx once per process."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, source in PACKAGE_PARTS:
            package.writestr(name, (DOCX_DIR / source).read_bytes())
    return buffer.getvalue()


class _FrameEnvironment(jinja2.Environment):
    """docxtpl hands every part of the frame to ``from_string`` at every render; the frame does not
    change, so each part is compiled once a process (a third of a DOCX's time went to recompiling it)."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        code = _COMPILED.get((source, self.autoescape), lambda: self.compile(source))
        return self.template_class.from_code(self, code, self.make_globals(None), None)


_COMPILED = Kept(16)


def _environment() -> jinja2.Environment:
    env = _FrameEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["tw"] = mm_to_twips
    env.filters["segments"] = unbreakable_segments
    return env


_ENV = _environment()


def image_blocks(document: Document) -> list[Image]:
    blocks = [*document.body, *(b for annex in document.annexes for b in annex.blocks)]
    return [block for block in blocks if block.kind == "image"]


def render_docx(document: Document, watermark: str | None = None) -> bytes:
    """The document as DOCX bytes (images become parts of this render's fresh template); ``watermark``
    is drawn across every page from the page header (a draft's 'DỰ THẢO')."""
    template = DocxTemplate(io.BytesIO(frame_template_bytes()))
    images = {block.key: InlineImage(template, io.BytesIO(block.png), width=Mm(block.width_mm))
              for block in image_blocks(document)}
    return _render(template, {"doc": document, "images": images, "watermark": watermark})


def render_bare(context: dict) -> bytes:
    """A plain docxtpl render of the frame with a prepared context (the benchmark's baseline)."""
    return _render(DocxTemplate(io.BytesIO(frame_template_bytes())), {"watermark": None, **context})


def _render(template: DocxTemplate, context: dict) -> bytes:
    template.render(context, jinja_env=_ENV, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
