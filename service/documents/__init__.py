"""Composers: one per document kind, campaign → Document (frame + body). No Flask, no file I/O."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from data_models import Campaign

from .body import Document
from .plan import compose_plan


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    compose: Callable[[Campaign], Document]
    per_unit: bool = False


KINDS: dict[str, DocumentKind] = {kind.key: kind for kind in [
    DocumentKind("ke-hoach", "Kế hoạch triển khai đánh giá, xác định Chỉ số CCHC", compose_plan),
]}


def compose(campaign: Campaign, kind: str) -> Document:
    try:
        document_kind = KINDS[kind]
    except KeyError:
        raise ValueError(f"không có loại văn bản {kind!r}; các loại: {', '.join(KINDS)}") from None
    return document_kind.compose(campaign)
