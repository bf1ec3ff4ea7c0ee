"""Issuing a document: number and date filled in, the version frozen, in one transaction.

Documents the province's People's Committee issues (plan, decisions) are numbered by its office in
the provincial e-office system: the văn thư records that number and date (each recorded once per
province, issuer, type and year). Documents an agency issues itself take the next number of its own
register (the council's documents: the council register). Only an approved document is issued, and
only when its readiness checks pass. The number and date are written into the campaign data, the
document is rendered from it, and the DOCX, PDF and HTML are stored with their SHA-256 and the text
they say — or nothing happens at all. A unit's own reports are issued by the unit when it submits
them (``freeze``), with the number it gives them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import Campaign
from data_models.registers import highest_number
from service.documents import KINDS, compose, with_relation
from service.documents.kind_templates import PHRASES
from service.domain.lifecycle import APPROVED, DRAFT, ISSUED, OFFICIAL, RETURNED, IllegalTransition, steps_of
from service.conformance.drafting import check_drafting, issue_blockers
from service.domain.calendar import header_of
from service.domain.issuers import UNIT_LETTERS, council_register, draft_letter_header
from service.domain.readiness import numbered_in_data
from service.domain.status import appraising_agencies, explained
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_html, seal_place
from service.signing.layout import LEADER_FIELD, LEFT_FIELD, SEAL_FIELD
from service.vietnamese import document_symbol, document_type, format_number_line

from .campaign_parts import validated_campaign
from .campaigns import locked_campaign_data, store_campaign
from .issued_pdf import pdf_source, typeset
from .lifecycle import StaleRevision, _check_revision, document_link, document_row, header_dict, record_event
from .db import reader
from .models import CampaignRecord, DocumentRecord, DocumentVersion
from .authority import signing_people
from .signatures import people_named
from .notifications import notify, recipients, send_mails
from .register import record_external_number, take_number, vietnam_today
from .templates import in_force, texts

#: Kinds the register issues, with the type their symbol carries (from the kind registry).
TYPES = {kind.key: kind.document_type for kind in KINDS.values() if kind.document_type}


class NotReady(ValueError):
    """The document cannot be issued now; ``blocking`` lists why, in Vietnamese."""

    def __init__(self, blocking: list[str]):
        self.blocking = blocking
        super().__init__("; ".join(blocking))


@dataclass(frozen=True)
class IssuedDocument:
    version_id: int
    number_line: str
    issued_on: dt.date
    docx_sha256: str
    pdf_sha256: str | None            # None: the job queue typesets the PDF after the issue commits


def issued_kinds(session: Session, campaign_id: str) -> set[tuple[str, str]]:
    """(kind, unit or '') of the campaign's documents that are officially issued."""
    rows = session.execute(select(DocumentRecord.kind, DocumentRecord.unit_key)
                           .where(DocumentRecord.campaign_id == campaign_id, DocumentRecord.state.in_(OFFICIAL))).all()
    return {(kind, unit) for kind, unit in rows}


def expected_signers(campaign: Campaign, kind: str, document, issuer: str) -> dict[str, dict]:
    """Which signature each field of the frozen PDF must carry: the person named in the signature
    block, the council's secretary on the minutes' left, the issuing agency's seal."""
    steps = steps_of(kind)
    frame = document.frame
    out: dict[str, dict] = {}
    if LEADER_FIELD in steps.signatures:
        out[LEADER_FIELD] = {"loai": "nguoi-ky", "ten": frame.signer_name, "chuc_vu": " / ".join(frame.signature_lines)}
    if LEFT_FIELD in steps.signatures and frame.left_signer_name:
        out[LEFT_FIELD] = {"loai": "nguoi-ky", "ten": frame.left_signer_name,
                           "chuc_vu": " / ".join(frame.left_signature_lines)}
    if steps.seal:
        agency = campaign.agency(issuer)
        out[SEAL_FIELD] = {"loai": "co-quan", "co_quan": agency.id, "ten": agency.name}
    return out


