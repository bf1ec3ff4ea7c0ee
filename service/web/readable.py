"""Stored records as a person reads them (issue 14, walk finding 15): times in Vietnam as dd/mm/yyyy
HH:MM, actions in Vietnamese, people by their names, old and new values as short "field: value" lines
with hashes shortened — instead of UTC, slugs and raw JSON."""
from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from service.domain.lifecycle import ACTIONS as DOCUMENT_ACTIONS

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: What each audit action means (the document steps are read from the lifecycle's own labels).
ACTION_LABELS = {
    "luu-chien-dich": "Lưu dữ liệu chiến dịch", "sua-chien-dich": "Sửa dữ liệu chiến dịch",
    "soan-thao": "Soạn thảo văn bản", "nhap-khao-sat": "Nhập kết quả khảo sát", "nhap-excel": "Nhập từ Excel",
    "nhap-don-vi": "Nhập danh sách đơn vị", "cap-so": "Cấp số văn bản", "huy-so": "Hủy số văn bản",
    "ky-so": "Ký số", "tai-len-tai-lieu": "Tải lên tài liệu kiểm chứng", "dang-ky-chung-thu": "Đăng ký chứng thư số",
    "gan-tai-khoan-ky": "Gắn tài khoản cho người ký", "tao-tai-khoan": "Tạo tài khoản",
    "dat-lai-mat-khau": "Đặt lại mật khẩu", "doi-mat-khau": "Đổi mật khẩu", "mo-tai-khoan": "Mở lại tài khoản",
    "khoa-tai-khoan": "Khóa tài khoản",
    "tao-ma-api": "Tạo mã truy cập API", "thu-hoi-ma-api": "Thu hồi mã truy cập API",
    "cau-hinh-ky-tu-xa": "Đặt dịch vụ ký số từ xa", "xac-nhan-ky-tu-xa": "Người ký xác nhận dịch vụ ký số từ xa",
}
_HASH = re.compile(r"\b[0-9a-f]{64}\b")
MAX_VALUE = 240


def _in_vietnam(moment: dt.datetime) -> dt.datetime:
    """A stored time in Vietnam's zone (a stored time without a zone is UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).astimezone(VIETNAM)


def until_day(moment: dt.datetime) -> str:
    """An expiry at midnight in Vietnam as the day it lasts through: 'hết ngày 31/12/2027' (walk U21);
    any other time as it is."""
    local = _in_vietnam(moment)
    if local.time() == dt.time(0):
        return f"hết ngày {(local - dt.timedelta(days=1)):%d/%m/%Y}"
    return vn_time(local)


def vn_time(moment: dt.datetime | None) -> str:
    """'28/11/2026 08:47' in Vietnam's time (a stored time without a zone is UTC)."""
    if moment is None:
        return ""
    return _in_vietnam(moment).strftime("%d/%m/%Y %H:%M")


def action_label(action: str) -> str:
    if action.startswith("van-ban:"):
        step = DOCUMENT_ACTIONS.get(action.split(":", 1)[1])
        return f"Văn bản: {step.label}" if step else action
    return ACTION_LABELS.get(action, action)


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _HASH.sub(lambda m: m.group(0)[:12] + "…", text)


def value_text(stored: str | None) -> str:
    """A stored old or new value as short lines: 'status: voided; reason: …' for an object, the list's
    items, or the text itself; at most MAX_VALUE characters."""
    if not stored:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        value = stored
    if isinstance(value, dict):
        text = "; ".join(f"{key}: {_short(item)}" for key, item in value.items() if item not in (None, "", [], {}))
    elif isinstance(value, list):
        text = "; ".join(_short(item) for item in value)
    else:
        text = _short(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE].rsplit(" ", 1)[0] + " …"
