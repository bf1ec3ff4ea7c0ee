"""What must hold before a document can be issued, from the campaign's data (pure). These reasons
block issuing, never rendering: a draft that is not ready is still previewed and downloaded, marked
DỰ THẢO, with its reasons beside it."""
from __future__ import annotations

import datetime as dt

from data_models import Campaign

from .calendar import BEFORE_THE_MEETING, header_of, task_producing
from .issuers import UNIT_LETTERS, unit_letter
from .lifecycle import steps_of
from .status import FINAL, lowered, unit_status

RESULT_KINDS = ("bao-cao-ket-qua", "to-trinh-ket-qua", "quyet-dinh-cong-bo", "bao-cao-bo-noi-vu")
#: kind → documents that must be issued first (when the campaign has them at all).
ISSUED_FIRST = {
    "huong-dan": ("ke-hoach",),
    "ke-hoach": ("to-trinh-ke-hoach",),
    "quyet-dinh-hoi-dong": ("to-trinh-hoi-dong",),
    "quyet-dinh-cong-bo": ("bien-ban", "to-trinh-ket-qua"),
    "to-trinh-ket-qua": ("bien-ban",),
    "giay-moi-hop-hoi-dong": ("quyet-dinh-hoi-dong",),
    "quyet-dinh-quy-che": ("quyet-dinh-hoi-dong",),
    "giay-moi-hop-to-thu-ky": ("quyet-dinh-hoi-dong",),
    "bao-cao-bo-noi-vu": ("quyet-dinh-cong-bo",),
    "thong-bao-ket-luan": ("bien-ban",),
    "thong-bao-ket-qua-chi-so": ("quyet-dinh-cong-bo",),
}
#: Kinds that do not cite the plan (the plan itself, the Tờ trình asking for it).
BEFORE_THE_PLAN = ("ke-hoach", "to-trinh-ke-hoach")


def issued_first(kind: str) -> tuple[str, ...]:
    """The documents that must be issued before ``kind``: those it cites by number (ISSUED_FIRST), and
    the Kế hoạch for every document that cites it ('Thực hiện Kế hoạch số …' — walk U9: a Tờ trình
    issued before the plan had a number cited it without one)."""
    first = ISSUED_FIRST.get(kind, ())
    if kind in BEFORE_THE_PLAN or "ke-hoach" in first:
        return first
    return ("ke-hoach", *first)


LABELS = {"ke-hoach": "Kế hoạch", "huong-dan": "Hướng dẫn", "bien-ban": "Biên bản họp Hội đồng thẩm định",
          "to-trinh-ke-hoach": "Tờ trình ban hành Kế hoạch", "to-trinh-hoi-dong": "Tờ trình thành lập Hội đồng",
          "to-trinh-ket-qua": "Tờ trình phê duyệt, công bố kết quả",
          "quyet-dinh-hoi-dong": "Quyết định thành lập Hội đồng thẩm định",
          "quyet-dinh-cong-bo": "Quyết định phê duyệt, công bố kết quả"}
NAMES_SHOWN = 8
#: The one reason given for a form (phiếu): it is filled in, never issued.
NOT_ISSUED = "loại văn bản này là biểu mẫu, không ban hành"


def _present(campaign: Campaign, kind: str) -> bool:
    if kind == "ke-hoach":
        return True
    if kind == "bien-ban":
        return campaign.meeting is not None
    return kind in campaign.documents


def numbered_in_data(campaign: Campaign, kind: str, unit: str | None = None) -> bool:
    """A document that already carries its number in the data: issued outside the system, as the
    fixtures' signed plans and the letters to each unit kept in its assessment (the notice, the
    round-2 letter), or issued here (its number written back into the data)."""
    if unit and kind not in UNIT_LETTERS:
        return False                    # a unit's own report is issued when the unit sends it
    header = header_of(campaign, kind, unit)
    return header is not None and header.number is not None


def pending_units(campaign: Campaign, today: dt.date) -> dict[str, str]:
    """Unit id → status of the units, not excluded, whose appraisal is not final."""
    excluded = campaign.excluded_units()
    return {unit.id: status for unit in campaign.units() if unit.id not in excluded
            and (status := unit_status(campaign, unit.id, today)) not in FINAL}


def unfinished_units(campaign: Campaign, today: dt.date) -> list[tuple[str, str]]:
    """(unit name, status) of the units, not excluded, whose appraisal is not final."""
    names = {unit.id: unit.name for unit in campaign.units()}
    return [(names[unit_id], status) for unit_id, status in pending_units(campaign, today).items()]


def round_two_unsent(campaign: Campaign, issued: set[tuple[str, str]]) -> list[str]:
    """Names of the units, not excluded, that were lowered in round 1 (so appraised again) and have no
    issued Thông báo kết quả thẩm định lần 2 — here or numbered in their data (walk U23)."""
    excluded = campaign.excluded_units()
    out = []
    for unit in campaign.units():
        assessment = campaign.assessment(unit.id)
        if unit.id in excluded or not lowered(assessment) or ("thong-bao-tham-dinh-lan-2", unit.id) in issued:
            continue
        letter = unit_letter(assessment, "thong-bao-tham-dinh-lan-2")
        if letter is None or letter.number is None:
            out.append(unit.name)
    return out


