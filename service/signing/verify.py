"""Checking the signatures of a PDF with pyHanko's validation, reported in Vietnamese: who signed and
when, whether the signed bytes are intact, whether the certificate chains to a configured trusted CA
and is valid, whether the file was changed after signing beyond what signing allows — and, given the
issued file, whether anything but signatures was added to it, before or after any signature (pyHanko's
difference analysis from the issued revision). A tampered file is a result, not an error.

Exit status (``cchc verify``): 0 every signature intact and trusted, nothing else changed; 1 a signature
broken or the content changed; 2 unreadable or unsigned; 3 intact but not trusted (or, for the
workspace, not from the expected signer)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

from .appearance import signing_time_text
from .signers import certificate_name

ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
OK, BROKEN, UNREADABLE, UNTRUSTED = 0, 1, 2, 3


class UnreadablePdf(ValueError):
    """The file is not a PDF we can read (exit status 2)."""


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    modified_after: bool
    problem: str = ""
    fingerprint: str = ""
    #: The PAdES baseline level the file proves for this signature (``LEVEL_WORDS``).
    level: str = "B-B"
    level_note: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and not self.modified_after


@dataclass(frozen=True)
class TimestampCheck:
    """A document timestamp (PAdES B-LTA's archive timestamp): by which TSA, when, intact, trusted."""
    field: str
    authority: str
    stamped_at: dt.datetime | None
    intact: bool
    trusted: bool
    #: The file revision the timestamp covers (a signature's B-LTA needs one after its own).
    revision: int = 0


LEVEL_WORDS = {
    "B-B": "chữ ký cơ bản, thời điểm ký do máy người ký ghi",
    "B-T": "có dấu thời gian của dịch vụ cấp dấu thời gian",
    "B-LT": "có dấu thời gian và đủ chứng thư số, thông tin thu hồi (OCSP/CRL) trong tệp: kiểm tra được lâu dài "
            "không cần hỏi lại CA",
    "B-LTA": "như B-LT, thêm dấu thời gian lưu trữ phủ toàn bộ dữ liệu xác thực",
}


@dataclass
class VerificationReport:
    signatures: list[SignatureCheck] = field(default_factory=list)
    #: Given the issued file: what was added to it besides signatures (empty: nothing).
    content_changes: str = ""
    #: Problems found by whoever checks who signed (the workspace's expected signers).
    signer_problems: list[str] = field(default_factory=list)
    timestamps: list[TimestampCheck] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        if not self.signatures:
            return UNREADABLE
        if self.content_changes or not all(s.ok for s in self.signatures) or not all(t.intact for t in self.timestamps):
            return BROKEN
        if not all(s.trusted for s in self.signatures) or self.signer_problems:
            return UNTRUSTED
        return OK

    def lines(self) -> list[str]:
        if not self.signatures:
            return ["Tệp không có chữ ký số nào."]
        out = []
        for number, s in enumerate(self.signatures, start=1):
            when = signing_time_text(s.signed_at) if s.signed_at else "không rõ thời điểm"
            out.append(f"Chữ ký {number} (ô '{s.field}'): {s.signer}, ký lúc {when}")
            out.append("  - Toàn vẹn: " + ("có, nội dung đã ký không bị thay đổi" if s.intact else
                                           "KHÔNG: nội dung đã ký bị thay đổi hoặc chữ ký hỏng"))
            out.append("  - Tin cậy: " + ("có, chứng thư số thuộc tổ chức cung cấp dịch vụ tin cậy và còn hiệu lực"
                                          if s.trusted else "KHÔNG: chứng thư số không thuộc CA tin cậy đã cấu hình, "
                                                            "hết hạn hoặc bị thu hồi"))
            out.append("  - Sửa đổi sau khi ký: " + ("CÓ, tệp bị sửa ngoài việc ký tiếp" if s.modified_after else "không"))
            out.append(f"  - Mức chữ ký: PAdES {s.level} ({LEVEL_WORDS[s.level]})" + (f"; {s.level_note}" if s.level_note else ""))
            if s.problem:
                out.append(f"  - Ghi chú: {s.problem}")
        for t in self.timestamps:
            when = signing_time_text(t.stamped_at) if t.stamped_at else "không rõ thời điểm"
            out.append(f"Dấu thời gian lưu trữ (ô '{t.field}'): {t.authority}, lúc {when}; toàn vẹn: "
                       + ("có" if t.intact else "KHÔNG") + "; tin cậy: " + ("có" if t.trusted else "KHÔNG"))
        if self.content_changes:
            out.append(f"Nội dung khác bản đã ban hành: {self.content_changes}")
        out += [f"Người ký: {problem}" for problem in self.signer_problems]
        verdict = {OK: "Kết luận: mọi chữ ký hợp lệ và tin cậy, văn bản đúng bản đã ban hành, không bị sửa.",
                   BROKEN: "Kết luận: có chữ ký không hợp lệ hoặc nội dung văn bản bị sửa.",
                   UNTRUSTED: "Kết luận: chữ ký toàn vẹn nhưng CHƯA được tin cậy (chứng thư số không tin cậy, hết hạn "
                              "hoặc không đúng người, cơ quan ký)."}[self.exit_status]
        return out + [verdict]


def load_trust_roots(pem_or_der: bytes) -> list[asn1_x509.Certificate]:
    """CA certificates from a PEM bundle (or one DER certificate)."""
    if pem.detect(pem_or_der):
        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(pem_or_der, multiple=True)]
    return [asn1_x509.Certificate.load(pem_or_der)]


