"""What remained of the workspace without an API (issue 15): a person's notifications (read them, mark
them read), the province's audit trail (the Sở Nội vụ), and next year's campaign made from this one —
the pages' own code and rules."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from service.store.notifications import mark_read, recent

from . import access, cache
from .admin import CloneRefused, next_year_campaign
from .api import invalid, json_body
from .security import engine, login_required
from .views import action_label, audit_entries

bp = Blueprint("api_activity", __name__, url_prefix="/api")


@bp.route("/notifications")
@login_required
def notifications():
    """The caller's notifications, newest first (reading them here does not mark them read)."""
    return jsonify({"thong_bao": [{"ma": n.id, "noi_dung": n.text, "lien_ket": n.link, "chien_dich": n.campaign_id,
                                   "luc": n.created_at.isoformat() if n.created_at else None,
                                   "da_doc": n.read_at is not None} for n in recent(engine(), g.user.username)]})


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_all():
    mark_read(engine(), g.user.username)
    return jsonify({"ket_qua": "đã đánh dấu đã đọc"})


@bp.route("/audit")
@login_required
def audit():
    """The province's audit trail, newest first, as the page filters it (?nguoi=, ?tim=)."""
    access.require(g.user.role == "admin")
    entries = audit_entries(request.args.get("nguoi", ""), request.args.get("tim", "").strip()[:100])
    return jsonify({"nhat_ky": [{"ma": e.id, "luc": e.at.isoformat() if e.at else None, "nguoi": e.actor,
                                 "hanh_dong": e.action, "ten_hanh_dong": action_label(e.action), "doi_tuong": e.target,
                                 "gia_tri_cu": e.old_value, "gia_tri_moi": e.new_value} for e in entries]})


@bp.route("/campaigns/<campaign_id>/next-year", methods=["POST"])
@login_required
def next_year(campaign_id: str):
    """Next year's campaign from this one (``chep_ket_qua_tam``: carry the provisional results over);
    409 when it exists already, 422 when it does not validate."""
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("chep_ket_qua_tam", False), bool):
        return invalid("Dữ liệu không hợp lệ.", [("chep_ket_qua_tam", "phải là true hoặc false")])
    try:
        data, notes = next_year_campaign(campaign_id, body.get("chep_ket_qua_tam", False))
    except CloneRefused as error:
        exists = any("đã có" in p for p in error.problems)
        return jsonify({"loi": "Chưa tạo chiến dịch năm sau.", "chi_tiet": [
            {"truong": "", "thong_bao": p} for p in error.problems]}), 409 if exists else 422
    return jsonify({"ket_qua": "đã tạo", "chien_dich": data["id"], "nam": data["year"], "ghi_chu": notes}), 201
