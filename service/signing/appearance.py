"""Visible signatures drawn as small PDFs by weasyprint (pyHanko's own text stamps garble Vietnamese):
the signer's image, the seal's image, and — for an attachment in a separate file — the top-right
text block with the main document's số, ký hiệu and the signing time."""
from __future__ import annotations

import base64
import datetime as dt
import io

from PIL import Image

from service.fonts import font_faces
from service.pdf_profile import PDF_VARIANT, PDFA_IMAGES

from .layout import MM, SIGNATURE_IMAGE_MM, Box, signature_image_box

VIETNAM = dt.timezone(dt.timedelta(hours=7))


class AppearanceError(ValueError):
    pass


def check_png(data: bytes, what: str) -> bytes:
    """A PNG with transparency (Decree 30: 'định dạng .png nền trong suốt')."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:
        raise AppearanceError(f"ảnh {what} không đọc được (cần tệp PNG)") from None
    if image.format != "PNG":
        raise AppearanceError(f"ảnh {what} phải là PNG (đang là {image.format})")
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        raise AppearanceError(f"ảnh {what} phải có nền trong suốt (PNG có kênh alpha)")
    return data


def _pdf(html: str, width_pt: float, height_pt: float) -> bytes:
    from weasyprint import HTML
    page = (f"@page {{ size: {width_pt:.3f}pt {height_pt:.3f}pt; margin: 0; }} "
            "html, body { margin: 0; padding: 0; } " + PDFA_IMAGES)
    return HTML(string=f"<style>{font_faces()} {page}</style>{html}").write_pdf(pdf_variant=PDF_VARIANT)


def _img(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def signature_stamp(field: Box, signature_png: bytes) -> bytes:
    """The signer's field: the image fitted (aspect kept) into the signature-image box, centred."""
    width, height = field[2] - field[0], field[3] - field[1]
    image = signature_image_box(field)
    left, bottom = image[0] - field[0], image[1] - field[1]
    box_w, box_h = SIGNATURE_IMAGE_MM[0] * MM, SIGNATURE_IMAGE_MM[1] * MM
    html = (f'<div style="position: absolute; left: {left:.3f}pt; top: {height - bottom - box_h:.3f}pt; '
            f'width: {box_w:.3f}pt; height: {box_h:.3f}pt; display: flex; align-items: center; justify-content: center;">'
            f'<img src="{_img(signature_png)}" style="max-width: 100%; max-height: 100%; object-fit: contain;"></div>')
    return _pdf(html, width, height)


def seal_stamp(box: Box, seal_png: bytes) -> bytes:
    """The seal's field: the image at the field's (real) size."""
    width, height = box[2] - box[0], box[3] - box[1]
    return _pdf(f'<img src="{_img(seal_png)}" style="display: block; width: {width:.3f}pt; height: {height:.3f}pt; '
                'object-fit: contain;">', width, height)


def signing_time_text(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time with its offset: 2024-02-05T14:30:12+07:00."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def attachment_stamp(number_line: str, moment: dt.datetime) -> tuple[bytes, float, float]:
    """The top-right block of an attachment signed in its own file: số, ký hiệu of the main document
    and the signing time, Times New Roman 10 pt, upright, black; returns (pdf, width, height) in pt."""
    width, height = 62 * MM, 11 * MM
    html = (f'<div style="font-size: 10pt; line-height: 1.25; color: black; text-align: left; padding-top: 1pt;">'
            f'<div>{_escape(number_line)}</div><div>{signing_time_text(moment)}</div></div>')
    return _pdf(html, width, height), width, height


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
