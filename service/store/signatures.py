"""Signatures on issued documents. A signed PDF — signed here with a .p12, or elsewhere and uploaded,
by anyone — becomes the document's final version only when pyHanko's validation says:

- it is the issued (or last accepted) file plus incremental updates that add nothing but signatures
  and their appearances (difference analysis from the issued revision: a page rewritten before or
  after a signature is refused);
- every signature is intact and its certificate chains to the configured trust roots and is valid;
- every new signature comes from a certificate registered for the identity the document names in
  that place: the person of the signature block, the council's secretary on the minutes' left, the
  issuing agency for the seal; in our fields, or — a file from the provincial e-office — in fields
  its software made, matched by the certificate;
- the person who sends it may add it: a leader or secretary only their own signature, the văn thư
  the seal (and, uploading an e-office file, the registered signatures it carries), a unit only on
  its own reports; the seal only after the signatures of the block.

The document's lifecycle moves to đã ký / đã đóng dấu số; nothing changes when anything is refused.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.domain.lifecycle import OFFICIAL, state_after_signature, steps_of
from service.signing.layout import LEADER_FIELD, LEFT_FIELD, SEAL_FIELD
from service.signing.sign import signed_fields
from service.signing.signers import SigningError
from service.signing.verify import UnreadablePdf, VerificationReport, changes_since, verify_pdf

from .lifecycle import record_event
from .models import AuditEntry, DocumentRecord, DocumentVersion
from .signers import AGENCY, PERSON, Holder, holders

ROLE_NAMES = {"leader": "người ký", "vanthu": "cơ quan (văn thư)", "secretariat": "thư ký", "unit": "đơn vị"}
SIGNING_ROLES = set(ROLE_NAMES)


def final_pdf(version: DocumentVersion) -> bytes | None:
    """The document's current final version: the last signed PDF, else the issued one (None while the
    queue has not typeset it: ``issuing.issued_version`` typesets it for a reader)."""
    return version.signed_pdf or version.pdf


def people_named(signers: dict[str, dict], *, unsigned: bool = False) -> list[str]:
    """The people a signature block names (its personal places, not the seal), in signing order;
    ``unsigned``: only those whose signature is still missing."""
    return [who["ten"] for who in signers.values() if who.get("loai") == PERSON and not (unsigned and who.get("da_ky"))]


def expected(version: DocumentVersion) -> dict[str, dict]:
    return json.loads(version.signers or "{}")


def _slot_of(holder: Holder, wanted: dict[str, dict]) -> str | None:
    """The place of the signature block this certificate's holder fills (None: nobody it names)."""
    for slot, who in wanted.items():
        if who["loai"] == PERSON and holder.kind == PERSON and holder.key == who["ten"]:
            return slot
        if who["loai"] == AGENCY and holder.kind == AGENCY and holder.key == who["co_quan"]:
            return slot
    return None


