"""Letters to one unit, each numbered on its own: the round-1 notice asking for an explanation, the
round-2 result, and the unit's result in the published index with its score sheet. The standing
agency's own letters come from the council (an agency never writes to itself)."""
from __future__ import annotations

from decimal import Decimal

from data_models import Campaign
from service.domain.issuers import draft_letter_header, unit_letter
from service.domain.scoring import UnitResult, compute_campaign
from service.domain.status import explained
from service.vietnamese import format_count

from .body import Document
from .drafting import council_signature, _common
from .figures import points
from .frame import build_frame
from .markup import TableRows
from .results import document_filler, header_citation, issued, issued_citation
from .unit_reports import flagged_leaves
from .wording import data_overrides, first_recipients, word

#: How many of its weakest fields the result notice names for the unit to work on.
WEAKEST_SHOWN = 3


def _letter(campaign: Campaign, kind: str, unit_id: str) -> tuple:
    """(settings, unit, header, signature, context) of ``kind`` to one unit: the number it was issued
    with, else the letter's draft settings; from the council when the unit is the letter's issuer."""
    settings = issued(campaign, kind)
    try:
        unit = campaign.unit(unit_id)
    except KeyError:
        raise ValueError(f"không có đơn vị {unit_id!r}") from None
    numbered = unit_letter(campaign.assessment(unit_id), kind)
    context = {**_common(campaign, settings), "don_vi": unit.name}
    draft = draft_letter_header(campaign, unit_id, settings.header)
    header, signature, recipients = numbered or draft, settings.signature, settings.recipients
    if draft.issuer != settings.header.issuer:
        signature = council_signature(campaign, unit_id)
        council = campaign.agency(draft.issuer)
        context["co_quan_ban_hanh"] = council.name
        others = [item for item in recipients.items if not council.name.lower().startswith(item.name.lower())]
        # the unit itself is the first recipient (the template's @noi-nhan), so the list may be empty here
        recipients = type(recipients).model_construct(items=others, archive=[council.abbreviation])
    return settings.model_copy(update={"recipients": recipients}), unit, header, signature, context


def _nodes(campaign: Campaign, unit_id: str) -> dict:
    return {n.code: n for n in campaign.criteria_for(campaign.group_of(unit_id).id).nodes()}


def compose_appraisal_notice(campaign: Campaign, unit_id: str, template: str | None = None) -> Document:
    """Công văn thông báo kết quả thẩm định lần 1 và yêu cầu giải trình, to one unit."""
    kind = "cong-van-ket-qua-tham-dinh"
    settings, unit, header, signature, context = _letter(campaign, kind, unit_id)
    flagged = flagged_leaves(campaign, unit_id)
    if not flagged:
        raise ValueError(f"đơn vị {unit_id!r} không có tiêu chí bị thẩm định thấp hơn điểm tự đánh giá")
    nodes = _nodes(campaign, unit_id)
    days = campaign.reporting.explanation_days if campaign.reporting else 5
    context.update({"so_tieu_chi": format_count(len(flagged)), "so_ngay_giai_trinh": format_count(days),
                    "tieu_chi_bi_tru": TableRows(tuple((s.code, nodes[s.code].title, points(s.self_score),
                                                        points(s.round1), s.remark or "") for s in flagged))})
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, header, "cong-van", [], signature, settings.recipients,
                        addressees=[unit.name], subject=worded.subject)
    return Document(kind, frame, worded.body, f"{kind}-{unit_id}", title=f"V/v {worded.subject}: {unit.name}")


def _explanation_citation(campaign: Campaign, unit_id: str) -> str | None:
    """'Báo cáo số 12/BC-SXD ngày 05/11/2026' of the unit's explanation, as it sent it."""
    return header_citation(campaign, campaign.assessment(unit_id).explanation_report, "bao-cao", "ngay")


def _verdict(score) -> str:
    """What round 2 decided on one lowered criterion, from the scores alone (the template words it):
    khong-giai-trinh, chua-tham-dinh, chap-nhan, mot-phan or khong-chap-nhan."""
    if not score.response:
        return "khong-giai-trinh"
    if score.round2 is None:
        return "chua-tham-dinh"
    if score.round2 >= score.self_score:
        return "chap-nhan"
    return "mot-phan" if score.round2 > score.round1 else "khong-chap-nhan"


def _unit_result(campaign: Campaign, unit_id: str) -> tuple[UnitResult, list[UnitResult]]:
    results = compute_campaign(campaign)
    for ranked in results.groups.values():
        for result in ranked:
            if result.unit_id == unit_id:
                return result, ranked
    raise ValueError(f"đơn vị {unit_id!r} chưa có kết quả Chỉ số (chưa chấm điểm hoặc không xếp hạng năm nay)")


