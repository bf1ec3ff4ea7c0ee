"""Sở Nội vụ's drafting set, from the same campaign data: Quyết định thành lập Hội đồng thẩm định và
Tổ Thư ký, Quyết định ban hành Bộ tiêu chí, Hướng dẫn tự đánh giá, Tờ trình (kế hoạch, hội đồng, kết
quả), công văn đôn đốc and thông báo kết quả thẩm định, phiếu khảo sát. Each composer computes the
facts its template (``doc_templates/kinds/<kind>.txt``) words; none writes a sentence."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from data_models import Campaign, DocumentHeader, Signature
from data_models.scores import CouncilMember
from service.domain.calendar import task_producing, task_window, tasks_with_deadline
from service.domain.readiness import pending_units
from service.domain.scoring import compute_campaign
from service.domain.survey import survey_quotas
from service.vietnamese import format_citation_date, format_count, format_number, to_roman

from .body import Document
from .frame import annex_rule, bare_frame, build_frame
from .markup import TableRows
from .results import (annex_reference_for, citation_or_blanks, document_filler, issued, issued_citation, plan_citation,
                      proposal_citation)
from .figures import names_at, points
from .kind_templates import phrase
from .text import TextFiller, cite
from .wording import common_context, data_overrides, first_recipients, word

ROLE_ORDER = ["Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Tổ trưởng", "Tổ phó", "Thư ký", "Tổ viên"]


def _fill(campaign: Campaign, kind: str) -> TextFiller:
    return document_filler(campaign, kind)


#: Council roles as the data write them (matched in lower case).
CHAIR_ROLES = ("chủ tịch",)
DEPUTY_ROLES = ("phó chủ tịch",)


def _date(value: dt.date) -> str:
    return format_citation_date(value.year, value.month, value.day, "short")


def _groups(campaign: Campaign) -> str:
    return " và ".join(g.name for g in campaign.groups)


def council_members(campaign: Campaign, body: str) -> list[CouncilMember]:
    """Members of the council or the secretariat, by role (Chủ tịch first), then as listed."""
    members = [m for m in campaign.council if m.body == body]
    return sorted(members, key=lambda m: (ROLE_ORDER.index(m.role), campaign.council.index(m)))


def member_rows(members: list[CouncilMember]) -> list[list[str]]:
    return [[str(n), m.name, m.title, m.role] for n, m in enumerate(members, start=1)]


def _common(campaign: Campaign, settings) -> dict:
    return common_context(campaign, campaign.agency(settings.header.issuer).name, plan_citation(campaign))


def _rows(rows) -> tuple:
    return tuple(tuple(row) for row in rows)


def council_signature(campaign: Campaign, addressed_to: str | None = None) -> Signature:
    """The council signs: its vice-chair for the chair (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), or its chair.
    A letter to the unit ``addressed_to`` is never signed by someone who works there (N5: the Giám
    đốc Sở Nội vụ, vice-chair, does not notify her own Sở of its cuts): the chair signs it."""
    members = council_members(campaign, "council")
    if addressed_to is not None:
        unit = campaign.unit(addressed_to)
        members = [m for m in members if m.agency != (unit.agency or unit.id)]
    deputy = next((m for m in members if m.role.lower().startswith(DEPUTY_ROLES)), None)
    chair = next((m for m in members if m.role.lower() in CHAIR_ROLES), None)
    if deputy is not None:
        return Signature(authority="KT", principal=chair.role if chair else "Chủ tịch", title=deputy.role,
                         name=deputy.name)
    if chair is None:
        raise ValueError("chiến dịch chưa có Chủ tịch Hội đồng thẩm định ('council') để ký văn bản của Hội đồng")
    return Signature(title=chair.role, name=chair.name)


def _require_council(campaign: Campaign) -> None:
    if not council_members(campaign, "council"):
        raise ValueError("chiến dịch chưa có danh sách Hội đồng thẩm định: nhập ở trang «Soạn thảo văn bản → Hội đồng thẩm định» (tệp campaign.json: mục 'council')")


# ---------------------------------------------------------------------------- decisions
def compose_council_decision(campaign: Campaign, template: str | None = None) -> Document:
    """QĐ thành lập Hội đồng thẩm định và Tổ Thư ký; members in two annexes (Phụ lục I, II)."""
    _require_council(campaign)
    kind = "quyet-dinh-hoi-dong"
    settings = issued(campaign, kind)
    fill = _fill(campaign, kind)
    secretariat = council_members(campaign, "secretariat")
    context = {**_common(campaign, settings),
               "hoi_dong": TableRows(_rows(member_rows(council_members(campaign, "council")))),
               "to_thu_ky": TableRows(_rows(member_rows(secretariat))) if secretariat else None,
               "to_trinh": proposal_citation(campaign, kind)}
    worded = word(kind, context, template, data_overrides(settings, fill))
    frame = build_frame(campaign, settings.header, "quyet-dinh", list(worded.title or ()), settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=first_recipients(worded))
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]),
                    annexes=worded.annex(reference, annex_rule))


def compose_council_rules(campaign: Campaign, template: str | None = None) -> Document:
    """QĐ ban hành Quy chế làm việc của Hội đồng thẩm định (the council's own act, in its register), the
    Quy chế as its annex: the quorum counted from the council, the explanation days from the campaign."""
    _require_council(campaign)
    kind = "quyet-dinh-quy-che"
    settings = issued(campaign, kind)
    council = council_members(campaign, "council")
    chair = next((m for m in council if m.role.lower() in CHAIR_ROLES), council[0])
    context = {**_common(campaign, settings), "tong_so": format_count(len(council)),
               "du_so": format_count(len(council) // 2 + 1), "chu_tich": chair.name,
               "co_pho_chu_tich": any(m.role.lower().startswith(DEPUTY_ROLES) for m in council),
               "co_to_thu_ky": bool(council_members(campaign, "secretariat")),
               "so_ngay_giai_trinh": format_count(campaign.reporting.explanation_days if campaign.reporting else 5),
               "quyet_dinh_thanh_lap": citation_or_blanks(campaign, "quyet-dinh-hoi-dong", "quyet-dinh")}
    worded = word(kind, context, template, data_overrides(settings, _fill(campaign, kind)))
    frame = build_frame(campaign, settings.header, "quyet-dinh", list(worded.title or ()), settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=first_recipients(worded))
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định").replace("(Kèm theo", phrase("ban-hanh-kem-theo"), 1)
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]),
                    annexes=worded.annex(reference, annex_rule))


def compose_criteria_decision(campaign: Campaign, template: str | None = None) -> Document:
    """QĐ ban hành Bộ tiêu chí: the criteria set of each group as a landscape annex table."""
    if not campaign.criteria_sets:
        raise ValueError("chiến dịch chưa có bộ tiêu chí ('criteria_sets')")
    kind = "quyet-dinh-bo-tieu-chi"
    settings = issued(campaign, kind)
    sets = [c for g in campaign.groups for c in campaign.criteria_sets if c.group == g.id]
    references = {ref.id: ref for ref in campaign.plan.references}
    context = {**_common(campaign, settings), "cac_bo_tieu_chi": [_criteria_set(criteria) for criteria in sets],
               "xep_loai": _bands(campaign),
               "thay_the": cite(references[settings.replaces], "cua", campaign.plan.citation_style)
               if settings.replaces else None}
    worded = word(kind, context, template, data_overrides(settings, _fill(campaign, kind)))
    frame = build_frame(campaign, settings.header, "quyet-dinh", list(worded.title or ()), settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=first_recipients(worded))
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]),
                    annexes=worded.annex(reference, annex_rule))


def _cap(criteria, kind: str, cap) -> Decimal:
    """The most a unit can gain (or lose) by its bonus (deduction) items: the set's cap, or their sum."""
    total = sum((i.max_points for i in criteria.adjustments if i.kind == kind), Decimal(0))
    return min(total, cap) if cap is not None else total


def _bands(campaign: Campaign) -> list[dict]:
    """Each class with its range of the index, highest first: 'từ 95' … 'dưới 70'."""
    bands = campaign.classification.bands if campaign.classification else []
    return [{"ten": band.name, "tu": points(band.min) if band.min else None,
             "duoi": points(bands[index - 1].min) if index else None} for index, band in enumerate(bands)]


def _criteria_set(criteria) -> dict:
    """A criteria set as the decision's annex shows it: every node, the total, bonuses and deductions."""
    return {"ten": criteria.name, "tong_diem": points(criteria.total),
            "tieu_chi": [{"ma": node.code, "noi_dung": node.title, "diem_toi_da": points(node.max_points),
                          "cach_tinh": (node.rule or "").strip(), "tai_lieu": node.evidence or "",
                          "linh_vuc": "." not in node.code, "dieu_tra": node.is_leaf and node.scoring == "survey"}
                         for node in criteria.nodes()],
            "thuong_tru": [{"ma": item.code, "thuong": item.kind == "bonus", "noi_dung": item.title,
                            "diem_toi_da": points(item.max_points), "cach_tinh": item.rule or ""}
                           for item in criteria.adjustments],
            # D29: the caps and the survey scale the set is scored with, stated in the decision itself
            "thuong_toi_da": points(_cap(criteria, "bonus", criteria.bonus_cap)),
            "tru_toi_da": points(_cap(criteria, "deduction", criteria.deduction_cap)),
            "thang_do": [f"{o.label} ({format_number(o.value)})" for o in criteria.survey_scale.options]
            if criteria.survey_scale else []}


# ---------------------------------------------------------------------------- Hướng dẫn
def _deadlines(campaign: Campaign) -> list[tuple[str, dt.date]]:
    """(task as the plan words it, deadline) of the calendar's tasks with a deadline, in order."""
    fill = _fill(campaign, "huong-dan")
    return [(fill(t.content[0]).rstrip("."), t.deadline) for t in tasks_with_deadline(campaign)]


def _fields_guide(campaign: Campaign, criteria) -> list[dict]:
    """Each field of one criteria set: its appraising agency, the leaves another agency appraises
    (the xã field 8 is not the sở field 8), the evidence its leaves ask for."""
    appraisers = criteria.appraisers()
    out = []
    for f in criteria.fields:
        leaves = [l for l in criteria.leaves() if l.code.split(".")[0] == f.code]
        own = appraisers[f.code][0]
        others = [(l.code, appraisers[l.code][0]) for l in leaves if l.scoring == "appraised"
                  and appraisers[l.code][0] not in (None, own)]
        out.append({"ma": f.code, "ten": f.title,
                    "co_quan_tham_dinh": campaign.agency(own).name if own else "",
                    "rieng": [{"ma": code, "co_quan": campaign.agency(agency).name} for code, agency in others],
                    "tai_lieu": [e.rstrip(".") for e in sorted({l.evidence for l in leaves if l.evidence})]})
    return out


def compose_guidance(campaign: Campaign, template: str | None = None) -> Document:
    """Hướng dẫn tự đánh giá, chấm điểm: scope, how to score, evidence per field, deadlines, submission."""
    if not campaign.criteria_sets:
        raise ValueError("chiến dịch chưa có bộ tiêu chí ('criteria_sets')")
    kind = "huong-dan"
    settings = issued(campaign, kind)
    reporting = campaign.reporting
    issuer = campaign.agency(settings.header.issuer).name
    sets = [{"ten": c.name, "so_linh_vuc": format_count(len(c.fields)), "tong_diem": points(c.total),
             "diem_dieu_tra": points(sum((l.max_points for l in c.leaves() if l.scoring == "survey"), c.total * 0)),
             "nhom": next(g for g in campaign.groups if g.id == c.group).name, "linh_vuc": _fields_guide(campaign, c),
             # N5: whose criteria an appraising agency does not appraise, and who does instead
             "tham_dinh_cheo": [{"co_quan": campaign.agency(own).name, "thay": campaign.agency(other).name}
                                for own, other in c.own_unit_appraisers.items()]}
            for c in campaign.criteria_sets]
    context = {
        **_common(campaign, settings),
        "cac_bo_tieu_chi": sets,
        "linh_vuc": sets[0]["linh_vuc"],
        "thoi_han": [{"nhiem_vu": task, "han": _date(when)} for task, when in _deadlines(campaign)],
        "noi_nhan_bao_cao": ", ".join(reporting.addressees) if reporting else issuer,
        "han_bao_cao": _date(reporting.deadline) if reporting and reporting.deadline else None,
    }
    worded = word(kind, context, template, data_overrides(settings, _fill(campaign, kind)))
    frame = build_frame(campaign, settings.header, "huong-dan", list(worded.title or ()), settings.signature,
                        settings.recipients)
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


# ---------------------------------------------------------------------------- Tờ trình
def compose_submission(campaign: Campaign, kind: str, template: str | None = None) -> Document:
    """Tờ trình of Sở Nội vụ to UBND tỉnh: reasons, legal basis, proposal, 'Kính trình … xem xét, quyết định./.'"""
    settings = issued(campaign, kind)
    fill = _fill(campaign, kind)
    context = {**_common(campaign, settings), "can_cu": [fill(line) for line in settings.basis],
               "kinh_gui": settings.addressees[0] if settings.addressees else None}
    if kind == "to-trinh-hoi-dong":
        _require_council(campaign)
        secretariat = council_members(campaign, "secretariat")
        context["hoi_dong"] = TableRows(_rows(member_rows(council_members(campaign, "council"))))
        context["to_thu_ky"] = TableRows(_rows(member_rows(secretariat))) if secretariat else None
    elif kind == "to-trinh-ket-qua":
        results = compute_campaign(campaign)
        if not results.groups:
            raise ValueError("chưa có kết quả chấm điểm để trình (criteria_sets, assessments)")
        # D2: only units whose appraisal is final are ranked in the text (a unit not yet appraised is not
        # the 'lowest at 0,00%'); the rest are counted, and issuing waits for them (readiness)
        waiting = pending_units(campaign, dt.date.max)
        context["ket_qua"] = []
        for group in campaign.groups:
            ranked = [r for r in results.groups.get(group.id, []) if r.unit_id not in waiting]
            unfinished = sum(1 for u in group.units if u.id in waiting)
            if not ranked and not unfinished:
                continue
            top, bottom = (ranked[0].index, ranked[-1].index) if ranked else (None, None)
            context["ket_qua"].append(
                {"ten": group.name, "so_don_vi": str(len(ranked)), "chua_xong": format_count(unfinished) if unfinished else None,
                 "bang_nhau": top == bottom, "cao_nhat": names_at(ranked, top) if ranked else "",
                 "chi_so_cao_nhat": points(top) if ranked else "",
                 "thap_nhat": names_at(ranked, bottom) if ranked else "", "chi_so_thap_nhat": points(bottom) if ranked else ""})
        # attach and cite only what the campaign has (D2: Hà Nam has no Báo cáo kết quả, Biên bản or QĐ công bố)
        context["co_bao_cao"] = "bao-cao-ket-qua" in campaign.documents
        context["co_bien_ban"] = campaign.meeting is not None
        context["co_du_thao_quyet_dinh"] = "quyet-dinh-cong-bo" in campaign.documents
    else:
        tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
        context["so_phan"], context["so_nhiem_vu"] = format_count(len(campaign.plan.sections)), format_count(len(tasks))
    overrides = data_overrides(settings, fill)
    overrides["can-cu"] = None                          # a Tờ trình lists its căn cứ in section II itself
    worded = word(kind, context, template, overrides)
    frame = build_frame(campaign, settings.header, "to-trinh", list(worded.title or ()), settings.signature,
                        settings.recipients, addressees=list(settings.addressees))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


# ---------------------------------------------------------------------------- Công văn
def late_units(campaign: Campaign, as_of: dt.date) -> list[str]:
    """Units with no self-assessment report dated on or before ``as_of``."""
    late = []
    for unit in campaign.units():
        assessment = campaign.assessment(unit.id)
        report = assessment.report if assessment else None
        if (report is None or not report.date.complete
                or dt.date(report.date.year, report.date.month, report.date.day) > as_of):
            late.append(unit.id)
    return late


def reminded_units(campaign: Campaign, header: DocumentHeader, as_of: dt.date) -> list[str]:
    """The late units the reminder goes to: the issuing agency does not remind itself (D4), its own late
    report is an internal matter."""
    return [u for u in late_units(campaign, as_of) if campaign.unit(u).agency != header.issuer]


def _letter_date(header: DocumentHeader, campaign: Campaign | None = None) -> dt.date:
    """The day whose late units the letter names: its own date once written, and while it is a draft
    without a day the reporting deadline it follows (every unit with no report by then)."""
    date = header.date
    if date.complete:
        return dt.date(date.year, date.month, date.day)
    if campaign is not None and campaign.reporting is not None and campaign.reporting.deadline is not None:
        return campaign.reporting.deadline
    raise ValueError("công văn đôn đốc cần ngày (documents.cong-van-don-doc.header.date) hoặc hạn gửi báo cáo "
                     "(reporting.deadline) để xác định đơn vị chưa nộp")


def compose_reminder(campaign: Campaign, template: str | None = None) -> Document:
    """Công văn đôn đốc: to exactly the units that had not submitted by the letter's date."""
    kind = "cong-van-don-doc"
    settings = issued(campaign, kind)
    reporting = campaign.reporting
    if reporting is None or reporting.deadline is None:
        raise ValueError("cần hạn gửi báo cáo 'reporting.deadline'")
    as_of = _letter_date(settings.header, campaign)
    late = reminded_units(campaign, settings.header, as_of)
    if not late:
        raise ValueError(f"đến ngày {_date(as_of)} mọi đơn vị đã gửi báo cáo: không cần đôn đốc")
    names = [campaign.unit(u).name for u in late]
    context = {**_common(campaign, settings), "han_bao_cao": _date(reporting.deadline), "ngay_cong_van": _date(as_of),
               "so_don_vi_chua_nop": format_count(len(late)), "don_vi_chua_nop": names}
    worded = word(kind, context, template, data_overrides(settings, _fill(campaign, kind)))
    frame = build_frame(campaign, settings.header, "cong-van", [], settings.signature, settings.recipients,
                        addressees=names, subject=worded.subject)
    return Document(kind, frame, worded.body, kind, title=f"V/v {worded.subject}", meta={"units": late})


# ---------------------------------------------------------------------------- Phiếu khảo sát
def quota_rows(survey) -> dict:
    """The survey plan's quota table: levels I, II … with their totals, their groups 1, 2 … with the
    factors that make each quota, and the grand total (every figure computed)."""
    quotas = survey_quotas(survey)
    rows = []
    for number, level in enumerate(quotas.levels, start=1):
        rows.append({"doi_tuong": level.level.heading.rstrip(":"), "cach_tinh": "", "so_phieu": format_number(level.total),
                     "cap": True, "so": to_roman(number)})
        rows += [{"doi_tuong": g.group.respondents, "so_phieu": format_number(g.quota), "cap": False, "so": str(index),
                  "cach_tinh": " x ".join(f"{format_count(f.count)} {f.unit}" for f in g.group.factors)}
                 for index, g in enumerate(level.groups, start=1)]
    return {"dong": rows, "tong": format_number(quotas.total)}


def _survey_sets(campaign: Campaign) -> list:
    return [c for c in campaign.criteria_sets if c.survey_scale and any(l.scoring == "survey" for l in c.leaves())]


def compose_survey_plan(campaign: Campaign, template: str | None = None) -> Document:
    """Kế hoạch điều tra xã hội học: who is asked and how many forms (the plan's sample, computed),
    which questions each group answers and on what scale (the criteria sets), when (the plan's task)."""
    kind = "ke-hoach-dieu-tra-xhh"
    survey = campaign.plan.survey
    sets = _survey_sets(campaign)
    if survey is None or not sets:
        raise ValueError("kế hoạch chưa có mẫu điều tra xã hội học (plan.survey) hoặc bộ tiêu chí chưa có tiêu chí điều tra")
    settings = issued(campaign, kind)
    task = task_producing(campaign, "phieu-khao-sat") or task_producing(campaign, kind)
    window = task_window(task, campaign.year) if task is not None else None
    forms = [{"bo_tieu_chi": c.name, "nhom": next(g for g in campaign.groups if g.id == c.group).name,
              "doi_tuong": [{"ten": g.name[:1].lower() + g.name[1:], "so_cau_hoi": format_count(sum(1 for l in c.leaves()
                                                                        if l.scoring == "survey" and g.id in l.survey_groups))}
                            for g in c.respondent_groups],
              "thang_do": [f"{o.label} ({format_number(o.value)})" for o in c.survey_scale.options],
              "diem": points(sum((l.max_points for l in c.leaves() if l.scoring == "survey"), c.total * 0))}
             for c in sets]
    context = {**_common(campaign, settings), "phat_phieu": quota_rows(survey), "phieu": forms,
               "thoi_gian": window.describe() if window else None,
               "han_tong_hop": _date(window.last) if window and window.last else None}
    worded = word(kind, context, template, data_overrides(settings, _fill(campaign, kind)))
    frame = build_frame(campaign, settings.header, "ke-hoach", list(worded.title or ()), settings.signature,
                        settings.recipients, recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


def compose_survey_forms(campaign: Campaign, template: str | None = None) -> Document:
    """One form per respondent group of each criteria set (questions = survey-only leaves, graded
    answers, no respondent names), then the survey plan with its computed quotas where the plan has one."""
    sets = _survey_sets(campaign)
    if not sets:
        raise ValueError("bộ tiêu chí chưa có tiêu chí điều tra xã hội học ('scoring': 'survey')")
    forms = []
    for criteria in sets:
        options = criteria.survey_scale.options
        width = round(70 / len(options), 1)
        for group in criteria.respondent_groups:
            questions = [l for l in criteria.leaves() if l.scoring == "survey" and group.id in l.survey_groups]
            if questions:
                forms.append({"nhom": group.name, "bo_tieu_chi": criteria.name,
                              "rong_noi_dung": str(165 - 12 - width * len(options)), "rong_lua_chon": str(width),
                              "lua_chon": [{"nhan": o.label, "gia_tri": format_number(o.value)} for o in options],
                              "cau_hoi": [{"ma": l.code, "noi_dung": l.title,
                                           "muc": list(l.answer_labels) or [o.label for o in options]}
                                          for l in questions]})
    survey = campaign.plan.survey
    distribution = quota_rows(survey) if survey is not None else None
    context = {**common_context(campaign, campaign.agency(campaign.plan.header.issuer).name, plan_citation(campaign)),
               "phieu": forms, "phat_phieu": distribution}
    worded = word("phieu-khao-sat", context, template)
    return Document("phieu-khao-sat", bare_frame([]), worded.body, "phieu-khao-sat", title=" ".join(worded.title or ()))
