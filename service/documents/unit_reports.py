"""Documents a unit issues: Báo cáo tự đánh giá, chấm điểm (with the score table as an annex) and
Báo cáo giải trình (every leaf where appraisal round 1 fell below the self score)."""
from __future__ import annotations

from decimal import Decimal

from data_models import Campaign, DocumentHeader, PartialDate, Recipient, Recipients
from data_models.scores import Evidence
from service.domain.scoring import compute_unit
from service.vietnamese import format_citation_date

from .body import paragraphs, Annex, Document, paragraph
from .frame import annex_rule, build_frame
from .results import annex_reference_for, plan_citation
from .skeletons import grid, points, section_heading
from .text import TextFiller

SCORE_COLUMNS = [("Mã", 16, "center"), ("Tiêu chí, tiêu chí thành phần", 80, "left"), ("Điểm tối đa", 18, "center"),
                 ("Điểm tự đánh giá", 20, "center"), ("Thuyết minh", 50, "left"), ("Tài liệu kiểm chứng", 68, "left")]


def evidence_line(evidence: Evidence) -> str:
    text = f"{evidence.number} ngày {format_citation_date(evidence.date.year, evidence.date.month, evidence.date.day)}: {evidence.title}"
    return f"{text} ({evidence.link})" if evidence.link else text


def _unit_context(campaign: Campaign, unit_id: str):
    try:
        unit = campaign.unit(unit_id)
    except KeyError:
        raise ValueError(f"không có đơn vị {unit_id!r}; các đơn vị: {', '.join(u.id for u in campaign.units())}") from None
    if unit.agency is None or unit.signature is None:
        raise ValueError(f"đơn vị {unit_id!r} chưa có 'agency' và 'signature' để lập văn bản")
    if campaign.reporting is None:
        raise ValueError("chiến dịch chưa có 'reporting' (nơi gửi báo cáo của các đơn vị)")
    return unit, campaign.assessment(unit_id)


def _recipients(campaign: Campaign) -> Recipients:
    reporting = campaign.reporting
    return Recipients(items=reporting.recipients or [Recipient(name="Hội đồng thẩm định")],
                      archive=[a for a in reporting.archive if a != "VT"])


def compose_self_assessment(campaign: Campaign, unit_id: str) -> Document:
    unit, assessment = _unit_context(campaign, unit_id)
    if assessment is None or assessment.report is None:
        raise ValueError(f"đơn vị {unit_id!r} chưa có bản tự đánh giá (assessments[].report)")
    result = compute_unit(campaign, unit_id)
    year = campaign.year
    fill = TextFiller(campaign, campaign.plan.citation_style)
    frame = build_frame(campaign, assessment.report, "bao-cao",
                        [f"Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {year}"],
                        unit.signature, _recipients(campaign), addressees=list(campaign.reporting.addressees))
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    self_max = {f.code: sum((l.node.max_points for l in result.leaves.values()
                             if l.node.code.split(".")[0] == f.code and l.node.scoring == "appraised"
                             and not l.not_applicable), Decimal(0)) for f in criteria.fields}
    rows, total_max = [], Decimal(0)
    for number, field in enumerate(criteria.fields, start=1):
        achieved = result.nodes[field.code].self_points
        maximum = self_max[field.code]
        total_max += maximum
        rows.append([str(number), field.title, points(maximum), points(achieved),
                     points(achieved / maximum * 100) if maximum else ""])
    rows.append(["", "Tổng cộng", points(total_max), points(result.self_points),
                 points(result.self_points / total_max * 100) if total_max else ""])
    body = [paragraph(f"Thực hiện {plan_citation(campaign)}, {unit.name} báo cáo kết quả tự đánh giá, chấm điểm "
                      f"Chỉ số cải cách hành chính năm {year} như sau:"),
            section_heading(1, "Kết quả tự đánh giá, chấm điểm")]
    body += [paragraph(fill(text)) for text in assessment.summary]
    na = [l.node.code for l in result.leaves.values() if l.not_applicable]
    body.append(paragraph(
        f"Tổng điểm tự đánh giá: {points(result.self_points)}/{points(total_max)} điểm (không gồm "
        f"{points(sum((l.node.max_points for l in result.leaves.values() if l.node.scoring == 'survey'), Decimal(0)))} "
        "điểm các tiêu chí đánh giá qua điều tra xã hội học)"
        + (f"; các tiêu chí không áp dụng: {', '.join(na)}." if na else ".")))
    body.append(grid([("STT", 12, "center"), ("Lĩnh vực", 85, "left"), ("Điểm tối đa", 22, "center"),
                      ("Điểm tự đánh giá", 24, "center"), ("Tỷ lệ (%)", 22, "center")], rows, bold_rows={len(rows) - 1}))
    body.append(section_heading(2, "Kiến nghị, đề xuất"))
    body.append(paragraph(f"{unit.name} đề nghị Hội đồng thẩm định xem xét, thẩm định kết quả tự đánh giá, chấm điểm "
                          "của đơn vị (chi tiết tại Phụ lục kèm theo)./."))
    scores = {s.code: s for s in assessment.scores}
    table_rows, bold = [], set()
    for node in criteria.nodes():
        if not node.is_leaf:
            if "." not in node.code:
                bold.add(len(table_rows))
            table_rows.append([node.code, node.title, points(node.max_points), points(result.nodes[node.code].self_points), "", ""])
            continue
        leaf = result.leaves[node.code]
        score = scores.get(node.code)
        if leaf.not_applicable:
            self_text, note = "Không áp dụng", (score.note or "") if score else ""
        elif node.scoring == "survey":
            self_text, note = "ĐTXHH", "Chấm qua điều tra xã hội học"
        else:
            self_text, note = points(leaf.self_points), (score.explanation or "") if score else ""
        evidence = [evidence_line(e) for e in score.evidence] if score else []
        table_rows.append([node.code, node.title, points(node.max_points), self_text, note, evidence or ""])
    reference = annex_reference_for(campaign, assessment.report, "bao-cao", "Báo cáo")
    title = "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    annex = Annex("Phụ lục", title, reference, (grid(SCORE_COLUMNS, table_rows, bold_rows=bold, size=11),),
                  annex_rule(title, True), landscape=True)
    return Document("bao-cao-tu-danh-gia", frame, tuple(body), f"bao-cao-tu-danh-gia-{unit_id}",
                    title=" ".join([frame.type_name, *frame.title_lines]), annexes=(annex,))