def _count(value: int) -> str:
    """A count in running text: '03', and 'không' rather than '00' (N2: '00 tiêu chí')."""
    return "không" if value == 0 else format_count(value)


def compose_round2_notice(campaign: Campaign, unit_id: str, template: str | None = None) -> Document:
    """Thông báo kết quả thẩm định lần 2, to one unit: each lowered criterion, what the unit explained
    and what round 2 decided, and the unit's appraised total after it."""
    kind = "thong-bao-tham-dinh-lan-2"
    settings, unit, header, signature, context = _letter(campaign, kind, unit_id)
    flagged = flagged_leaves(campaign, unit_id)
    if not flagged:
        raise ValueError(f"đơn vị {unit_id!r} không có tiêu chí bị thẩm định thấp hơn điểm tự đánh giá: không thẩm định lần 2")
    nodes = _nodes(campaign, unit_id)
    answered = explained(campaign.assessment(unit_id))
    result, _ = _unit_result(campaign, unit_id)
    rows = [{"ma": s.code, "noi_dung": nodes[s.code].title, "tu_cham": points(s.self_score), "lan_1": points(s.round1),
             "lan_2": points(s.round2 if s.round2 is not None else s.round1), "xem_xet": _verdict(s)} for s in flagged]
    context.update({"bao_cao_giai_trinh": _explanation_citation(campaign, unit_id),
                    "so_tieu_chi": _count(len(flagged)), "so_giai_trinh": _count(len(answered)),
                    "so_chap_nhan": _count(sum(1 for s in answered if s.round2 is not None and s.round2 > s.round1)),
                    # N2: 'kết quả cuối cùng' only once every explained criterion has its round-2 score
                    "so_chua_xong": _count(sum(1 for s in flagged if _verdict(s) == "chua-tham-dinh")),
                    "cuoi_cung": not any(_verdict(s) == "chua-tham-dinh" for s in flagged),
                    "tieu_chi": rows, "diem_tu_cham": points(result.self_points),
                    "diem_tham_dinh": points(result.appraised_points)})
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, header, "thong-bao", list(worded.title or ()), signature, settings.recipients,
                        recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, f"{kind}-{unit_id}", title=" ".join([frame.type_name, *frame.title_lines]))


def compose_result_notice(campaign: Campaign, unit_id: str, template: str | None = None) -> Document:
    """Thông báo kết quả Chỉ số CCHC, to one unit with its score sheet: each field's maximum, self
    score and result, the survey, bonus and deduction, the index, rank, class and last year's."""
    kind = "thong-bao-ket-qua-chi-so"
    settings, unit, header, signature, context = _letter(campaign, kind, unit_id)
    result, ranked = _unit_result(campaign, unit_id)
    criteria = campaign.criteria_for(result.group_id)
    fields = [result.nodes[f.code] for f in criteria.fields]
    previous = next((p for p in campaign.previous_results if p.unit == unit_id), None)
    weakest = sorted((f for f in fields if f.maximum), key=lambda f: f.index)[:WEAKEST_SHOWN]
    change = None
    if previous is not None:
        delta = (result.index - previous.index).quantize(Decimal("0.01"))
        change = {"chi_so": points(previous.index), "hang": str(previous.rank), "tang": delta > 0, "giam": delta < 0,
                  "chenh_lech": points(abs(delta))}
    group = next(g for g in campaign.groups if g.id == result.group_id)
    context.update({
        "nhom": group.name, "so_don_vi": str(len(ranked)), "chi_so": points(result.index), "hang": str(result.rank),
        "xep_loai": result.band or "", "tong_diem": points(result.total), "diem_toi_da": points(result.maximum),
        "diem_dieu_tra": points(result.survey_points), "diem_thuong": points(result.bonus),
        "diem_tru": points(result.deduction), "nam_truoc": change,
        "quyet_dinh": issued_citation(campaign, "quyet-dinh-cong-bo", "quyet-dinh"),
        "bang_diem": TableRows(tuple((f.node.code, f.node.title, points(f.maximum), points(f.achieved),
                                      points(f.index)) for f in fields)),
        "linh_vuc_thap": [{"ma": f.node.code, "ten": f.node.title[:1].lower() + f.node.title[1:], "ty_le": points(f.index)}
                          for f in weakest]})
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, header, "thong-bao", list(worded.title or ()), signature, settings.recipients,
                        recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, f"{kind}-{unit_id}", title=" ".join([frame.type_name, *frame.title_lines]))
