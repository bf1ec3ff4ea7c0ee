"""Versions of the things people edit, so that a stale save is refused instead of silently undoing
someone else's: the campaign's core (organisation, plan, council, documents' settings …) and each
unit's part (its assessment and survey answers). Two different units never conflict. The token a
form or an API client carries is the version it was read at (an ETag on the API)."""
from __future__ import annotations

import hashlib
import json

from .forms import FormInvalid

UNIT_PARTS = ("assessments", "survey_answers")


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def core_version(data: dict) -> str:
    """Everything but the units' own parts."""
    return _digest({k: v for k, v in data.items() if k not in UNIT_PARTS})


def unit_version(data: dict, unit_id: str) -> str:
    """One unit's assessment and survey answers."""
    return _digest([[a for a in data.get("assessments", []) if a.get("unit") == unit_id],
                    [s for s in data.get("survey_answers", []) if s.get("unit") == unit_id]])


class StaleVersion(FormInvalid):
    """The thing was changed by someone else since the form was opened; nothing was stored."""

    def __init__(self):
        super().__init__({"": "biểu mẫu đã được sửa và lưu sau khi bạn mở trang (ở thẻ hoặc cửa sổ khác, hoặc bởi "
                              "người khác), nên chưa lưu để không xóa mất thay đổi đó. Xem các thay đổi ngay bên dưới, "
                              "tải lại trang rồi nhập lại phần của bạn."})


def check_version(sent: str | None, current: str) -> None:
    """Refuse (StaleVersion) when a version was sent and it is not the current one; no version sent
    (an older client) is not checked."""
    if sent and sent != current:
        raise StaleVersion()
