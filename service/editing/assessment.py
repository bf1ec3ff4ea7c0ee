"""The scoring forms: a unit's self-assessment (scores, explanations, evidence, submission), an
appraising agency's rounds limited to the criteria it appraises, and the unit's explanation of the
points it lost. Each ``apply_*`` edits campaign.json in place and returns the changes for the audit.

Form field names carry the criterion code: ``diem-1.2.1`` (self score), ``v1-1.2.1`` (round 1) …
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from data_models import Campaign
from data_models.loading import campaign_of
from data_models.criteria import CriteriaNode
from data_models.scores import LeafScore
from data_models.scoring_checks import not_applicable_refused
from service.domain.calendar import explanation_deadline, passed, self_assessment_deadline
from service.domain.status import explanation_closed
from service.store.campaigns import Change

from .forms import Fields

EVIDENCE_PARTS = {"so": "number", "ngay": "date", "ten": "title", "tep": "file"}


@dataclass(frozen=True)
class LeafRow:
    """One criterion as a form shows it: the leaf, its field, who appraises it, the unit's row."""
    leaf: CriteriaNode
    field_name: str
    appraiser: str | None
    score: LeafScore | None

    @property
    def lost_points(self) -> bool:
        s = self.score
        return bool(s and s.round1 is not None and s.self_score is not None and s.round1 < s.self_score)


def leaf_rows(campaign: Campaign, unit_id: str, appraiser: str | None = None) -> list[LeafRow]:
    """The unit's criteria that are scored on documents (not by survey), in order; only those
    ``appraiser`` appraises when given."""
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    appraisers = campaign.appraisers_of(unit_id)
    assessment = campaign.assessment(unit_id)
    scores = {s.code: s for s in assessment.scores} if assessment else {}
    rows = []
    for field in criteria.fields:
        for leaf in _leaves(field):
            who = appraisers[leaf.code][0]
            if leaf.scoring == "survey" or (appraiser is not None and who != appraiser):
                continue
            rows.append(LeafRow(leaf, f"{field.code}. {field.title}", who, scores.get(leaf.code)))
    return rows


def _leaves(node: CriteriaNode):
    if node.is_leaf:
        yield node
    for child in node.children:
        yield from _leaves(child)


def _assessment(data: dict, unit_id: str) -> tuple[int, dict]:
    assessments = data.setdefault("assessments", [])
    for index, item in enumerate(assessments):
        if item["unit"] == unit_id:
            return index, item
    assessments.append({"unit": unit_id, "scores": []})
    return len(assessments) - 1, assessments[-1]


def _score(assessment: dict, code: str) -> tuple[int, dict]:
    scores = assessment.setdefault("scores", [])
    for index, row in enumerate(scores):
        if row["code"] == code:
            return index, row
    scores.append({"code": code})
    return len(scores) - 1, scores[-1]


def _set(row: dict, key: str, value, changes: list[Change], target: str) -> None:
    old = row.get(key)
    if value is None or value is False or value == []:      # a score of 0 is kept (0 == False in Python)
        row.pop(key, None)
    else:
        row[key] = value
    if old != row.get(key):
        changes.append(Change(f"{target}/{key}", old, row.get(key)))


