"""Sở Nội vụ's drafting set, from the same campaign data: Quyết định thành lập Hội đồng thẩm định và
Tổ Thư ký, Quyết định ban hành Bộ tiêu chí, Hướng dẫn tự đánh giá, Tờ trình (kế hoạch, hội đồng, kết
quả), công văn đôn đốc and thông báo kết quả thẩm định, phiếu khảo sát."""
from __future__ import annotations

import datetime as dt

from data_models import Campaign, DocumentHeader
from data_models.scores import CouncilMember
from service.domain.scoring import compute_campaign
from service.domain.survey import survey_quotas
from service.vietnamese import capitalize_first, format_citation_date, format_count, format_number

from .body import Annex, Document, paragraph
from .frame import annex_rule, bare_frame, build_frame
from .results import ANNEX_NUMERALS, annex_reference_for, issued, plan_citation
from .skeletons import article, basis_lines, decision_marker, grid, points, section_heading
from .text import TextFiller
from .unit_reports import flagged_leaves

MEMBER_COLUMNS = [("STT", 12, "center"), ("Họ và tên", 40, "left"), ("Chức vụ, cơ quan", 78, "left"),
                  ("Chức danh", 35, "center")]
CRITERIA_COLUMNS = [("Mã", 16, "center"), ("Nội dung", 85, "left"), ("Điểm tối đa", 18, "center"),
                    ("Cách tính điểm", 68, "left"), ("Tài liệu kiểm chứng", 65, "left")]
ROLE_ORDER = ["Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Tổ trưởng", "Tổ phó", "Thư ký", "Tổ viên"]


def _fill(campaign: Campaign) -> TextFiller:
    return TextFiller(campaign, campaign.plan.citation_style)


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


def _require_council(campaign: Campaign) -> None:
    if not council_members(campaign, "council"):
        raise ValueError("chiến dịch chưa có danh sách Hội đồng thẩm định ('council' trong campaign.json)")


# ---------------------------------------------------------------------------- decisions
def compose_council_decision(campaign: Campaign) -> Document:
    """QĐ thành lập Hội đồng thẩm định và Tổ Thư ký; members in two annexes (Phụ lục I, II)."""
    _require_council(campaign)
    settings = issued(campaign, "quyet-dinh-hoi-dong")
    fill, year = _fill(campaign), campaign.year
    title = settings.title or ["Thành lập Hội đồng thẩm định và Tổ Thư ký giúp việc Hội đồng thẩm định",
                               f"xác định Chỉ số cải cách hành chính năm {year}"]
    frame = build_frame(campaign, settings.header, "quyet-dinh", [fill(t) for t in title], settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=[("Như Điều 5", None)])
    secretariat = council_members(campaign, "secretariat")
    body = [*basis_lines([fill(line) for line in settings.basis]), decision_marker()]
    body += article(1, f"Thành lập Hội đồng thẩm định kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành "
                       f"chính năm {year} của {_groups(campaign)} (sau đây gọi là Hội đồng thẩm định), gồm các thành "
                       "viên có tên tại Phụ lục I kèm theo Quyết định này.")
    body += article(2, "Nhiệm vụ, quyền hạn của Hội đồng thẩm định", [
        ("Thẩm định kết quả tự đánh giá, chấm điểm của các cơ quan, đơn vị:", [
            "Thẩm định lần 1 theo lĩnh vực, tiêu chí được phân công; thông báo kết quả và yêu cầu giải trình;",
            "Xem xét báo cáo giải trình, tài liệu kiểm chứng bổ sung và thẩm định lần 2;",
            "Thống nhất kết quả thẩm định tại cuộc họp của Hội đồng."]),
        "Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh xem xét, phê duyệt và công bố Chỉ số cải cách hành chính.",
        "Thành viên Hội đồng làm việc theo chế độ kiêm nhiệm; Chủ tịch Hội đồng phân công nhiệm vụ cho các thành viên."])
    body += article(3, "Thành lập Tổ Thư ký giúp việc Hội đồng thẩm định, gồm các thành viên có tên tại Phụ lục II "
                       "kèm theo Quyết định này. Tổ Thư ký tổng hợp hồ sơ, chuẩn bị nội dung các cuộc họp và dự thảo "
                       "văn bản của Hội đồng thẩm định." if secretariat else
                    "Sở Nội vụ là cơ quan thường trực, giúp việc Hội đồng thẩm định.")
    body += article(4, "Hội đồng thẩm định và Tổ Thư ký tự giải thể sau khi hoàn thành nhiệm vụ. Quyết định này có "
                       "hiệu lực kể từ ngày ký.")
    body += article(5, "Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các cơ quan, đơn vị có liên quan và các ông, "
                       "bà có tên tại Điều 1, Điều 3 chịu trách nhiệm thi hành Quyết định này./.")
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    annexes = [Annex("Phụ lục I", "DANH SÁCH THÀNH VIÊN HỘI ĐỒNG THẨM ĐỊNH", reference,
                     (grid(MEMBER_COLUMNS, member_rows(council_members(campaign, "council"))),),
                     annex_rule("DANH SÁCH THÀNH VIÊN HỘI ĐỒNG THẨM ĐỊNH", False))]
    if secretariat:
        annexes.append(Annex("Phụ lục II", "DANH SÁCH THÀNH VIÊN TỔ THƯ KÝ", reference,
                             (grid(MEMBER_COLUMNS, member_rows(secretariat)),),
                             annex_rule("DANH SÁCH THÀNH VIÊN TỔ THƯ KÝ", False)))
    return Document("quyet-dinh-hoi-dong", frame, tuple(body), "quyet-dinh-hoi-dong",
                    title=" ".join([frame.type_name, *frame.title_lines]), annexes=tuple(annexes))


