"""Drafting pages of the Sở Nội vụ: the plan, the appraisal council, and every other document the
campaign holds (decisions, guidance, submissions, letters), each with a preview of the result. A
document's text can be edited while it is a draft (or returned); once it is submitted, approved or
issued the page is read-only and says why. Saves carry the version the page was opened at."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from service.documents import KINDS
from service.documents.text import reference_placeholders
from service.domain.calendar import suggested_month
from service.domain.lifecycle import EDITABLE, STATES
from service.domain.readiness import numbered_in_data
from service.editing.documents import ROLES, apply_council, apply_document, apply_meeting, apply_plan
from service.store.lifecycle import states_of

from . import access, cache
from .documents import state_label
from .editing import VERSION_FIELD, current_version, form_value, recent_changes, run_edit
from .security import engine, login_required

bp = Blueprint("drafts", __name__)


def _admin_only(campaign_id: str) -> None:
    """The campaign must exist for this user (404 otherwise, other provinces included); then admin only."""
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")


def lock_reason(campaign, kind: str | None) -> str | None:
    """Why a document's text cannot be edited now (None: it can)."""
    if kind is None:
        return None
    state = states_of(engine(), campaign.id).get((kind, ""))
    if state is not None and state.state not in EDITABLE:
        return (f"Văn bản đang ở bước «{STATES[state.state]}» nên không sửa được. Muốn sửa: rút lại để sửa (khi chưa "
                "ban hành), hoặc soạn văn bản đính chính, thay thế (khi đã ban hành) ở trang của văn bản.")
    if numbered_in_data(campaign, kind):
        return "Văn bản đã ban hành (có số trong dữ liệu) nên không sửa được; muốn sửa phải ban hành văn bản sửa đổi."
    return None


def filled_values(campaign):
    """``value(name, stored)`` of an issued document's read-only editor: the stored text with its
    placeholders filled as the document prints them ({year} → 2026, {ref:…} → the citation), not the
    markers only a drafter needs (walk U26); a text the filler cannot read is shown as stored."""
    from service.documents.text import TextFiller
    from service.domain.survey import survey_quotas
    plan = campaign.plan
    filler = TextFiller(campaign, plan.citation_style, survey_quotas(plan.survey).total if plan.survey else None)

    def value(name: str, default=""):
        text = "" if default is None else default
        if isinstance(text, str) and "{" in text:
            try:
                return "\n".join(filler(line) for line in text.split("\n"))
            except (ValueError, KeyError):
                return text
        return text
    return value


def _edit(campaign_id: str, template: str, apply, redirect_to: str, kind: str | None = None,
          roles: tuple[str, ...] = ("admin",), **context):
    cache.campaign(campaign_id)                     # 404 for another province's campaign, before any role check
    access.require(g.user.role in roles)
    campaign, _ = cache.campaign(campaign_id)
    locked = lock_reason(campaign, kind)
    errors, values = {}, None
    if request.method == "POST":
        values = dict(request.form.items())
        if locked:
            errors = {"": locked}
        else:
            errors, changes = run_edit(campaign_id, lambda data: apply(data, values), "soan-thao",
                                       sent_version=values.get(VERSION_FIELD))
            if not errors:
                flash("Đã lưu dự thảo." if changes else "Không có thay đổi nào.")
                return redirect(redirect_to)
    campaign, _ = cache.campaign(campaign_id)
    stale = bool(g.get("stale"))
    value = filled_values(campaign) if locked and values is None else form_value(values)
    return render_template(template, campaign=campaign, errors=errors, value=value, roles=ROLES,
                           locked=locked, locked_kind=kind if locked else None, version=current_version(campaign_id),
                           recent=recent_changes(campaign_id) if stale else [], kind=kind,
                           **{k: (v(campaign) if callable(v) else v) for k, v in context.items()}), \
        (409 if stale else 400 if errors else 200)


@bp.route("/chien-dich/<campaign_id>/soan-thao")
@login_required
def index(campaign_id: str):
    _admin_only(campaign_id)
    campaign, _ = cache.campaign(campaign_id)
    states = states_of(engine(), campaign_id)
    documents = [(kind, KINDS[kind].label if kind in KINDS else kind, document)
                 for kind, document in campaign.documents.items()]
    return render_template("drafts.html", campaign=campaign, documents=documents,
                           state=lambda kind: state_label(campaign, states, kind))


@bp.route("/chien-dich/<campaign_id>/soan-thao/ke-hoach", methods=["GET", "POST"])
@login_required
def plan(campaign_id: str):
    return _edit(campaign_id, "draft_plan.html", lambda data, values: apply_plan(data, campaign_id, values),
                 url_for("drafts.plan", campaign_id=campaign_id), kind="ke-hoach", document=lambda c: c.plan,
                 placeholders=reference_placeholders, suggested=lambda c: suggested_month(c, "ke-hoach"))


@bp.route("/chien-dich/<campaign_id>/soan-thao/hoi-dong", methods=["GET", "POST"])
@login_required
def council(campaign_id: str):
    return _edit(campaign_id, "draft_council.html", lambda data, values: apply_council(data, campaign_id, values),
                 url_for("drafts.council", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/soan-thao/cuoc-hop", methods=["GET", "POST"])
@login_required
def meeting(campaign_id: str):
    """The council's meeting for the Biên bản: the Sở Nội vụ or the secretariat (Tổ Thư ký) records it."""
    return _edit(campaign_id, "draft_meeting.html", lambda data, values: apply_meeting(data, campaign_id, values),
                 url_for("drafts.meeting", campaign_id=campaign_id), kind="bien-ban", roles=("admin", "secretariat"))


@bp.route("/chien-dich/<campaign_id>/soan-thao/van-ban/<kind>", methods=["GET", "POST"])
@login_required
def document(campaign_id: str, kind: str):
    _admin_only(campaign_id)
    campaign, _ = cache.campaign(campaign_id)
    if kind not in campaign.documents:
        access.not_found(f"văn bản {kind!r} của chiến dịch")
    return _edit(campaign_id, "draft_document.html", lambda data, values: apply_document(data, campaign_id, kind, values),
                 url_for("drafts.document", campaign_id=campaign_id, kind=kind), kind=kind,
                 label=KINDS[kind].label if kind in KINDS else kind, document=lambda c: c.documents[kind],
                 suggested=lambda c: suggested_month(c, kind), placeholders=reference_placeholders)
