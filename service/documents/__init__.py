"""Composers: one per document kind, campaign → Document (frame + body). No Flask, no file I/O."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import dataclasses
import datetime as dt
from collections.abc import Mapping

from data_models import Campaign

from .body import Document, paragraph
from .kind_templates import PHRASES, phrase, phrases_in_force
from .unit_letters import compose_appraisal_notice, compose_result_notice, compose_round2_notice
from .drafting import (compose_council_decision, compose_council_rules, compose_survey_plan, compose_criteria_decision, compose_guidance,
                       compose_reminder, compose_submission, compose_survey_forms)
from .plan import compose_plan
from .results import (compose_conclusions, compose_decision, compose_invitation, compose_minutes, lowest_band_units,
                      compose_secretariat_invitation,
                      compose_ministry_report, compose_remedial_letter, compose_results_report)
from .unit_reports import compose_explanation, compose_self_assessment, flagged_leaves


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    compose: Callable[..., Document]
    per_unit: bool = False
    #: For per-unit kinds: which units have one (all units by default).
    applies: Callable[[Campaign, str], bool] = lambda campaign, unit_id: True
    #: Type for the document's symbol when it is issued (ND30 PL III); None: not issued in the register.
    document_type: str | None = None


def _ranked(campaign: Campaign, unit_id: str) -> bool:
    """A unit ranked this year: it has a self-assessment and is not excluded."""
    return (campaign.assessment(unit_id) is not None and campaign.assessment(unit_id).report is not None
            and unit_id not in {e.unit for e in campaign.exclusions})


KINDS: dict[str, DocumentKind] = {kind.key: kind for kind in [
    DocumentKind("ke-hoach", "Kế hoạch triển khai đánh giá, xác định Chỉ số CCHC", compose_plan,
                 document_type="ke-hoach"),
    DocumentKind("bao-cao-tu-danh-gia", "Báo cáo tự đánh giá, chấm điểm của đơn vị", compose_self_assessment,
                 per_unit=True, applies=lambda c, u: c.assessment(u) is not None and c.assessment(u).report is not None,
                 document_type="bao-cao"),
    DocumentKind("bao-cao-giai-trinh", "Báo cáo giải trình của đơn vị", compose_explanation, per_unit=True,
                 applies=lambda c, u: bool(flagged_leaves(c, u)), document_type="bao-cao"),
    DocumentKind("bien-ban", "Biên bản họp Hội đồng thẩm định", compose_minutes, document_type="bien-ban"),
    DocumentKind("thong-bao-ket-luan", "Thông báo kết luận của Chủ tịch Hội đồng thẩm định", compose_conclusions,
                 document_type="thong-bao"),
    DocumentKind("giay-moi-hop-to-thu-ky", "Giấy mời họp Tổ Thư ký", compose_secretariat_invitation,
                 document_type="giay-moi"),
    DocumentKind("giay-moi-hop-hoi-dong", "Giấy mời họp Hội đồng thẩm định", compose_invitation,
                 document_type="giay-moi"),
    DocumentKind("bao-cao-ket-qua", "Báo cáo kết quả xác định Chỉ số CCHC", compose_results_report,
                 document_type="bao-cao"),
    DocumentKind("quyet-dinh-cong-bo", "Quyết định phê duyệt và công bố Chỉ số CCHC", compose_decision,
                 document_type="quyet-dinh"),
    DocumentKind("bao-cao-bo-noi-vu", "Báo cáo kết quả gửi Bộ Nội vụ", compose_ministry_report, document_type="bao-cao"),
    DocumentKind("cong-van-chan-chinh", "Công văn chấn chỉnh các đơn vị xếp loại thấp nhất", compose_remedial_letter,
                 document_type="cong-van"),
    DocumentKind("quyet-dinh-hoi-dong", "Quyết định thành lập Hội đồng thẩm định và Tổ Thư ký", compose_council_decision,
                 document_type="quyet-dinh"),
    DocumentKind("quyet-dinh-quy-che", "Quyết định ban hành Quy chế làm việc của Hội đồng thẩm định", compose_council_rules,
                 document_type="quyet-dinh"),
    DocumentKind("quyet-dinh-bo-tieu-chi", "Quyết định ban hành Bộ tiêu chí", compose_criteria_decision,
                 document_type="quyet-dinh"),
    DocumentKind("huong-dan", "Hướng dẫn tự đánh giá, chấm điểm", compose_guidance, document_type="huong-dan"),
    DocumentKind("to-trinh-ke-hoach", "Tờ trình ban hành Kế hoạch", lambda c, template=None: compose_submission(c, "to-trinh-ke-hoach", template),
                 document_type="to-trinh"),
    DocumentKind("to-trinh-hoi-dong", "Tờ trình thành lập Hội đồng thẩm định", lambda c, template=None: compose_submission(c, "to-trinh-hoi-dong", template),
                 document_type="to-trinh"),
    DocumentKind("to-trinh-ket-qua", "Tờ trình phê duyệt, công bố kết quả", lambda c, template=None: compose_submission(c, "to-trinh-ket-qua", template),
                 document_type="to-trinh"),
    DocumentKind("cong-van-don-doc", "Công văn đôn đốc gửi báo cáo tự đánh giá", compose_reminder,
                 document_type="cong-van"),
    DocumentKind("cong-van-ket-qua-tham-dinh", "Công văn thông báo kết quả thẩm định, yêu cầu giải trình",
                 compose_appraisal_notice, per_unit=True, applies=lambda c, u: bool(flagged_leaves(c, u)),
                 document_type="cong-van"),
    DocumentKind("thong-bao-tham-dinh-lan-2", "Thông báo kết quả thẩm định lần 2", compose_round2_notice,
                 per_unit=True, applies=lambda c, u: bool(flagged_leaves(c, u)), document_type="thong-bao"),
    DocumentKind("thong-bao-ket-qua-chi-so", "Thông báo kết quả Chỉ số CCHC của đơn vị", compose_result_notice,
                 per_unit=True, applies=_ranked, document_type="thong-bao"),
    DocumentKind("ke-hoach-dieu-tra-xhh", "Kế hoạch điều tra xã hội học", compose_survey_plan, document_type="ke-hoach"),
    DocumentKind("phieu-khao-sat", "Phiếu khảo sát và kế hoạch phát phiếu", compose_survey_forms),
]}


def available(campaign: Campaign, kind: DocumentKind) -> bool:
    """Whether a campaign carries the data a kind needs (the demo renders what it can)."""
    if kind.key == "ke-hoach":
        return True
    if kind.key == "bien-ban":
        return campaign.meeting is not None
    if kind.key in ("giay-moi-hop-hoi-dong", "thong-bao-ket-luan"):
        return campaign.meeting is not None and kind.key in campaign.documents
    if kind.key == "ke-hoach-dieu-tra-xhh":
        return kind.key in campaign.documents and campaign.plan.survey is not None and \
            any(l.scoring == "survey" for c in campaign.criteria_sets for l in c.leaves())
    if kind.key == "phieu-khao-sat":
        return any(l.scoring == "survey" for c in campaign.criteria_sets for l in c.leaves())
    if kind.key in ("bao-cao-ket-qua", "quyet-dinh-cong-bo", "to-trinh-ket-qua", "bao-cao-bo-noi-vu"):
        return kind.key in campaign.documents and bool(campaign.criteria_sets) and bool(campaign.assessments)
    if kind.key == "giay-moi-hop-to-thu-ky":
        return campaign.secretariat_meeting is not None and kind.key in campaign.documents
    if kind.key == "cong-van-chan-chinh":
        return kind.key in campaign.documents and bool(campaign.criteria_sets) and bool(lowest_band_units(campaign))
    if kind.key in ("cong-van-ket-qua-tham-dinh", "thong-bao-tham-dinh-lan-2", "thong-bao-ket-qua-chi-so"):
        return kind.key in campaign.documents and bool(campaign.assessments) and bool(campaign.criteria_sets)
    if kind.key in campaign.documents:
        if kind.key == "cong-van-don-doc":
            from .drafting import reminded_units, _letter_date
            header = campaign.documents[kind.key].header
            try:
                return bool(reminded_units(campaign, header, _letter_date(header, campaign)))
            except ValueError:
                return False
        return True
    if kind.per_unit:
        return bool(campaign.assessments) and campaign.reporting is not None
    return False


def compose(campaign: Campaign, kind: str, unit: str | None = None, templates: Mapping[str, str] | None = None) -> Document:
    """The document of ``kind`` (for ``unit``), worded by ``templates[kind]`` when the caller has a
    province's or campaign's version of it, else by the default template."""
    try:
        document_kind = KINDS[kind]
    except KeyError:
        raise ValueError(f"không có loại văn bản {kind!r}; các loại: {', '.join(KINDS)}") from None
    templates = templates or {}
    template = templates.get(kind)
    if document_kind.per_unit and unit is None:
        raise ValueError(f"loại văn bản {kind!r} lập theo từng đơn vị: cần --unit")
    if not document_kind.per_unit and unit is not None:
        raise ValueError(f"loại văn bản {kind!r} không lập theo từng đơn vị (bỏ --unit)")
    with phrases_in_force(templates.get(PHRASES)):
        if document_kind.per_unit:
            return document_kind.compose(campaign, unit, template=template)
        return document_kind.compose(campaign, template=template)


def with_relation(document: Document, relation: str, number_line: str, issued_on: dt.date, reason: str | None,
                  phrases: str | None = None) -> Document:
    """A document issued to replace (thay thế) or correct (đính chính) an issued one says so, citing it
    by number and date, at the end of its body (the sentence: ``_cum-tu.txt``)."""
    values = {"loai": document.frame.type_name.capitalize() if document.frame.type_name else "Văn bản",
              "so": number_line.replace("Số:", "").strip(), "ngay": f"{issued_on:%d/%m/%Y}",
              "ly_do": (reason or "").strip() or None}
    text = phrase("thay-the" if relation == "thay-the" else "dinh-chinh", values, source=phrases)
    return dataclasses.replace(document, body=(*document.body, paragraph(text, italic=True)))