def compose_criteria_decision(campaign: Campaign) -> Document:
    """QĐ ban hành Bộ tiêu chí: the criteria set of each group as a landscape annex table."""
    if not campaign.criteria_sets:
        raise ValueError("chiến dịch chưa có bộ tiêu chí ('criteria_sets')")
    settings = issued(campaign, "quyet-dinh-bo-tieu-chi")
    fill, year = _fill(campaign), campaign.year
    sets = [c for g in campaign.groups for c in campaign.criteria_sets if c.group == g.id]
    labels = ANNEX_NUMERALS[:len(sets)] if len(sets) > 1 else [""]
    names = ", ".join(f"Phụ lục {label}".strip() for label in labels)
    title = settings.title or [f"Ban hành Bộ tiêu chí xác định Chỉ số cải cách hành chính năm {year}",
                               f"của {_groups(campaign)}"]
    frame = build_frame(campaign, settings.header, "quyet-dinh", [fill(t) for t in title], settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=[("Như Điều 3", None)])
    body = [*basis_lines([fill(line) for line in settings.basis]), decision_marker()]
    body += article(1, f"Ban hành kèm theo Quyết định này Bộ tiêu chí xác định Chỉ số cải cách hành chính của "
                       f"{_groups(campaign)} ({names}).")
    body += article(2, "Giao Sở Nội vụ hướng dẫn, theo dõi, đôn đốc các cơ quan, đơn vị tự đánh giá, chấm điểm theo "
                       "Bộ tiêu chí; tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.")
    body += article(3, "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở "
                       f"Nội vụ, Thủ trưởng {_groups(campaign)} chịu trách nhiệm thi hành Quyết định này./.")
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    annexes = []
    for label, criteria in zip(labels, sets):
        rows, bold = [], set()
        for node in criteria.nodes():
            if "." not in node.code:
                bold.add(len(rows))
            rule = node.rule or ""
            if node.is_leaf and node.scoring == "survey":
                rule = (node.rule or "") + " (điểm điều tra xã hội học)"
            rows.append([node.code, node.title, points(node.max_points), rule.strip(), node.evidence or ""])
        rows.append(["", "Tổng cộng", points(criteria.total), "", ""])
        bold.add(len(rows) - 1)
        for item in criteria.adjustments:
            rows.append([item.code, f"{'Điểm thưởng' if item.kind == 'bonus' else 'Điểm trừ'}: {item.title}",
                         points(item.max_points), item.rule or "", ""])
        title_text = criteria.name.upper()
        annexes.append(Annex(f"Phụ lục {label}".strip(), title_text, reference, (grid(CRITERIA_COLUMNS, rows, bold, 11),),
                             annex_rule(title_text, True), landscape=True))
    return Document("quyet-dinh-bo-tieu-chi", frame, tuple(body), "quyet-dinh-bo-tieu-chi",
                    title=" ".join([frame.type_name, *frame.title_lines]), annexes=tuple(annexes))


