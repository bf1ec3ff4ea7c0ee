"""PDF writer: the ND30 frame as HTML (doc_templates/html) typeset by weasyprint.

The Jinja environment, the font configuration and the parsed stylesheet are made once per process
and reused (re-parsing them dominated the time of a render); the fonts are the installed
Times-metric files, declared with @font-face so that no other family can slip in.
"""
from __future__ import annotations

import atexit
import base64
import re
import threading
from functools import lru_cache

import jinja2
import markupsafe

from doc_templates import HTML_DIR
from service.documents.body import Document
from service.vietnamese import unbreakable_segments

from service.fonts import font_faces
from service.pdf_profile import PDF_VARIANT, PDFA_IMAGES

_LOCK = threading.Lock()
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(HTML_DIR), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["segments"] = unbreakable_segments


def hyphen_breaks(text: str) -> markupsafe.Markup:
    """Escaped text with a break opportunity after a hyphen that precedes a digit ('10/2023-12/2023'):
    Pango forbids that break (UAX #14), Word allows it, and a narrow table cell needs it."""
    return keep_blanks(markupsafe.Markup("-<wbr>").join(markupsafe.escape(part) for part in _HYPHEN_DIGIT.split(text)))


_BLANK = re.compile(r" {2,}")


def keep_blanks(markup: markupsafe.Markup) -> markupsafe.Markup:
    """The blanks left to be filled in by hand ('Tờ trình số       /TTr-SNV ngày       tháng 12'),
    kept as wide as in the DOCX: HTML would fold them into one space (N7)."""
    return markupsafe.Markup(_BLANK.sub(lambda m: " " + "\u00a0" * (len(m[0]) - 1), str(markup)))


_HYPHEN_DIGIT = re.compile(r"(?<=\S)-(?=\d)")
#: U+2060 WORD JOINER: no line break here, nothing printed, nothing in the PDF's text.
WORD_JOINER = "\u2060"


def glue(text: str) -> markupsafe.Markup:
    """Escaped text that never breaks at its '/' or '-' (a số/ký hiệu or a date), for the PDF. A nowrap
    span does the same on screen but made weasyprint break the line before it early, leaving one word
    alone (D22); on screen the span stays, so that a reader's search finds '31/10/2026' as typed."""
    return keep_blanks(markupsafe.escape(text).replace("/", "/" + WORD_JOINER).replace("-", WORD_JOINER + "-" + WORD_JOINER))
_ENV.filters["hyphen_breaks"] = hyphen_breaks
_ENV.filters["glue"] = glue
_ENV.filters["data_uri"] = lambda png: "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=1)
def _typesetting():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(string=font_faces() + "\n" + (HTML_DIR / "nd30.css").read_text(encoding="utf-8") + PDFA_IMAGES,
                     font_config=font_config)
    return font_config, stylesheet


def warm_up() -> None:
    """Load the font configuration and stylesheet now (before forking workers, for instance)."""
    with _LOCK:
        _typesetting()


# Release fonts while the interpreter is still whole (FontConfiguration.__del__ fails during shutdown).
atexit.register(_typesetting.cache_clear)


def render_html(document: Document, watermark: str | None = None, stylesheet: bool = False) -> str:
    """The document as a standalone HTML page; ``watermark`` is printed across every page (a draft's
    'DỰ THẢO'); ``stylesheet`` embeds the ND30 stylesheet so that a browser shows it as printed."""
    css = (HTML_DIR / "nd30.css").read_text(encoding="utf-8") if stylesheet else ""
    return _ENV.get_template("frame.html").render(doc=document, watermark=watermark, screen_css=css,
                                                  print_layout=not stylesheet)


def render_pdf(document: Document, watermark: str | None = None) -> bytes:
    """The document as PDF bytes, fonts embedded, with empty signature fields over the signature
    space (and the seal's place) so that signing fills them where Decree 30 puts them."""
    return pdf_from_html(render_html(document, watermark), seal_place=seal_place(document))


def seal_place(document: Document) -> bool:
    """Whether the signature fields include the seal's place: not when the left of the block is
    signed too (the minutes: secretary and chair)."""
    return not document.frame.left_signature_lines


def pdf_from_html(html: str, seal_place: bool) -> bytes:
    """Typeset the print HTML of ``render_html`` (the costly half of ``render_pdf``, which the job
    queue does apart from the request that froze the HTML); kept by content hash when
    CCHC_RENDER_CACHE names a folder (``typeset_cache``)."""
    from .typeset_cache import kept_or_made
    return kept_or_made((html, str(seal_place)), lambda: _typeset(html, seal_place))


def _metadata_in_xmp_only(_document, pdf) -> None:
    """Leave only the title in the Info dictionary: PDF/A wants Info and XMP to agree, and pyHanko, at
    each signature, appends itself to Info's producer but sets XMP's to itself alone — with no producer
    in Info both say the same after any number of signatures."""
    for key in list(pdf.info):
        if key != "Title":
            del pdf.info[key]


def _typeset(html: str, seal_place: bool) -> bytes:
    from weasyprint import HTML

    from service.signing.layout import add_signature_fields, places_from_anchors

    with _LOCK:  # weasyprint's shared font configuration is not documented as thread-safe
        font_config, stylesheet = _typesetting()
        rendered = HTML(string=html, base_url=str(HTML_DIR)).render(stylesheets=[stylesheet], font_config=font_config)
        pages = [(page.height, page.anchors) for page in rendered.pages]
        pdf = rendered.write_pdf(pdf_variant=PDF_VARIANT, finisher=_metadata_in_xmp_only)
    places = places_from_anchors(pages, with_seal=seal_place)
    return add_signature_fields(pdf, places) if places else pdf
