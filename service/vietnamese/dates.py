"""Dates as Decree 30 writes them.

ND30 pads days 1–9 and months 1–2 with a zero and nothing else (``ngày 05 tháng 02 năm 2024``,
``tháng 6``); babel's patterns pad every month, so they are not used here. Drafts leave the day
and/or month blank for the văn thư to fill in after signing.
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

#: Vietnam's time zone: the register's year, the times people read.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(moment: dt.datetime | None) -> str:
    """A moment as people in Vietnam read it: dd/mm/yyyy HH:MM (stored times are UTC; naive = UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M}"

#: Width of a blank day/month/number in a draft (non-breaking spaces, so nothing collapses them).
BLANK = "\u00a0" * 6

CitationStyle = Literal["short", "long"]


def check_date(year: int, month: int | None = None, day: int | None = None) -> None:
    """Raise ValueError (Vietnamese) unless (year, month, day) can be a real, possibly partial, date."""
    if not 1900 <= year <= 2200:
        raise ValueError(f"năm {year} không hợp lệ (phải từ 1900 đến 2200)")
    if month is None:
        if day is not None:
            raise ValueError("có ngày nhưng thiếu tháng")
        return
    if not 1 <= month <= 12:
        raise ValueError(f"tháng {month} không hợp lệ (phải từ 1 đến 12)")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"ngày {day}/{month}/{year} không tồn tại (tháng {month} năm {year} có {last} ngày)")


def nd30_day(day: int) -> str:
    """Day of month in ND30 form: 1–9 padded (``05``), others as they are."""
    return f"{day:02d}"


def nd30_month(month: int) -> str:
    """Month in ND30 form: only January and February are padded (``01``, ``02``, ``3`` … ``12``)."""
    return f"{month:02d}" if month <= 2 else str(month)


def format_nd30_date(year: int, month: int | None = None, day: int | None = None) -> str:
    """``ngày 05 tháng 02 năm 2024``; a missing day or month is left blank for a draft."""
    check_date(year, month, day)
    d = nd30_day(day) if day is not None else BLANK
    m = nd30_month(month) if month is not None else BLANK
    return f"ngày {d} tháng {m} năm {year}"


def format_place_date(place: str, year: int, month: int | None = None, day: int | None = None) -> str:
    """The ô 4 line: ``Hà Nam, ngày 05 tháng 02 năm 2024`` (blank day/month on drafts)."""
    if not place.strip():
        raise ValueError("thiếu địa danh")
    return f"{place.strip()}, {format_nd30_date(year, month, day)}"


def format_citation_date(year: int, month: int, day: int, style: CitationStyle = "short") -> str:
    """Date inside a citation: ``15/12/2022`` (short) or ``17 tháng 4 năm 2023`` (long), without "ngày"."""
    check_date(year, month, day)
    if style == "short":
        return f"{day:02d}/{month:02d}/{year}"
    if style == "long":
        return f"{nd30_day(day)} tháng {nd30_month(month)} năm {year}"
    raise ValueError(f"kiểu trích dẫn ngày không hợp lệ: {style!r} (chỉ 'short' hoặc 'long')")