# ---------------------------------------------------------------------------- Hướng dẫn
def plan_deadlines(campaign: Campaign) -> list[tuple[str, dt.date]]:
    """(task, deadline) of every task of the plan that has a structured deadline, in order."""
    fill = _fill(campaign)
    tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
    return [(fill(t.content[0]).rstrip("."), t.deadline) for t in tasks if t.deadline is not None]


def compose_guidance(campaign: Campaign) -> Document:
    """Hướng dẫn tự đánh giá, chấm điểm: scope, how to score, evidence per field, deadlines, submission."""
    if not campaign.criteria_sets:
        raise ValueError("chiến dịch chưa có bộ tiêu chí ('criteria_sets')")
    settings = issued(campaign, "huong-dan")
    year = campaign.year
    frame = build_frame(campaign, settings.header, "huong-dan",
                        settings.title or [f"Tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {year}"],
                        settings.signature, settings.recipients)
    body = [paragraph(f"Thực hiện {plan_citation(campaign)}, {campaign.agency(settings.header.issuer).name} hướng dẫn "
                      f"các cơ quan, đơn vị tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {year} "
                      "như sau:"),
            section_heading(1, "Mục đích, phạm vi, đối tượng"),
            paragraph("Bảo đảm việc tự đánh giá, chấm điểm thống nhất, trung thực, có đủ tài liệu kiểm chứng; làm cơ sở "
                      "cho việc thẩm định và xác định Chỉ số cải cách hành chính."),
            paragraph(f"Đối tượng: {_groups(campaign)}."),
            section_heading(2, "Nội dung hướng dẫn"),
            paragraph("1. Cách chấm điểm", bold=True, keep_next=True),
            paragraph("a) Đơn vị chấm điểm từng tiêu chí thành phần, không vượt điểm tối đa; điểm lẻ đến hai chữ số "
                      "thập phân; mỗi điểm chấm phải có thuyết minh và tài liệu kiểm chứng (số, ký hiệu, ngày, trích yếu)."),
            paragraph("b) Tiêu chí không thuộc chức năng, nhiệm vụ của đơn vị thì ghi \"Không áp dụng\" và nêu lý do; "
                      "điểm tối đa của đơn vị giảm tương ứng."),
            paragraph("c) Các tiêu chí đánh giá qua điều tra xã hội học đơn vị không tự chấm điểm.")]
    for criteria in campaign.criteria_sets:
        group = next(g for g in campaign.groups if g.id == criteria.group)
        survey = sum((l.max_points for l in criteria.leaves() if l.scoring == "survey"), criteria.total * 0)
        body.append(paragraph(f"- {capitalize_first(criteria.name)}: {format_count(len(criteria.fields))} lĩnh vực, "
                              f"tổng {points(criteria.total)} điểm, trong đó {points(survey)} điểm qua điều tra xã hội "
                              f"học; áp dụng cho {group.name}."))
    body.append(paragraph("2. Tài liệu kiểm chứng theo lĩnh vực", bold=True, keep_next=True))
    criteria = campaign.criteria_sets[0]
    appraisers = criteria.appraisers()
    for field in criteria.fields:
        agency = campaign.agency(appraisers[field.code][0]).name
        evidence = sorted({l.evidence for l in criteria.leaves() if l.code.split(".")[0] == field.code and l.evidence})
        body.append(paragraph(f"- Lĩnh vực {field.code} ({field.title}, cơ quan thẩm định: {agency}): "
                              + ("; ".join(e.rstrip(".") for e in evidence) or "không yêu cầu tài liệu kiểm chứng") + "."))
    body.append(section_heading(3, "Thời hạn thực hiện"))
    deadlines = plan_deadlines(campaign)
    body += [paragraph(f"- {task}: hạn {_date(when)}{'.' if i == len(deadlines) - 1 else ';'}")
             for i, (task, when) in enumerate(deadlines)] or [paragraph("Theo Kế hoạch của Ủy ban nhân dân tỉnh.")]
    body.append(section_heading(4, "Tổ chức thực hiện"))
    reporting = campaign.reporting
    destination = ", ".join(reporting.addressees) if reporting else campaign.agency(settings.header.issuer).name
    deadline = f" trước ngày {_date(reporting.deadline)}" if reporting and reporting.deadline else ""
    body.append(paragraph(f"Các cơ quan, đơn vị gửi Báo cáo tự đánh giá, chấm điểm kèm tài liệu kiểm chứng về "
                          f"{destination}{deadline}. Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về "
                          f"{campaign.agency(settings.header.issuer).name} để được hướng dẫn./."))
    return Document("huong-dan", frame, tuple(body), "huong-dan", title=" ".join([frame.type_name, *frame.title_lines]))


