"""Signatures on issued documents: the leader signs (here with a signer, or elsewhere and uploads the
file), then the văn thư adds the agency's signature; each signed PDF becomes the document's final
version with its SHA-256 and an audit entry. A PDF is accepted only if it is the issued (or last
signed) file plus signatures — the same bytes first, every signature intact, nothing else changed.
A file signed in the provincial e-office may carry the leader's and the agency's signatures at once,
in our fields or in fields its software made; the văn thư uploads it."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.signing.layout import LEADER_FIELD, LEFT_FIELD, SEAL_FIELD
from service.signing.sign import signed_fields
from service.signing.signers import SigningError
from service.signing.verify import UnreadablePdf, VerificationReport, verify_pdf

from .models import AuditEntry, DocumentVersion

#: Which signature each role adds: the leader's own, the văn thư's for the agency (the seal), the
#: council secretary's on the minutes (THƯ KÝ, left of CHỦ TRÌ).
FIELDS = {"leader": LEADER_FIELD, "vanthu": SEAL_FIELD, "secretariat": LEFT_FIELD}
ROLE_NAMES = {"leader": "người ký", "vanthu": "cơ quan (văn thư)", "secretariat": "thư ký"}


def final_pdf(version: DocumentVersion) -> bytes:
    """The document's current final version: the last signed PDF, else the issued one."""
    return version.signed_pdf or version.pdf


def accept_signed_pdf(engine: Engine, version_id: int, signed: bytes, actor: str, role: str,
                      trust_roots=()) -> VerificationReport:
    """Store ``signed`` as the final version after checking it; SigningError (Vietnamese) otherwise,
    and nothing changes."""
    if role not in FIELDS:
        raise SigningError("vai trò này không ký văn bản")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        version = session.get(DocumentVersion, version_id, with_for_update=True)
        if version is None:
            raise SigningError("văn bản chưa được ban hành (chưa có số, ngày): không ký dự thảo")
        base = final_pdf(version)
        before = signed_fields(base) if version.signed_pdf else []
        try:
            report = verify_pdf(signed, trust_roots)
        except UnreadablePdf as error:
            raise SigningError(f"tệp tải lên: {error}") from None
        field = FIELDS[role]
        if field in before:
            raise SigningError(f"văn bản đã có chữ ký của {ROLE_NAMES[role]}; không ký lần thứ hai")
        if not signed.startswith(base):
            raise SigningError("tệp tải lên không phải bản đã ban hành của văn bản này (nội dung khác bản "
                               f"{version.number_line} đã lưu); hãy ký đúng tệp tải về từ hệ thống")
        added = [s.field for s in report.signatures][len(before):]
        if not added:
            raise SigningError("tệp tải lên không có chữ ký mới")
        if role == "secretariat" and added != [LEFT_FIELD]:
            raise SigningError("thư ký chỉ ký ô của thư ký trên biên bản")
        if role == "leader" and (SEAL_FIELD in added or LEFT_FIELD in added):
            raise SigningError("chữ ký số của cơ quan (dấu) do văn thư thêm, không do người ký tải lên")
        if role == "vanthu" and LEADER_FIELD in added and SEAL_FIELD not in added:
            raise SigningError("văn thư thêm chữ ký số của cơ quan; chữ ký của người ký do lãnh đạo thực hiện")
        if SEAL_FIELD in added and LEADER_FIELD not in before + added[:added.index(SEAL_FIELD)]:
            raise SigningError("người có thẩm quyền chưa ký; cơ quan ký số sau chữ ký của người ký văn bản")
        if report.exit_status != 0:
            raise SigningError("chữ ký trong tệp không hợp lệ hoặc tệp bị sửa sau khi ký: " + "; ".join(report.lines()[-1:]))
        old = version.signed_sha256
        version.signed_pdf = signed
        version.signed_sha256 = hashlib.sha256(signed).hexdigest()
        version.signed_by = ", ".join(filter(None, [version.signed_by, actor]))
        version.signed_at = dt.datetime.now(dt.timezone.utc)
        session.add(AuditEntry(actor=actor, action="ky-so", target=f"campaign/{version.campaign_id}/{version.kind}/{version.unit_key}",
                               old_value=json.dumps({"sha256": old}),
                               new_value=json.dumps({"sha256": version.signed_sha256, "o_ky": added,
                                                     "nguoi_ky": report.signatures[-1].signer}, ensure_ascii=False)))
    return report
