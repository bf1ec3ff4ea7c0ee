"""Sổ đăng ký văn bản đi: the next number of an agency's register for the year.

Decree 30: numbers run from 01 on 1 January to 31 December (the year in Vietnam's time zone), each
number once; an advisory body (the council) keeps its own sequence. A number is taken in the same
transaction that records the entry — an UPDATE … RETURNING on the counter row, which PostgreSQL locks
and SQLite serialises (BEGIN IMMEDIATE) — so concurrent issuing never duplicates a number, and a
failed issue rolls its number back, so none is skipped. Voided numbers keep their entry and are never
reused.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import AuditEntry, RegisterCounter, RegisterEntry

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
REGISTERS = ("chung", "hoi-dong")     # the agency's general sequence; the council's own sequence


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


def _insert_counter(engine_name: str):
    return (postgresql.insert if engine_name == "postgresql" else sqlite.insert)(RegisterCounter)


def issue_number(engine: Engine, *, agency: str, symbol: str, kind: str, issued_by: str, register: str = "chung",
                 campaign_id: str | None = None, unit_id: str | None = None, content_hash: str | None = None,
                 now: dt.datetime | None = None) -> Issued:
    """Take the next number of (agency, register, year) and record the entry, atomically."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return take_number(session, agency=agency, symbol=symbol, kind=kind, issued_by=issued_by, register=register,
                           campaign_id=campaign_id, unit_id=unit_id, content_hash=content_hash, now=now)


def take_number(session: Session, *, agency: str, symbol: str, kind: str, issued_by: str, register: str = "chung",
                campaign_id: str | None = None, unit_id: str | None = None, content_hash: str | None = None,
                now: dt.datetime | None = None) -> Issued:
    """``issue_number`` inside the caller's transaction (the number rolls back with it)."""
    if register not in REGISTERS:
        raise ValueError(f"sổ đăng ký {register!r} không hợp lệ (chỉ: {', '.join(REGISTERS)})")
    if not issued_by.strip():
        raise ValueError("thiếu người cấp số")
    day = vietnam_today(now)
    session.execute(_insert_counter(session.get_bind().dialect.name)
                    .values(agency=agency, register=register, year=day.year, last_number=0)
                    .on_conflict_do_nothing(index_elements=["agency", "register", "year"]))
    number = session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.agency == agency, RegisterCounter.register == register,
               RegisterCounter.year == day.year)
        .values(last_number=RegisterCounter.last_number + 1)
        .returning(RegisterCounter.last_number)).scalar_one()
    entry = RegisterEntry(agency=agency, register=register, year=day.year, number=number, symbol=symbol,
                          kind=kind, campaign_id=campaign_id, unit_id=unit_id, issued_on=day,
                          status="issued", content_hash=content_hash, issued_by=issued_by)
    session.add(entry)
    session.flush()
    session.add(AuditEntry(actor=issued_by, action="cap-so", target=f"{agency}/{register}/{day.year}/{number}",
                           new_value=json.dumps({"symbol": symbol, "kind": kind, "unit": unit_id}, ensure_ascii=False)))
    return Issued(entry.id, agency, register, day.year, number, symbol, day)


def void_number(engine: Engine, entry_id: int, reason: str, actor: str) -> None:
    """Void an issued number with a reason; it stays in the register and is never reused."""
    if not reason or not reason.strip():
        raise ValueError("hủy số văn bản phải ghi lý do")
    with Session(engine) as session, session.begin():
        entry = session.get(RegisterEntry, entry_id)
        if entry is None:
            raise ValueError(f"không có số văn bản mã {entry_id}")
        if entry.status == "voided":
            raise ValueError(f"số {entry.number:02d}/{entry.symbol} đã bị hủy trước đó")
        entry.status, entry.void_reason = "voided", reason.strip()
        session.add(AuditEntry(actor=actor, action="huy-so", target=f"{entry.agency}/{entry.register}/{entry.year}/{entry.number}",
                               old_value=json.dumps({"status": "issued"}),
                               new_value=json.dumps({"status": "voided", "reason": reason.strip()}, ensure_ascii=False)))


def register_numbers(engine: Engine, agency: str, year: int, register: str = "chung") -> list[tuple[int, str]]:
    """(number, status) of a register, in order."""
    with Session(engine) as session:
        rows = session.execute(select(RegisterEntry.number, RegisterEntry.status)
                               .where(RegisterEntry.agency == agency, RegisterEntry.register == register,
                                      RegisterEntry.year == year)
                               .order_by(RegisterEntry.number)).all()
    return [(number, status) for number, status in rows]


def register_entries(engine: Engine, year: int) -> list[RegisterEntry]:
    """Every entry of a year, by register and number (the văn thư's view of the sổ đăng ký)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(RegisterEntry).where(RegisterEntry.year == year)
                                    .order_by(RegisterEntry.agency, RegisterEntry.register, RegisterEntry.number)))
