"""Campaign-level result documents: Quyết định phê duyệt và công bố (with an annex per group),
Báo cáo kết quả (tables and charts), Biên bản họp Hội đồng thẩm định. Every figure comes from
``service.domain.scoring``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from data_models import Campaign, DocumentHeader, LegalReference, Signature
from data_models.document import IssuedDocument
from service.domain.scoring import CampaignResults, UnitResult, compute_campaign
from service.domain.survey import survey_quotas
from service.vietnamese import (capitalize_first, document_symbol, format_citation_date, format_document_number,
                                format_nd30_date, format_number)

from service.vietnamese.collation import vietnamese_key
from service.vietnamese.symbols import document_type as type_of

from . import charts
from .body import Document
from .frame import GEOMETRY, annex_rule, build_frame
from .markup import Chart, TableRows
from .figures import names_at, points
from .text import TextFiller, cite
from .kind_templates import phrase
from .wording import common_context, data_overrides, first_recipients, heads_of, word



def issued(campaign: Campaign, kind: str) -> IssuedDocument:
    try:
        return campaign.documents[kind]
    except KeyError:
        raise ValueError(f"chiến dịch chưa có dữ liệu của văn bản này: nhập ở trang «Soạn thảo văn bản» (tệp campaign.json: mục documents.{kind})") from None


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


def ranking_rows(results: list[UnitResult]) -> TableRows:
    """STT, đơn vị, tự đánh giá, thẩm định, ĐTXHH, thưởng, trừ, tổng, điểm tối đa (lowered by "không áp
    dụng", so a reader can check the index: D14), chỉ số, hạng, xếp loại."""
    return TableRows(tuple((str(n), r.unit_name, points(r.self_points), points(r.appraised_points), points(r.survey_points),
                            points(r.bonus), points(r.deduction), points(r.total), points(r.maximum), points(r.index),
                            str(r.rank), r.band or "")
                           for n, r in enumerate(results, start=1)))


def _with_results(campaign: Campaign, kind: str) -> tuple[IssuedDocument, CampaignResults, TextFiller, dict]:
    """What a document reporting the results needs: its settings, the computed results, the text
    filler, and the template facts every such document shares (the groups are those with results)."""
    settings = issued(campaign, kind)
    results = compute_campaign(campaign)
    if not results.groups:
        raise ValueError(f"chưa có kết quả chấm điểm cho '{kind}' (criteria_sets, assessments)")
    fill = document_filler(campaign, kind)
    context = {**common_context(campaign, campaign.agency(settings.header.issuer).name, plan_citation(campaign)),
               "cac_nhom": _groups_phrase(campaign, results)}
    return settings, results, fill, context


def compose_decision(campaign: Campaign, template: str | None = None) -> Document:
    """Quyết định phê duyệt và công bố Chỉ số CCHC, with the ranking of each group in an annex."""
    kind = "quyet-dinh-cong-bo"
    settings, results, fill, context = _with_results(campaign, kind)
    context["xep_hang"] = [{"ten": g.name, "bang": ranking_rows(results.groups[g.id])}
                           for g in campaign.groups if g.id in results.groups]
    context["to_trinh"] = proposal_citation(campaign, kind)
    context["xep_hang_phu"] = list(campaign.settings.tie_break)
    worded = word(kind, context, template, data_overrides(settings, fill))
    frame = build_frame(campaign, settings.header, "quyet-dinh", list(worded.title or ()), settings.signature,
                        settings.recipients, authority_line=settings.authority, recipients_first=first_recipients(worded))
    reference = annex_reference_for(campaign, settings.header, "quyet-dinh", "Quyết định")
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]),
                    annexes=worded.annex(reference, annex_rule))


# ---------------------------------------------------------------------------- Báo cáo kết quả
def _field_average(results: list[UnitResult], code: str) -> Decimal:
    nodes = [r.nodes[code] for r in results if r.nodes[code].maximum]
    return sum((n.index for n in nodes), Decimal(0)) / len(nodes) if nodes else Decimal(0)