# ---------------------------------------------------------------------------- Tờ trình
SUBMISSIONS = {
    "to-trinh-ke-hoach": "ban hành Kế hoạch triển khai đánh giá, xác định Chỉ số cải cách hành chính năm {year}",
    "to-trinh-hoi-dong": "thành lập Hội đồng thẩm định và Tổ Thư ký xác định Chỉ số cải cách hành chính năm {year}",
    "to-trinh-ket-qua": "phê duyệt và công bố Chỉ số cải cách hành chính năm {year}",
}


def compose_submission(campaign: Campaign, kind: str) -> Document:
    """Tờ trình of Sở Nội vụ to UBND tỉnh: reasons, legal basis, proposal, 'Kính trình … xem xét, quyết định./.'"""
    settings = issued(campaign, kind)
    fill, year = _fill(campaign), campaign.year
    subject = SUBMISSIONS[kind].format(year=year)
    issuer = campaign.agency(settings.header.issuer)
    frame = build_frame(campaign, settings.header, "to-trinh", settings.title or [f"Về việc {subject}"],
                        settings.signature, settings.recipients, addressees=list(settings.addressees))
    body = [section_heading(1, "Sự cần thiết"),
            paragraph(f"Để tổ chức đánh giá, xác định Chỉ số cải cách hành chính năm {year} của {_groups(campaign)} "
                      f"đúng tiến độ theo {plan_citation(campaign)}, {issuer.name} đề nghị {subject}."),
            section_heading(2, "Căn cứ pháp lý")]
    body += [paragraph(f"- {fill(line).rstrip(';.')};") for line in settings.basis] or \
        [paragraph(f"- {plan_citation(campaign)}.")]
    if len(body) > 3:
        body[-1] = paragraph(body[-1].text.rstrip(";") + ".")
    body.append(section_heading(3, "Nội dung đề xuất"))
    if kind == "to-trinh-hoi-dong":
        _require_council(campaign)
        body.append(paragraph("1. Hội đồng thẩm định gồm các thành viên:", keep_next=True))
        body.append(grid(MEMBER_COLUMNS, member_rows(council_members(campaign, "council"))))
        if council_members(campaign, "secretariat"):
            body.append(paragraph("2. Tổ Thư ký giúp việc Hội đồng thẩm định gồm các thành viên:", keep_next=True))
            body.append(grid(MEMBER_COLUMNS, member_rows(council_members(campaign, "secretariat"))))
    elif kind == "to-trinh-ket-qua":
        results = compute_campaign(campaign)
        if not results.groups:
            raise ValueError("chưa có kết quả chấm điểm để trình (criteria_sets, assessments)")
        for group in campaign.groups:
            if group.id not in results.groups:
                continue
            ranked = results.groups[group.id]
            body.append(paragraph(f"- {capitalize_first(group.name)}: {len(ranked)} đơn vị; cao nhất {ranked[0].unit_name} "
                                  f"({points(ranked[0].index)}%), thấp nhất {ranked[-1].unit_name} ({points(ranked[-1].index)}%)."))
        body.append(paragraph("(Kèm theo dự thảo Quyết định phê duyệt và công bố, Báo cáo kết quả và Biên bản họp Hội "
                              "đồng thẩm định.)"))
    else:
        tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
        body.append(paragraph(f"Dự thảo Kế hoạch gồm {format_count(len(campaign.plan.sections))} phần, "
                              f"{format_count(len(tasks))} nhiệm vụ với thời gian, cơ quan chủ trì, phối hợp cụ thể."))
    body.append(section_heading(4, "Kiến nghị"))
    body.append(paragraph(f"{issuer.name} kính trình {settings.addressees[0] if settings.addressees else 'cấp có thẩm quyền'} "
                          "xem xét, quyết định./."))
    return Document(kind, frame, tuple(body), kind, title=" ".join([frame.type_name, *frame.title_lines]))


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


