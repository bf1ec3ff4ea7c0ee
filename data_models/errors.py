"""Validation problems in Vietnamese, each naming the field path (``plan.tasks.items[3].time``)."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    #: The other place the same problem is reported at (two entries that contradict each other): a
    #: form that shows one of the two next to its field need not repeat the other.
    twin: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidCampaign(Exception):
    """campaign.json cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong lược đồ (kiểm tra lại tên trường)",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "decimal_parsing": "phải là số",
    "decimal_type": "phải là số",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là danh sách",
    "model_type": "phải là một đối tượng",
    "dict_type": "phải là một đối tượng",
    "model_attributes_type": "phải là một đối tượng",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_from_datetime_parsing": "ngày không hợp lệ hoặc không tồn tại (dạng YYYY-MM-DD)",
    "date_from_datetime_inexact": "ngày không được kèm giờ",
    "union_tag_not_found": "thiếu trường 'type'",
    "json_invalid": "JSON không hợp lệ",
    "frozen_instance": "không được sửa",
}


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and "\\." in str(ctx.get("pattern", "")):
        return "mã định danh điện tử gồm 4 nhóm 2–3 chữ số hoặc chữ in hoa, cách nhau bằng dấu chấm (ví dụ 000.00.31.H45)"
    if kind == "string_pattern_mismatch":
        return "chỉ dùng chữ thường không dấu, chữ số và dấu '-' (ví dụ 'so-noi-vu')"
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
        kind = "string_" + kind
    if kind == "string_too_short" and not error.get("input", "").strip():
        return "không được để trống"
    if kind == "string_too_short":
        return f"quá ngắn: cần ít nhất {ctx.get('min_length')} ký tự"
    if kind == "string_too_long":
        return (f"quá dài: tối đa {ctx.get('max_length')} ký tự (hiện có {len(error['input'])}); "
                "hãy rút gọn, văn bản không tự cắt bớt")
    if kind == "too_short":
        return f"cần ít nhất {ctx.get('min_length')} mục"
    if kind == "too_long":
        return f"tối đa {ctx.get('max_length')} mục"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "phải lớn hơn hoặc bằng", "greater_than": "phải lớn hơn",
                 "less_than_equal": "không được lớn hơn", "less_than": "phải nhỏ hơn"}[kind]
        bound = next(iter(ctx.values()), "?")
        return f"{words} {bound} (giá trị nhập: {error.get('input')!r})"
    if kind == "literal_error":
        return f"phải là một trong các giá trị: {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"loại {ctx.get('tag')!r} không hợp lệ; các loại: {ctx.get('expected_tags')}"
    return _MESSAGES.get(kind, f"giá trị không hợp lệ ({kind})")


def format_path(location: tuple) -> str:
    """('plan', 'tasks', 'items', 3, 'time') → 'plan.tasks.items[3].time'."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def problems_from_validation(error: ValidationError, tags: frozenset[str] = frozenset()) -> list[Problem]:
    """Vietnamese problems; discriminator tags that pydantic inserts into paths are dropped."""
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(part for i, part in enumerate(item["loc"])
                         if not (part in tags and i > 0 and isinstance(item["loc"][i - 1], int)))
        problems.append(Problem(format_path(location), _message(item)))
    return problems
