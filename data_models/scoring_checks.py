"""Cross-checks of criteria sets, scores and survey answers against each other (field paths in errors)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from .campaign import Campaign
from .errors import Problem


def _points(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f").rstrip("0")
    return text.replace(".", ",")


def not_applicable_refused(code: str) -> str:
    """Why a criterion cannot be marked 'không áp dụng' (walk N12): the set names no such case for it."""
    return (f"tiêu chí {code} áp dụng cho mọi đơn vị của nhóm: bộ tiêu chí không quy định trường hợp "
            "'không áp dụng' cho tiêu chí này, hãy tự chấm điểm")


def over_maximum(value, maximum, code: str, adjustment: bool = False) -> str:
    """The words for a score above its maximum (the validator's and the forms' alike)."""
    value, maximum = Decimal(str(value)), Decimal(str(maximum))
    if adjustment:
        return f"điểm {_points(value)} vượt mức tối đa {_points(maximum)} của mục {code}"
    return f"điểm {_points(value)} vượt điểm tối đa {_points(maximum)} của tiêu chí {code}"


def check_scoring(campaign: Campaign) -> Iterator[Problem]:
    agencies = {a.id for a in campaign.agencies}
    groups = {g.id for g in campaign.groups}
    units: dict[str, str] = {}
    for group in campaign.groups:               # each unit's first group, as group_of (one pass, not one per unit)
        for unit in group.units:
            units.setdefault(unit.id, group.id)
    all_unit_ids = [u.id for u in campaign.units()]
    for index, unit_id in enumerate(all_unit_ids):
        if all_unit_ids.index(unit_id) != index:
            yield Problem("groups", f"đơn vị {unit_id!r} có mặt ở nhiều nơi")
    for g_index, group in enumerate(campaign.groups):
        for u_index, unit in enumerate(group.units):
            if unit.agency is not None and unit.agency not in agencies:
                yield Problem(f"groups[{g_index}].units[{u_index}].agency", f"không có cơ quan {unit.agency!r}")

    set_groups = [c.group for c in campaign.criteria_sets]
    for s_index, criteria in enumerate(campaign.criteria_sets):
        path = f"criteria_sets[{s_index}]"
        if criteria.group not in groups:
            yield Problem(f"{path}.group", f"không có nhóm đơn vị {criteria.group!r}")
        if set_groups.count(criteria.group) > 1:
            yield Problem(f"{path}.group", f"nhóm {criteria.group!r} có nhiều bộ tiêu chí")
        yield from _own_unit_appraisers(campaign, criteria, path, agencies)
        for code, (appraiser, coordinators) in criteria.appraisers().items():
            if appraiser is None:
                yield Problem(f"{path}", f"tiêu chí {code} chưa có cơ quan thẩm định (ghi 'appraiser' ở lĩnh vực hoặc tiêu chí)")
            elif appraiser not in agencies:
                yield Problem(f"{path}", f"tiêu chí {code}: không có cơ quan thẩm định {appraiser!r} trong 'agencies'")
            for coordinator in coordinators:
                if coordinator not in agencies:
                    yield Problem(f"{path}", f"tiêu chí {code}: không có cơ quan phối hợp {coordinator!r}")
        for a_index, item in enumerate(criteria.adjustments):
            if item.appraiser not in agencies:
                yield Problem(f"{path}.adjustments[{a_index}].appraiser", f"không có cơ quan {item.appraiser!r}")

    sets = {c.group: c for c in campaign.criteria_sets}
    seen_units: set[str] = set()
    for a_index, assessment in enumerate(campaign.assessments):
        path = f"assessments[{a_index}]"
        if assessment.unit not in units:
            yield Problem(f"{path}.unit", f"không có đơn vị {assessment.unit!r}")
            continue
        if assessment.unit in seen_units:
            yield Problem(f"{path}.unit", f"đơn vị {assessment.unit!r} có hai bản tự đánh giá")
        seen_units.add(assessment.unit)
        criteria = sets.get(units[assessment.unit])
        if criteria is None:
            yield Problem(f"{path}.unit", f"nhóm của đơn vị {assessment.unit!r} chưa có bộ tiêu chí")
            continue
        leaves = {leaf.code: leaf for leaf in criteria.leaves()}
        report_date = None
        if assessment.report is not None and assessment.report.date.complete:
            d = assessment.report.date
            report_date = dt.date(d.year, d.month, d.day)
        codes = [s.code for s in assessment.scores]
        for s_index, score in enumerate(assessment.scores):
            s_path = f"{path}.scores[{s_index}]"
            leaf = leaves.get(score.code)
            if leaf is None:
                yield Problem(f"{s_path}.code", f"mã tiêu chí {score.code!r} không có trong bộ tiêu chí {criteria.id!r} "
                                                "(hoặc không phải tiêu chí lá)")
                continue
            if codes.count(score.code) > 1 and codes.index(score.code) != s_index:
                yield Problem(f"{s_path}.code", f"tiêu chí {score.code} được chấm hai lần")
            if leaf.scoring == "survey" and any(v is not None for v in (score.self_score, score.round1, score.round2)):
                yield Problem(f"{s_path}.self_score", f"tiêu chí {score.code} chỉ chấm qua điều tra xã hội học, "
                                                      "đơn vị và cơ quan thẩm định không chấm")
            if score.not_applicable and not leaf.not_applicable_when:
                yield Problem(f"{s_path}.not_applicable", not_applicable_refused(score.code))
            for name in ("self_score", "round1", "round2"):
                value = getattr(score, name)
                if value is not None and value > leaf.max_points:
                    yield Problem(f"{s_path}.{name}", over_maximum(value, leaf.max_points, score.code))
            if report_date is not None:
                for e_index, evidence in enumerate(score.evidence):
                    if evidence.date > report_date:
                        yield Problem(f"{s_path}.evidence[{e_index}].date",
                                      f"tài liệu kiểm chứng ngày {evidence.date:%d/%m/%Y} sau ngày báo cáo "
                                      f"{report_date:%d/%m/%Y}")
        items = {item.code: item for item in criteria.adjustments}
        for j, adjustment in enumerate(assessment.adjustments):
            item = items.get(adjustment.code)
            if item is None:
                yield Problem(f"{path}.adjustments[{j}].code", f"không có mục thưởng/trừ {adjustment.code!r}")
                continue
            for name in ("self_score", "appraised"):
                value = getattr(adjustment, name)
                if value is not None and value > item.max_points:
                    yield Problem(f"{path}.adjustments[{j}].{name}",
                                  over_maximum(value, item.max_points, item.code, adjustment=True))

    for v_index, answers in enumerate(campaign.survey_answers):
        path = f"survey_answers[{v_index}]"
        criteria = sets.get(units.get(answers.unit, ""))
        if answers.unit not in units:
            yield Problem(f"{path}.unit", f"không có đơn vị {answers.unit!r}")
            continue
        if criteria is None or criteria.survey_scale is None:
            yield Problem(f"{path}.unit", "bộ tiêu chí của đơn vị không có phần điều tra xã hội học")
            continue
        if answers.respondent_group not in {g.id for g in criteria.respondent_groups}:
            yield Problem(f"{path}.respondent_group", f"không có nhóm khảo sát {answers.respondent_group!r}")
        leaves = {leaf.code: leaf for leaf in criteria.leaves()}
        values = criteria.survey_scale.values
        for code, counts in answers.answers.items():
            leaf = leaves.get(code)
            if leaf is None or leaf.scoring != "survey":
                yield Problem(f"{path}.answers.{code}", f"{code!r} không phải tiêu chí chấm qua điều tra")
                continue
            if answers.respondent_group not in leaf.survey_groups:
                yield Problem(f"{path}.answers.{code}", f"nhóm {answers.respondent_group!r} không chấm tiêu chí {code}")
            for value, count in counts.items():
                try:
                    known = Decimal(value) in values
                except InvalidOperation:
                    known = False
                if not known:
                    yield Problem(f"{path}.answers.{code}", f"giá trị trả lời {value!r} không có trong thang khảo sát")
                if count < 0:
                    yield Problem(f"{path}.answers.{code}", "số phiếu không được âm")
            if sum(counts.values()) > answers.forms:
                yield Problem(f"{path}.answers.{code}", f"số câu trả lời {sum(counts.values())} nhiều hơn số phiếu {answers.forms}")

    yield from check_council(campaign)
    yield from check_dates(campaign)

    for p_index, previous in enumerate(campaign.previous_results):
        if previous.unit not in units:
            yield Problem(f"previous_results[{p_index}].unit", f"không có đơn vị {previous.unit!r}")


def check_council(campaign: Campaign) -> Iterator[Problem]:
    """A council has one Chủ tịch, no member twice, and a member from every appraising agency."""
    members = campaign.council
    meeting = campaign.secretariat_meeting
    if meeting is not None and not any(m.id == meeting.chair and m.body == "secretariat" for m in members):
        yield Problem("secretariat_meeting.chair", f"không có thành viên Tổ Thư ký {meeting.chair!r} để chủ trì")
    if not members:
        return
    agencies = {a.id for a in campaign.agencies}
    chairs = [m for m in members if m.body == "council" and m.role == "Chủ tịch"]
    if len(chairs) != 1:
        yield Problem("council", f"Hội đồng thẩm định phải có đúng một Chủ tịch (đang có {len(chairs)})")
    seen_ids: set[str] = set()
    seen_people: set[tuple[str, str]] = set()
    for index, member in enumerate(members):
        if member.id in seen_ids:
            yield Problem(f"council[{index}].id", f"thành viên {member.id!r} bị trùng")
        person = (member.name.casefold(), member.body)
        if person in seen_people:
            yield Problem(f"council[{index}].name", f"{member.name} có tên hai lần trong "
                                                    f"{'Hội đồng' if member.body == 'council' else 'Tổ Thư ký'}")
        seen_ids.add(member.id)
        seen_people.add(person)
        if member.agency not in agencies:
            yield Problem(f"council[{index}].agency", f"không có cơ quan {member.agency!r}")
        if member.body == "council" and member.role not in ("Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Thư ký"):
            yield Problem(f"council[{index}].role", f"chức danh {member.role!r} không dùng trong Hội đồng")
        if member.body == "secretariat" and member.role not in ("Tổ trưởng", "Tổ phó", "Tổ viên", "Thư ký"):
            yield Problem(f"council[{index}].role", f"chức danh {member.role!r} không dùng trong Tổ Thư ký")
    represented = {m.agency for m in members if m.body == "council"}
    for s_index, criteria in enumerate(campaign.criteria_sets):
        needed = {appraiser for appraiser, _ in criteria.appraisers().values() if appraiser}
        needed |= set(criteria.own_unit_appraisers.values())
        needed |= {item.appraiser for item in criteria.adjustments}
        for agency in sorted(needed - represented):
            yield Problem("council", f"cơ quan thẩm định {agency!r} (bộ tiêu chí {criteria.id!r}) chưa có thành viên "
                                     "trong Hội đồng thẩm định")


def _own_unit_appraisers(campaign: Campaign, criteria, path: str, agencies) -> Iterator[Problem]:
    """N5: an appraising agency that is itself a unit of the set's group has a substitute for its own
    criteria (Quy chế: a member does not appraise the agency where they work)."""
    appraising = {appraiser for appraiser, _ in criteria.appraisers().values() if appraiser}
    group = next((g for g in campaign.groups if g.id == criteria.group), None)
    for unit in group.units if group else []:
        own = unit.agency or unit.id
        substitute = criteria.own_unit_appraisers.get(own)
        if own in appraising and substitute is None:
            yield Problem(f"{path}.own_unit_appraisers",
                          f"{unit.name} vừa là đơn vị được đánh giá vừa thẩm định một số tiêu chí của bộ tiêu chí "
                          f"này: ghi cơ quan thẩm định thay cho '{own}' để đơn vị không tự thẩm định mình")
    for own, substitute in criteria.own_unit_appraisers.items():
        if substitute == own:
            yield Problem(f"{path}.own_unit_appraisers.{own}", f"cơ quan '{own}' không thẩm định thay cho chính mình")
        elif substitute not in agencies:
            yield Problem(f"{path}.own_unit_appraisers.{own}", f"không có cơ quan thẩm định {substitute!r} trong 'agencies'")


def check_dates(campaign: Campaign) -> Iterator[Problem]:
    """No task deadline before a dated plan; the submission deadline is one of the plan's deadlines."""
    plan = campaign.plan
    date = plan.header.date
    if plan.tasks is not None and date.complete:
        signed = dt.date(date.year, date.month, date.day)
        for index, task in enumerate(plan.tasks.items):
            if task.deadline is not None and task.deadline < signed:
                yield Problem(f"plan.tasks.items[{index}].deadline",
                              f"hạn {task.deadline:%d/%m/%Y} trước ngày ban hành kế hoạch {signed:%d/%m/%Y}")
    reporting = campaign.reporting
    if reporting is not None and reporting.deadline is not None and plan.tasks is not None:
        if reporting.deadline not in {t.deadline for t in plan.tasks.items}:
            yield Problem("reporting.deadline", f"hạn gửi báo cáo {reporting.deadline:%d/%m/%Y} không có trong bảng "
                                                "nhiệm vụ của kế hoạch (plan.tasks.items[].deadline)")
