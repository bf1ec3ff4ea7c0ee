"""The campaign's calendar: the plan's task table is its source. Deadlines of the steps units take
(self-assessment, explanation), working days, and the task whose deadline a document must respect.
Pure: the caller passes today's date (Vietnam's)."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from data_models import Campaign
from data_models.document import DocumentHeader, PartialDate
from data_models.placeholders import PLACEHOLDER, parse_placeholders
from data_models.plan import Task

from .issuers import UNIT_LETTERS, unit_letter
from service.vietnamese import CITATION_NAMES, format_reference_number


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday–Friday) after ``start``: 5 working days from a Friday is the next
    Friday. Public holidays are not known here; an extension covers them."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def self_assessment_deadline(campaign: Campaign, unit_id: str) -> dt.date | None:
    """The day the unit's report is due (the plan's reporting deadline, or the unit's extension)."""
    assessment = campaign.assessment(unit_id)
    if assessment is not None and assessment.extension is not None:
        return assessment.extension.until
    return campaign.reporting.deadline if campaign.reporting else None


def explanation_deadline(campaign: Campaign, unit_id: str) -> dt.date | None:
    """The last day for the unit's explanation: N working days after the round-1 notice it received
    (or the unit's extension); None before the notice."""
    assessment = campaign.assessment(unit_id)
    if assessment is None:
        return None
    if assessment.extension is not None:
        return assessment.extension.until
    if assessment.notice is None or not assessment.notice.date.complete:
        return None
    date = assessment.notice.date
    days = campaign.reporting.explanation_days if campaign.reporting else 5
    return add_working_days(dt.date(date.year, date.month, date.day), days)


def passed(campaign: Campaign, deadline: dt.date | None, today: dt.date) -> bool:
    """Whether a deadline closes its step today: only when the campaign enforces its deadlines."""
    return campaign.settings.deadlines_enforced and deadline is not None and today > deadline


def tasks_with_deadline(campaign: Campaign) -> list[Task]:
    """The tasks of the plan that carry a structured deadline, in the table's order."""
    tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
    return [task for task in tasks if task.deadline is not None]


def task_label(campaign: Campaign, task: Task) -> str:
    """A task's first sentence with its placeholders in their short form ('Kế hoạch số 210/KH-UBND'),
    for lists and messages (a document cites in full; it fills the text itself)."""
    references = {ref.id: ref for ref in campaign.plan.references}

    def replace(match) -> str:
        placeholder = next(iter(parse_placeholders(match.group(0))), None)
        if placeholder is None:
            return match.group(0)
        if placeholder.name == "ref" and placeholder.ref_id in references:
            ref = references[placeholder.ref_id]
            return f"{CITATION_NAMES[ref.type]} số {format_reference_number(ref.number, ref.symbol)}"
        return str(campaign.year) if placeholder.name == "year" else match.group(0)

    return PLACEHOLDER.sub(replace, task.content[0]).rstrip(".")


def plan_deadlines(campaign: Campaign) -> list[tuple[str, dt.date]]:
    """(task, deadline) of every task with a structured deadline: the campaign's calendar at a glance."""
    return [(task_label(campaign, task), task.deadline) for task in tasks_with_deadline(campaign)]


def task_producing(campaign: Campaign, kind: str) -> Task | None:
    """The task of the plan that produces documents of ``kind`` (``produces`` in the task table)."""
    tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
    return next((task for task in tasks if kind in task.produces), None)


# ---------------------------------------------------------------------------- dates that agree
_MONTHS = re.compile(r"[Tt]háng\s+(\d{1,2})(?:\s*-\s*(\d{1,2}))?(?:\s*/\s*(\d{4}))?")
#: A document may be drafted this long before its task's first month (a Tờ trình prepared ahead).
EARLY_TOLERANCE = dt.timedelta(days=31)


