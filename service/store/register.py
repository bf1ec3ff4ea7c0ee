"""Sổ đăng ký văn bản đi: the next number of an agency's register for the year, per province.

Decree 30: numbers run from 01 on 1 January to 31 December (the year in Vietnam's time zone), each
number once; an advisory body (the council) keeps its own sequence. A number is taken in the same
transaction that records the entry — an UPDATE … RETURNING on the counter row, which PostgreSQL locks
and SQLite serialises (BEGIN IMMEDIATE) — so concurrent issuing never duplicates a number, and a
failed issue rolls its number back, so none is skipped. Voided numbers keep their entry and are never
reused. Numbers the provincial e-office gave (UBND tỉnh's own documents) are recorded in a register of
their own per document type, so one of them is never recorded on two documents.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.vietnamese.dates import VIETNAM

from .models import AuditEntry, RegisterCounter, RegisterEntry

REGISTERS = ("chung", "hoi-dong")     # the agency's general sequence; the council's own sequence
EXTERNAL_PREFIX = "ngoai-"            # + type abbreviation: numbers recorded from the e-office


def vietnam_today(now: dt.datetime | None = None) -> dt.date:
    """Today in Vietnam (UTC+7): 31 December 17:00 UTC is already 1 January there."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        raise ValueError("thời điểm phải có múi giờ")
    return moment.astimezone(VIETNAM).date()


@dataclass(frozen=True)
class Issued:
    id: int
    agency: str
    register: str
    year: int
    number: int
    symbol: str
    issued_on: dt.date


class NumberTaken(ValueError):
    """An e-office number that is already recorded (the message names the other document)."""


def _insert_counter(engine_name: str):
    return (postgresql.insert if engine_name == "postgresql" else sqlite.insert)(RegisterCounter)


def issue_number(engine: Engine, *, agency: str, symbol: str, kind: str, issued_by: str, register: str = "chung",
                 organisation: str = "", campaign_id: str | None = None, unit_id: str | None = None,
                 content_hash: str | None = None, now: dt.datetime | None = None) -> Issued:
    """Take the next number of (province, agency, register, year) and record the entry, atomically."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return take_number(session, agency=agency, symbol=symbol, kind=kind, issued_by=issued_by, register=register,
                           organisation=organisation, campaign_id=campaign_id, unit_id=unit_id,
                           content_hash=content_hash, now=now)


def take_number(session: Session, *, agency: str, symbol: str, kind: str, issued_by: str, register: str = "chung",
                organisation: str = "", campaign_id: str | None = None, unit_id: str | None = None,
                content_hash: str | None = None, now: dt.datetime | None = None, after: int = 0) -> Issued:
    """``issue_number`` inside the caller's transaction (the number rolls back with it). ``after``:
    the highest number the agency's register already holds outside this table (a campaign's data
    typed or imported before): the register continues from there, never below it (D16)."""
    if register not in REGISTERS:
        raise ValueError(f"sổ đăng ký {register!r} không hợp lệ (chỉ: {', '.join(REGISTERS)})")
    if not issued_by.strip():
        raise ValueError("thiếu người cấp số")
    day = vietnam_today(now)
    session.execute(_insert_counter(session.get_bind().dialect.name)
                    .values(organisation_id=organisation, agency=agency, register=register, year=day.year, last_number=0)
                    .on_conflict_do_nothing(index_elements=["organisation_id", "agency", "register", "year"]))
    number = session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.organisation_id == organisation, RegisterCounter.agency == agency,
               RegisterCounter.register == register, RegisterCounter.year == day.year)
        .values(last_number=case((RegisterCounter.last_number < after, after), else_=RegisterCounter.last_number) + 1)
        .returning(RegisterCounter.last_number)).scalar_one()
    return _record(session, organisation, agency, register, day, number, symbol, kind, issued_by, campaign_id,
                   unit_id, content_hash)


def record_external_number(session: Session, *, organisation: str, agency: str, type_abbreviation: str, number: int,
                           day: dt.date, symbol: str, kind: str, issued_by: str, campaign_id: str | None,
                           unit_id: str | None = None) -> Issued:
    """Record a number the provincial e-office gave; NumberTaken (naming the document that has it)
    when the same province, issuer, type and year already recorded it and did not void it."""
    register = f"{EXTERNAL_PREFIX}{type_abbreviation}"[:32]
    taken = session.scalar(select(RegisterEntry).where(
        RegisterEntry.organisation_id == organisation, RegisterEntry.agency == agency,
        RegisterEntry.register == register, RegisterEntry.year == day.year, RegisterEntry.number == number))
    if taken is not None:
        where = f"chiến dịch {taken.campaign_id}, " if taken.campaign_id else ""
        owner = f"{taken.kind}{' (' + taken.unit_id + ')' if taken.unit_id else ''}"
        state = "đã hủy, không dùng lại" if taken.status == "voided" else f"ngày {taken.issued_on:%d/%m/%Y}"
        raise NumberTaken(f"số {number:02d}/{taken.symbol} năm {day.year} đã ghi cho văn bản khác ({where}{owner}, "
                          f"{state}); kiểm tra lại số trên hệ thống quản lý văn bản")
    around = session.scalars(select(RegisterEntry).where(
        RegisterEntry.organisation_id == organisation, RegisterEntry.agency == agency, RegisterEntry.register == register,
        RegisterEntry.year == day.year, RegisterEntry.status != "voided",
        ((RegisterEntry.number < number) & (RegisterEntry.issued_on > day))
        | ((RegisterEntry.number > number) & (RegisterEntry.issued_on < day))).limit(1)).first()
    if around is not None:                     # ND30: one series per year, numbers in the order of the days
        side = "nhỏ hơn nhưng ngày muộn hơn" if around.number < number else "lớn hơn nhưng ngày sớm hơn"
        raise NumberTaken(f"số {number:02d}/{symbol} ngày {day:%d/%m/%Y} trái thứ tự sổ: số {around.number:02d}/"
                          f"{around.symbol} ({side}, ngày {around.issued_on:%d/%m/%Y}) đã ghi; kiểm tra lại số và ngày "
                          "trên hệ thống quản lý văn bản")
    return _record(session, organisation, agency, register, day, number, symbol, kind, issued_by, campaign_id, unit_id, None)


def _record(session: Session, organisation: str, agency: str, register: str, day: dt.date, number: int, symbol: str,
            kind: str, issued_by: str, campaign_id: str | None, unit_id: str | None,
            content_hash: str | None) -> Issued:
    entry = RegisterEntry(organisation_id=organisation, agency=agency, register=register, year=day.year, number=number,
                          symbol=symbol, kind=kind, campaign_id=campaign_id, unit_id=unit_id, issued_on=day,
                          status="issued", content_hash=content_hash, issued_by=issued_by)
    session.add(entry)
    session.flush()
    session.add(AuditEntry(organisation_id=organisation or None, actor=issued_by, action="cap-so",
                           target=f"{agency}/{register}/{day.year}/{number}",
                           new_value=json.dumps({"so": f"{number:02d}/{symbol}", "van_ban": kind, "don_vi": unit_id},
                                                ensure_ascii=False)))
    return Issued(entry.id, agency, register, day.year, number, symbol, day)


def void_entry(session: Session, entry: RegisterEntry, reason: str, actor: str) -> None:
    """Void a number inside the caller's transaction (the lifecycle withdraws its document in the same one)."""
    if not reason or not reason.strip():
        raise ValueError("hủy số văn bản phải ghi lý do")
    if entry.status == "voided":
        raise ValueError(f"số {entry.number:02d}/{entry.symbol} đã bị hủy trước đó")
    entry.status, entry.void_reason = "voided", reason.strip()
    session.add(AuditEntry(organisation_id=entry.organisation_id or None, actor=actor, action="huy-so",
                           target=f"{entry.agency}/{entry.register}/{entry.year}/{entry.number}",
                           old_value=json.dumps({"trang_thai": "đã cấp"}, ensure_ascii=False),
                           new_value=json.dumps({"trang_thai": "đã hủy", "ly_do": reason.strip()}, ensure_ascii=False)))