def _reader(pdf: bytes) -> PdfFileReader:
    if not pdf.startswith(b"%PDF-"):
        raise UnreadablePdf("tệp không phải PDF")
    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        raise UnreadablePdf(f"tệp PDF hỏng, không đọc được ({error})") from None


def revision_count(pdf: bytes) -> int:
    """How many revisions (incremental updates) a PDF has."""
    return _reader(pdf).xrefs.total_revisions


#: How far (PDF points, ~1 mm) a signature's widget may stray from the place the writer laid out.
PLACE_TOLERANCE = 3.0


def _signature_widgets(reader) -> dict[str, list[tuple[int | None, tuple[float, ...]]]]:
    """Every signature field's widgets: name → [(page index or None when on no page, rectangle)]."""
    from pyhanko.sign import fields

    annotations: dict[int, int] = {}
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        for annotation in page.get("/Annots", ()) if "/Annots" in page else ():
            if hasattr(annotation, "idnum"):
                annotations[annotation.idnum] = index
    out: dict[str, list] = {}
    for name, _value, ref in fields.enumerate_sig_fields(reader):
        field = ref.get_object()
        refs = [ref] if "/Rect" in field else list(field.get("/Kids", ()))
        for widget_ref in refs:
            widget = widget_ref.get_object()
            rect = tuple(float(v) for v in widget.get("/Rect", (0, 0, 0, 0)))
            out.setdefault(name, []).append((annotations.get(getattr(widget_ref, "idnum", -1)), rect))
    return out


def _inside(rect: tuple[float, ...], area: tuple[float, ...]) -> bool:
    llx, lly, urx, ury = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
    return (llx >= area[0] - PLACE_TOLERANCE and lly >= area[1] - PLACE_TOLERANCE
            and urx <= area[2] + PLACE_TOLERANCE and ury <= area[3] + PLACE_TOLERANCE)