def _change(index: Decimal, last) -> str:
    """'+1,25', '-0,50', '0,00' against last year's index; blank without one."""
    if last is None:
        return ""
    change = format_number((index - last.index).quantize(Decimal("0.01")), 2)
    return "+" + change if not change.startswith("-") and change != "0,00" else change


def _group_summary(group, ranked, bands: list[str]) -> dict:
    """One group's results in a sentence's facts: count, average, highest and lowest (all tied units
    named), how many units in each class."""
    indices = [r.index for r in ranked]
    return {"ten": group.name, "so_don_vi": str(len(ranked)), "trung_binh": points(sum(indices, Decimal(0)) / len(indices)),
            "cao_nhat": names_at(ranked, ranked[0].index), "chi_so_cao_nhat": points(ranked[0].index),
            "thap_nhat": names_at(ranked, ranked[-1].index), "chi_so_thap_nhat": points(ranked[-1].index),
            "xep_loai": [{"ten": band, "so_don_vi": format_number(sum(1 for r in ranked if r.band == band))}
                         for band in bands if any(r.band == band for r in ranked)]}


def header_citation(campaign: Campaign, header: DocumentHeader | None, document_type: str, form: str = "cua") -> str | None:
    """'Quyết định số 15/QĐ-UBND ngày 20/01/2027 của Ủy ban nhân dân tỉnh …' (in ``form``, see ``cite``) of a
    document the data hold with its number; None while it is a draft: a document cites only what was issued."""
    if header is None or header.number is None or not header.date.complete:
        return None
    issuer = campaign.agency(header.issuer)
    return cite(LegalReference(id=document_type, type=document_type, number=header.number, issuer=issuer.name,
                               symbol=document_symbol(document_type, issuer.abbreviation, *header.symbol_units),
                               date=dt.date(header.date.year, header.date.month, header.date.day)),
                form, campaign.plan.citation_style)


def issued_citation(campaign: Campaign, kind: str, document_type: str) -> str | None:
    """The citation of the campaign document ``kind`` once it has its number (``header_citation``)."""
    settings = campaign.documents.get(kind)
    return header_citation(campaign, settings.header if settings else None, document_type)


def _blanks(header: DocumentHeader, symbol: str) -> dict:
    """The số, month and year of a document not yet numbered, its number and day left blank for the
    văn thư's pen (N7, N11)."""
    return {"so": f"{' ' * 6}/{symbol}", "thang": str(header.date.month) if header.date.month else " " * 5,
            "nam": str(header.date.year)}


def citation_or_blanks(campaign: Campaign, kind: str, document_type: str) -> str | None:
    """``issued_citation``, or while ``kind`` is a draft its citation with the number and day blank
    ('Quyết định số       /QĐ-UBND ngày       tháng 10 năm 2026 của …', N11: never a citation without
    số and ngày); None when the campaign has no such document."""
    settings = campaign.documents.get(kind)
    if settings is None:
        return None
    cited = header_citation(campaign, settings.header, document_type)
    if cited is not None:
        return cited
    issuer = campaign.agency(settings.header.issuer)
    symbol = document_symbol(document_type, issuer.abbreviation, *settings.header.symbol_units)
    return phrase("van-ban-chua-so", {"loai": capitalize_first(type_of(document_type).name.lower()), "co_quan": issuer.name,
                                      **_blanks(settings.header, symbol)})


def compose_ministry_report(campaign: Campaign, template: str | None = None) -> Document:
    """Báo cáo kết quả gửi Bộ Nội vụ: the province reports its index, citing the decision that
    published it once that decision has a number."""
    kind = "bao-cao-bo-noi-vu"
    settings, results, fill, context = _with_results(campaign, kind)
    bands = [b.name for b in campaign.classification.bands] if campaign.classification else []
    decision = issued_citation(campaign, "quyet-dinh-cong-bo", "quyet-dinh")
    context.update({"so_don_vi": str(sum(len(r) for r in results.groups.values())), "quyet_dinh": decision,
                    "ket_qua": [_group_summary(g, results.groups[g.id], bands) for g in campaign.groups
                                if g.id in results.groups]})
    worded = word(kind, context, template, data_overrides(settings, fill))
    frame = build_frame(campaign, settings.header, "bao-cao", list(worded.title or ()), settings.signature,
                        settings.recipients, addressees=list(settings.addressees))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


