"""The outgoing-document registers a campaign's data implies: every issued header (plan, decisions,
letters to units, the units' own reports) and every tài liệu kiểm chứng whose ký hiệu is the unit's
own, grouped by issuer, year and type of document. ND30 Điều 15: numbers run from 01 on 1 January in
one series per issuer (the head of the body may keep one series per type, 15.1.c; a body such as the
Hội đồng keeps its own, N6), so within one issuer, year and type a higher number never carries an
earlier date (documents finding D16) — true under either choice of series."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from .campaign import Campaign
from .document import DocumentHeader
from .errors import Problem

#: The type abbreviation (the ký hiệu's first group; '' for a công văn) of the headers a campaign
#: holds, by the kind's name (kinds are named after their ND30 type); tests/test_drafting_rules.py
#: checks it against the document types the service renders.
TYPE_OF_KIND = {"quyet-dinh": "QĐ", "to-trinh": "TTr", "bao-cao": "BC", "thong-bao": "TB", "cong-van": "",
                "giay-moi": "GM", "ke-hoach": "KH", "huong-dan": "HD", "bien-ban": "BB"}


def type_of_kind(kind: str) -> str | None:
    return next((abbr for prefix, abbr in TYPE_OF_KIND.items() if kind == prefix or kind.startswith(prefix + "-")), None)


@dataclass(frozen=True)
class Entry:
    """One number of one register: where the data holds it, and what it is."""
    issuer: str
    type: str | None                # 'BC', 'QĐ' …, '' for a công văn; None: unknown
    number: int
    date: dt.date
    path: str
    cited: str | None = None        # the evidence's own 'số, ký hiệu'; None: an issued header

    @property
    def what(self) -> str:
        return f"{self.cited or f'số {self.number}'} ngày {self.date:%d/%m/%Y}"


def _headers(campaign: Campaign) -> Iterator[tuple[str, str | None, DocumentHeader]]:
    """(path, type, header) where a campaign holds issued headers (a walk of the whole model costs
    40 ms a save)."""
    yield "plan.header", "KH", campaign.plan.header
    if campaign.meeting is not None:
        yield "meeting.header", "BB", campaign.meeting.header
    for kind, document in campaign.documents.items():
        yield f"documents.{kind}.header", type_of_kind(kind), document.header
    for index, assessment in enumerate(campaign.assessments):
        for name, kind in (("report", "bao-cao"), ("notice", "cong-van"), ("explanation_report", "bao-cao")):
            if getattr(assessment, name) is not None:
                yield f"assessments[{index}].{name}", type_of_kind(kind), getattr(assessment, name)
        for kind, header in assessment.letters.items():
            yield f"assessments[{index}].letters.{kind}", type_of_kind(kind), header


def register_entries(campaign: Campaign) -> list[Entry]:
    """Every numbered entry of every issuer's register the campaign holds."""
    entries = []
    for path, kind_type, header in _headers(campaign):
        if header.number is not None and header.date.complete:
            d = header.date
            entries.append(Entry(header.issuer, kind_type, header.number, dt.date(d.year, d.month, d.day),
                                 f"{path}.number"))
    abbreviations = {agency.id: agency.abbreviation for agency in campaign.agencies}
    for a_index, assessment in enumerate(campaign.assessments):
        try:
            own = campaign.unit(assessment.unit).agency or assessment.unit
        except KeyError:
            continue
        mark = abbreviations.get(own)
        if mark is None:
            continue
        for s_index, score in enumerate(assessment.scores):
            for key in ("evidence", "added_evidence"):
                for e_index, evidence in enumerate(getattr(score, key, None) or []):
                    head, slash, symbol = evidence.number.partition("/")
                    head, parts = head.strip(), symbol.strip().split("-")
                    if not slash or not head.isdigit() or len(head) > 6 or mark not in parts:
                        continue
                    entries.append(Entry(own, "" if parts[0] == mark else parts[0], int(head), evidence.date,
                                         f"assessments[{a_index}].scores[{s_index}].{key}[{e_index}].number",
                                         evidence.number.strip()))
    return entries


def highest_number(campaign: Campaign, issuer: str, year: int, kind: str) -> int:
    """The highest number of ``kind``'s type that ``issuer``'s register of ``year`` holds in the
    campaign's data (0: none); số and ký hiệu together are what must be unique in a year."""
    wanted = type_of_kind(kind)
    return max((e.number for e in register_entries(campaign)
                if e.issuer == issuer and e.date.year == year and e.type == wanted), default=0)


def check_registers(campaign: Campaign) -> Iterator[Problem]:
    """Within one issuer's year a higher number never has an earlier date, and one number is one
    date: each break reported at the entry that breaks it, naming the entry it contradicts."""
    names = {agency.id: agency.name for agency in campaign.agencies}
    by_register: dict[tuple[str, int, str | None], list[Entry]] = {}
    for entry in register_entries(campaign):
        by_register.setdefault((entry.issuer, entry.date.year, entry.type), []).append(entry)
    for (issuer, year, _), entries in by_register.items():
        where = f"trong sổ văn bản đi năm {year} của {names.get(issuer, issuer)}"
        entries.sort(key=lambda e: (e.number, e.date))
        latest: Entry | None = None
        first: Entry | None = None          # the first entry holding the current number
        for entry in entries:
            if first is not None and entry.number == first.number:
                if entry.date != first.date:
                    yield Problem(entry.path, f"{entry.what}: số {entry.number} đã dùng cho văn bản ngày "
                                              f"{first.date:%d/%m/%Y} {where}", twin=first.path)
                    yield Problem(first.path, f"{first.what}: số {first.number} được dùng lại cho văn bản ngày "
                                              f"{entry.date:%d/%m/%Y} {where}", twin=entry.path)
                continue
            first = entry
            if latest is not None and entry.date < latest.date:
                yield Problem(entry.path, f"{entry.what} đứng sau {latest.what} {where}: số lớn hơn không được có "
                                          "ngày sớm hơn", twin=latest.path)
                yield Problem(latest.path, f"{latest.what} đứng trước {entry.what} {where}: số nhỏ hơn không được "
                                           "có ngày muộn hơn", twin=entry.path)
            else:
                latest = entry