def _evidence(fields: Fields, prefix: str, path: str) -> list[dict]:
    """Evidence rows ``{prefix}-{n}-so/-ngay/-ten/-tep`` (n = 0, 1, …; '-xoa' drops a row); a row
    with any part filled needs số, ngày and trích yếu."""
    numbers = fields.row_numbers(prefix, "so|ngay|ten|tep")
    rows = []
    for n in numbers:
        name = f"{prefix}-{n}"
        if fields.text(f"{name}-xoa"):
            continue
        row = {"number": fields.text(f"{name}-so"), "date": fields.date(f"{name}-ngay"),
               "title": fields.text(f"{name}-ten"), "file": fields.text(f"{name}-tep")}
        if not any(row.values()):
            continue
        if row["file"] and fields.known_files is not None and row["file"] not in fields.known_files:
            fields.errors[f"{name}-tep"] = "tệp không có trong kho tài liệu kiểm chứng của đơn vị; hãy tải tệp lên"
            continue
        incomplete = False
        for part, key in (("so", "number"), ("ngay", "date"), ("ten", "title")):
            if row[key] is None:
                incomplete = True
                fields.errors.setdefault(f"{name}-{part}", "tài liệu kiểm chứng cần đủ số/ký hiệu, ngày và trích yếu")
        if incomplete:
            continue                       # not written: the rest of the form is still checked
        for part, key in EVIDENCE_PARTS.items():
            fields.written(f"{path}[{len(rows)}].{key}", f"{name}-{part}")
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def apply_self_assessment(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str], *,
                          submit: bool, known_files: set[str] | None = None,
                          today: dt.date | None = None) -> tuple[list[Change], Fields]:
    """The unit's own scores, explanations and evidence; ``submit`` also records the report's số and
    ngày, after which the self-assessment is closed (as it is after its deadline, when the campaign
    enforces deadlines). Evidence rows may cite only ``known_files``."""
    campaign = campaign_of(data)
    fields = Fields(values, known_files)
    a_index, assessment = _assessment(data, unit_id)
    if assessment.get("report"):
        fields.errors[""] = ("Báo cáo tự đánh giá đã nộp nên không sửa điểm tự chấm được nữa; "
                             "liên hệ Sở Nội vụ nếu cần trả lại báo cáo.")
        fields.check()
    deadline = self_assessment_deadline(campaign, unit_id)
    if passed(campaign, deadline, today or dt.date.today()):
        fields.errors[""] = (f"Đã hết hạn tự đánh giá ({deadline:%d/%m/%Y}); liên hệ Sở Nội vụ nếu cần gia hạn "
                             "cho đơn vị.")
        fields.check()
    changes: list[Change] = []
    base = f"{campaign_id}/{unit_id}"
    for row in leaf_rows(campaign, unit_id):
        code = row.leaf.code
        if f"diem-{code}" not in values:        # not sent (the API may send only some criteria): kept
            if submit and not (row.score and (row.score.self_score is not None or row.score.not_applicable)):
                fields.errors[f"diem-{code}"] = "chưa tự chấm điểm tiêu chí này (hoặc đánh dấu 'không áp dụng')"
            continue
        s_index, score = _score(assessment, code)
        path = f"assessments[{a_index}].scores[{s_index}]"
        fields.written(path, f"diem-{code}")
        fields.written(f"{path}.self_score", f"diem-{code}")
        fields.written(f"{path}.explanation", f"tm-{code}")
        not_applicable = bool(fields.text(f"ktd-{code}"))
        if not_applicable and not row.leaf.not_applicable_when:
            fields.errors[f"diem-{code}"] = not_applicable_refused(code)
            not_applicable = False
        _set(score, "not_applicable", not_applicable, changes, f"{base}/{code}")
        _set(score, "self_score", None if not_applicable else fields.points(f"diem-{code}", row.leaf.max_points, code), changes, f"{base}/{code}")
        _set(score, "explanation", fields.text(f"tm-{code}"), changes, f"{base}/{code}")
        _set(score, "evidence", _evidence(fields, f"tl-{code}", f"{path}.evidence"), changes, f"{base}/{code}")
        if submit and not not_applicable and score.get("self_score") is None and f"diem-{code}" not in fields.errors:
            fields.errors[f"diem-{code}"] = "chưa tự chấm điểm tiêu chí này (hoặc đánh dấu 'không áp dụng')"
    _adjustments(fields, campaign, unit_id, assessment, a_index, "tdc", "self_score", changes, base, None)
    if submit:
        _submission(fields, campaign, unit_id, assessment, a_index, "report", "bc", changes, base, today)
    fields.finish(data)
    return changes, fields