def lowest_band_units(campaign: Campaign, results: CampaignResults | None = None) -> list[UnitResult]:
    """Units in the classification's lowest band (Yếu), group by group, in rank order."""
    if campaign.classification is None:
        return []
    results = results or compute_campaign(campaign)
    lowest = campaign.classification.bands[-1].name
    return [r for g in campaign.groups for r in results.groups.get(g.id, []) if r.band == lowest]


def compose_remedial_letter(campaign: Campaign, template: str | None = None) -> Document:
    """Công văn chấn chỉnh to the units rated in the lowest band, each with its index, rank and weakest
    field, asking for a remedial plan; addressed to exactly those units."""
    kind = "cong-van-chan-chinh"
    settings, results, fill, context = _with_results(campaign, kind)
    weak = lowest_band_units(campaign, results)
    if not weak:
        raise ValueError("không có đơn vị xếp loại thấp nhất: không cần công văn chấn chỉnh")
    rows = []
    for r in weak:
        fields = [r.nodes[f.code] for f in campaign.criteria_for(r.group_id).fields if r.nodes[f.code].maximum]
        weakest = min(fields, key=lambda f: f.index)
        size = len(results.groups[r.group_id])
        rows.append((r.unit_name, points(r.index), f"{r.rank}/{size}",
                     f"{weakest.node.code}. {weakest.node.title} ({points(weakest.index)}%)"))
    context.update({"xep_loai": campaign.classification.bands[-1].name, "so_don_vi": str(len(weak)),
                    "quyet_dinh": issued_citation(campaign, "quyet-dinh-cong-bo", "quyet-dinh"),
                    "don_vi": TableRows(tuple(rows)),
                    "nguoi_dung_dau": "; ".join(heads_of(g.name) for g in campaign.groups
                                                if any(r.group_id == g.id for r in weak))})
    worded = word(kind, context, template, data_overrides(settings, fill))
    frame = build_frame(campaign, settings.header, "cong-van", [], settings.signature, settings.recipients,
                        addressees=[r.unit_name for r in weak], subject=worded.subject)
    return Document(kind, frame, worded.body, kind, title=f"V/v {worded.subject}", meta={"units": [r.unit_id for r in weak]})


def compose_results_report(campaign: Campaign, template: str | None = None) -> Document:
    """Báo cáo kết quả xác định Chỉ số CCHC (Sở Nội vụ → UBND tỉnh): method, results, fields, charts."""
    kind = "bao-cao-ket-qua"
    settings, results, fill, context = _with_results(campaign, kind)
    year = campaign.year
    previous = {p.unit: p for p in campaign.previous_results}
    bands = [b.name for b in campaign.classification.bands] if campaign.classification else []
    groups = [g for g in campaign.groups if g.id in results.groups]
    per_group = []
    for group in groups:
        ranked = results.groups[group.id]
        indices = [r.index for r in ranked]
        per_group.append({
            **_group_summary(group, ranked, bands),
            "bang": TableRows(tuple((str(r.rank), r.unit_name, points(r.index), r.band or "",
                                     points(previous[r.unit_id].index) if r.unit_id in previous else "",
                                     _change(r.index, previous.get(r.unit_id))) for r in ranked)),
            "bieu_do": Chart(f"index-{group.id}", GEOMETRY.text_width_mm,
                             lambda title, ranked=ranked, indices=indices: charts.index_bar_chart(
                                 [r.unit_name for r in ranked], indices, [r.band or "" for r in ranked], bands, title,
                                 phrase("truc-chi-so")))})
        # Each group is measured against its own criteria set: the xã field 8 is not the sở field 8 (D12).
        fields = campaign.criteria_for(group.id).fields
        rates = [_field_average(ranked, f.code) for f in fields]
        weakest = min(range(len(fields)), key=lambda i: rates[i])
        per_group[-1]["linh_vuc"] = {
            "bang": TableRows(tuple((f"{f.code}. {f.title}", points(rates[i])) for i, f in enumerate(fields))),
            "bieu_do": Chart(f"fields-{group.id}", GEOMETRY.text_width_mm,
                             lambda title, fields=fields, rates=rates: charts.field_average_chart(
                                 [f.code for f in fields], {capitalize_first(group.name): rates}, title,
                                 phrase("truc-linh-vuc"))),
            "thap_nhat": fields[weakest].title, "ty_le_thap_nhat": points(rates[weakest])}
    context.update({
        "nam_truoc": str(year - 1), "so_don_vi": str(sum(len(r) for r in results.groups.values())),
        "so_phieu": format_number(sum(a.forms for a in campaign.survey_answers)),
        "so_phieu_ke_hoach": format_number(survey_quotas(campaign.plan.survey).total) if campaign.plan.survey else None,
        "ket_qua": per_group})
    worded = word(kind, context, template, data_overrides(settings, fill))
    frame = build_frame(campaign, settings.header, "bao-cao", list(worded.title or ()), settings.signature,
                        settings.recipients, addressees=list(settings.addressees))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


