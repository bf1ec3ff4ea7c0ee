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
    "van-ban:huy-so": "Văn bản: hủy số", "van-ban:ky": "Văn bản: ký số", "van-ban:dong-dau": "Văn bản: đóng dấu số (ký số của cơ quan)",
}
#: What the stored field names of an assessment, a document header or a step's record mean.
FIELD_LABELS = {
    "self_score": "điểm tự chấm", "explanation": "thuyết minh", "evidence": "tài liệu kiểm chứng",
    "not_applicable": "không áp dụng", "round1": "điểm thẩm định lần 1", "round2": "điểm thẩm định lần 2",
    "remark": "nhận xét thẩm định", "response": "ý kiến giải trình", "added_evidence": "tài liệu giải trình bổ sung",
    "bonus": "điểm thưởng", "deduction": "điểm trừ", "report": "báo cáo tự đánh giá", "explanation_report":
    "báo cáo giải trình", "extension": "gia hạn", "until": "đến ngày", "reason": "lý do", "ly_do": "lý do",
    "number": "số", "date": "ngày", "name": "tên", "issuer": "cơ quan ban hành", "symbol_units": "ký hiệu",
    "buoc": "bước", "ghi_chu": "ghi chú", "vai_tro": "vai trò", "ho_ten": "họ tên", "don_vi": "đơn vị",
    "co_quan": "cơ quan", "tep": "tệp", "ten": "tên", "dong": "số dòng", "o_ky": "ô ký", "nguoi_ky": "người ký",
    "dich_vu": "dịch vụ", "chung_thu": "chứng thư", "tai_khoan": "tài khoản", "trang_thai": "trạng thái",
}
#: The signature fields of a document as people call them.
SLOT_LABELS = {"ChuKy": "chữ ký người ký", "ChuKyTrai": "chữ ký thư ký", "DauCoQuan": "dấu (ký số của cơ quan)"}
#: Parts of a campaign the core's edits name.
PART_LABELS = {"ke-hoach": "Kế hoạch", "hoi-dong": "Hội đồng thẩm định", "cuoc-hop": "Cuộc họp Hội đồng",
               "han-bao-cao": "Hạn nộp báo cáo", "xep-loai": "Xếp loại", "tep": "Tệp tài liệu kiểm chứng",
               "khong-xep-hang": "Không xếp hạng", "tra-lai": "Trả lại báo cáo", "khao-sat": "Kết quả điều tra xã hội học"}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
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
    """One value as a person reads it: a day dd/mm/yyyy, a number with a decimal comma, yes/no, a
    signature field by its name, an evidence item as 'số … ngày …', nothing for a hash."""
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, (int, float)):
        return format(value, "g").replace(".", ",")
    if isinstance(value, str):
        day = _ISO_DAY.match(value)
        if day:
            return f"{day[3]}/{day[2]}/{day[1]}"
        return SLOT_LABELS.get(value, _HASH.sub(lambda m: m.group(0)[:12] + "…", value))
    if isinstance(value, dict):
        if {"number", "date"} & set(value) and set(value) <= {"number", "date", "name", "file", "issuer"}:
            parts = [f"số {value['number']}" if value.get("number") else "",
                     f"ngày {_short(value['date'])}" if value.get("date") else "", value.get("name") or ""]
            return " ".join(p for p in parts if p) or "(trống)"
        return "; ".join(f"{FIELD_LABELS.get(key, key)}: {_short(item)}" for key, item in value.items()
                         if item not in (None, "", [], {}) and key not in ("sha256", "file"))
    if isinstance(value, list):
        return "; ".join(_short(item) for item in value) or "(không có)"
    return str(value)


def value_text(stored: str | None) -> str:
    """A stored old or new value as short lines: 'lý do: …' for an object, the list's items, or the
    text itself, in Vietnamese words and formats; at most MAX_VALUE characters."""
    if not stored:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        value = stored
    text = _short(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE].rsplit(" ", 1)[0] + " …"


def target_text(target: str, unit_names, kind_labels: dict[str, str]) -> str:
    """What an audit entry changed, in words: 'Sở Ngoại vụ, tiêu chí 1.1.1: điểm tự chấm', 'Giấy mời
    họp Hội đồng', 'Tài khoản lanhdao' … (``unit_names(campaign_id)``: unit id → name); the stored
    path itself when it is of no known shape."""
    parts = [p for p in target.split("/") if p]
    if not parts:
        return target
    if parts[0] == "user" and len(parts) == 2:
        return f"Tài khoản {parts[1]}"
    if parts[0] in ("tai-khoan", "ky-so"):
        return {"tai-khoan": "Tài khoản ký số từ xa", "ky-so": "Người ký, cơ quan ký số"}[parts[0]] + \
            (f" {parts[-1]}" if parts[0] == "ky-so" else "")
    if parts[0] == "campaign" and len(parts) >= 2:
        names = unit_names(parts[1])
        if len(parts) == 2:
            return "Dữ liệu chiến dịch"
        if parts[2] in kind_labels:
            unit = names.get(parts[3]) if len(parts) > 3 else None
            return kind_labels[parts[2]] + (f" — {unit}" if unit else "")
        if parts[2] in names:
            return f"Phần dữ liệu của {names[parts[2]]}"
        return target
    names = unit_names(parts[0])
    if names is None:
        if len(parts) == 4 and parts[3].isdigit():                # a register: agency/register/year/number
            return f"Sổ đăng ký {parts[1]} năm {parts[2]}, số {parts[3]}"
        return target
    rest = parts[1:]
    if not rest:
        return "Dữ liệu chiến dịch"
    if rest[0] == "van-ban" and len(rest) >= 2:
        return f"Soạn thảo: {kind_labels.get(rest[1], rest[1])}"
    if rest[0] in ("don-vi", "co-quan") and len(rest) == 2:
        return ("Đơn vị " if rest[0] == "don-vi" else "Cơ quan ") + names.get(rest[1], rest[1])
    if rest[0] == "nhap-excel":
        return "Nhập từ Excel" + (f": {rest[1]}" if len(rest) > 1 else "")
    if rest[0] in PART_LABELS:
        return PART_LABELS[rest[0]]
    unit = names.get(rest[0], rest[0])
    if len(rest) == 1:
        return unit
    if rest[1] in PART_LABELS:
        return f"{unit}: {PART_LABELS[rest[1]].lower() if rest[1] != 'khao-sat' else 'kết quả điều tra xã hội học'}"
    if len(rest) == 2:
        return f"{unit}: {FIELD_LABELS.get(rest[1], rest[1])}"
    return f"{unit}, tiêu chí {rest[1]}: {FIELD_LABELS.get(rest[2], rest[2])}"