def register_fields(document) -> dict:
    """What the register records of an issued document (ND30 Phụ lục VI): type and subject, the signer
    and their post, the Nơi nhận (the archive line apart), the drafting unit of 'Lưu: VT, …', copies."""
    frame = document.frame
    lines = [line.strip("-;. ") for line in (*frame.addressees, *frame.recipient_lines)
             if line.strip() and line.strip() != "Kính gửi:"]
    archive = next((line for line in lines if line.startswith("Lưu")), "")
    recipients = [line.removeprefix("Kính gửi:").strip() for line in lines if not line.startswith("Lưu")]
    return {"ten_loai": (frame.type_name or "Công văn").capitalize(),
            "trich_yeu": " ".join(frame.title_lines) or (frame.subject_line or ""),
            "nguoi_ky": frame.signer_name, "chuc_vu": " ".join(frame.signature_lines),
            "chuc_vu_dong": list(frame.signature_lines),
            "noi_nhan": recipients, "don_vi_soan_thao": archive.split(",", 1)[1].strip() if "," in archive else "",
            "so_ban": len([r for r in recipients if r != "Như trên"]) + 1}


def freeze(session: Session, campaign: Campaign, kind: str, unit: str | None, record: DocumentRecord, actor: str,
           *, issuer: str, number_line: str, day: dt.date, entry_id: int | None, comment: str | None = None) -> DocumentVersion:
    """Render the document from ``campaign`` (already carrying its number and date), worded by the
    templates in force, and keep it as the document's current version: DOCX, HTML, the text it says,
    the signers it names, the template version it was worded by, and the print HTML its PDF is
    typeset from once the transaction has committed (``issued_pdf``: the job queue, or the first
    reader)."""
    templates = in_force(session, record.organisation_id, campaign.id)
    wording = texts(templates)
    document = compose(campaign, kind, unit, wording)
    if record.relation and record.relates_to_version_id:
        earlier = session.get(DocumentVersion, record.relates_to_version_id)
        document = with_relation(document, record.relation, earlier.number_line, earlier.issued_on, record.relation_reason,
                                 wording.get(PHRASES))
    docx, html = render_docx(document), render_html(document, stylesheet=True)
    lines = document.text_lines()
    version = DocumentVersion(campaign_id=campaign.id, kind=kind, unit_key=unit or "", number_line=number_line,
                              issued_on=day, register_entry_id=entry_id, docx=docx, pdf=None, pdf_sha256=None,
                              pdf_source=pdf_source(render_html(document), seal_place(document)),
                              docx_sha256=hashlib.sha256(docx).hexdigest(),
                              issued_by=actor, document_id=record.id, status="hieu-luc", html=html,
                              text_lines="\n".join(lines), text_sha256=text_digest(lines),
                              signers=json.dumps(expected_signers(campaign, kind, document, issuer), ensure_ascii=False),
                              template_ref=templates[kind].ref,
                              register_fields=json.dumps(register_fields(document), ensure_ascii=False))
    session.add(version)
    session.flush()
    if record.relation and record.relates_to_version_id:
        replaced = session.get(DocumentVersion, record.relates_to_version_id)
        if replaced is not None and replaced.status == "hieu-luc":
            replaced.status = "bi-thay-the" if record.relation == "thay-the" else "da-dinh-chinh"
    record.current_version_id = version.id
    record_event(session, record, actor, "ban-hanh", ISSUED, comment or f"{number_line}, ngày {day:%d/%m/%Y}", version.id)
    return version


def _issued_before(session: Session, record: DocumentRecord) -> bool:
    """Whether the document replaces an issued version or was issued before under a voided number: its
    date is then the day it is issued again, not the plan's month for its task."""
    return bool(record.relation) or session.scalar(
        select(DocumentVersion.id).where(DocumentVersion.document_id == record.id).limit(1)) is not None