def plan_citation(campaign: Campaign) -> str:
    """The campaign's plan as cited: 'Kế hoạch số 125/KH-UBND ngày 10/03/2026 của Ủy ban nhân dân tỉnh …'."""
    plan = campaign.plan
    issuer = campaign.agency(plan.header.issuer)
    if plan.header.number is None or not plan.header.date.complete:
        # N11: a citation names số, ký hiệu, ngày and issuer; a plan not yet numbered leaves them blank
        symbol = document_symbol("ke-hoach", issuer.abbreviation, *plan.header.symbol_units)
        return phrase("ke-hoach-chua-so", {"co_quan": issuer.name, **_blanks(plan.header, symbol)})
    date = plan.header.date
    reference = LegalReference(
        id="ke-hoach", type="ke-hoach", number=plan.header.number, issuer=issuer.name,
        symbol=document_symbol("ke-hoach", issuer.abbreviation, *plan.header.symbol_units),
        date=dt.date(date.year, date.month, date.day))
    return cite(reference, "cua", plan.citation_style)


#: A decision → the Tờ trình of the Sở Nội vụ that proposes it.
PROPOSED_BY = {"ke-hoach": "to-trinh-ke-hoach", "quyet-dinh-hoi-dong": "to-trinh-hoi-dong",
               "quyet-dinh-cong-bo": "to-trinh-ket-qua"}


def proposal_citation(campaign: Campaign, kind: str) -> str | None:
    """'Tờ trình số 45/TTr-SNV ngày 05/10/2026' of the Tờ trình proposing ``kind``; while it is a draft
    its number and day are left blank to be written in ('Tờ trình số      /TTr-SNV ngày      tháng 10 năm 2026')."""
    proposal = PROPOSED_BY.get(kind)
    if proposal is None or proposal not in campaign.documents:
        return None
    header = campaign.documents[proposal].header
    symbol = document_symbol("to-trinh", campaign.agency(header.issuer).abbreviation, *header.symbol_units)
    date = header.date
    if header.number is not None and date.complete:
        values = {"so": f"{format_document_number(header.number)}/{symbol}",
                  "ngay": format_citation_date(date.year, date.month, date.day, campaign.plan.citation_style)}
    else:                               # blanks the văn thư fills in by hand, as ND30 drafts leave them
        values = {**_blanks(header, symbol), "ngay": None}
    return phrase("to-trinh-de-nghi", values)


def document_filler(campaign: Campaign, kind: str, survey_total: int | None = None) -> TextFiller:
    """The placeholders of ``kind``'s campaign texts: the references, the year, the campaign's plan
    ({plan}) and, for a decision, the Tờ trình that proposes it ({proposal})."""
    values = {}
    if kind != "ke-hoach":
        values["plan"] = plan_citation(campaign)
    proposal = proposal_citation(campaign, kind)
    if proposal is not None:
        values["proposal"] = proposal
    return TextFiller(campaign, campaign.plan.citation_style, survey_total, values, modern=kind != "ke-hoach")


