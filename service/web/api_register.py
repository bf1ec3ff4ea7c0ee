"""The sổ đăng ký văn bản đi over the API (issue 15: every action of the workspace has its API): a
province's year, and voiding a number with its reason — the same rules as the register page (the
number stays in the register and is never reused; an unsigned document carrying it returns to draft)."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify

from service.domain.lifecycle import IllegalTransition
from service.store.lifecycle import void_register_entry
from service.store.register import entry_of, register_entries

from . import access
from .api import json_body
from .security import engine, login_required

bp = Blueprint("api_register", __name__, url_prefix="/api")
READERS = {"vanthu", "admin", "leader"}
VOIDERS = {"vanthu", "admin"}


def entry_json(entry) -> dict:
    return {"ma": entry.id, "co_quan": entry.agency, "so_dang_ky": entry.register, "nam": entry.year,
            "so": entry.number, "ky_hieu": entry.symbol, "so_ky_hieu": f"{entry.number:02d}/{entry.symbol}",
            "ngay": entry.issued_on.isoformat(), "loai": entry.kind, "chien_dich": entry.campaign_id,
            "don_vi": entry.unit_id, "nguoi_cap": entry.issued_by,
            "trang_thai": "da-huy" if entry.status == "voided" else "da-cap", "ly_do_huy": entry.void_reason}


@bp.route("/register/<int:year>")
@login_required
def year_entries(year: int):
    access.require(g.user.role in READERS)
    if not 2000 <= year <= 2200:
        access.not_found(f"sổ đăng ký năm {year}")
    return jsonify({"nam": year, "so_van_ban": [entry_json(e) for e in register_entries(engine(), year,
                                                                                       g.user.organisation_id)]})


@bp.route("/register/entries/<int:entry_id>/void", methods=["POST"])
@login_required
def void(entry_id: int):
    access.require(g.user.role in VOIDERS)
    try:
        entry_of(engine(), entry_id, g.user.organisation_id)
    except LookupError:
        access.not_found("số văn bản này")
    body = json_body()
    if not isinstance(body, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON: {\"ly_do\": …, \"xac_nhan\": true}.")
    if body.get("xac_nhan") is not True:
        abort(400, description="xac_nhan: phải là true — hủy số không làm lại được.")
    reason = body.get("ly_do")
    if not isinstance(reason, str):
        abort(422, description="ly_do: phải ghi lý do hủy số (chuỗi ký tự).")
    try:
        outcome = void_register_entry(engine(), entry_id, reason, g.user.username, g.user.organisation_id)
    except LookupError:
        access.not_found("số văn bản này")
    except (IllegalTransition, ValueError) as error:
        abort(422, description=str(error))
    return jsonify({"ket_qua": "đã hủy số; số này không được cấp lại", "van_ban": outcome or None,
                    "so": entry_json(entry_of(engine(), entry_id, g.user.organisation_id))})