def text_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def issue_document(engine: Engine, campaign_id: str, kind: str, unit: str | None, actor: str, *, role: str = "vanthu",
                   external_number: int | None = None, external_date: dt.date | None = None,
                   late_reason: str | None = None, revision: int | None = None, now: dt.datetime | None = None,
                   organisation: str | None = None) -> IssuedDocument:
    """Issue an approved document (see the module's docstring). NotReady lists what blocks it;
    IllegalTransition, StaleRevision, NumberTaken and ValueError say what else is wrong. Nothing is
    stored unless everything succeeds."""
    if kind not in TYPES:
        raise ValueError(f"loại văn bản '{kind}' chưa cấp số được trong hệ thống")
    steps = steps_of(kind)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = session.execute(select(CampaignRecord).where(CampaignRecord.id == campaign_id)
                              .with_for_update()).scalar_one_or_none()
        if row is None or (organisation is not None and row.organisation_id != organisation):
            raise LookupError(campaign_id)
        organisation = row.organisation_id
        record = document_row(session, campaign_id, kind, unit, organisation)
        _check_revision(record, revision)
        if record.state in OFFICIAL:
            raise IllegalTransition("văn bản này đã được ban hành; không cấp số lần thứ hai")
        if steps.unit_document:
            raise IllegalTransition("báo cáo của đơn vị được ban hành khi đơn vị gửi báo cáo (số, ngày do đơn vị ghi)")
        needed = APPROVED if steps.approval else None
        if needed and record.state != needed:
            raise IllegalTransition("văn bản chưa được lãnh đạo duyệt: trình duyệt trước khi ban hành"
                                    if record.state in (DRAFT, RETURNED) else "văn bản đang chờ lãnh đạo duyệt")
        if role not in steps.issuers:
            raise IllegalTransition("vai trò của bạn không ban hành loại văn bản này")
        data = locked_campaign_data(session, row)
        campaign = validated_campaign(data, f"campaign/{campaign_id}")
        if numbered_in_data(campaign, kind, unit):
            raise IllegalTransition("văn bản đã có số trong dữ liệu (ban hành ngoài hệ thống); không cấp số lần thứ hai")
        header = _draft_header(data, kind, unit, campaign)
        agencies = {a["id"]: a for a in data["agencies"]}
        issuer = agencies[header["issuer"]]
        type_key = TYPES[kind]
        symbol = document_symbol(type_key, issuer["abbreviation"], *header.get("symbol_units", []))
        # UBND tỉnh's own documents are numbered in the provincial e-office; the council's minutes are
        # not: an advisory body keeps its own sequence (ND30 PL I II.3.a), here the council register.
        numbered_outside = kind != "bien-ban" and header["issuer"] == data["plan"]["header"]["issuer"]
        day = (external_date if numbered_outside else vietnam_today(now))
        if numbered_outside and (external_number is None or external_date is None):
            raise ValueError("văn bản do Ủy ban nhân dân tỉnh ban hành: nhập số và ngày do Văn phòng cấp trên "
                             "hệ thống quản lý văn bản")
        if not numbered_outside and external_number is not None:
            raise ValueError("văn bản của cơ quan lấy số tự động từ sổ đăng ký, không nhập số")
        draft = compose(campaign, kind, unit, texts(in_force(session, organisation, campaign_id)))
        blocking = issue_blockers(campaign, kind, unit, issued_kinds(session, campaign_id),
                                  check_drafting(draft, campaign, kind, unit, replacing=_issued_before(session, record)),
                                  today=vietnam_today(now),
                                  issue_date=day, late_reason=late_reason)
        if blocking:
            raise NotReady(blocking)
        if numbered_outside:
            if external_number < 1:
                raise ValueError("số văn bản phải từ 1 trở lên")
            number = external_number
            entry_id = record_external_number(
                session, organisation=organisation, agency=header["issuer"], type_abbreviation=document_type(type_key).abbreviation
                or type_key, number=number, day=day, symbol=symbol, kind=kind, issued_by=actor, campaign_id=campaign_id,
                unit_id=unit).id
        else:
            register = "hoi-dong" if kind == "bien-ban" or council_register(campaign, header["issuer"]) else "chung"
            issued = take_number(session, agency=header["issuer"], register=register, symbol=symbol, kind=kind,
                                 issued_by=actor, campaign_id=campaign_id, unit_id=unit, now=now,
                                 organisation=organisation,
                                 after=highest_number(campaign, header["issuer"], vietnam_today(now).year, kind))
            number, day, entry_id = issued.number, issued.issued_on, issued.id
        header["number"] = number
        header["date"] = {"year": day.year, "month": day.month, "day": day.day}
        campaign = validated_campaign(data, f"campaign/{campaign_id}")      # InvalidCampaign rolls everything back
        store_campaign(session, campaign, actor)
        number_line = format_number_line(number, symbol)
        version = freeze(session, campaign, kind, unit, record, actor, issuer=header["issuer"], number_line=number_line, day=day,
                         entry_id=entry_id, comment=f"{number_line}, ngày {day:%d/%m/%Y}"
                         + (f"; ban hành sau hạn: {late_reason.strip()}" if (late_reason or "").strip() else ""))
        mails = _tell_issued(session, campaign, kind, unit, organisation, number_line, day, json.loads(version.signers))
        issued = IssuedDocument(version.id, version.number_line, day, version.docx_sha256, version.pdf_sha256)
    send_mails(mails)                         # after the commit: a mail server down never undoes the issue
    return issued


