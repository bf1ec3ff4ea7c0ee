"""Next year's campaign from this year's: organisation, criteria, council and plan text carried over,
the year moved on, every document back to a draft, this year's index and rank as "last year's"."""
from __future__ import annotations

import copy
import datetime as dt
import re

from data_models import Campaign
from service.domain.scoring import compute_campaign
from service.vietnamese import round_half_up


def _later(day: str, years: int) -> str:
    """An ISO date or date-time one year on (29/02 → 28/02)."""
    value = dt.datetime.fromisoformat(day) if "T" in day else dt.date.fromisoformat(day)
    try:
        moved = value.replace(year=value.year + years)
    except ValueError:
        moved = value.replace(year=value.year + years, day=28)
    return moved.isoformat()


def _year_words(text: str, old: int, new: int) -> str:
    """'năm 2026' → 'năm 2027', '31/10/2026' → '31/10/2027', 'Tháng 9-11/2026' → 'Tháng 9-11/2027'."""
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


def _draft(header: dict, year: int) -> dict:
    """A document header back to a draft of ``year``: no number, no day or month."""
    draft = {k: v for k, v in header.items() if k not in ("number", "date")}
    draft["date"] = {"year": year}
    return draft


def next_campaign_id(campaign_id: str, year: int) -> str:
    return _year_words(campaign_id, year, year + 1) if str(year) in campaign_id else f"{campaign_id}-{year + 1}"


def clone_for_next_year(campaign: Campaign, data: dict) -> tuple[dict, list[str]]:
    """The next year's campaign.json and the points a person should still review."""
    old, new = campaign.year, campaign.year + 1
    out = copy.deepcopy(data)
    out["id"] = next_campaign_id(campaign.id, old)
    out["year"] = new
    out["name"] = _year_words(data["name"], old, new)
    for key in ("assessments", "survey_answers"):
        out[key] = []
    out.pop("meeting", None)
    try:
        results = compute_campaign(campaign)
        out["previous_results"] = [{"unit": r.unit_id, "index": str(round_half_up(r.index, 2)), "rank": r.rank}
                                   for rows in results.groups.values() for r in rows]
    except (KeyError, ValueError):
        out["previous_results"] = []
    plan = out["plan"]
    plan["header"] = _draft(plan["header"], new)
    plan["title"] = [_year_words(line, old, new) for line in plan.get("title", [])]
    for task in (plan.get("tasks") or {}).get("items", []):
        task["time"] = _year_words(task.get("time", ""), old, new) if task.get("time") else task.get("time")
        if task.get("deadline"):
            task["deadline"] = _later(task["deadline"], 1)
        task["content"] = [_year_words(line, old, new) for line in task.get("content", [])]
    if out.get("reporting") and out["reporting"].get("deadline"):
        out["reporting"]["deadline"] = _later(out["reporting"]["deadline"], 1)
    for document in out.get("documents", {}).values():
        document["header"] = _draft(document["header"], new)
        document["title"] = [_year_words(line, old, new) for line in document.get("title", [])]
        if document.get("subject"):
            document["subject"] = _year_words(document["subject"], old, new)
    notes = [f"Kế hoạch và {len(out.get('documents', {}))} văn bản khác đã về dạng dự thảo năm {new} (chưa có số, ngày).",
             f"Hạn trong bảng nhiệm vụ đã lùi sang năm {new}: kiểm tra lại ngày cụ thể (ngày nghỉ, lịch họp).",
             "Căn cứ và văn bản được trích dẫn giữ nguyên: thay bằng văn bản của năm mới (Kế hoạch CCHC, Quyết định "
             "bộ tiêu chí) khi đã ban hành.",
             f"Chỉ số, xếp hạng năm {old} đã ghi vào 'kết quả năm trước' ({len(out['previous_results'])} đơn vị).",
             "Bộ tiêu chí, Hội đồng thẩm định, đơn vị và tài khoản giữ như năm trước: cập nhật nếu có thay đổi."]
    return out, notes
