"""Issuing a document: number and date filled in, the version frozen, in one transaction.

Documents the province's People's Committee issues (plan, decisions) are numbered by its office in
the provincial e-office system: the văn thư records that number and date. Documents an agency issues
itself take the next number of its own register (the council's documents: the council register).
The number and date are written into the campaign data, the document is rendered from it, and the
DOCX and PDF are stored with their SHA-256 — or nothing happens at all.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import parse_campaign
from service.documents import KINDS, compose
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf
from service.vietnamese import document_symbol, format_number_line

from .campaigns import store_campaign
from .models import AuditEntry, CampaignRecord, DocumentVersion
from .register import record_external_number, take_number

#: Kinds the register issues, with the type their symbol carries (from the kind registry).
TYPES = {kind.key: kind.document_type for kind in KINDS.values() if kind.document_type}


@dataclass(frozen=True)
class IssuedDocument:
    version_id: int
    number_line: str
    issued_on: dt.date
    docx_sha256: str
    pdf_sha256: str


def _header(data: dict, kind: str, unit: str | None) -> dict:
    if kind == "ke-hoach":
        return data["plan"]["header"]
    if kind == "bien-ban":
        if not data.get("meeting"):
            raise ValueError("chiến dịch chưa có dữ liệu cuộc họp ('meeting')")
        return data["meeting"]["header"]
    if kind == "bao-cao-tu-danh-gia":
        report = next((a.get("report") for a in data.get("assessments", []) if a["unit"] == unit), None)
        if report is None:
            raise ValueError(f"đơn vị {unit!r} chưa có báo cáo tự đánh giá")
        return report
    if kind not in data.get("documents", {}):
        raise ValueError(f"chiến dịch chưa có dữ liệu văn bản '{kind}'")
    return data["documents"][kind]["header"]


def issue_document(engine: Engine, campaign_id: str, kind: str, unit: str | None, actor: str, *,
                   external_number: int | None = None, external_date: dt.date | None = None,
                   now: dt.datetime | None = None, organisation: str | None = None) -> IssuedDocument:
    if kind not in TYPES:
        raise ValueError(f"loại văn bản '{kind}' chưa cấp số được trong hệ thống")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        record = session.execute(select(CampaignRecord).where(CampaignRecord.id == campaign_id)
                                 .with_for_update()).scalar_one_or_none()
        if record is None or (organisation is not None and record.organisation_id != organisation):
            raise ValueError(f"không có chiến dịch {campaign_id!r}")
        organisation = record.organisation_id
        if session.scalar(select(DocumentVersion.id).where(DocumentVersion.campaign_id == campaign_id,
                                                           DocumentVersion.kind == kind,
                                                           DocumentVersion.unit_key == (unit or ""))) is not None:
            raise ValueError("văn bản này đã được ban hành; không cấp số lần thứ hai")
        data = json.loads(record.data)
        header = _header(data, kind, unit)
        if header.get("number") is not None:
            raise ValueError(f"văn bản đã có số {header['number']}; không cấp số lần thứ hai")
        agencies = {a["id"]: a for a in data["agencies"]}
        issuer = agencies[header["issuer"]]
        symbol = document_symbol(TYPES[kind], issuer["abbreviation"], *header.get("symbol_units", []))
        # UBND tỉnh's own documents are numbered in the provincial e-office; the council's minutes are
        # not: an advisory body keeps its own sequence (ND30 PL I II.3.a), here the council register.
        numbered_outside = kind != "bien-ban" and header["issuer"] == data["plan"]["header"]["issuer"]
        entry_id = None
        if numbered_outside:
            if external_number is None or external_date is None:
                raise ValueError("văn bản do Ủy ban nhân dân tỉnh ban hành: nhập số và ngày do Văn phòng cấp trên "
                                 "hệ thống quản lý văn bản")
            if external_number < 1:
                raise ValueError("số văn bản phải từ 1 trở lên")
            number, day = external_number, external_date
            entry_id = record_external_number(
                session, organisation=organisation, agency=header["issuer"], type_abbreviation=symbol.split("-")[0],
                number=number, day=day, symbol=symbol, kind=kind, issued_by=actor, campaign_id=campaign_id,
                unit_id=unit).id
        else:
            if external_number is not None:
                raise ValueError("văn bản của cơ quan lấy số tự động từ sổ đăng ký, không nhập số")
            register = "hoi-dong" if kind == "bien-ban" else "chung"
            issued = take_number(session, agency=header["issuer"], register=register, symbol=symbol, kind=kind,
                                 issued_by=actor, campaign_id=campaign_id, unit_id=unit, now=now,
                                 organisation=organisation)
            number, day, entry_id = issued.number, issued.issued_on, issued.id
        header["number"] = number
        header["date"] = {"year": day.year, "month": day.month, "day": day.day}
        campaign = parse_campaign(data, f"campaign/{campaign_id}")      # InvalidCampaign rolls everything back
        store_campaign(session, campaign, actor)
        document = compose(campaign, kind, unit)
        docx, pdf = render_docx(document), render_pdf(document)
        version = DocumentVersion(campaign_id=campaign_id, kind=kind, unit_key=unit or "",
                                  number_line=format_number_line(number, symbol), issued_on=day,
                                  register_entry_id=entry_id, docx=docx, pdf=pdf,
                                  docx_sha256=hashlib.sha256(docx).hexdigest(), pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                                  issued_by=actor)
        session.add(version)
        session.flush()
        session.add(AuditEntry(actor=actor, action="ban-hanh", target=f"campaign/{campaign_id}/{kind}/{unit or ''}",
                               new_value=json.dumps({"so": version.number_line, "ngay": day.isoformat(),
                                                     "pdf_sha256": version.pdf_sha256}, ensure_ascii=False)))
        return IssuedDocument(version.id, version.number_line, day, version.docx_sha256, version.pdf_sha256)


def issued_versions(engine: Engine, campaign_id: str) -> list[DocumentVersion]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(DocumentVersion).where(DocumentVersion.campaign_id == campaign_id)
                                    .order_by(DocumentVersion.id)))


def issued_version(engine: Engine, version_id: int) -> DocumentVersion | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(DocumentVersion, version_id)


__all__ = ["issue_document", "issued_versions", "issued_version", "IssuedDocument"]
