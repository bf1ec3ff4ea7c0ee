"""Campaign-level result documents: Quyết định phê duyệt và công bố (with an annex per group),
Báo cáo kết quả (tables and charts), Biên bản họp Hội đồng thẩm định. Every figure comes from
``service.domain.scoring``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from data_models import Campaign, DocumentHeader, LegalReference, Signature
from data_models.document import IssuedDocument
from service.domain.scoring import CampaignResults, UnitResult, compute_campaign
from service.vietnamese import (capitalize_first, document_symbol, format_document_number, format_nd30_date,
                                format_number)

from . import charts
from .body import Annex, Document, Image, paragraph
from .frame import GEOMETRY, annex_rule, build_frame
from .skeletons import article, basis_lines, decision_marker, grid, points, section_heading
from .text import TextFiller, cite

ANNEX_NUMERALS = ["I", "II", "III", "IV", "V", "VI"]


def issued(campaign: Campaign, kind: str) -> IssuedDocument:
    try:
        return campaign.documents[kind]
    except KeyError:
        raise ValueError(f"chiến dịch chưa có dữ liệu văn bản '{kind}' (documents.{kind} trong campaign.json)") from None


def _groups_phrase(campaign: Campaign, results: CampaignResults) -> str:
    return " và ".join(g.name for g in campaign.groups if g.id in results.groups)


def annex_reference_for(campaign: Campaign, header: DocumentHeader, kind: str, type_name: str) -> str:
    """'(Kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân tỉnh …)';
    a draft leaves number and day blank, as the văn thư fills them in."""
    issuer = campaign.agency(header.issuer)
    symbol = document_symbol(kind, issuer.abbreviation, *header.symbol_units)
    date = header.date
    return (f"(Kèm theo {type_name} số {format_document_number(header.number)}/{symbol} "
            f"{format_nd30_date(date.year, date.month, date.day)} của {issuer.name})")


def ranking_rows(results: list[UnitResult]) -> list[list[str]]:
    """STT, đơn vị, tự đánh giá, thẩm định, ĐTXHH, thưởng, trừ, tổng, chỉ số, hạng, xếp loại."""
    return [[str(n), r.unit_name, points(r.self_points), points(r.appraised_points), points(r.survey_points),
             points(r.bonus), points(r.deduction), points(r.total), points(r.index), str(r.rank), r.band or ""]
            for n, r in enumerate(results, start=1)]


RANKING_COLUMNS = [("STT", 12, "center"), ("Đơn vị", 62, "left"), ("Điểm tự đánh giá", 22, "center"),
                   ("Điểm thẩm định", 22, "center"), ("Điểm ĐTXHH", 20, "center"), ("Điểm thưởng", 18, "center"),
                   ("Điểm trừ", 16, "center"), ("Tổng điểm", 20, "center"), ("Chỉ số (%)", 20, "center"),
                   ("Xếp hạng", 16, "center"), ("Xếp loại", 24, "center")]


def _with_results(campaign: Campaign, kind: str) -> tuple[IssuedDocument, CampaignResults, TextFiller]:
    """What a document reporting the results needs: its settings, the computed results, the text filler."""
    settings = issued(campaign, kind)
    results = compute_campaign(campaign)
    if not results.groups:
        raise ValueError(f"chưa có kết quả chấm điểm cho '{kind}' (criteria_sets, assessments)")
    return settings, results, TextFiller(campaign, campaign.plan.citation_style)


def compose_decision(campaign: Campaign) -> Document:
    """Quyết định phê duyệt và công bố Chỉ số CCHC, with the ranking of each group in an annex."""
    settings, results, fill = _with_results(campaign, "quyet-dinh-cong-bo")
    year = campaign.year
    groups = [g for g in campaign.groups if g.id in results.groups]
    labels = ANNEX_NUMERALS[:len(groups)] if len(groups) > 1 else [""]
    annex_names = ", ".join(f"Phụ lục {label}".strip() for label in labels)
    title = settings.title or [f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {year}",
                               f"của {_groups_phrase(campaign, results)}"]
    frame = build_frame(campaign, settings.header, "quyet-dinh", [fill(t) for t in title], settings.signature,
                        settings.recipients, authority_line=settings.authority,
                        recipients_first=[("Như Điều 3", None)])
    body = [*basis_lines([fill(line) for line in settings.basis]), decision_marker()]
    body += article(1, f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {year} của "
                       f"{_groups_phrase(campaign, results)} (chi tiết tại {annex_names} kèm theo).")
    body += article(2, "Trách nhiệm của các cơ quan, đơn vị", [
        "Các cơ quan, đơn vị căn cứ kết quả Chỉ số cải cách hành chính được công bố, phân tích, đánh giá những "
        "tồn tại, hạn chế; xây dựng giải pháp khắc phục trong năm tiếp theo.",
        "Sở Nội vụ tổng hợp, theo dõi việc khắc phục, báo cáo Ủy ban nhân dân tỉnh."])
    body += article(3, "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
                       f"Thủ trưởng {_groups_phrase(campaign, results)} và các cơ quan, đơn vị có liên quan "
                       "chịu trách nhiệm thi hành Quyết định này./.")
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    annexes = []
    for label, group in zip(labels, groups):
        annex_title = f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {group.name.upper()}"
        table = grid(RANKING_COLUMNS, ranking_rows(results.groups[group.id]), size=12)
        annexes.append(Annex(f"Phụ lục {label}".strip(), annex_title, reference, (table,),
                             annex_rule(annex_title, True), landscape=True))
    return Document("quyet-dinh-cong-bo", frame, tuple(body), "quyet-dinh-cong-bo",
                    title=" ".join([frame.type_name, *frame.title_lines]), annexes=tuple(annexes))


# ---------------------------------------------------------------------------- Báo cáo kết quả
def _field_average(results: list[UnitResult], code: str) -> Decimal:
    nodes = [r.nodes[code] for r in results if r.nodes[code].maximum]
    return sum((n.index for n in nodes), Decimal(0)) / len(nodes) if nodes else Decimal(0)


def compose_results_report(campaign: Campaign) -> Document:
    """Báo cáo kết quả xác định Chỉ số CCHC (Sở Nội vụ → UBND tỉnh): method, results, fields, charts."""
    settings, results, fill = _with_results(campaign, "bao-cao-ket-qua")
    year = campaign.year
    title = settings.title or [f"Kết quả xác định Chỉ số cải cách hành chính năm {year}",
                               f"của {_groups_phrase(campaign, results)}"]
    frame = build_frame(campaign, settings.header, "bao-cao", [fill(t) for t in title], settings.signature,
                        settings.recipients, addressees=list(settings.addressees))
    previous = {p.unit: p for p in campaign.previous_results}
    bands = [b.name for b in campaign.classification.bands] if campaign.classification else []
    forms = sum(a.forms for a in campaign.survey_answers)
    units = sum(len(r) for r in results.groups.values())
    body = [paragraph(f"Thực hiện {fill(plan_citation(campaign))}, {campaign.agency(settings.header.issuer).name} "
                      f"báo cáo kết quả xác định Chỉ số cải cách hành chính năm {year} như sau:"),
            section_heading(1, "Phương pháp đánh giá"),
            paragraph(f"Chỉ số cải cách hành chính của {units} cơ quan, đơn vị được xác định theo Bộ tiêu chí do "
                      "Ủy ban nhân dân tỉnh ban hành, gồm điểm thẩm định kết quả tự đánh giá (sau giải trình), điểm "
                      f"điều tra xã hội học từ {format_number(forms)} phiếu hợp lệ, điểm thưởng và điểm trừ. Chỉ số (%) "
                      "bằng tổng điểm đạt được chia cho tổng điểm tối đa của đơn vị (không tính các tiêu chí không áp "
                      "dụng) nhân 100; xếp hạng theo Chỉ số ở độ chính xác đầy đủ."),
            section_heading(2, "Kết quả Chỉ số cải cách hành chính")]
    series: dict[str, list[Decimal]] = {}
    field_names: list[str] = []
    for number, group in enumerate([g for g in campaign.groups if g.id in results.groups], start=1):
        ranked = results.groups[group.id]
        indices = [r.index for r in ranked]
        average = sum(indices, Decimal(0)) / len(indices)
        counts = [f"{format_number(sum(1 for r in ranked if r.band == band))} đơn vị {band}" for band in bands
                  if any(r.band == band for r in ranked)]
        body.append(paragraph(f"{number}. {capitalize_first(group.name)}", bold=True, keep_next=True))
        body.append(paragraph(
            f"Chỉ số trung bình đạt {points(average)}%; cao nhất là {ranked[0].unit_name} ({points(ranked[0].index)}%), "
            f"thấp nhất là {ranked[-1].unit_name} ({points(ranked[-1].index)}%). Xếp loại: {', '.join(counts)}."))
        rows = []
        for r in ranked:
            last = previous.get(r.unit_id)
            change = "" if last is None else format_number((r.index - last.index).quantize(Decimal("0.01")), 2)
            if change and not change.startswith("-") and change != "0,00":
                change = "+" + change
            rows.append([str(r.rank), r.unit_name, points(r.index), r.band or "",
                         points(last.index) if last else "", change])
        body.append(grid([("Hạng", 14, "center"), ("Đơn vị", 71, "left"), ("Chỉ số (%)", 22, "center"),
                          ("Xếp loại", 22, "center"), (f"Năm {year - 1}", 20, "center"), ("Tăng, giảm", 16, "center")],
                         rows))
        body.append(Image(f"index-{group.id}", charts.index_bar_chart(
            [r.unit_name for r in ranked], indices, [r.band or "" for r in ranked], bands,
            f"Chỉ số CCHC năm {year}: {group.name}"), GEOMETRY.text_width_mm))
        criteria = campaign.criteria_for(group.id)
        field_names = [f.code for f in criteria.fields]
        series[capitalize_first(group.name)] = [_field_average(ranked, code) for code in field_names]
    body.append(section_heading(3, "Kết quả theo lĩnh vực"))
    first_set = campaign.criteria_for(next(iter(results.groups)))
    width = round(80 / max(1, len(series)), 1)
    rows = [[f"{f.code}. {f.title}", *[points(values[i]) for values in series.values()]]
            for i, f in enumerate(first_set.fields)]
    body.append(paragraph("Tỷ lệ điểm đạt trung bình (%) của từng lĩnh vực:"))
    body.append(grid([("Lĩnh vực", 165 - width * len(series), "left"), *[(name, width, "center") for name in series]], rows))
    body.append(Image("fields", charts.field_average_chart([f"LV{c}" for c in field_names], series,
                                                           "Tỷ lệ điểm đạt trung bình theo lĩnh vực"),
                      GEOMETRY.text_width_mm))
    weakest = min(range(len(first_set.fields)), key=lambda i: min(v[i] for v in series.values()))
    body.append(paragraph(f"Lĩnh vực có tỷ lệ điểm đạt thấp nhất là {first_set.fields[weakest].title.lower()}; "
                          "các cơ quan, đơn vị cần tập trung khắc phục trong năm tới."))
    body.append(section_heading(4, "Đề xuất"))
    body.append(paragraph(f"Sở Nội vụ kính đề nghị Ủy ban nhân dân tỉnh xem xét, phê duyệt và công bố Chỉ số cải "
                          f"cách hành chính năm {year} theo kết quả nêu trên./."))
    return Document("bao-cao-ket-qua", frame, tuple(body), "bao-cao-ket-qua",
                    title=" ".join([frame.type_name, *frame.title_lines]))


def plan_citation(campaign: Campaign) -> str:
    """The campaign's plan as cited: 'Kế hoạch số 125/KH-UBND ngày 10/03/2026 của Ủy ban nhân dân tỉnh …'."""
    plan = campaign.plan
    issuer = campaign.agency(plan.header.issuer)
    if plan.header.number is None or not plan.header.date.complete:
        return f"Kế hoạch đánh giá, xác định Chỉ số cải cách hành chính năm {campaign.year} của {issuer.name}"
    date = plan.header.date
    reference = LegalReference(
        id="ke-hoach", type="ke-hoach", number=plan.header.number, issuer=issuer.name,
        symbol=document_symbol("ke-hoach", issuer.abbreviation, *plan.header.symbol_units),
        date=dt.date(date.year, date.month, date.day))
    return cite(reference, "cua", plan.citation_style)


