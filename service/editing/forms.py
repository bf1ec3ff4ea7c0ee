"""What every form edit shares: reading typed values the Vietnamese way, collecting errors per form
field, and pointing the whole-campaign validator's problems back at the field that caused them."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from data_models import InvalidCampaign
from data_models.loading import validate_edited
from data_models.scoring_checks import over_maximum


def parse_typed_date(raw: str) -> dt.date:
    """dd/mm/yyyy (d/m/yyyy too) or YYYY-MM-DD; ValueError in Vietnamese when it is not a real date."""
    text = raw.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ngày {raw!r} không tồn tại (kiểm tra ngày và tháng)") from None
    raise ValueError(f"ngày {raw!r} không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/11/2026")


class FormInvalid(Exception):
    """A form cannot be saved: ``errors`` maps a form field name to its Vietnamese message
    ('' for problems that belong to no single field). Nothing was stored."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in errors.items()))


class Fields:
    """Reads one submitted form (any mapping of name → text) and remembers which campaign.json path
    each field was written to, so a validation problem lands next to the field that caused it."""

    def __init__(self, values: Mapping[str, str], known_files: set[str] | None = None):
        self.values = values
        self.errors: dict[str, str] = {}
        self.paths: dict[str, str] = {}
        #: The evidence files a row may cite (the unit's own, and this form's uploads); None: not checked.
        self.known_files = known_files

    def text(self, name: str) -> str | None:
        value = (self.values.get(name) or "").strip()
        return value or None

    def points(self, name: str, maximum=None, code: str = "", adjustment: bool = False) -> int | float | None:
        """A score as typed: '7,5' or '7.5'; empty → None. Stored as a JSON number. With ``maximum``
        (of criterion or item ``code``) a score above it is an error here, in the same round as the
        form's other errors (the validator's own check runs only on a form that parsed)."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = Decimal(raw.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            self.errors[name] = f"điểm phải là số (ví dụ 7,5), không phải {raw!r}"
            return None
        if not value.is_finite():
            self.errors[name] = "điểm phải là số hữu hạn"
            return None
        if value < 0:
            self.errors[name] = "điểm không được âm"
            return None
        if maximum is not None and value > Decimal(str(maximum)):
            self.errors[name] = over_maximum(value, maximum, code, adjustment)
        return int(value) if value == value.to_integral() else float(value)

    def whole(self, name: str, *, required: bool = False) -> int | None:
        raw = self.text(name)
        if raw is None:
            if required:
                self.errors[name] = "không được để trống"
            return None
        if not re.fullmatch(r"\d{1,9}", raw.replace(".", "")):
            self.errors[name] = f"phải là số nguyên không âm, không phải {raw!r}"
            return None
        return int(raw.replace(".", ""))

    def date(self, name: str, *, required: bool = False) -> str | None:
        """A date typed as dd/mm/yyyy (or sent as YYYY-MM-DD); checked to exist. An impossible date is
        an error at its field, never an empty value (which would erase what is stored)."""
        raw = self.text(name)
        if raw is None:
            if required:
                self.errors[name] = "không được để trống"
            return None
        try:
            return parse_typed_date(raw).isoformat()
        except ValueError as error:
            self.errors[name] = str(error)
            return None

    def row_numbers(self, prefix: str, parts: str, digits: int = 3) -> list[int]:
        """The numbers n of a form's repeating rows sent as ``{prefix}-{n}-{part}`` (parts: 'so|ngay'),
        in order; rows the page added with JavaScript count too."""
        pattern = re.compile(rf"{re.escape(prefix)}-(\d{{1,{digits}}})-(?:{parts})")
        return sorted({int(m[1]) for key in self.values if (m := pattern.fullmatch(key))})

    def written(self, path: str, field: str) -> None:
        """Field ``field`` was written to campaign.json at ``path``."""
        self.paths[path] = field

    def check(self) -> None:
        if self.errors:
            raise FormInvalid(dict(self.errors))

    def finish(self, data: dict) -> None:
        """End of an edit: when some typed values were unreadable, validate the rest as well so the
        person sees every problem at once (score above the maximum beside a bad date), then refuse."""
        if not self.errors:
            return
        try:
            validate_edited(data)
        except InvalidCampaign as error:
            for field, message in self.explain(error).errors.items():
                self.errors.setdefault(field, message)
        self.check()

    def explain(self, error: InvalidCampaign) -> FormInvalid:
        """The validator's problems, each moved to the form field whose path is the longest prefix of
        the problem's path; problems outside the form are kept under ''."""
        errors: dict[str, str] = {}
        for problem in error.problems:
            field = _owner(problem.path, self.paths)
            if not field and problem.twin and _owner(problem.twin, self.paths):
                continue                    # its twin stands next to the field the person typed
            if field and field in errors and problem.message in errors[field]:
                continue
            message = problem.message if field else str(problem)
            if field and message == "thiếu trường bắt buộc":
                message = "không được để trống"          # a form has boxes, not JSON fields
            errors[field] = f"{errors[field]}; {message}" if field in errors else message
        return FormInvalid(errors)


def _owner(path: str, paths: dict[str, str]) -> str:
    best = ""
    for prefix in paths:
        if (path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")) and len(prefix) > len(best):
            best = prefix
    return paths.get(best, "")