def _tell_issued(session: Session, campaign: Campaign, kind: str, unit: str | None, organisation: str,
                 number_line: str, day: dt.date, signers: dict[str, dict]) -> list[tuple[str, str]]:
    """Who hears of an issue: the people its signature block names (it awaits their signature) and,
    for a letter to one unit, that unit's accounts."""
    label = KINDS[kind].label + (f" gửi {campaign.unit(unit).name}" if unit else "")
    text = f"{label} đã ban hành ({number_line.removeprefix('Số: ')}, ngày {day:%d/%m/%Y})"
    link = document_link(campaign.id, kind, unit)
    names = people_named(signers)
    mails = notify(session, signing_people(session, organisation, set(names)),
                   f"{text}: chờ {' và '.join(names)} ký số.", link, campaign.id)
    if unit is not None and kind in UNIT_LETTERS:
        mails += notify(session, recipients(session, organisation, unit_id=unit), f"{text}.", link, campaign.id)
    if kind == "huong-dan":              # the self-assessment opens: every unit hears of it and of its deadline
        due = campaign.reporting.deadline if campaign.reporting else None
        mails += notify(session, recipients(session, organisation, roles=("unit",)),
                        f"{text}: bước tự đánh giá, chấm điểm đã mở"
                        + (f"; hạn gửi Báo cáo tự đánh giá {due:%d/%m/%Y}." if due else "."),
                        f"/chien-dich/{campaign.id}", campaign.id)
    return mails


def _tell_round_opened(session: Session, campaign: Campaign, kind: str, unit: str, organisation: str,
                       number_line: str, day: dt.date) -> list[tuple[str, str]]:
    """A unit's report opens a round for the agencies appraising its criteria: its self-assessment,
    round 1 of all of them; its explanation, round 2 of the criteria it explained."""
    codes = None if kind == "bao-cao-tu-danh-gia" else {s.code for s in explained(campaign.assessment(unit))}
    agencies = appraising_agencies(campaign, unit, codes)
    if not agencies:
        return []
    round_ = "lần 1" if codes is None else "lần 2 các tiêu chí đơn vị giải trình"
    text = (f"{campaign.unit(unit).name} đã gửi {KINDS[kind].label.removesuffix(' của đơn vị').lower()} "
            f"({number_line.removeprefix('Số: ')}, ngày {day:%d/%m/%Y}): mở thẩm định {round_} của cơ quan.")
    return notify(session, recipients(session, organisation, agencies=agencies), text,
                  f"/chien-dich/{campaign.id}/don-vi/{unit}/tham-dinh", campaign.id)


