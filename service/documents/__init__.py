"""Composers: one per document kind, campaign → Document (frame + body). No Flask, no file I/O."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from data_models import Campaign

from .body import Document
from .plan import compose_plan
from .results import compose_decision, compose_minutes, compose_results_report
from .unit_reports import compose_explanation, compose_self_assessment, flagged_leaves


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    compose: Callable[..., Document]
    per_unit: bool = False
    #: For per-unit kinds: which units have one (all units by default).
    applies: Callable[[Campaign, str], bool] = lambda campaign, unit_id: True


KINDS: dict[str, DocumentKind] = {kind.key: kind for kind in [
    DocumentKind("ke-hoach", "Kế hoạch triển khai đánh giá, xác định Chỉ số CCHC", compose_plan),
    DocumentKind("bao-cao-tu-danh-gia", "Báo cáo tự đánh giá, chấm điểm của đơn vị", compose_self_assessment,
                 per_unit=True, applies=lambda c, u: c.assessment(u) is not None and c.assessment(u).report is not None),
    DocumentKind("bao-cao-giai-trinh", "Báo cáo giải trình của đơn vị", compose_explanation, per_unit=True,
                 applies=lambda c, u: bool(flagged_leaves(c, u))),
    DocumentKind("bien-ban", "Biên bản họp Hội đồng thẩm định", compose_minutes),
    DocumentKind("bao-cao-ket-qua", "Báo cáo kết quả xác định Chỉ số CCHC", compose_results_report),
    DocumentKind("quyet-dinh-cong-bo", "Quyết định phê duyệt và công bố Chỉ số CCHC", compose_decision),
]}


def available(campaign: Campaign, kind: DocumentKind) -> bool:
    """Whether a campaign carries the data a (campaign-level) kind needs."""
    if kind.key == "ke-hoach":
        return True
    if kind.key == "bien-ban":
        return campaign.meeting is not None
    if kind.key in ("bao-cao-ket-qua", "quyet-dinh-cong-bo"):
        return kind.key in campaign.documents and bool(campaign.criteria_sets)
    return bool(campaign.assessments) and campaign.reporting is not None


def compose(campaign: Campaign, kind: str, unit: str | None = None) -> Document:
    try:
        document_kind = KINDS[kind]
    except KeyError:
        raise ValueError(f"không có loại văn bản {kind!r}; các loại: {', '.join(KINDS)}") from None
    if document_kind.per_unit:
        if unit is None:
            raise ValueError(f"loại văn bản {kind!r} lập theo từng đơn vị: cần --unit")
        return document_kind.compose(campaign, unit)
    if unit is not None:
        raise ValueError(f"loại văn bản {kind!r} không lập theo từng đơn vị (bỏ --unit)")
    return document_kind.compose(campaign)