def entry_of(engine: Engine, entry_id: int, organisation: str) -> RegisterEntry:
    """One entry of the province's register; LookupError for none (or another province's)."""
    with Session(engine, expire_on_commit=False) as session:
        entry = session.get(RegisterEntry, entry_id)
    if entry is None or entry.organisation_id != organisation:
        raise LookupError(entry_id)
    return entry


def void_number(engine: Engine, entry_id: int, reason: str, actor: str, organisation: str | None = None) -> None:
    """Void an issued number with a reason; it stays in the register and is never reused.
    ``organisation``: the caller's province (an entry of another province is 'not found')."""
    with Session(engine) as session, session.begin():
        entry = session.get(RegisterEntry, entry_id, with_for_update=True)
        if entry is None or (organisation is not None and entry.organisation_id != organisation):
            raise LookupError(f"không có số văn bản mã {entry_id}")
        void_entry(session, entry, reason, actor)


def register_numbers(engine: Engine, agency: str, year: int, register: str = "chung",
                     organisation: str | None = None) -> list[tuple[int, str]]:
    """(number, status) of a register, in order (``organisation`` None: any province)."""
    query = (select(RegisterEntry.number, RegisterEntry.status)
             .where(RegisterEntry.agency == agency, RegisterEntry.register == register, RegisterEntry.year == year))
    if organisation is not None:
        query = query.where(RegisterEntry.organisation_id == organisation)
    with Session(engine) as session:
        rows = session.execute(query.order_by(RegisterEntry.number)).all()
    return [(number, status) for number, status in rows]


def register_entries(engine: Engine, year: int, organisation: str) -> list[RegisterEntry]:
    """Every entry of a province's year, by register and number (the văn thư's view of the sổ đăng ký)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(RegisterEntry)
                                    .where(RegisterEntry.year == year, RegisterEntry.organisation_id == organisation)
                                    .order_by(RegisterEntry.agency, RegisterEntry.register, RegisterEntry.number)))


def versions_of_entries(engine: Engine, entry_ids: list[int]) -> dict[int, "DocumentVersion"]:
    """entry id → the issued version that took the number (the register's Phụ lục VI fields and pages)."""
    from sqlalchemy.orm import load_only
    from .models import DocumentVersion
    if not entry_ids:
        return {}
    with Session(engine, expire_on_commit=False) as session:
        rows = session.scalars(select(DocumentVersion).options(load_only(
            DocumentVersion.id, DocumentVersion.register_entry_id, DocumentVersion.register_fields, DocumentVersion.pdf,
            DocumentVersion.signed_pdf, DocumentVersion.number_line, DocumentVersion.issued_on))
            .where(DocumentVersion.register_entry_id.in_(entry_ids))).all()
    return {row.register_entry_id: row for row in rows}
