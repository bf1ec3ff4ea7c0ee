"""Where signatures go on the page (Decree 30, PL I II.7.d and Phần II): the signer's image centred
between the title block and the name, the agency's seal at real size over the left third of that
image. The PDF writer calls ``add_signature_fields`` with the signature space it laid out, so the
empty fields sit exactly there and signing only fills them."""
from __future__ import annotations

import io
from dataclasses import dataclass

MM = 72 / 25.4                       # PDF points per millimetre
CSS_PX = 0.75                        # PDF points per CSS pixel (weasyprint's unit)

LEADER_FIELD = "ChuKy"               # the main signer (right-hand block)
LEFT_FIELD = "ChuKyTrai"             # a second personal signer on the left (Biên bản: thư ký)
SEAL_FIELD = "DauCoQuan"             # the agency's signature, shown as its seal

#: The signature image is fitted into this box, centred in the signature space.
SIGNATURE_IMAGE_MM = (48.0, 20.0)
#: Diameter of the seal image at real size (round seals of provincial bodies are 35–42 mm).
SEAL_DIAMETER_MM = 36.0

Box = tuple[float, float, float, float]       # llx, lly, urx, ury in PDF points


@dataclass(frozen=True)
class SignaturePlace:
    """One signature space of a page: ``box`` in PDF points."""
    name: str
    page: int
    box: Box


def places_from_anchors(pages: list[tuple[float, dict[str, tuple[float, float]]]], with_seal: bool) -> list[SignaturePlace]:
    """Signature fields from the anchors weasyprint reports per page (height in CSS px, anchors in CSS
    px from the top left): ``cchc-ky-phai`` and its ``-het`` corner, the same for ``-trai``."""
    places = []
    for index, (height, anchors) in enumerate(pages):
        for side, name in (("phai", LEADER_FIELD), ("trai", LEFT_FIELD)):
            start, end = anchors.get(f"cchc-ky-{side}"), anchors.get(f"cchc-ky-{side}-het")
            if start is None or end is None:
                continue
            box = (start[0] * CSS_PX, (height - end[1]) * CSS_PX, end[0] * CSS_PX, (height - start[1]) * CSS_PX)
            places.append(SignaturePlace(name, index, box))
            if side == "phai" and with_seal:
                places.append(SignaturePlace(SEAL_FIELD, index, seal_box(box)))
    return places


def signature_image_box(field: Box) -> Box:
    """The box the signer's image is fitted into: centred in the signature space."""
    width, height = SIGNATURE_IMAGE_MM[0] * MM, SIGNATURE_IMAGE_MM[1] * MM
    cx, cy = (field[0] + field[2]) / 2, (field[1] + field[3]) / 2
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def seal_box(field: Box) -> Box:
    """The seal at real size, its right edge one third into the signature image, centred on it."""
    image = signature_image_box(field)
    diameter = SEAL_DIAMETER_MM * MM
    right = image[0] + (image[2] - image[0]) / 3
    cy = (image[1] + image[3]) / 2
    return (right - diameter, cy - diameter / 2, right, cy + diameter / 2)


def add_signature_fields(pdf: bytes, places: list[SignaturePlace]) -> bytes:
    """The PDF with one empty, named signature field per place (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for place in places:
        box = tuple(round(v, 2) for v in place.box)
        append_signature_field(writer, SigFieldSpec(sig_field_name=place.name, on_page=place.page, box=box))
    # SignaturesExist | AppendOnly from the start: signing then changes nothing in the form's
    # dictionary, so the difference from the issued revision is only the signature itself.
    writer.root["/AcroForm"]["/SigFlags"] = generic.NumberObject(3)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
