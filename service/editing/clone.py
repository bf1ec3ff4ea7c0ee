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


def cloned_id(campaign: Campaign, year: int | None = None) -> str:
    """The id of the campaign cloned for ``year`` (the next by default): 'ninh-binh-2026' → 'ninh-binh-2027'."""
    year = campaign.year + 1 if year is None else year
    return _year_words(campaign.id, campaign.year, year) if str(campaign.year) in campaign.id else f"{campaign.id}-{year}"


def results_are_final(campaign: Campaign) -> bool:
    """Whether this year's results were published (the Quyết định công bố carries its number): until
    then they are provisional and become "last year's" only when someone says so."""
    publication = campaign.documents.get("quyet-dinh-cong-bo")
    return publication is not None and publication.header.number is not None


def clone_for_next_year(campaign: Campaign, data: dict, year: int | None = None,
                        copy_provisional_results: bool = False) -> tuple[dict, list[str]]:
    """The campaign.json of ``year`` (the next one by default) and the points a person should still
    review. This year's index and rank become "last year's" when they are final, or when
    ``copy_provisional_results`` says to take them although they are not published yet."""
    old = campaign.year
    new = campaign.year + 1 if year is None else year
    if new <= old:
        raise ValueError(f"năm của chiến dịch mới ({new}) phải sau năm {old}")
    out = copy.deepcopy(data)
    out["id"] = cloned_id(campaign, new)
    out["year"] = new
    out["name"] = _year_words(data["name"], old, new)
    for key in ("assessments", "survey_answers"):
        out[key] = []
    out.pop("meeting", None)
    if out.get("secretariat_meeting"):
        out["secretariat_meeting"]["start"] = _later(out["secretariat_meeting"]["start"], new - old)
    final = results_are_final(campaign)
    out["previous_results"] = []
    if final or copy_provisional_results:
        try:
            results = compute_campaign(campaign)
            out["previous_results"] = [{"unit": r.unit_id, "index": str(round_half_up(r.index, 2)), "rank": r.rank}
                                       for rows in results.groups.values() for r in rows]
        except (KeyError, ValueError):
            pass
    plan = out["plan"]
    plan["header"] = _draft(plan["header"], new)
    plan["title"] = [_year_words(line, old, new) for line in plan.get("title", [])]
    for task in (plan.get("tasks") or {}).get("items", []):
        task["time"] = _year_words(task.get("time", ""), old, new) if task.get("time") else task.get("time")
        if task.get("deadline"):
            task["deadline"] = _later(task["deadline"], new - old)
        task["content"] = [_year_words(line, old, new) for line in task.get("content", [])]
    if out.get("reporting") and out["reporting"].get("deadline"):
        out["reporting"]["deadline"] = _later(out["reporting"]["deadline"], new - old)
    for document in out.get("documents", {}).values():
        document["header"] = _draft(document["header"], new)
        document["title"] = [_year_words(line, old, new) for line in document.get("title", [])]
        if document.get("subject"):
            document["subject"] = _year_words(document["subject"], old, new)
    notes = [f"Kế hoạch và {len(out.get('documents', {}))} văn bản khác đã về dạng dự thảo năm {new} (chưa có số, ngày).",
             f"Hạn trong bảng nhiệm vụ đã lùi sang năm {new}: kiểm tra lại ngày cụ thể (ngày nghỉ, lịch họp).",
             "Căn cứ và văn bản được trích dẫn giữ nguyên: thay bằng văn bản của năm mới (Kế hoạch CCHC, Quyết định "
             "bộ tiêu chí) khi đã ban hành.",
             (f"Chỉ số, xếp hạng năm {old} đã ghi vào 'kết quả năm trước' ({len(out['previous_results'])} đơn vị"
              + ("" if final else "; kết quả tạm thời, Quyết định công bố chưa có số") + ")."
              if out["previous_results"] else
              f"Kết quả năm {old} chưa được công bố (Quyết định công bố chưa có số): chưa ghi làm 'kết quả năm trước'; "
              "nhập sau khi công bố hoặc chọn chép kết quả tạm thời."),
             "Bộ tiêu chí, Hội đồng thẩm định, đơn vị và tài khoản giữ như năm trước: cập nhật nếu có thay đổi."]
    return out, notes
