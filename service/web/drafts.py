"""Drafting pages of the Sở Nội vụ: the plan, the appraisal council, and every other document the
campaign holds (decisions, guidance, submissions, letters), each with a preview of the result."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from service.documents import KINDS
from service.editing.documents import ROLES, apply_council, apply_document, apply_plan

from . import access, cache
from .editing import form_value, run_edit
from .security import login_required

bp = Blueprint("drafts", __name__)


def _admin_only(campaign_id: str) -> None:
    """The campaign must exist for this user (404 otherwise, other provinces included); then admin only."""
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")


def _edit(campaign_id: str, template: str, apply, redirect_to: str, **context):
    _admin_only(campaign_id)
    errors, values = {}, None
    if request.method == "POST":
        values = dict(request.form.items())
        errors, changes = run_edit(campaign_id, lambda data: apply(data, values), "soan-thao")
        if not errors:
            flash("Đã lưu dự thảo." if changes else "Không có thay đổi nào.")
            return redirect(redirect_to)
    campaign, _ = cache.campaign(campaign_id)
    return render_template(template, campaign=campaign, errors=errors, value=form_value(values), roles=ROLES,
                           **{k: (v(campaign) if callable(v) else v) for k, v in context.items()}), (400 if errors else 200)


@bp.route("/chien-dich/<campaign_id>/soan-thao")
@login_required
def index(campaign_id: str):
    _admin_only(campaign_id)
    campaign, _ = cache.campaign(campaign_id)
    documents = [(kind, KINDS[kind].label if kind in KINDS else kind, document)
                 for kind, document in campaign.documents.items()]
    return render_template("drafts.html", campaign=campaign, documents=documents)


@bp.route("/chien-dich/<campaign_id>/soan-thao/ke-hoach", methods=["GET", "POST"])
@login_required
def plan(campaign_id: str):
    return _edit(campaign_id, "draft_plan.html", lambda data, values: apply_plan(data, campaign_id, values),
                 url_for("drafts.plan", campaign_id=campaign_id), document=lambda c: c.plan, kind="ke-hoach")


@bp.route("/chien-dich/<campaign_id>/soan-thao/hoi-dong", methods=["GET", "POST"])
@login_required
def council(campaign_id: str):
    return _edit(campaign_id, "draft_council.html", lambda data, values: apply_council(data, campaign_id, values),
                 url_for("drafts.council", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/soan-thao/van-ban/<kind>", methods=["GET", "POST"])
@login_required
def document(campaign_id: str, kind: str):
    _admin_only(campaign_id)
    campaign, _ = cache.campaign(campaign_id)
    if kind not in campaign.documents:
        abort(404, description=f"Chiến dịch chưa có văn bản {kind!r}.")
    return _edit(campaign_id, "draft_document.html", lambda data, values: apply_document(data, campaign_id, kind, values),
                 url_for("drafts.document", campaign_id=campaign_id, kind=kind), kind=kind,
                 label=KINDS[kind].label if kind in KINDS else kind, document=lambda c: c.documents[kind])