# ---------------------------------------------------------------------------- Biên bản
def _moment(value: dt.datetime) -> dict:
    return {"gio": f"{value:%H}", "phut": f"{value:%M}", "ngay": format_nd30_date(value.year, value.month, value.day)}


def _member(member) -> dict:
    return {"ho_ten": member.name, "chuc_vu": member.title, "chuc_danh": member.role, "hoi_dong": member.body == "council",
            "danh_xung": member.salutation or "Ông (bà)"}     # N4: 'Bà Nguyễn Thị Mai', the placeholder only when unknown


def _meeting_letter(campaign: Campaign, kind: str):
    """What a letter about the council's meeting starts from: the meeting, the letter's settings, its
    chair, and the facts every such letter words (time, place, chair)."""
    meeting = campaign.meeting
    if meeting is None:
        raise ValueError("chưa nhập thông tin cuộc họp Hội đồng thẩm định: Tổ Thư ký nhập ở trang «Cuộc họp Hội đồng thẩm định» (tệp campaign.json: mục 'meeting')")
    settings = issued(campaign, kind)
    chair = next((m for m in campaign.council if m.id == meeting.chair), None)
    if chair is None:
        raise ValueError(f"meeting: không có thành viên {meeting.chair!r} trong 'council'")
    context = {**common_context(campaign, campaign.agency(settings.header.issuer).name, plan_citation(campaign)),
               "bat_dau": _moment(meeting.start), "dia_diem": meeting.place, "chu_tri": _member(chair)}
    return meeting, settings, chair, context


def compose_invitation(campaign: Campaign, template: str | None = None) -> Document:
    """Giấy mời họp Hội đồng thẩm định (Mẫu 1.7): the council's members, then its secretariat, invited
    to the meeting the data describe (time, place, chair)."""
    kind = "giay-moi-hop-hoi-dong"
    meeting, settings, chair, context = _meeting_letter(campaign, kind)
    invited = [m for m in campaign.council if m.body == "council"] + [m for m in campaign.council if m.body != "council"]
    context["thanh_vien"] = [_member(m) for m in invited if m.name != settings.signature.name]   # N3: never its signer
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, settings.header, "giay-moi", list(worded.title or ()), settings.signature,
                        settings.recipients, recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


def compose_secretariat_invitation(campaign: Campaign, template: str | None = None) -> Document:
    """Giấy mời họp Tổ Thư ký: the secretariat's members invited to the working meeting the data
    describe (time, place, its chair, what it prepares), before the council meets."""
    kind = "giay-moi-hop-to-thu-ky"
    meeting = campaign.secretariat_meeting
    if meeting is None:
        raise ValueError("chưa nhập thông tin cuộc họp Tổ Thư ký (thời gian, địa điểm, thành phần; tệp campaign.json: mục 'secretariat_meeting')")
    settings = issued(campaign, kind)
    members = [m for m in campaign.council if m.body == "secretariat"]
    chair = next((m for m in members if m.id == meeting.chair), None)
    if chair is None:
        raise ValueError(f"secretariat_meeting: không có thành viên Tổ Thư ký {meeting.chair!r}")
    context = {**common_context(campaign, campaign.agency(settings.header.issuer).name, plan_citation(campaign)),
               "bat_dau": _moment(meeting.start), "dia_diem": meeting.place, "chu_tri": _member(chair),
               "thanh_vien": [_member(m) for m in members], "noi_dung": list(meeting.agenda)}
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, settings.header, "giay-moi", list(worded.title or ()), settings.signature,
                        settings.recipients, recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


