"""Checking the signatures of a PDF, reported in Vietnamese: who signed, when, whether the signed
bytes are intact, whether the certificate chains to a trusted CA, and whether the file was changed
after signing beyond what signing allows (adding the next signature is allowed). A tampered file
is a result, not an error."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .appearance import signing_time_text
from .signers import certificate_name

ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


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

    @property
    def ok(self) -> bool:
        return self.intact and not self.modified_after


@dataclass
class VerificationReport:
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        """0: every signature intact and nothing changed after; 1: a broken or modified one;
        2: no signature at all."""
        if not self.signatures:
            return 2
        return 0 if all(s.ok for s in self.signatures) else 1

    def lines(self) -> list[str]:
        if not self.signatures:
            return ["Tệp không có chữ ký số nào."]
        out = []
        for number, s in enumerate(self.signatures, start=1):
            when = signing_time_text(s.signed_at) if s.signed_at else "không rõ thời điểm"
            out.append(f"Chữ ký {number} (ô '{s.field}'): {s.signer}, ký lúc {when}")
            out.append("  - Toàn vẹn: " + ("có, nội dung đã ký không bị thay đổi" if s.intact else
                                           "KHÔNG: nội dung đã ký bị thay đổi hoặc chữ ký hỏng"))
            out.append("  - Tin cậy: " + ("có, chứng thư số thuộc tổ chức cung cấp dịch vụ tin cậy" if s.trusted else
                                          "chưa xác định: chứng thư số không thuộc danh sách CA tin cậy đã cấu hình"))
            out.append("  - Sửa đổi sau khi ký: " + ("CÓ, tệp bị sửa ngoài việc ký tiếp" if s.modified_after else "không"))
            if s.problem:
                out.append(f"  - Ghi chú: {s.problem}")
        verdict = {0: "Kết luận: mọi chữ ký hợp lệ, văn bản không bị sửa sau khi ký.",
                   1: "Kết luận: có chữ ký không hợp lệ hoặc văn bản bị sửa sau khi ký."}[self.exit_status]
        return out + [verdict]


def load_trust_roots(pem_or_der: bytes) -> list[asn1_x509.Certificate]:
    """CA certificates from a PEM bundle (or one DER certificate)."""
    if pem.detect(pem_or_der):
        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(pem_or_der, multiple=True)]
    return [asn1_x509.Certificate.load(pem_or_der)]


def verify_pdf(pdf: bytes, trust_roots: list[asn1_x509.Certificate] = ()) -> VerificationReport:
    if not pdf.startswith(b"%PDF-"):
        raise UnreadablePdf("tệp không phải PDF")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        raise UnreadablePdf(f"tệp PDF hỏng, không đọc được ({error})") from None
    report = VerificationReport()
    for signature in embedded:
        context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context, skip_diff=False)
        except Exception as error:       # a signature too damaged to parse is a broken signature
            report.signatures.append(SignatureCheck(signature.field_name, "không đọc được", None, False, False, True,
                                                    f"chữ ký hỏng: {error}"))
            continue
        level = status.modification_level
        modified = (level is not None and level not in ALLOWED_LATER_CHANGES) or status.docmdp_ok is False
        signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
        report.signatures.append(SignatureCheck(
            field=signature.field_name, signer=certificate_name(status.signing_cert), signed_at=signed_at,
            intact=bool(status.intact and status.valid), trusted=bool(status.trusted), modified_after=modified,
            problem="" if status.trusted or not trust_roots or not status.intact
            else "không xây dựng được chuỗi tin cậy tới CA đã cấu hình"))
    return report