def _adjustments(fields: Fields, campaign: Campaign, unit_id: str, assessment: dict, a_index: int, prefix: str,
                 key: str, changes: list[Change], base: str, appraiser: str | None) -> None:
    """Bonus/deduction items (điểm thưởng, điểm trừ): the unit claims, the item's appraiser decides."""
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    rows = assessment.setdefault("adjustments", [])
    for item in criteria.adjustments:
        if appraiser is not None and item.appraiser != appraiser:
            continue
        name = f"{prefix}-{item.code}"
        if name not in fields.values:
            continue
        index = next((i for i, r in enumerate(rows) if r["code"] == item.code), None)
        if index is None:
            rows.append({"code": item.code})
            index = len(rows) - 1
        fields.written(f"assessments[{a_index}].adjustments[{index}]", name)
        _set(rows[index], key, fields.points(name, item.max_points, item.code, adjustment=True), changes, f"{base}/{item.code}")
    assessment["adjustments"] = [r for r in rows if len(r) > 1]
    if not assessment["adjustments"]:
        del assessment["adjustments"]


def apply_appraisal(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str],
                    appraiser: str | None, today: dt.date | None = None) -> tuple[list[Change], Fields]:
    """Round 1 (score and remark) and round 2 of the criteria ``appraiser`` appraises (None: the
    Sở Nội vụ's admin, every criterion). Round 1 closes once the unit has sent its explanation (or
    its explanation deadline passed); round 2 exists only for the criteria the unit explained, after
    it sent its explanation. Raises PermissionError when the form carries a criterion the appraiser
    does not appraise."""
    campaign = campaign_of(data)
    fields = Fields(values)
    rows = leaf_rows(campaign, unit_id, appraiser)
    allowed = {row.leaf.code for row in rows}
    for key in values:
        match = re.fullmatch(r"(v1|nx|v2)-(.+)", key)
        if match and match[2] not in allowed:
            raise PermissionError(f"tiêu chí {match[2]} không thuộc phạm vi thẩm định của cơ quan")
    a_index, assessment = _assessment(data, unit_id)
    if not assessment.get("report"):
        fields.errors[""] = "Đơn vị chưa nộp báo cáo tự đánh giá; chưa thẩm định được."
        fields.check()
    changes: list[Change] = []
    base = f"{campaign_id}/{unit_id}"
    round1_closed = explanation_closed(campaign, unit_id, today or dt.date.today())
    sent = assessment.get("explanation_report") is not None
    for row in rows:
        code = row.leaf.code
        if (row.score and row.score.not_applicable) or (f"v1-{code}" not in values and f"v2-{code}" not in values):
            continue
        s_index, score = _score(assessment, code)
        path = f"assessments[{a_index}].scores[{s_index}]"
        fields.written(path, f"v1-{code}")
        fields.written(f"{path}.round1", f"v1-{code}")
        fields.written(f"{path}.remark", f"nx-{code}")
        fields.written(f"{path}.round2", f"v2-{code}")
        if f"v1-{code}" in values:
            round1, remark = fields.points(f"v1-{code}", row.leaf.max_points, code), fields.text(f"nx-{code}")
            if round1_closed and (_same(round1, score.get("round1")) is False or remark != score.get("remark")):
                fields.errors[f"v1-{code}"] = ("kết quả thẩm định lần 1 đã chốt (đơn vị đã giải trình hoặc hết hạn giải "
                                               "trình); chỉ chấm lần 2 các tiêu chí đơn vị giải trình")
            else:
                self_score = score.get("self_score")
                if round1 is not None and self_score is not None and round1 < self_score and not remark:
                    fields.errors[f"nx-{code}"] = "chấm thấp hơn điểm tự chấm thì phải ghi nhận xét (lý do trừ điểm)"
                _set(score, "round1", round1, changes, f"{base}/{code}")
                _set(score, "remark", remark, changes, f"{base}/{code}")
        if f"v2-{code}" in values:
            round2 = fields.points(f"v2-{code}", row.leaf.max_points, code)
            if round2 is not None and not (sent and score.get("response")):
                fields.errors[f"v2-{code}"] = ("chỉ chấm lần 2 các tiêu chí đơn vị đã giải trình, sau khi đơn vị gửi "
                                               "báo cáo giải trình")
            else:
                _set(score, "round2", round2, changes, f"{base}/{code}")
    _adjustments(fields, campaign, unit_id, assessment, a_index, "dc", "appraised", changes, base, appraiser)
    fields.finish(data)
    return changes, fields


