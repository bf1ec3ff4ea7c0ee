"""PAdES signing of our PDFs into the fields the PDF writer left: the leader's signature (its image
in blue), then the agency's (its seal in red); B-B, or B-T when a timestamp service is configured.
Each signature is an incremental update, so the second leaves the first intact."""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.stamp import StaticStampStyle

from .appearance import attachment_stamp, check_png, seal_stamp, signature_stamp
from .layout import LEADER_FIELD, SEAL_FIELD
from .profile import SigningProfile, chain_known_offline
from .signers import SigningError, certificate_name


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    if not pdf.startswith(b"%PDF-"):
        raise SigningError("tệp không phải PDF")
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError):
        raise SigningError("tệp PDF hỏng, không đọc được") from None


def empty_fields(pdf: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Empty signature fields of a PDF: name → (page index, rectangle)."""
    writer = _open(pdf)
    pages = {writer.find_page_for_modification(i)[0].idnum: i for i in range(int(writer.root["/Pages"]["/Count"]))}
    out = {}
    for name, value, ref in fields.enumerate_sig_fields(writer.prev, filled_status=False):
        field = ref.get_object()
        widget = field if "/Rect" in field else field["/Kids"][0].get_object()
        page = pages.get(widget.raw_get("/P").idnum, 0) if "/P" in widget else 0
        out[name] = (page, tuple(float(v) for v in widget["/Rect"]))
    return out


def _stamp_style(pdf_bytes: bytes) -> tuple[StaticStampStyle, str]:
    """pyHanko imports the appearance from a file: write it to a temporary one."""
    handle = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    handle.write(pdf_bytes)
    handle.close()
    return StaticStampStyle.from_pdf_file(handle.name, border_width=0), handle.name


@dataclass(frozen=True)
class Placement:
    """Where a signature goes and how it looks: the field, its appearance (a one-page PDF), the
    reason written in it; ``new_field`` only for an attachment's own field. Made (and checked against
    the PDF) before any key is used, so a batch learns which documents cannot be signed first."""
    field: str
    appearance: bytes | None
    reason: str
    new_field: SigFieldSpec | None = None


#: pyHanko's and its certificate validator's reasons, as the signer needs to read them.
_CAUSES = {
    "RevokedError": "chứng thư số của người ký đã bị thu hồi (theo OCSP/CRL của CA)",
    "InsufficientRevinfoError": "không lấy được thông tin thu hồi (OCSP/CRL) của chứng thư số từ CA, cần cho "
                                "chữ ký dài hạn (B-LT/B-LTA): kiểm tra kết nối tới CA rồi ký lại",
    "PathBuildingError": "không dựng được chuỗi chứng thư số tới CA tin cậy đã cấu hình (CCHC_TRUST_BUNDLE)",
    "ExpiredError": "chứng thư số trong chuỗi đã hết hạn",
    "TimestampRequestError": "không lấy được dấu thời gian từ dịch vụ cấp dấu thời gian (CCHC_TSA_URL)",
}


def _refused(error: Exception, field: str) -> SigningError:
    message = str(error)
    if "filled" in message or "already" in message:
        return SigningError(f"ô chữ ký '{field}' đã được ký")
    cause, depth = error, 0
    while cause is not None and depth < 20:
        for name in (c.__name__ for c in type(cause).__mro__):
            if name in _CAUSES:
                return SigningError(f"không ký được: {_CAUSES[name]}")
        cause, depth = cause.__cause__ or cause.__context__, depth + 1
    return SigningError(f"không ký được: {message}")


@contextlib.contextmanager
def _pdf_signer(pdf: bytes, signer, placement: Placement, profile: SigningProfile | None):
    """(the PDF opened for an incremental update, pyHanko's signer for it), the appearance's
    temporary file removed afterwards."""
    profile = profile or SigningProfile()
    writer = _open(pdf)
    style, path = _stamp_style(placement.appearance) if placement.appearance else (None, None)
    try:
        metadata = signers.PdfSignatureMetadata(field_name=placement.field, md_algorithm="sha256",
                                                reason=placement.reason, subfilter=fields.SigSeedSubFilter.PADES,
                                                name=certificate_name(signer.signing_cert),
                                                embed_validation_info=profile.validation_data,
                                                validation_context=profile.validation_context(),
                                                use_pades_lta=profile.archive_timestamp)
        yield writer, signers.PdfSigner(metadata, signer=signer, stamp_style=style, new_field_spec=placement.new_field,
                                        timestamper=profile.timestamper)
    finally:
        if path:
            os.unlink(path)


def sign_placed(pdf: bytes, signer, placement: Placement, *, profile: SigningProfile | None = None) -> bytes:
    """One PAdES signature of ``pdf`` by ``signer`` at ``placement``; SigningError in Vietnamese."""
    try:
        if profile is not None and profile.validation_data:
            asyncio.run(chain_known_offline(signer, profile))
        with _pdf_signer(pdf, signer, placement, profile) as (writer, pdf_signer):
            return pdf_signer.sign_pdf(writer).getvalue()
    except SigningError:
        raise
    except Exception as error:   # pyHanko: field filled already, no such field …
        raise _refused(error, placement.field) from None


async def async_sign_placed(pdf: bytes, signer, placement: Placement, *, profile: SigningProfile | None = None) -> bytes:
    """``sign_placed`` inside a running event loop (several documents for one remote authorisation)."""
    try:
        await chain_known_offline(signer, profile or SigningProfile())
        with _pdf_signer(pdf, signer, placement, profile) as (writer, pdf_signer):
            return (await pdf_signer.async_sign_pdf(writer)).getvalue()
    except SigningError:
        raise
    except Exception as error:   # noqa: BLE001 — pyHanko's and the service's errors, told in Vietnamese
        raise _refused(error, placement.field) from None


def _sign(pdf: bytes, signer, field: str, appearance: bytes | None, *, reason: str, new_field: SigFieldSpec | None = None,
          profile: SigningProfile | None = None) -> bytes:
    return sign_placed(pdf, signer, Placement(field, appearance, reason, new_field), profile=profile)


def leader_placement(pdf: bytes, signature_png: bytes, field: str = LEADER_FIELD) -> Placement:
    """The personal signature's place: its empty field, the blue signature image as appearance."""
    places = empty_fields(pdf)
    if field not in places:
        filled = field in signed_fields(pdf)
        raise SigningError(f"văn bản đã có chữ ký ở ô '{field}'" if filled else
                           f"văn bản không có ô chữ ký '{field}' (chỉ ký được văn bản do hệ thống tạo)")
    check_png(signature_png, "chữ ký")
    return Placement(field, signature_stamp(places[field][1], signature_png), "Ký ban hành văn bản")


def agency_placement(pdf: bytes, seal_png: bytes) -> Placement:
    """The agency's signature's place, after the leader's: the red seal at real size."""
    places = empty_fields(pdf)
    if SEAL_FIELD not in places:
        filled = SEAL_FIELD in signed_fields(pdf)
        raise SigningError("văn bản đã có chữ ký số của cơ quan" if filled else
                           "văn bản không có ô chữ ký số của cơ quan (dấu)")
    if LEADER_FIELD in places:
        raise SigningError("người có thẩm quyền chưa ký; cơ quan ký số sau chữ ký của người ký văn bản")
    check_png(seal_png, "con dấu")
    return Placement(SEAL_FIELD, seal_stamp(places[SEAL_FIELD][1], seal_png), "Ký số của cơ quan, tổ chức")


def sign_as_leader(pdf: bytes, signer, signature_png: bytes, *, field: str = LEADER_FIELD, profile: SigningProfile | None = None) -> bytes:
    """The signer's personal signature in its field, the blue signature image as appearance."""
    return sign_placed(pdf, signer, leader_placement(pdf, signature_png, field), profile=profile)


def sign_as_agency(pdf: bytes, signer, seal_png: bytes, *, profile: SigningProfile | None = None) -> bytes:
    """The agency's signature (văn thư), after the leader's, shown as the red seal at real size."""
    return sign_placed(pdf, signer, agency_placement(pdf, seal_png), profile=profile)


def sign_attachment(pdf: bytes, signer, main_number_line: str, *, moment: dt.datetime | None = None,
                    profile: SigningProfile | None = None) -> bytes:
    """An attachment in its own file: the agency signs it with the top-right text block of page 1
    (main document's số, ký hiệu and the signing time), no image."""
    moment = moment or dt.datetime.now(dt.timezone.utc)
    writer = _open(pdf)
    page = writer.find_page_for_modification(0)[0].get_object()
    llx, lly, urx, ury = (float(v) for v in page["/MediaBox"])
    appearance, width, height = attachment_stamp(main_number_line, moment)
    right, top = urx - 20 * 72 / 25.4, ury - 10 * 72 / 25.4       # inside the 20 mm right and top margins
    box = (round(right - width, 2), round(top - height, 2), round(right, 2), round(top, 2))
    spec = SigFieldSpec(sig_field_name="KyTepDinhKem", on_page=0, box=box)
    return _sign(pdf, signer, "KyTepDinhKem", appearance, reason=f"Kèm theo văn bản {main_number_line}",
                 new_field=spec, profile=profile)


def signed_fields(pdf: bytes) -> list[str]:
    """Names of the signature fields already signed, in signing order (no validation: cheap); the
    document timestamps of B-LTA are not signatures of anyone and are not counted."""
    return [signature.field_name for signature in _open(pdf).prev.embedded_regular_signatures]