def _letter_date(header: DocumentHeader) -> dt.date:
    date = header.date
    if not date.complete:
        raise ValueError("công văn đôn đốc cần ngày (documents.cong-van-don-doc.header.date) để xác định đơn vị chưa nộp")
    return dt.date(date.year, date.month, date.day)


def compose_reminder(campaign: Campaign) -> Document:
    """Công văn đôn đốc: to exactly the units that had not submitted by the letter's date."""
    settings = issued(campaign, "cong-van-don-doc")
    reporting = campaign.reporting
    if reporting is None or reporting.deadline is None:
        raise ValueError("cần hạn gửi báo cáo 'reporting.deadline'")
    as_of = _letter_date(settings.header)
    late = late_units(campaign, as_of)
    if not late:
        raise ValueError(f"đến ngày {_date(as_of)} mọi đơn vị đã gửi báo cáo: không cần đôn đốc")
    names = [campaign.unit(u).name for u in late]
    year = campaign.year
    frame = build_frame(campaign, settings.header, "cong-van", [], settings.signature, settings.recipients,
                        addressees=names, subject=settings.subject or
                        f"đôn đốc gửi Báo cáo tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}")
    body = [paragraph(f"Theo {plan_citation(campaign)}, các cơ quan, đơn vị gửi Báo cáo tự đánh giá, chấm điểm Chỉ số "
                      f"cải cách hành chính năm {year} kèm tài liệu kiểm chứng trước ngày {_date(reporting.deadline)}."),
            paragraph(f"Đến ngày {_date(as_of)}, {format_count(len(late))} cơ quan, đơn vị chưa gửi báo cáo: "
                      f"{', '.join(names)}."),
            paragraph(f"{campaign.agency(settings.header.issuer).name} đề nghị các cơ quan, đơn vị khẩn trương hoàn thành, "
                      "gửi báo cáo trong thời gian sớm nhất để bảo đảm tiến độ thẩm định."),
            paragraph("Trân trọng./.")]
    return Document("cong-van-don-doc", frame, tuple(body), "cong-van-don-doc",
                    title=f"Công văn V/v đôn đốc gửi báo cáo ({len(late)} đơn vị)", meta={"units": late})


def compose_appraisal_notice(campaign: Campaign, unit_id: str) -> Document:
    """Công văn thông báo kết quả thẩm định lần 1 và yêu cầu giải trình, to one unit."""
    settings = issued(campaign, "cong-van-ket-qua-tham-dinh")
    try:
        unit = campaign.unit(unit_id)
    except KeyError:
        raise ValueError(f"không có đơn vị {unit_id!r}") from None
    flagged = flagged_leaves(campaign, unit_id)
    if not flagged:
        raise ValueError(f"đơn vị {unit_id!r} không có tiêu chí bị thẩm định thấp hơn điểm tự đánh giá")
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    nodes = {n.code: n for n in criteria.nodes()}
    days = campaign.reporting.explanation_days if campaign.reporting else 5
    year = campaign.year
    notice = campaign.assessment(unit_id).notice           # the number and date this unit's letter was issued with
    frame = build_frame(campaign, notice or settings.header, "cong-van", [], settings.signature, settings.recipients,
                        addressees=[unit.name], subject=settings.subject or
                        f"thông báo kết quả thẩm định lần 1 và đề nghị giải trình Chỉ số CCHC năm {year}")
    rows = [[s.code, nodes[s.code].title, points(s.self_score), points(s.round1), s.remark or ""] for s in flagged]
    body = [paragraph(f"Hội đồng thẩm định đã thẩm định lần 1 kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
                      f"năm {year} của {unit.name}. Có {format_count(len(flagged))} tiêu chí được thẩm định thấp hơn điểm "
                      "tự đánh giá:"),
            grid([("Mã", 16, "center"), ("Tiêu chí", 55, "left"), ("Tự đánh giá", 20, "center"),
                  ("Thẩm định lần 1", 22, "center"), ("Nhận xét", 52, "left")], rows, size=12),
            paragraph(f"Đề nghị {unit.name} gửi Báo cáo giải trình kèm tài liệu kiểm chứng bổ sung (nếu có) trong thời "
                      f"hạn {format_count(days)} ngày làm việc kể từ ngày nhận được Công văn này."),
            paragraph("Trân trọng./.")]
    return Document("cong-van-ket-qua-tham-dinh", frame, tuple(body), f"cong-van-ket-qua-tham-dinh-{unit_id}",
                    title=f"Công văn thông báo kết quả thẩm định: {unit.name}")