def flagged_leaves(campaign: Campaign, unit_id: str):
    """Leaves where appraisal round 1 fell below the self score."""
    assessment = campaign.assessment(unit_id)
    if assessment is None:
        return []
    return [s for s in assessment.scores
            if s.round1 is not None and s.self_score is not None and s.round1 < s.self_score]


def compose_explanation(campaign: Campaign, unit_id: str) -> Document:
    unit, assessment = _unit_context(campaign, unit_id)
    flagged = flagged_leaves(campaign, unit_id)
    if not flagged:
        raise ValueError(f"đơn vị {unit_id!r} không có tiêu chí bị thẩm định thấp hơn điểm tự đánh giá: không cần giải trình")
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    nodes = {n.code: n for n in criteria.nodes()}
    year = campaign.year
    report = assessment.report
    notice = assessment.notice
    header = assessment.explanation_report or DocumentHeader(      # the number the unit gave it, or a draft's blank
        issuer=unit.agency, number=None, symbol_units=report.symbol_units if report else [],
        date=PartialDate(year=year, month=notice.date.month if notice else None))
    frame = build_frame(campaign, header, "bao-cao",
                        [f"Giải trình kết quả thẩm định Chỉ số cải cách hành chính năm {year}"],
                        unit.signature, _recipients(campaign), addressees=list(campaign.reporting.addressees))
    lost = sum((s.self_score - s.round1 for s in flagged), Decimal(0))
    body = [paragraph(f"Căn cứ kết quả thẩm định lần 1 kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
                      f"{year}, {unit.name} có {len(flagged)} tiêu chí được thẩm định thấp hơn điểm tự đánh giá "
                      f"(giảm tổng cộng {points(lost)} điểm). Đơn vị giải trình như sau:")]
    for number, score in enumerate(flagged, start=1):
        node = nodes[score.code]
        body.append(paragraph(f"{number}. Tiêu chí {node.code}: {node.title} (tối đa {points(node.max_points)} điểm)",
                              bold=True, keep_next=True))
        body.append(paragraph(f"- Điểm tự đánh giá: {points(score.self_score)}; điểm thẩm định lần 1: {points(score.round1)}."))
        body.extend(paragraphs(f"- Nhận xét của cơ quan thẩm định: {score.remark or 'không ghi nhận xét'}"))
        body.extend(paragraphs(f"- Giải trình của đơn vị: {score.response}" if score.response
                               else "- Giải trình của đơn vị: (Đơn vị không có ý kiến giải trình.)"))
        if score.added_evidence:
            body.append(paragraph("- Tài liệu kiểm chứng bổ sung: " + "; ".join(evidence_line(e) for e in score.added_evidence) + "."))
    body.append(paragraph(f"{unit.name} kính đề nghị Hội đồng thẩm định xem xét, thẩm định lại các tiêu chí nêu trên./."))
    return Document("bao-cao-giai-trinh", frame, tuple(body), f"bao-cao-giai-trinh-{unit_id}",
                    title=" ".join([frame.type_name, *frame.title_lines]))