@dataclass(frozen=True)
class Window:
    """When a task of the plan takes place: its first day (None: only a deadline) and its last."""
    first: dt.date | None
    last: dt.date | None

    def describe(self) -> str:
        if self.first is None:
            return f"hạn {self.last:%d/%m/%Y}"
        if self.last is None or (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return f"tháng {self.first.month}/{self.first.year}"
        return f"từ tháng {self.first.month}/{self.first.year} đến {self.last:%d/%m/%Y}"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def task_window(task: Task, year: int) -> Window | None:
    """The task's 'Thời gian' read as dates ('Tháng 4/2026', 'Tháng 9-11/2026', 'Tháng 10 (Hạn cuối
    31/10/2023)', 'Trước ngày 15/12/2026'); ``year``: the campaign's, for a month without one."""
    first = last = None
    match = _MONTHS.search(task.time)
    if match:
        start, end, written_year = int(match[1]), int(match[2] or match[1]), int(match[3] or year)
        if 1 <= start <= 12 and 1 <= end <= 12:
            first_year = written_year - 1 if end < start else written_year
            first, last = dt.date(first_year, start, 1), _month_end(written_year, end)
    if task.deadline is not None:
        last = task.deadline if last is None else min(last, task.deadline)
        if first is not None and first > last:
            first = None
    return None if first is None and last is None else Window(first, last)


def header_of(campaign: Campaign, kind: str, unit: str | None = None) -> DocumentHeader | None:
    """Where the data keep the number and date of ``kind`` (of ``unit``), or None."""
    if kind == "ke-hoach":
        return campaign.plan.header
    if kind == "bien-ban":
        return campaign.meeting.header if campaign.meeting else None
    if unit is not None and kind in UNIT_LETTERS:
        return unit_letter(campaign.assessment(unit), kind)
    if unit is not None and kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh"):
        assessment = campaign.assessment(unit)
        if assessment is None:
            return None
        return assessment.report if kind == "bao-cao-tu-danh-gia" else assessment.explanation_report
    document = campaign.documents.get(kind)
    return document.header if document else None


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def possible_days(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The first and last day a partly written date can stand for ('tháng 4 năm 2026': 1–30/4)."""
    if date.month is None:
        return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)
    if date.day is None:
        return dt.date(date.year, date.month, 1), _month_end(date.year, date.month)
    day = dt.date(date.year, date.month, date.day)
    return day, day


def _written(date: PartialDate) -> str:
    if date.day is not None:
        return f"ngày {date.day:02d}/{date.month:02d}/{date.year}"
    return f"tháng {date.month}/{date.year}" if date.month else f"năm {date.year}"


def suggested_month(campaign: Campaign, kind: str) -> tuple[int, int] | None:
    """(year, month) a draft of ``kind`` should carry: its task's first month (or its deadline's)."""
    task = task_producing(campaign, kind)
    window = task_window(task, campaign.year) if task else None
    if window is None:
        return None
    day = window.first or window.last
    return day.year, day.month


def date_problems(campaign: Campaign, kind: str, unit: str | None = None) -> list[str]:
    """Why the dates of ``kind`` (of ``unit``) disagree with the campaign's calendar: its own date
    against the task that produces it, a Hướng dẫn after its own deadline, evidence dated after the
    report that cites it, numbers that run backwards against their dates."""
    problems: list[str] = []
    header = header_of(campaign, kind, unit)
    if header is not None:
        earliest, latest = possible_days(header.date)
        # A unit's own report is dated when the unit sends it: lateness is its status, not a drafting fault.
        task = task_producing(campaign, kind) if unit is None else None
        window = task_window(task, campaign.year) if task else None
        if window is not None:
            what = f"nhiệm vụ «{_short(task_label(campaign, task))}» ({task.time})"
            if window.last is not None and earliest > window.last:
                problems.append(f"văn bản ghi {_written(header.date)}, sau thời gian của {what} trong kế hoạch; "
                                f"sửa ngày theo bảng nhiệm vụ (gợi ý: {window.describe()})")
            elif window.first is not None and latest < window.first - EARLY_TOLERANCE:
                problems.append(f"văn bản ghi {_written(header.date)}, sớm hơn nhiều so với {what} trong kế hoạch; "
                                f"sửa ngày theo bảng nhiệm vụ (gợi ý: {window.describe()})")
        if kind == "huong-dan" and campaign.reporting and campaign.reporting.deadline \
                and earliest > campaign.reporting.deadline:
            problems.append(f"Hướng dẫn ghi {_written(header.date)}, sau chính hạn nộp báo cáo "
                            f"{campaign.reporting.deadline:%d/%m/%Y} mà nó hướng dẫn")
        problems += _meeting_order_problems(campaign, kind, header)
    if unit is not None and kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh"):
        problems += _evidence_problems(campaign, kind, unit)
    return problems


#: Council documents that must exist before the council meets (it is set up, has its rules and is
#: invited first); the Biên bản records the meeting, so it cannot be older than it (walk U18).
BEFORE_THE_MEETING = {"quyet-dinh-hoi-dong": "Quyết định thành lập Hội đồng thẩm định",
                      "quyet-dinh-quy-che": "Quyết định ban hành Quy chế làm việc của Hội đồng",
                      "giay-moi-hop-hoi-dong": "Giấy mời họp Hội đồng thẩm định"}


def _meeting_order_problems(campaign: Campaign, kind: str, header: DocumentHeader) -> list[str]:
    if campaign.meeting is None or (kind != "bien-ban" and kind not in BEFORE_THE_MEETING):
        return []
    meeting_day = campaign.meeting.start.date()
    earliest, latest = possible_days(header.date)
    if kind == "bien-ban" and latest < meeting_day:
        return [f"Biên bản ghi {_written(header.date)}, trước cuộc họp Hội đồng ngày {meeting_day:%d/%m/%Y} mà nó ghi "
                "lại; Biên bản ghi ngày họp hoặc sau đó"]
    if kind in BEFORE_THE_MEETING and earliest > meeting_day:
        return [f"{BEFORE_THE_MEETING[kind]} ghi {_written(header.date)}, sau cuộc họp Hội đồng ngày "
                f"{meeting_day:%d/%m/%Y}; văn bản này phải ban hành trước cuộc họp"]
    return []


_EVIDENCE_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*(\S+)")


def _evidence_problems(campaign: Campaign, kind: str, unit: str) -> list[str]:
    assessment = campaign.assessment(unit)
    if assessment is None:
        return []
    added = kind == "bao-cao-giai-trinh"
    report = assessment.explanation_report if added else assessment.report
    items = [(score.code, e) for score in assessment.scores for e in (score.added_evidence if added else score.evidence)]
    problems = []
    if report is not None and report.date.complete:
        report_day = possible_days(report.date)[0]
        for code, evidence in items:
            if evidence.date > report_day:
                problems.append(f"tiêu chí {code}: tài liệu kiểm chứng {evidence.number} ngày {evidence.date:%d/%m/%Y} "
                                f"có sau ngày của báo cáo trích dẫn nó ({report_day:%d/%m/%Y})")
    if added and assessment.notice is not None and assessment.notice.date.complete:
        notice_day = possible_days(assessment.notice.date)[0]
        for code, evidence in items:
            if evidence.date < notice_day and "bổ sung" in evidence.title.lower():
                problems.append(f"tiêu chí {code}: văn bản bổ sung {evidence.number} ngày {evidence.date:%d/%m/%Y} có trước "
                                f"công văn thông báo kết quả thẩm định ({notice_day:%d/%m/%Y}) mà nó trả lời")
    # Numbers of one issuer (same ký hiệu) rise with the date within a year.
    series: dict[tuple[str, int], dict[int, dt.date]] = {}
    for _, evidence in [*((s.code, e) for s in assessment.scores for e in s.evidence),
                        *((s.code, e) for s in assessment.scores for e in s.added_evidence)]:
        match = _EVIDENCE_NUMBER.match(evidence.number)
        if match:
            series.setdefault((match[2], evidence.date.year), {})[int(match[1])] = evidence.date
    for (symbol, _), numbers in sorted(series.items()):
        ordered = sorted(numbers.items())
        for (low, low_day), (high, high_day) in zip(ordered, ordered[1:]):
            if high_day < low_day:
                problems.append(f"số {high}/{symbol} ngày {high_day:%d/%m/%Y} có trước số {low}/{symbol} ngày "
                                f"{low_day:%d/%m/%Y}: số văn bản của một cơ quan tăng theo ngày trong năm")
    return list(dict.fromkeys(problems))