def _same(a, b) -> bool:
    """Two typed scores are the same number (7.5 and 7,50 are)."""
    return (a is None and b is None) or (a is not None and b is not None and float(a) == float(b))


def apply_explanation(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str], *,
                      known_files: set[str] | None = None, submit: bool = False,
                      today: dt.date | None = None) -> tuple[list[Change], Fields]:
    """The unit's giải trình for each criterion scored below its own score, with added evidence; a
    row left blank means the unit agrees. ``submit`` sends it (the Báo cáo giải trình's số and ngày),
    after which it is closed, round 1 is final and round 2 decides the explained criteria. Closed too
    after the explanation deadline, when the campaign enforces deadlines."""
    campaign = campaign_of(data)
    fields = Fields(values, known_files)
    a_index, assessment = _assessment(data, unit_id)
    changes: list[Change] = []
    base = f"{campaign_id}/{unit_id}"
    rows = leaf_rows(campaign, unit_id)
    flagged = [row for row in rows if row.lost_points]
    if not flagged:
        fields.errors[""] = "Không có tiêu chí nào bị trừ điểm ở lần thẩm định 1; không cần giải trình."
        fields.check()
    if any(row.score is None or row.score.round1 is None for row in rows if not (row.score and row.score.not_applicable)):
        fields.errors[""] = "Cơ quan thẩm định chưa chấm xong lần 1; chưa giải trình được."
        fields.check()
    if assessment.get("explanation_report"):
        fields.errors[""] = "Đơn vị đã gửi báo cáo giải trình; không sửa được nữa."
        fields.check()
    deadline = explanation_deadline(campaign, unit_id)
    if passed(campaign, deadline, today or dt.date.today()):
        fields.errors[""] = (f"Đã hết hạn giải trình ({deadline:%d/%m/%Y}): kết quả thẩm định lần 1 là kết quả cuối "
                             "cùng; liên hệ Sở Nội vụ nếu cần gia hạn.")
        fields.check()
    for row in flagged:
        code = row.leaf.code
        if f"gt-{code}" not in values:
            continue                      # not sent: kept
        s_index, score = _score(assessment, code)
        path = f"assessments[{a_index}].scores[{s_index}]"
        fields.written(f"{path}.response", f"gt-{code}")
        _set(score, "response", fields.text(f"gt-{code}"), changes, f"{base}/{code}")
        _set(score, "added_evidence", _evidence(fields, f"bs-{code}", f"{path}.added_evidence"), changes, f"{base}/{code}")
    if submit:
        _submission(fields, campaign, unit_id, assessment, a_index, "explanation_report", "gt", changes, base, today)
    fields.finish(data)
    return changes, fields