def compose_conclusions(campaign: Campaign, template: str | None = None) -> Document:
    """Thông báo kết luận của Chủ tịch Hội đồng thẩm định: the meeting's disputes and conclusions, sent
    to the units (the Biên bản itself stays in the council's file)."""
    kind = "thong-bao-ket-luan"
    meeting, settings, chair, context = _meeting_letter(campaign, kind)
    council = [m for m in campaign.council if m.body == "council"]
    context.update({"co_mat": str(sum(1 for m in council if m.id in meeting.present)), "tong_so": str(len(council)),
                    "y_kien": list(meeting.disputes), "ket_luan": list(meeting.conclusion)})
    worded = word(kind, context, template, data_overrides(settings, document_filler(campaign, kind)))
    frame = build_frame(campaign, settings.header, "thong-bao", list(worded.title or ()), settings.signature,
                        settings.recipients, recipients_first=first_recipients(worded))
    return Document(kind, frame, worded.body, kind, title=" ".join([frame.type_name, *frame.title_lines]))


#: Who signs the minutes on the right (Mẫu 1.9: THƯ KÝ on the left, CHỦ TỌA on the right).
CHAIR_OF_MEETING = "Chủ tọa"


def compose_minutes(campaign: Campaign, template: str | None = None) -> Document:
    """Biên bản họp Hội đồng thẩm định (Mẫu 1.9): no date line; THƯ KÝ left, CHỦ TỌA right; the
    quorum counted from the members present."""
    meeting = campaign.meeting
    if meeting is None:
        raise ValueError("chưa nhập thông tin cuộc họp Hội đồng thẩm định: Tổ Thư ký nhập ở trang «Cuộc họp Hội đồng thẩm định» (tệp campaign.json: mục 'meeting')")
    members = {m.id: m for m in campaign.council}
    for name in (meeting.chair, meeting.secretary, *meeting.present):
        if name not in members:
            raise ValueError(f"meeting: không có thành viên {name!r} trong 'council'")
    results = compute_campaign(campaign)
    chair, secretary = members[meeting.chair], members[meeting.secretary]
    council = [m for m in campaign.council if m.body == "council"]
    present_council = [m for m in council if m.id in meeting.present]
    per_group = []
    for group in [g for g in campaign.groups if g.id in results.groups]:
        rows = []
        for r in sorted(results.groups[group.id], key=lambda x: vietnamese_key(x.unit_name)):
            first = True
            for f in r.fields:
                appraised = sum((l.points for l in r.leaves.values()
                                 if l.node.code.split(".")[0] == f.node.code and l.node.scoring == "appraised"), Decimal(0))
                if f.self_points != appraised:
                    # D30: the unit is named on its first row only, its fields follow
                    rows.append((r.unit_name if first else "", f"{f.node.code}. {f.node.title}", points(f.self_points),
                                 points(appraised), points(appraised - f.self_points)))
                    first = False
        per_group.append({"ten": group.name, "so_don_vi": str(len(results.groups[group.id])),
                          "so_don_vi_khac": str(sum(1 for row in rows if row[0])),
                          "chenh_lech": TableRows(tuple(rows)) if rows else None})
    context = {**common_context(campaign, campaign.agency(meeting.header.issuer).name, plan_citation(campaign)),
               "bat_dau": _moment(meeting.start), "ket_thuc": _moment(meeting.end), "dia_diem": meeting.place,
               "thanh_phan": [_member(members[m]) for m in meeting.present], "chu_tri": _member(chair),
               "thu_ky": _member(secretary), "ket_qua": per_group,
               "co_mat": str(len(present_council)), "tong_so": str(len(council)),
               "du_so": 2 * len(present_council) > len(council), "y_kien": list(meeting.disputes),
               "ket_luan": list(meeting.conclusion)}
    worded = word("bien-ban", context, template, {"trich-yeu": [meeting.title]})
    frame = build_frame(campaign, meeting.header, "bien-ban", list(worded.title or ()),
                        Signature(title=CHAIR_OF_MEETING, name=chair.name), meeting.recipients, dated=False,
                        left_signature=(["THƯ KÝ"], secretary.name))
    return Document("bien-ban", frame, worded.body, "bien-ban", title=" ".join([frame.type_name, *frame.title_lines]))
