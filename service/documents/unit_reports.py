"""Documents a unit issues: Báo cáo tự đánh giá, chấm điểm (with the score table as an annex) and
Báo cáo giải trình (every leaf where appraisal round 1 fell below the self score)."""
from __future__ import annotations

from decimal import Decimal

from data_models import Campaign, DocumentHeader, PartialDate, Recipient, Recipients
from data_models.scores import Evidence
from service.domain.scoring import compute_unit, field_self_rates
from service.vietnamese import CITATION_NAMES, DOCUMENT_TYPES, format_citation_date, format_count

from .body import Document
from .frame import annex_rule, build_frame
from .markup import TableRows
from .results import annex_reference_for, plan_citation
from .figures import points
from .text import TextFiller
from .kind_templates import phrase
from .wording import common_context, word

def _lower_first(text: str) -> str:
    """The title inside a sentence: its first letter lowered, unless the first word is an abbreviation
    ('QĐ công nhận …' stays 'QĐ', not 'qĐ': walk U20)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def evidence_line(evidence: Evidence, campaign: Campaign, own: str | None = None) -> str:
    """'Báo cáo số 52/BC-SNV ngày 06/03/2026 của Sở Nội vụ về kết quả …' (D42): the type read from the
    ký hiệu's first group, the issuer from the agency whose abbreviation follows it — the citing unit's
    own agency (``own``) first when several share it ('BC-UBND' of a phường is the phường's, not the
    province's: N8); a number the register does not recognise is cited as typed."""
    date = format_citation_date(evidence.date.year, evidence.date.month, evidence.date.day)
    _, slash, symbol = evidence.number.partition("/")
    groups = symbol.split("-") if slash else []
    kind = next((key for key, t in DOCUMENT_TYPES.items() if groups and t.abbreviation == groups[0]), None)
    issuer_group = groups[1:2] if kind else groups[:1]
    matching = [a for a in campaign.agencies if [a.abbreviation] == issuer_group]
    agency = next((a for a in matching if a.id == own), matching[0] if matching else None)
    if agency is None or (kind is None and len(groups) < 2):
        text = f"{evidence.number} ngày {date}: {evidence.title}"
    else:
        name = CITATION_NAMES[kind or "cong-van"]
        title = evidence.title
        if title.casefold().startswith(name.casefold() + " "):
            title = title[len(name) + 1:]
        title = _lower_first(title)
        text = f"{name} số {evidence.number} ngày {date} của {agency.name} {title if title.startswith('về ') else 'về ' + title}"
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
    return Recipients(items=reporting.recipients or [Recipient(name=phrase("noi-nhan-bao-cao"))],
                      archive=[a for a in reporting.archive if a != "VT"])


def _addressees(campaign: Campaign, unit) -> list[str]:
    """Where the unit sends its reports; the standing agency (Sở Nội vụ) does not address itself: its
    reports go to the appraisal council instead."""
    own = campaign.agency(unit.agency).name.lower()
    names = [phrase("hoi-dong-tham-dinh", {"tinh": campaign.province})
             if name.lower() == own or name.lower().startswith(own + " ") else name
             for name in campaign.reporting.addressees]
    return list(dict.fromkeys(names))


def _unit_common(campaign: Campaign, unit) -> dict:
    return {**common_context(campaign, unit.name, plan_citation(campaign)), "don_vi": unit.name}


def compose_self_assessment(campaign: Campaign, unit_id: str, template: str | None = None) -> Document:
    unit, assessment = _unit_context(campaign, unit_id)
    if assessment is None or assessment.report is None:
        raise ValueError(f"đơn vị {unit_id!r} chưa có bản tự đánh giá (assessments[].report)")
    result = compute_unit(campaign, unit_id)
    fill = TextFiller(campaign, campaign.plan.citation_style)
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    rows, total_max = [], Decimal(0)
    for number, rated in enumerate(field_self_rates(campaign, result), start=1):
        total_max += rated.maximum
        rows.append((str(number), rated.field.title, points(rated.maximum), points(result.nodes[rated.field.code].self_points),
                     points(rated.rate) if rated.rate is not None else ""))
    context = {**_unit_common(campaign, unit), "tom_tat": [fill(text) for text in assessment.summary],
               "tong_diem": points(result.self_points), "diem_toi_da": points(total_max),
               "ty_le": points(result.self_points / total_max * 100) if total_max else "",
               "diem_dieu_tra": points(sum((l.node.max_points for l in result.leaves.values()
                                            if l.node.scoring == "survey"), Decimal(0))),
               "khong_ap_dung": [l.node.code for l in result.leaves.values() if l.not_applicable],
               "theo_linh_vuc": TableRows(tuple(rows)), "bang_diem": _score_rows(campaign, criteria, result, assessment),
               "thuong_tru": _declared_adjustments(criteria, assessment)}
    worded = word("bao-cao-tu-danh-gia", context, template)
    frame = build_frame(campaign, assessment.report, "bao-cao", list(worded.title or ()), unit.signature,
                        _recipients(campaign), addressees=_addressees(campaign, unit))
    reference = annex_reference_for(campaign, assessment.report, "bao-cao", "Báo cáo")
    return Document("bao-cao-tu-danh-gia", frame, worded.body, f"bao-cao-tu-danh-gia-{unit_id}",
                    title=" ".join([frame.type_name, *frame.title_lines]), annexes=worded.annex(reference, annex_rule))


def _declared_adjustments(criteria, assessment) -> list[dict]:
    """The bonus and deduction items the unit declares in its own report, with its grounds (the
    appraisal may change them later): every item of the set, what the unit wrote or 0,00."""
    declared = {a.code: a for a in assessment.adjustments}
    return [{"ma": item.code, "noi_dung": item.title, "thuong": item.kind == "bonus", "diem_toi_da": points(item.max_points),
             "diem": points(declared[item.code].self_score if item.code in declared and declared[item.code].self_score
                            is not None else Decimal(0)),
             "thuyet_minh": (declared[item.code].explanation or "") if item.code in declared else ""}
            for item in criteria.adjustments]


def _score_rows(campaign, criteria, result, assessment) -> list[dict]:
    """Every node of the unit's criteria set with its self score, explanation and evidence."""
    scores = {s.code: s for s in assessment.scores}
    own = campaign.unit(assessment.unit).agency          # the agency the unit issues its own documents as
    rows = []
    for node in criteria.nodes():
        row = {"ma": node.code, "noi_dung": node.title, "diem_toi_da": points(node.max_points), "khong_ap_dung": False,
               "dieu_tra": False, "linh_vuc": not node.is_leaf and "." not in node.code, "thuyet_minh": "", "tai_lieu": []}
        if not node.is_leaf:
            # D21: a parent's maximum counts only the leaves the unit scores itself (as page 1 does); a
            # criterion made only of survey leaves is marked ĐTXHH, not shown as a self score of 0,00
            scored = [l for l in result.leaves.values() if l.node.code.startswith(node.code + ".")
                      and l.node.scoring == "appraised" and not l.not_applicable]
            if not scored:
                rows.append({**row, "dieu_tra": True, "tu_danh_gia": ""})
            else:
                rows.append({**row, "diem_toi_da": points(sum((l.node.max_points for l in scored), Decimal(0))),
                             "tu_danh_gia": points(result.nodes[node.code].self_points)})
            continue
        leaf, score = result.leaves[node.code], scores.get(node.code)
        row.update(khong_ap_dung=leaf.not_applicable, dieu_tra=node.scoring == "survey",
                   tu_danh_gia=points(leaf.self_points),
                   tai_lieu=[evidence_line(e, campaign, own) for e in score.evidence] if score else [])
        if leaf.not_applicable:
            row["thuyet_minh"] = (score.note or "") if score else ""
        elif node.scoring != "survey":
            row["thuyet_minh"] = (score.explanation or "") if score else ""
        rows.append(row)
    return rows


def flagged_leaves(campaign: Campaign, unit_id: str):
    """Leaves where appraisal round 1 fell below the self score."""
    assessment = campaign.assessment(unit_id)
    if assessment is None:
        return []
    return [s for s in assessment.scores
            if s.round1 is not None and s.self_score is not None and s.round1 < s.self_score]


def compose_explanation(campaign: Campaign, unit_id: str, template: str | None = None) -> Document:
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
    context = {**_unit_common(campaign, unit), "so_tieu_chi": format_count(len(flagged)),
               "diem_giam": points(sum((s.self_score - s.round1 for s in flagged), Decimal(0))),
               "tieu_chi": [{"ma": s.code, "noi_dung": nodes[s.code].title, "diem_toi_da": points(nodes[s.code].max_points),
                             "tu_danh_gia": points(s.self_score), "lan_1": points(s.round1), "nhan_xet": s.remark or "",
                             "giai_trinh": s.response or "",
                             "tai_lieu_bo_sung": [evidence_line(e, campaign, unit.agency) for e in s.added_evidence]} for s in flagged],
               "co_giai_trinh": any((s.response or "").strip() or s.added_evidence for s in flagged)}
    worded = word("bao-cao-giai-trinh", context, template)
    frame = build_frame(campaign, header, "bao-cao", list(worded.title or ()), unit.signature, _recipients(campaign),
                        addressees=_addressees(campaign, unit))
    return Document("bao-cao-giai-trinh", frame, worded.body, f"bao-cao-giai-trinh-{unit_id}",
                    title=" ".join([frame.type_name, *frame.title_lines]))