# ---------------------------------------------------------------------------- Phiếu khảo sát
def compose_survey_forms(campaign: Campaign) -> Document:
    """One form per respondent group of each criteria set (questions = survey-only leaves, graded
    answers, no respondent names), then the survey plan with its computed quotas where the plan has one."""
    sets = [c for c in campaign.criteria_sets if c.survey_scale and any(l.scoring == "survey" for l in c.leaves())]
    if not sets:
        raise ValueError("bộ tiêu chí chưa có tiêu chí điều tra xã hội học ('scoring': 'survey')")
    year = campaign.year
    body = []
    for criteria in sets:
        options = criteria.survey_scale.options
        width = round(70 / len(options), 1)
        for group in criteria.respondent_groups:
            questions = [l for l in criteria.leaves() if l.scoring == "survey" and group.id in l.survey_groups]
            if not questions:
                continue
            body.append(paragraph(f"PHIẾU KHẢO SÁT: {group.name.upper()}", bold=True, align="center", indent=False,
                                  space_before=0, keep_next=True, page_break_before=bool(body)))
            body.append(paragraph(f"({capitalize_first(criteria.name)}; năm {year})", italic=True, align="center",
                                  indent=False, keep_next=True))
            body.append(paragraph("Ông (bà) vui lòng đánh dấu X vào một ô phù hợp với ý kiến của mình ở mỗi câu hỏi. "
                                  "Phiếu không ghi họ tên người trả lời; thông tin chỉ dùng để xác định Chỉ số cải cách "
                                  "hành chính."))
            rows = [[str(n), f"{l.title} (tiêu chí {l.code})", *[""] * len(options)]
                    for n, l in enumerate(questions, start=1)]
            body.append(grid([("Câu", 12, "center"), ("Nội dung", 165 - 12 - width * len(options), "left"),
                              *[(f"{o.label} ({format_number(o.value)})", width, "center") for o in options]], rows, size=12))
            body.append(paragraph("Xin trân trọng cảm ơn ông (bà)!", italic=True, align="right", indent=False))
    survey = campaign.plan.survey
    if survey is not None:
        quotas = survey_quotas(survey)
        body.append(paragraph(f"KẾ HOẠCH PHÁT PHIẾU KHẢO SÁT NĂM {year}", bold=True, align="center", indent=False,
                              space_before=0, keep_next=True, page_break_before=True))
        rows = []
        for level in quotas.levels:
            rows.append(["", level.level.heading.rstrip(":"), "", format_number(level.total)])
            for group in level.groups:
                factors = " x ".join(f"{format_count(f.count)} {f.unit}" for f in group.group.factors)
                rows.append(["", group.group.respondents, factors, format_number(group.quota)])
        rows.append(["", "Tổng cộng", "", format_number(quotas.total)])
        for n, row in enumerate(rows, start=1):
            row[0] = str(n)
        body.append(grid([("STT", 12, "center"), ("Đối tượng", 75, "left"), ("Cách tính", 53, "center"),
                          ("Số phiếu", 25, "center")], rows, bold_rows={len(rows) - 1}, size=12))
    frame = bare_frame([])
    return Document("phieu-khao-sat", frame, tuple(body), "phieu-khao-sat", title=f"Phiếu khảo sát năm {year}")