# ---------------------------------------------------------------------------- Biên bản
def compose_minutes(campaign: Campaign) -> Document:
    """Biên bản họp Hội đồng thẩm định (Mẫu 1.9): no date line; THƯ KÝ left, CHỦ TRÌ right."""
    meeting = campaign.meeting
    if meeting is None:
        raise ValueError("chiến dịch chưa có dữ liệu cuộc họp thẩm định ('meeting' trong campaign.json)")
    members = {m.id: m for m in campaign.council}
    for name in (meeting.chair, meeting.secretary, *meeting.present):
        if name not in members:
            raise ValueError(f"meeting: không có thành viên {name!r} trong 'council'")
    results = compute_campaign(campaign)
    chair, secretary = members[meeting.chair], members[meeting.secretary]
    frame = build_frame(campaign, meeting.header, "bien-ban", [meeting.title],
                        Signature(title="Chủ trì", name=chair.name), meeting.recipients, dated=False,
                        left_signature=(["THƯ KÝ"], secretary.name))
    start, end = meeting.start, meeting.end
    body = [paragraph(f"Thời gian bắt đầu: {start:%H} giờ {start:%M} phút, "
                      f"{format_nd30_date(start.year, start.month, start.day)}."),
            paragraph(f"Địa điểm: {meeting.place}."),
            paragraph("Thành phần tham dự:")]
    body += [paragraph(f"- {members[m].name}, {members[m].title}, {members[m].role} "
                       f"{'Hội đồng' if members[m].body == 'council' else 'Tổ Thư ký'};") for m in meeting.present]
    body += [paragraph(f"Chủ trì: {chair.name}, {chair.title}."),
             paragraph(f"Thư ký: {secretary.name}, {secretary.title}."),
             paragraph("Nội dung:", bold=True, keep_next=True),
             section_heading(1, "Kết quả thẩm định")]
    for number, group in enumerate([g for g in campaign.groups if g.id in results.groups], start=1):
        rows = []
        for r in sorted(results.groups[group.id], key=lambda x: x.unit_name):
            for f in r.fields:
                appraised = sum((l.points for l in r.leaves.values()
                                 if l.node.code.split(".")[0] == f.node.code and l.node.scoring == "appraised"), Decimal(0))
                if f.self_points != appraised:
                    rows.append([r.unit_name, f"{f.node.code}. {f.node.title}", points(f.self_points),
                                 points(appraised), points(appraised - f.self_points)])
        body.append(paragraph(f"{number}. {capitalize_first(group.name)}: {len(results.groups[group.id])} đơn vị; "
                              f"{len({row[0] for row in rows})} đơn vị có điểm thẩm định khác điểm tự đánh giá.",
                              keep_next=True))
        if rows:
            body.append(grid([("Đơn vị", 50, "left"), ("Lĩnh vực", 61, "left"), ("Tự đánh giá", 18, "center"),
                              ("Thẩm định", 18, "center"), ("Chênh lệch", 18, "center")], rows, size=11))
    body.append(section_heading(2, "Ý kiến thảo luận"))
    body += [paragraph(f"- {text}") for text in meeting.disputes] or [paragraph("Không có ý kiến khác.")]
    body.append(section_heading(3, "Kết luận"))
    body += [paragraph(text) for text in meeting.conclusion]
    body.append(paragraph(f"Cuộc họp kết thúc vào {end:%H} giờ {end:%M} phút, "
                          f"{format_nd30_date(end.year, end.month, end.day)}./."))
    return Document("bien-ban", frame, tuple(body), "bien-ban", title=" ".join([frame.type_name, *frame.title_lines]))
