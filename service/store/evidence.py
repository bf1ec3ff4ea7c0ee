"""Evidence files units upload with their self-assessment and explanation: type checked by parsing the
content (not by the name the browser sends), active content refused, size limited per file and per
unit, stored once per unit under their SHA-256 — in the same transaction as the edit that cites them,
so a refused edit stores nothing."""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from service.safe_files import inspect_image, inspect_office, inspect_pdf

from .db import reader
from .models import AuditEntry, EvidenceFile

MAX_EVIDENCE = 10 * 1024 * 1024
#: What a tài liệu kiểm chứng may be: scanned signed documents, Office files, photos.
TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def unit_quota() -> int:
    """Bytes of evidence one unit may keep in one campaign (CCHC_EVIDENCE_QUOTA_MB, default 300)."""
    return int(os.environ.get("CCHC_EVIDENCE_QUOTA_MB", 300)) * 1024 * 1024


def safe_name(filename: str) -> str:
    """The base name only, without control characters (a NUL would not even reach PostgreSQL)."""
    base = PurePath((filename or "").replace("\\", "/")).name
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C")).strip()
    return base[:255] or "tai-lieu"


def sniff(filename: str, data: bytes) -> str:
    """The MIME type of an allowed, safe file whose content is what its extension says; ValueError
    (Vietnamese, naming the file) otherwise."""
    name = safe_name(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in TYPES:
        raise ValueError(f"tệp {name!r}: chỉ nhận PDF, DOCX, XLSX, PNG, JPG")
    if not data:
        raise ValueError(f"tệp {name!r} rỗng")
    if len(data) > MAX_EVIDENCE:
        raise ValueError(f"tệp {name!r} lớn hơn {MAX_EVIDENCE // 2**20} MB (giới hạn cho mỗi tệp); "
                         "hãy quét lại với độ phân giải thấp hơn hoặc tách tệp")
    if suffix == ".pdf":
        inspect_pdf(data, name)
    elif suffix == ".png":
        inspect_image(data, name, "PNG")
    elif suffix in (".jpg", ".jpeg"):
        inspect_image(data, name, "JPEG")
    else:
        inspect_office(data, name, "word/document.xml" if suffix == ".docx" else "xl/workbook.xml")
    return TYPES[suffix]


@dataclass(frozen=True)
class Upload:
    """A checked file waiting for the edit that cites it."""
    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def checked_upload(filename: str, data: bytes) -> Upload:
    return Upload(safe_name(filename), sniff(filename, data), data)


def unit_files(session: Session, campaign_id: str, unit_id: str) -> dict[str, int]:
    """sha256 → size of the files a unit keeps in a campaign."""
    rows = session.execute(select(EvidenceFile.sha256, EvidenceFile.size)
                           .where(EvidenceFile.campaign_id == campaign_id, EvidenceFile.unit_id == unit_id)).all()
    return dict(rows)


def store_uploads(session: Session, organisation: str | None, campaign_id: str, unit_id: str,
                  uploads: list[Upload], cited: set[str], actor: str) -> list[str]:
    """Inside the edit's transaction: keep the uploads the edit cites (others are dropped), within
    the unit's quota; ValueError when the quota would be exceeded. Returns the digests stored.

    The unit's part is locked first (the campaign's row when the unit has no part yet), so parallel
    uploads — the API's are outside any edit — read the space used one after another and cannot
    together pass the quota (review S14). SQLite's write transactions are serial already."""
    _lock_quota(session, campaign_id, unit_id)
    existing = unit_files(session, campaign_id, unit_id)
    new = {u.sha256: u for u in uploads if u.sha256 in cited and u.sha256 not in existing}
    used = sum(existing.values())
    added = sum(len(u.data) for u in new.values())
    if used + added > unit_quota():
        raise ValueError(f"kho tài liệu kiểm chứng của đơn vị sẽ vượt {unit_quota() // 2**20} MB "
                         f"(đang dùng {used / 2**20:.1f} MB, thêm {added / 2**20:.1f} MB); liên hệ Sở Nội vụ")
    for digest, upload in new.items():
        session.add(EvidenceFile(campaign_id=campaign_id, unit_id=unit_id, sha256=digest, filename=upload.filename,
                                 content_type=upload.content_type, size=len(upload.data), data=upload.data,
                                 uploaded_by=actor))
        session.add(AuditEntry(organisation_id=organisation, actor=actor, action="tai-len-tai-lieu",
                               target=f"{campaign_id}/{unit_id}/tep",
                               new_value=json.dumps({"sha256": digest, "ten": upload.filename}, ensure_ascii=False)))
    return list(new)


def _lock_quota(session: Session, campaign_id: str, unit_id: str) -> None:
    from .models import CampaignRecord, UnitPart
    part = session.scalar(select(UnitPart.unit_id).where(UnitPart.campaign_id == campaign_id, UnitPart.unit_id == unit_id)
                          .with_for_update())
    if part is None:
        session.scalar(select(CampaignRecord.id).where(CampaignRecord.id == campaign_id).with_for_update())


def store_evidence_file(engine: Engine, campaign_id: str, unit_id: str, filename: str, data: bytes, actor: str,
                        organisation: str | None = None) -> str:
    """Store one checked file outside an edit (imports, tests); returns its SHA-256."""
    upload = checked_upload(filename, data)
    with Session(engine) as session, session.begin():
        store_uploads(session, organisation, campaign_id, unit_id, [upload], {upload.sha256}, actor)
    return upload.sha256


def evidence_file(engine: Engine, campaign_id: str, unit_id: str, digest: str) -> EvidenceFile | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.scalar(select(EvidenceFile).where(EvidenceFile.campaign_id == campaign_id,
                                                         EvidenceFile.unit_id == unit_id, EvidenceFile.sha256 == digest))


def evidence_names(engine: Engine, campaign_id: str, unit_id: str) -> dict[str, str]:
    """sha256 → file name of a unit's uploads (for the form's links)."""
    with reader(engine) as session:
        rows = session.execute(select(EvidenceFile.sha256, EvidenceFile.filename)
                               .where(EvidenceFile.campaign_id == campaign_id, EvidenceFile.unit_id == unit_id)).all()
    return dict(rows)


def evidence_usage(engine: Engine, campaign_id: str, unit_id: str) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.coalesce(func.sum(EvidenceFile.size), 0))
                              .where(EvidenceFile.campaign_id == campaign_id, EvidenceFile.unit_id == unit_id))