def issue_unit_report(session: Session, campaign: Campaign, kind: str, unit: str, actor: str,
                      organisation: str) -> list[tuple[str, str]]:
    """A unit's own report, issued by the unit as it sends it (inside the edit that records its number
    and date): frozen like any issued document. Returns the mails telling the appraisers their round
    opened, to send once the edit is committed."""
    assessment = campaign.assessment(unit)
    header = assessment.report if kind == "bao-cao-tu-danh-gia" else assessment.explanation_report
    record = document_row(session, campaign.id, kind, unit, organisation)
    if record.state in OFFICIAL:
        raise IllegalTransition("báo cáo này đã được gửi (ban hành); không gửi lần thứ hai")
    agency = campaign.agency(header.issuer)
    symbol = document_symbol(TYPES.get(kind, "bao-cao"), agency.abbreviation, *header.symbol_units)
    day = dt.date(header.date.year, header.date.month, header.date.day)
    number_line = format_number_line(header.number, symbol)
    freeze(session, campaign, kind, unit, record, actor, issuer=header.issuer, number_line=number_line, day=day,
           entry_id=None, comment=f"đơn vị gửi {number_line}, ngày {day:%d/%m/%Y}")
    return _tell_round_opened(session, campaign, kind, unit, organisation, number_line, day)


def withdraw_unit_report(session: Session, campaign_id: str, kind: str, unit: str, actor: str, reason: str,
                         organisation: str | None = None) -> list[tuple[str, str]]:
    """The Sở Nội vụ returns a unit's report: its issued version is withdrawn, the report is a draft
    again, and the unit's accounts are told why; returns the mails to send once committed."""
    record = document_row(session, campaign_id, kind, unit, organisation or "")
    mails = notify(session, recipients(session, organisation or record.organisation_id, unit_id=unit),
                   f"{KINDS[kind].label} của đơn vị đã bị Sở Nội vụ trả lại để sửa: {reason.strip() or 'không ghi lý do'}.",
                   f"/chien-dich/{campaign_id}/don-vi/{unit}/tu-danh-gia", campaign_id)
    if record.current_version_id is None:
        return mails                       # sent before the workspace kept versions: nothing frozen to withdraw
    version = session.get(DocumentVersion, record.current_version_id)
    version.status = "thu-hoi"
    record.current_version_id = None
    record_event(session, record, actor, "tra-lai", DRAFT, reason, version.id)
    return mails


def number_in_data(campaign: Campaign, kind: str, unit: str | None = None) -> str | None:
    """"Số: 125/KH-UBND, ngày 10/03/2026" of a document numbered outside the system (its number already
    in the data: a campaign-level document, or a letter kept in ``unit``'s assessment); None for any other."""
    if kind not in TYPES or not numbered_in_data(campaign, kind, unit):
        return None
    header = header_of(campaign, kind, unit)
    symbol = document_symbol(TYPES[kind], campaign.agency(header.issuer).abbreviation, *header.symbol_units)
    day = header.date
    when = f", ngày {day.day:02d}/{day.month:02d}/{day.year}" if day.day and day.month else ""
    return format_number_line(header.number, symbol) + when


