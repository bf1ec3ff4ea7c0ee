"""The document templates over the API (issue 15): every kind's template in force and where it comes
from, one kind's text with its versions, and saving a new version for the campaign or the province —
or going back to the layer below — through the same checks as the template editor
(``store.templates.save``). The Sở Nội vụ's admin of the campaign's province only."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from service.store.templates import CAMPAIGN, PROVINCE, history, save
from service.template_checks import InvalidTemplate

from .api import invalid, json_body
from .kind_templates import admin_campaign, kind_label, template_kind, templates_in_force
from .security import engine, login_required

bp = Blueprint("api_templates", __name__, url_prefix="/api")
LAYERS = (CAMPAIGN, PROVINCE)
NOT_SAVED = "Mẫu không được lưu."


def _in_force_json(kind: str, template) -> dict:
    return {"loai": kind, "ten": kind_label(kind), "lop": template.layer, "ma_mau": template.ref}


@bp.route("/campaigns/<campaign_id>/templates")
@login_required
def templates(campaign_id: str):
    admin_campaign(campaign_id)
    return jsonify({"mau": [_in_force_json(kind, t) for kind, t in templates_in_force(campaign_id).items()]})


@bp.route("/campaigns/<campaign_id>/templates/<kind>")
@login_required
def template(campaign_id: str, kind: str):
    """The text in force and the saved versions of the campaign's and the province's layers."""
    admin_campaign(campaign_id)
    kind = template_kind(kind)
    current = templates_in_force(campaign_id)[kind]
    versions = [{"ma": v.id, "lop": CAMPAIGN if v.campaign_id else PROVINCE, "ve_lop_duoi": v.text is None,
                 "ghi_chu": v.comment, "nguoi_luu": v.created_by, "luc": v.created_at.isoformat() if v.created_at else None}
                for layer in (campaign_id, None) for v in history(engine(), g.user.organisation_id, layer, kind)]
    return jsonify({**_in_force_json(kind, current), "noi_dung": current.text, "phien_ban": versions})


@bp.route("/campaigns/<campaign_id>/templates/<kind>", methods=["PUT"])
@login_required
def replace(campaign_id: str, kind: str):
    """Save ``noi_dung`` as a new version of layer ``lop`` ('chien-dich' or 'tinh'); ``noi_dung`` null
    goes back to the layer below. Refused with the checks' reasons, and nothing stored."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    body = json_body()
    if not isinstance(body, dict):
        return invalid(NOT_SAVED, [("", "phải là một đối tượng JSON (noi_dung, lop, ghi_chu)")])
    problems = [(k, "trường không có trong mô tả API") for k in body if k not in ("noi_dung", "lop", "ghi_chu")]
    text, layer, comment = body.get("noi_dung"), body.get("lop", CAMPAIGN), body.get("ghi_chu")
    if "noi_dung" not in body or (text is not None and not isinstance(text, str)):
        problems.append(("noi_dung", "nội dung mẫu (chuỗi), hoặc null để về mẫu của lớp dưới"))
    if layer not in LAYERS:
        problems.append(("lop", "chọn 'chien-dich' (chiến dịch này) hoặc 'tinh' (cả tỉnh)"))
    if comment is not None and not isinstance(comment, str):
        problems.append(("ghi_chu", "phải là chuỗi"))
    if problems:
        return invalid(NOT_SAVED, problems)
    try:
        saved = save(engine(), g.user.organisation_id, campaign.id if layer == CAMPAIGN else None, kind, text,
                     g.user.username, comment, campaign=campaign)
    except InvalidTemplate as error:
        return invalid(NOT_SAVED, [("noi_dung", p) for p in error.problems])
    current = templates_in_force(campaign_id)[kind]
    return jsonify({**_in_force_json(kind, current), "phien_ban_moi": saved.id})