def accept_signed_pdf(engine: Engine, version_id: int, signed: bytes, user, trust_roots=(),
                      moment: dt.datetime | None = None) -> VerificationReport:
    """Store ``signed`` as the final version after every check of the module's docstring; SigningError
    (Vietnamese) otherwise, and nothing changes."""
    role = user.role
    if role not in SIGNING_ROLES:
        raise SigningError("vai trò này không ký văn bản")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        version = session.get(DocumentVersion, version_id, with_for_update=True)
        if version is None:
            raise SigningError("văn bản chưa được ban hành (chưa có số, ngày): không ký dự thảo")
        record = session.get(DocumentRecord, version.document_id, with_for_update=True) if version.document_id else None
        if record is None or record.current_version_id != version.id or record.state not in OFFICIAL or version.status != "hieu-luc":
            raise SigningError("bản này không còn hiệu lực (số đã hủy, văn bản bị thu hồi hoặc đã có bản thay thế): "
                               "không ký được")
        steps = steps_of(version.kind)
        if role == "unit" and not steps.unit_document:
            raise SigningError("đơn vị chỉ ký văn bản của chính đơn vị")
        base = final_pdf(version)
        if base is None:
            raise SigningError("bản PDF ban hành đang được tạo: tải bản PDF từ hệ thống về rồi ký")
        if not signed.startswith(base):
            raise SigningError("tệp tải lên không phải bản đã ban hành của văn bản này (nội dung khác bản "
                               f"{version.number_line} đã lưu); hãy ký đúng tệp tải về từ hệ thống")
        try:
            report = verify_pdf(signed, trust_roots, moment=moment)
        except UnreadablePdf as error:
            raise SigningError(f"tệp tải lên: {error}") from None
        report.content_changes = changes_since(signed, version.pdf)
        if report.content_changes:
            raise SigningError(f"tệp có thay đổi so với bản đã ban hành: {report.content_changes}; không nhận")
        before = len(signed_fields(base)) if version.signed_pdf else 0
        added = report.signatures[before:]
        if not added:
            raise SigningError("tệp tải lên không có chữ ký mới")
        broken = [s for s in report.signatures if not s.ok]
        if broken:
            raise SigningError(f"chữ ký của {broken[0].signer} không toàn vẹn hoặc tệp bị sửa sau khi ký")
        untrusted = [s for s in added if not s.trusted]
        if untrusted:
            raise SigningError(f"chứng thư số của {untrusted[0].signer} không được tin cậy: "
                               f"{untrusted[0].problem or 'không thuộc CA tin cậy, hết hạn hoặc bị thu hồi'}")
        wanted = expected(version)
        registered = holders(session, record.organisation_id)
        filled = {slot for slot, who in wanted.items() if who.get("da_ky")}
        newly: dict[str, str] = {}
        for signature in added:
            holder = registered.get(signature.fingerprint)
            if holder is None:
                raise SigningError(f"chứng thư số của {signature.signer} chưa được đăng ký cho người ký hoặc cơ quan "
                                   "nào của tỉnh (Sở Nội vụ đăng ký ở trang Chữ ký số)")
            slot = _slot_of(holder, wanted)
            if slot is None:
                raise SigningError(f"{holder.name} không phải người ký, cơ quan ban hành có tên trên văn bản này "
                                   f"(văn bản ghi: {', '.join(w['ten'] for w in wanted.values())})")
            if signature.field in (LEADER_FIELD, LEFT_FIELD, SEAL_FIELD) and signature.field != slot:
                raise SigningError(f"chữ ký của {holder.name} nằm ở ô '{signature.field}' không phải ô của mình")
            if slot in filled or slot in newly:
                raise SigningError(f"văn bản đã có chữ ký của {wanted[slot]['ten']}; không ký lần thứ hai")
            _check_sender(user, role, holder, slot, steps.unit_document)
            newly[slot] = holder.name
        signed_slots = set(filled) | set(newly)
        if SEAL_FIELD in newly and not all(f in signed_slots for f in steps.signatures):
            raise SigningError("người có thẩm quyền chưa ký; cơ quan ký số sau chữ ký của người ký văn bản")
        for slot, name in newly.items():
            wanted[slot]["da_ky"] = name
        version.signers = json.dumps(wanted, ensure_ascii=False)
        old = version.signed_sha256
        version.signed_pdf = signed
        version.signed_sha256 = hashlib.sha256(signed).hexdigest()
        version.signed_by = ", ".join(filter(None, [version.signed_by, *newly.values()]))
        version.signed_at = dt.datetime.now(dt.timezone.utc)
        new_state = state_after_signature(steps, signed_slots, SEAL_FIELD in signed_slots)
        action = "dong-dau" if SEAL_FIELD in newly else "ky"
        if new_state != record.state:
            record_event(session, record, user.username, action, new_state, "; ".join(newly.values()), version.id)
        session.add(AuditEntry(organisation_id=record.organisation_id or None, actor=user.username, action="ky-so",
                               target=f"campaign/{version.campaign_id}/{version.kind}/{version.unit_key}",
                               old_value=json.dumps({"sha256": old}),
                               new_value=json.dumps({"sha256": version.signed_sha256, "o_ky": sorted(newly),
                                                     "nguoi_ky": list(newly.values())}, ensure_ascii=False)))
    return report


def _check_sender(user, role: str, holder: Holder, slot: str, unit_document: bool) -> None:
    """Who may add which signature: one's own signature (leader, secretary), the seal (văn thư), any
    registered signature of the block in a file signed in the e-office (văn thư), a unit's own report."""
    if role == "vanthu":
        return
    if role == "unit":
        if not unit_document:
            raise SigningError("đơn vị chỉ ký văn bản của chính đơn vị")
        return
    if slot == SEAL_FIELD:
        raise SigningError("chữ ký số của cơ quan (dấu) do văn thư thêm, không do người ký tải lên")
    if holder.user_id != user.id:
        raise SigningError(f"tài khoản của bạn không ký thay {holder.name}: mỗi người ký bằng tài khoản và chứng thư "
                           "số của chính mình")
    if role == "secretariat" and slot != LEFT_FIELD:
        raise SigningError("thư ký chỉ ký ô của thư ký trên biên bản")
