"""A printable A4 sheet of QR labels (the survey's one-time codes, to stick on the paper phiếu or hand
out): each label a QR code of its URL, the code in letters for those who type it, and a line of text.
A writer: it knows labels, not surveys, and nothing of Flask."""
from __future__ import annotations

import html

import segno

from service.fonts import font_faces

#: Labels per A4 page: 3 across, 6 down (63,5 × 46,6 mm, a common sheet of 18 stickers).
ACROSS, DOWN = 3, 6


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG (error correction M: a label rubbed at its corner still scans)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=3, border=2, dark="#000")


def label_sheet(labels: list[tuple[str, str, str]], heading: str) -> bytes:
    """The PDF of ``labels`` — (URL, code, caption) each — ``ACROSS`` × ``DOWN`` to a page, with a
    heading line on each page (what the labels are for)."""
    from weasyprint import HTML
    pages = [labels[i:i + ACROSS * DOWN] for i in range(0, len(labels), ACROSS * DOWN)] or [[]]
    body = []
    for page in pages:
        cells = "".join(
            f'<div class="label">{_qr_svg(url)}<p class="code">{html.escape(code)}</p>'
            f'<p class="caption">{html.escape(caption)}</p></div>' for url, code, caption in page)
        body.append(f'<section><p class="heading">{html.escape(heading)}</p><div class="grid">{cells}</div></section>')
    document = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>
{font_faces()}
@page {{ size: A4; margin: 10mm 7mm; }}
section {{ break-after: page; }} section:last-child {{ break-after: auto; }}
.heading {{ font-size: 10pt; margin: 0 0 2mm; }}
.grid {{ display: grid; grid-template-columns: repeat({ACROSS}, 63.5mm); grid-auto-rows: 44mm; gap: 1.5mm 2.5mm; }}
.label {{ border: 0.3pt dashed #888; padding: 2mm; text-align: center; overflow: hidden; }}
.label svg {{ width: 26mm; height: 26mm; }}
.code {{ font-size: 12pt; font-weight: bold; letter-spacing: 1pt; margin: 0.5mm 0 0; }}
.caption {{ font-size: 7.5pt; margin: 0.5mm 0 0; line-height: 1.15; }}
</style></head><body>{"".join(body)}</body></html>"""
    return HTML(string=document).write_pdf()