def _submission(fields: Fields, campaign: Campaign, unit_id: str, assessment: dict, a_index: int, key: str,
                prefix: str, changes: list[Change], base: str, today: dt.date | None = None) -> None:
    """A unit's report sent with its own number and date (fields ``{prefix}-so``, ``{prefix}-ngay``):
    not dated after the day it is sent, and an explanation not before the report it explains (U19)."""
    number = fields.whole(f"{prefix}-so", required=True)
    day = fields.date(f"{prefix}-ngay", required=True)
    if day is not None:
        sent = dt.date.fromisoformat(day)
        if today is not None and sent > today:
            fields.errors[f"{prefix}-ngay"] = (f"ngày báo cáo {sent:%d/%m/%Y} sau hôm nay ({today:%d/%m/%Y}): "
                                               "báo cáo ghi ngày ký, không ghi ngày trong tương lai")
            day = None
        report = assessment.get("report") if key != "report" else None
        if report and report.get("date", {}).get("day"):
            reported = dt.date(report["date"]["year"], report["date"]["month"], report["date"]["day"])
            if sent < reported:
                fields.errors[f"{prefix}-ngay"] = (f"ngày báo cáo giải trình {sent:%d/%m/%Y} trước ngày Báo cáo tự "
                                                   f"đánh giá {reported:%d/%m/%Y} mà nó giải trình")
                day = None
    unit = campaign.unit(unit_id)
    if unit.agency is None:
        fields.errors[""] = f"đơn vị {unit.name} chưa có thông tin cơ quan ban hành (agency); liên hệ Sở Nội vụ"
    if number is not None and day is not None and unit.agency is not None:
        year, month, dd = (int(p) for p in day.split("-"))
        fields.written(f"assessments[{a_index}].{key}", f"{prefix}-ngay")
        fields.written(f"assessments[{a_index}].{key}.number", f"{prefix}-so")     # a number out of register order
        symbol_units = (assessment.get("report") or {}).get("symbol_units", [])
        _set(assessment, key, {"issuer": unit.agency, "number": number, "symbol_units": symbol_units,
                               "date": {"year": year, "month": month, "day": dd}}, changes, base)


def extend_deadline(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """The Sở Nội vụ reopens the unit's current step after its deadline: until a date, with a reason."""
    fields = Fields(values)
    _, assessment = _assessment(data, unit_id)
    until = fields.date("gia-han-den", required=True)
    reason = fields.text("gia-han-ly-do")
    if not reason:
        fields.errors["gia-han-ly-do"] = "cần ghi lý do gia hạn"
    fields.check()
    changes: list[Change] = []
    _set(assessment, "extension", {"until": until, "reason": reason}, changes, f"{campaign_id}/{unit_id}")
    return changes, fields


def set_exclusion(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """Leave a unit out of this year's ranking with the reason recorded, or bring it back (no reason)."""
    fields = Fields(values)
    reason = fields.text("loai-ly-do")
    exclusions = [e for e in data.get("exclusions", []) if e["unit"] != unit_id]
    old = next((e for e in data.get("exclusions", []) if e["unit"] == unit_id), None)
    if fields.text("loai") == "1":
        if not reason:
            fields.errors["loai-ly-do"] = "cần ghi lý do không xếp hạng đơn vị"
            fields.check()
        exclusions.append({"unit": unit_id, "reason": reason})
    data["exclusions"] = exclusions
    new = next((e for e in exclusions if e["unit"] == unit_id), None)
    return [Change(f"{campaign_id}/{unit_id}/khong-xep-hang", old, new)], fields


def reopen_self_assessment(data: dict, campaign_id: str, unit_id: str, reason: str) -> tuple[list[Change], Fields]:
    """The Sở Nội vụ returns a submitted report to its unit for correction (the scores stay); only
    before any appraisal, and with a reason the unit will read in the audit trail."""
    fields = Fields({"ly-do": reason})
    _, assessment = _assessment(data, unit_id)
    if not assessment.get("report"):
        fields.errors[""] = "Đơn vị chưa nộp báo cáo; không có gì để trả lại."
    elif any(s.get("round1") is not None for s in assessment.get("scores", [])):
        fields.errors[""] = "Báo cáo đã được thẩm định; không trả lại được (đơn vị giải trình ở bước sau)."
    if not (reason or "").strip():
        fields.errors["ly-do"] = "cần ghi lý do trả lại"
    fields.check()
    old = assessment.pop("report")
    return [Change(f"{campaign_id}/{unit_id}/tra-lai", old, {"ly_do": reason.strip()})], fields


def cited_files(campaign: Campaign, unit_id: str) -> set[str]:
    """The evidence files (SHA-256) the unit's rows cite, in the self-assessment and the explanation."""
    assessment = campaign.assessment(unit_id)
    if assessment is None:
        return set()
    return {item.file for score in assessment.scores for item in [*score.evidence, *score.added_evidence] if item.file}