def misplaced_signatures(pdf: bytes, issued: bytes) -> str:
    """Signatures shown outside the places the issued file laid out, in Vietnamese ('' when none).

    An appearance is drawn into its widget's rectangle, so a signature whose widget covers the page can
    paint over the text it claims to sign while pyHanko's difference analysis calls it form filling
    (review S1). A field the issued file had must keep its page and rectangle; a field added later (a
    provincial e-office's own) must be invisible or lie inside the signature block's places on that page."""
    laid_out = _signature_widgets(_reader(issued))
    blocks: dict[int, list[tuple[float, ...]]] = {}
    for widgets in laid_out.values():
        for page, rect in widgets:
            if page is not None:
                blocks.setdefault(page, []).append(rect)
    areas = {page: (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
             for page, rects in blocks.items()}
    for name, widgets in _signature_widgets(_reader(pdf)).items():
        for page, rect in widgets:
            if page is None or (rect[2] - rect[0]) * (rect[3] - rect[1]) == 0:
                continue                                   # invisible: shows nothing
            if name in laid_out:
                if all(page != p or any(abs(a - b) > PLACE_TOLERANCE for a, b in zip(rect, r)) for p, r in laid_out[name]):
                    return f"ô chữ ký '{name}' bị dời hoặc phóng to so với ô đã dành sẵn trên văn bản"
            elif page not in areas or not _inside(rect, areas[page]):
                return (f"chữ ký ở ô mới '{name}' hiển thị ngoài khối chữ ký của văn bản (trang {page + 1}): "
                        "hình của nó có thể che nội dung đã ký")
    return ""


def changes_since(pdf: bytes, issued: bytes) -> str:
    """What ``pdf`` added to the ``issued`` file beyond signatures and their appearances, in Vietnamese
    ('' when nothing): not the issued bytes at all, any revision after them that pyHanko's difference
    analysis does not clear as form filling (signing), or a signature shown outside its place."""
    if not pdf.startswith(issued):
        return "tệp không bắt đầu bằng đúng bản đã ban hành"
    if len(pdf) == len(issued):
        return ""
    reader = _reader(pdf)
    base = revision_count(issued) - 1
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    try:
        result = DEFAULT_DIFF_POLICY.review_file(reader, base)
    except Exception as error:              # a revision too damaged to compare is a change
        return f"không so sánh được với bản đã ban hành ({error})"
    if isinstance(result, SuspiciousModification):
        return "có nội dung được thêm hoặc sửa ngoài chữ ký (trang, chữ, hình ảnh hoặc đối tượng khác)"
    if result.modification_level not in ALLOWED_LATER_CHANGES:
        return f"có thay đổi ngoài chữ ký (mức {result.modification_level.name})"
    try:
        return misplaced_signatures(pdf, issued)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        return f"không đọc được vị trí các ô chữ ký ({error})"


def _document_security_store(reader):
    """The file's DSS (certificates, OCSP answers, CRLs kept for later validation), or None."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:                       # no DSS, or one too damaged to use: no long-term data
        return None
    return dss if (dss.ocsps or dss.crls) else None


def _offline_context(trust_roots, dss, **options) -> ValidationContext:
    """A validation context that fetches nothing: the trusted CAs, and what the file's DSS keeps."""
    settings = {"trust_roots": list(trust_roots), "allow_fetching": False, **options}
    return dss.as_validation_context(settings) if dss else ValidationContext(**settings)


def _timestamp_checks(stamps, trust_roots, dss) -> list[TimestampCheck]:
    out = []
    for stamp in stamps:
        try:
            status = validate_pdf_timestamp(stamp, _offline_context(trust_roots, dss), skip_diff=True)
        except Exception:                   # a timestamp too damaged to parse is a broken one
            out.append(TimestampCheck(stamp.field_name, "không đọc được", None, False, False, stamp.signed_revision))
            continue
        out.append(TimestampCheck(stamp.field_name, certificate_name(status.signing_cert), status.timestamp,
                                  bool(status.intact and status.valid), bool(status.trusted and status.valid),
                                  stamp.signed_revision))
    return out


def _level(signature, status, dss, stamp_checks, trust_roots) -> tuple[str, str]:
    """(PAdES level, a note) the file proves for ``signature``: B-T needs its signature timestamp intact;
    B-LT the DSS to validate the chain at that time with nothing fetched and revocation answers for
    every certificate that names a source; B-LTA a later document timestamp, intact, over it all."""
    stamped = status.timestamp_validity
    if stamped is None:
        return "B-B", ("tệp có dữ liệu xác thực dài hạn nhưng chữ ký không có dấu thời gian nên chưa đạt B-LT"
                       if dss else "")
    if not (stamped.intact and stamped.valid):
        return "B-B", "dấu thời gian của chữ ký không hợp lệ"
    if dss is None:
        return "B-T", ""
    archived = any(check.intact and (check.trusted or not trust_roots) for check in stamp_checks
                   if check.revision > signature.signed_revision)
    level = "B-LTA" if archived else "B-LT"
    if not trust_roots:
        return level, "chưa xác nhận được dữ liệu xác thực vì chưa cấu hình CA tin cậy"
    context = _offline_context(trust_roots, dss, revocation_mode="require", moment=stamped.timestamp)
    try:
        offline = validate_pdf_signature(signature, context, skip_diff=True)
    except Exception:                       # noqa: BLE001 — any failure means the data does not suffice
        offline = None
    if offline is None or not (offline.trusted and offline.valid and offline.intact):
        return "B-T", "dữ liệu xác thực trong tệp chưa đủ để kiểm tra lâu dài (thiếu chứng thư hoặc OCSP/CRL của chuỗi)"
    return level, ""


def verify_pdf(pdf: bytes, trust_roots: list[asn1_x509.Certificate] = (), issued: bytes | None = None,
               moment: dt.datetime | None = None) -> VerificationReport:
    reader = _reader(pdf)
    try:
        embedded = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        raise UnreadablePdf(f"tệp PDF hỏng, không đọc được ({error})") from None
    report = VerificationReport()
    if issued is not None:
        report.content_changes = changes_since(pdf, issued)
    dss = _document_security_store(reader)
    report.timestamps = _timestamp_checks(stamps, trust_roots, dss)
    for signature in embedded:
        context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, moment=moment)
        try:
            status = validate_pdf_signature(signature, context, skip_diff=False)
        except Exception as error:       # a signature too damaged to parse is a broken signature
            report.signatures.append(SignatureCheck(signature.field_name, "không đọc được", None, False, False, True,
                                                    f"chữ ký hỏng: {error}"))
            continue
        level = status.modification_level
        modified = (level is not None and level not in ALLOWED_LATER_CHANGES) or status.docmdp_ok is False
        signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
        trusted = bool(status.trusted and status.valid and status.intact)
        problem = ""
        if not trust_roots:
            problem = "chưa cấu hình CA tin cậy (CCHC_TRUST_BUNDLE): không xác nhận được người ký"
        elif status.intact and not trusted:
            problem = "không xây dựng được chuỗi tin cậy tới CA đã cấu hình, hoặc chứng thư số hết hạn, bị thu hồi"
        pades, note = _level(signature, status, dss, report.timestamps, trust_roots)
        report.signatures.append(SignatureCheck(
            field=signature.field_name, signer=certificate_name(status.signing_cert), signed_at=signed_at,
            intact=bool(status.intact and status.valid), trusted=trusted,
            modified_after=modified, problem=problem,
            fingerprint=hashlib.sha256(status.signing_cert.dump()).hexdigest(), level=pades, level_note=note))
    return report
