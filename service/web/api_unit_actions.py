"""The Sở Nội vụ's actions on one unit over the API (issue 15), the page's own code (``forms.unit_action``):
return a submitted self-assessment to the unit, extend its current step's deadline, leave it out of the
ranking or bring it back — each with its reason, errors named by JSON field, nothing stored on an error."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify

from service.editing.assessment import extend_deadline, set_exclusion

from .api import NOTHING_STORED, form_errors, invalid, json_body
from .forms import returned, unit_action
from .security import login_required

bp = Blueprint("api_unit_actions", __name__, url_prefix="/api")


def _act(campaign_id: str, unit_id: str, edit, action: str, fields: dict[str, tuple[str, type]], convert=None):
    """``fields``: JSON field → (form field, type). The body is checked for types, then translated."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON.")
    problems = [(key, "trường không có trong mô tả API") for key in body if key not in fields]
    problems += [(key, "phải là " + ("true hoặc false" if kind is bool else "chuỗi"))
                 for key, (_, kind) in fields.items() if key in body and not isinstance(body[key], kind)]
    if problems:
        return invalid(NOTHING_STORED, problems)
    values = {form: (("1" if body[key] else "") if kind is bool else body[key].strip())
              for key, (form, kind) in fields.items() if key in body}
    errors = unit_action(campaign_id, unit_id, edit, action, values)
    if errors:
        named = {form: key for key, (form, _) in fields.items()}
        return form_errors("Chưa thực hiện; không có thay đổi nào được lưu.", errors, lambda field: named.get(field, field))
    return jsonify({"ket_qua": "đã lưu"})


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/return", methods=["POST"])
@login_required
def return_report(campaign_id: str, unit_id: str):
    """Return the submitted self-assessment to the unit (before its appraisal): the unit corrects and
    sends it again; its issued version is withdrawn."""
    return _act(campaign_id, unit_id, returned, "tra-lai", {"ly_do": ("ly-do", str)})


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/extension", methods=["POST"])
@login_required
def extension(campaign_id: str, unit_id: str):
    """Reopen the unit's current step after its deadline, until ``den_ngay`` (YYYY-MM-DD)."""
    return _act(campaign_id, unit_id, extend_deadline, "gia-han",
                {"den_ngay": ("gia-han-den", str), "ly_do": ("gia-han-ly-do", str)})


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/ranking", methods=["POST"])
@login_required
def ranking(campaign_id: str, unit_id: str):
    """``khong_xep_hang`` true: leave the unit out of this year's ranking (reason required); false:
    rank it again."""
    return _act(campaign_id, unit_id, set_exclusion, "khong-xep-hang",
                {"khong_xep_hang": ("loai", bool), "ly_do": ("loai-ly-do", str)})
