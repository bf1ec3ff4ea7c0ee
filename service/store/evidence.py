"""Evidence files units upload with their self-assessment: type checked by content (not by the name
the browser sends), size limited, stored once per unit under their SHA-256."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import PurePath

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .models import AuditEntry, EvidenceFile

MAX_EVIDENCE = 10 * 1024 * 1024
#: What a tài liệu kiểm chứng may be: scanned signed documents, Office files, photos.
TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".png": "image/png",
         ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def sniff(filename: str, data: bytes) -> str:
    """The MIME type of an allowed file whose content matches its extension; ValueError otherwise."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in TYPES:
        raise ValueError(f"tệp {filename!r}: chỉ nhận PDF, DOCX, XLSX, PNG, JPG")
    if not data:
        raise ValueError(f"tệp {filename!r} rỗng")
    if len(data) > MAX_EVIDENCE:
        raise ValueError(f"tệp {filename!r} lớn hơn {MAX_EVIDENCE // (1024 * 1024)} MB")
    ok = {".pdf": data.startswith(b"%PDF-"), ".png": data.startswith(b"\x89PNG\r\n\x1a\n"),
          ".jpg": data.startswith(b"\xff\xd8\xff"), ".jpeg": data.startswith(b"\xff\xd8\xff")}.get(suffix)
    if ok is None:                                  # Office files: a zip holding the right main part
        main = "word/document.xml" if suffix == ".docx" else "xl/workbook.xml"
        try:
            ok = main in zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            ok = False
    if not ok:
        raise ValueError(f"tệp {filename!r}: nội dung không phải {suffix[1:].upper()} (tệp hỏng hoặc đổi đuôi)")
    return TYPES[suffix]


def store_evidence_file(engine: Engine, campaign_id: str, unit_id: str, filename: str, data: bytes, actor: str) -> str:
    """Store an uploaded file (or find the same one already stored); returns its SHA-256."""
    content_type = sniff(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    name = PurePath(filename.replace("\\", "/")).name[:255] or "tai-lieu"
    with Session(engine) as session, session.begin():
        exists = session.scalar(select(EvidenceFile.id).where(EvidenceFile.campaign_id == campaign_id,
                                                              EvidenceFile.unit_id == unit_id, EvidenceFile.sha256 == digest))
        if exists is None:
            session.add(EvidenceFile(campaign_id=campaign_id, unit_id=unit_id, sha256=digest, filename=name,
                                     content_type=content_type, size=len(data), data=data, uploaded_by=actor))
            session.add(AuditEntry(actor=actor, action="tai-len-tai-lieu", target=f"{campaign_id}/{unit_id}/tep",
                                   old_value=None, new_value=json.dumps({"sha256": digest, "ten": name}, ensure_ascii=False)))
    return digest


def evidence_file(engine: Engine, campaign_id: str, unit_id: str, digest: str) -> EvidenceFile | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.scalar(select(EvidenceFile).where(EvidenceFile.campaign_id == campaign_id,
                                                         EvidenceFile.unit_id == unit_id, EvidenceFile.sha256 == digest))


def evidence_names(engine: Engine, campaign_id: str, unit_id: str) -> dict[str, str]:
    """sha256 → file name of a unit's uploads (for the form's links)."""
    with Session(engine) as session:
        rows = session.execute(select(EvidenceFile.sha256, EvidenceFile.filename)
                               .where(EvidenceFile.campaign_id == campaign_id, EvidenceFile.unit_id == unit_id)).all()
    return dict(rows)