def _draft_header(data: dict, kind: str, unit: str | None, campaign: Campaign) -> dict:
    """The header the number goes into; a letter to one unit is made from the letter's settings
    (issued by the council when the unit is the letter's own issuer) and kept in the unit's assessment."""
    if kind in UNIT_LETTERS:
        settings = campaign.documents.get(kind)
        assessment = next((a for a in data.get("assessments", []) if a["unit"] == unit), None)
        if settings is None or assessment is None:
            raise ValueError(f"chiến dịch chưa có dữ liệu văn bản '{kind}' cho đơn vị này")
        header = draft_letter_header(campaign, unit, settings.header).model_dump(mode="json", exclude_none=True)
        if kind == UNIT_LETTERS[0]:
            assessment["notice"] = header
        else:
            assessment.setdefault("letters", {})[kind] = header
        return header
    header = header_dict(data, kind, unit)
    if header is None:
        raise ValueError("chiến dịch chưa có dữ liệu cuộc họp thẩm định ('meeting')" if kind == "bien-ban"
                         else f"chiến dịch chưa có dữ liệu văn bản '{kind}'")
    return header


def issued_versions(engine: Engine, campaign_id: str) -> list[DocumentVersion]:
    with reader(engine) as session:
        return list(session.scalars(select(DocumentVersion).where(DocumentVersion.campaign_id == campaign_id)
                                    .order_by(DocumentVersion.id)))


def issued_version(engine: Engine, version_id: int, *, with_pdf: bool = True) -> DocumentVersion | None:
    """One issued version; its PDF typeset now if the job queue has not yet (``with_pdf``: pages that
    show only its number and date pass False and never wait for weasyprint)."""
    with reader(engine) as session:
        version = session.get(DocumentVersion, version_id)
    if with_pdf and version is not None and version.pdf is None:
        typeset(engine, version_id)
        with reader(engine) as session:
            version = session.get(DocumentVersion, version_id)
    return version


def version_in_force(engine: Engine, campaign_id: str, kind: str, unit: str | None, *,
                     with_pdf: bool = True) -> DocumentVersion | None:
    """The version in force of an issued document, None while it is not issued: read in one
    statement, since the Sở Nội vụ's readers download the same documents again and again."""
    with reader(engine) as session:
        version = session.scalar(_in_force(campaign_id).where(DocumentRecord.kind == kind,
                                                              DocumentRecord.unit_key == (unit or "")))
    if with_pdf and version is not None and version.pdf is None:
        return issued_version(engine, version.id)
    return version


def current_versions(engine: Engine, campaign_id: str) -> dict[tuple[str, str], DocumentVersion]:
    """(kind, unit or '') → the version in force of every issued document of the campaign."""
    with reader(engine) as session:
        return {(v.kind, v.unit_key): v for v in session.scalars(_in_force(campaign_id))}


def signatures_awaited(engine: Engine, campaign_id: str) -> dict[tuple[str, str], set[str]]:
    """(kind, unit or '') → the people still to sign the version in force (their names as its
    signature block prints them), for the issued documents that await a person's signature."""
    query = (select(DocumentVersion.kind, DocumentVersion.unit_key, DocumentVersion.signers)
             .join(DocumentRecord, DocumentRecord.current_version_id == DocumentVersion.id)
             .where(DocumentRecord.campaign_id == campaign_id, DocumentRecord.state == ISSUED))
    with reader(engine) as session:
        out = {}
        for kind, unit, signers in session.execute(query):
            names = set(people_named(json.loads(signers or "{}"), unsigned=True))
            if names:
                out[(kind, unit)] = names
        return out


def _in_force(campaign_id: str):
    """The versions in force of the campaign's issued documents (a query to narrow further)."""
    return (select(DocumentVersion).join(DocumentRecord, DocumentRecord.current_version_id == DocumentVersion.id)
            .where(DocumentRecord.campaign_id == campaign_id, DocumentRecord.state.in_(OFFICIAL)))


__all__ = ["issue_document", "issued_versions", "issued_version", "version_in_force", "current_versions", "IssuedDocument", "NotReady",
           "StaleRevision", "freeze", "TYPES", "issue_unit_report", "withdraw_unit_report"]