def blocking_reasons(campaign: Campaign, kind: str, unit: str | None, issued: set[tuple[str, str]], *,
                     today: dt.date, issue_date: dt.date | None = None, late_reason: str | None = None) -> list[str]:
    """Why ``kind`` (of ``unit``) cannot be issued now; ``issued``: (kind, unit or '') already issued."""
    steps = steps_of(kind)
    if steps is None:
        return [NOT_ISSUED]
    reasons: list[str] = []
    if kind in RESULT_KINDS:
        waiting = unfinished_units(campaign, today)
        if waiting:
            names = "; ".join(f"{name} ({status})" for name, status in waiting[:NAMES_SHOWN])
            more = f" và {len(waiting) - NAMES_SHOWN} đơn vị khác" if len(waiting) > NAMES_SHOWN else ""
            reasons.append(f"{len(waiting)} đơn vị chưa có kết quả thẩm định cuối cùng (hoặc chưa được loại khỏi xếp "
                           f"hạng có ghi lý do): {names}{more}")
    if kind == "quyet-dinh-cong-bo":
        unsent = round_two_unsent(campaign, issued)
        if unsent:
            names = "; ".join(unsent[:NAMES_SHOWN])
            more = f" và {len(unsent) - NAMES_SHOWN} đơn vị khác" if len(unsent) > NAMES_SHOWN else ""
            reasons.append(f"{len(unsent)} đơn vị đã thẩm định lần 2 chưa nhận Thông báo kết quả thẩm định lần 2 "
                           f"(đơn vị phải biết kết quả cuối cùng trước khi công bố): {names}{more}")
    for first in issued_first(kind):
        if _present(campaign, first) and (first, "") not in issued and not numbered_in_data(campaign, first):
            reasons.append(f"{LABELS.get(first, first)} chưa được ban hành; văn bản này ban hành sau")
    if kind == "cong-van-ket-qua-tham-dinh" and unit is not None:
        status = unit_status(campaign, unit, today)
        if status in ("chưa nộp", "đã nộp"):
            reasons.append(f"đơn vị chưa được thẩm định xong lần 1 (đang ở bước «{status}»)")
        elif not lowered(campaign.assessment(unit)):
            reasons.append("đơn vị không có tiêu chí bị trừ điểm: không cần công văn yêu cầu giải trình")
    if kind == "thong-bao-tham-dinh-lan-2" and unit is not None:
        status = unit_status(campaign, unit, today)
        if not lowered(campaign.assessment(unit)):
            reasons.append("đơn vị không có tiêu chí bị trừ điểm ở lần 1: không thẩm định lần 2")
        elif status not in FINAL:
            reasons.append(f"đơn vị chưa được thẩm định lần 2 xong (đang ở bước «{status}»)")
        notice = unit_letter(campaign.assessment(unit), "cong-van-ket-qua-tham-dinh")
        if ("cong-van-ket-qua-tham-dinh", unit) not in issued and (notice is None or notice.number is None):
            reasons.append("công văn thông báo kết quả thẩm định lần 1 của đơn vị chưa được ban hành; thông báo lần 2 ban hành sau")
    if issue_date is not None and campaign.meeting is not None:          # walk U18: the council's order
        meeting_day = campaign.meeting.start.date()
        if kind == "bien-ban" and issue_date < meeting_day:
            reasons.append(f"Biên bản ghi lại cuộc họp ngày {meeting_day:%d/%m/%Y}: không ban hành trước ngày họp "
                           f"(hôm nay {issue_date:%d/%m/%Y}); nếu ngày họp đã đổi, sửa ở trang Cuộc họp Hội đồng")
        if kind in BEFORE_THE_MEETING and issue_date > meeting_day:
            reasons.append(f"{BEFORE_THE_MEETING[kind]} phải ban hành trước cuộc họp Hội đồng ngày {meeting_day:%d/%m/%Y} "
                           f"(hôm nay {issue_date:%d/%m/%Y}); nếu ngày họp chưa diễn ra, sửa ngày họp ở trang Cuộc họp Hội đồng")
    if not steps.unit_document and campaign.settings.deadlines_enforced and issue_date is not None:
        task = task_producing(campaign, kind)
        if task is not None and task.deadline is not None and issue_date > task.deadline and not (late_reason or "").strip():
            reasons.append(f"ngày ban hành {issue_date:%d/%m/%Y} sau hạn {task.deadline:%d/%m/%Y} của nhiệm vụ "
                           f"«{task.content[0][:80]}» trong kế hoạch; ghi lý do nếu vẫn ban hành")
    return reasons
