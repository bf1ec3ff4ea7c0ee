"""The documents API for machine clients (the provincial e-office, scripts): every document with its
state, one document's history and what blocks issuing it, its lifecycle steps, issuing, and the
frozen files. The same checks as the pages (``documents``, ``service.store.issuing``)."""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, g, jsonify, request, send_file

from data_models import InvalidCampaign
from service.documents import KINDS, available
from service.domain.lifecycle import ACTIONS, STATES, IllegalTransition, roles_for, steps_of
from service.conformance.drafting import issue_blockers
from service.domain.readiness import numbered_in_data
from service.store.issuing import NotReady, issue_document, version_in_force
from service.store.lifecycle import StaleRevision, history, state_of, states_of, take_step, versions_of
from service.store.register import NumberTaken
from service.store.signatures import final_pdf

from . import access, background, cache
from .api import json_body
from .clock import now, today
from .documents import MIME, document_args, drafting_findings, file_name, issued_set, send_draft
from .security import engine, login_required

bp = Blueprint("api_documents", __name__, url_prefix="/api")


def _target(campaign_id: str, kind: str, unit: str | None, *, whole: bool = True):
    """The campaign, after the page's checks (the kind, the unit, who reads it)."""
    return document_args(campaign_id, kind, unit, whole=whole)[0]


def _version_json(version) -> dict:
    return {"id": version.id, "so_ky_hieu": version.number_line, "ngay": version.issued_on.isoformat(),
            "hieu_luc": version.status, "pdf_sha256": version.pdf_sha256, "docx_sha256": version.docx_sha256,
            "da_ky_sha256": version.signed_sha256}


def _state_json(campaign, kind: str, unit: str | None) -> dict:
    state = state_of(engine(), campaign.id, kind, unit)
    return {"loai": kind, "ten": KINDS[kind].label, "don_vi": unit, "buoc": state.state,
            "buoc_ten": STATES.get(state.state, state.state), "phien_ban": state.revision,
            "ban_hien_hanh": state.current_version_id,
            "ban_hanh_ngoai_he_thong": not state.official and numbered_in_data(campaign, kind, unit),
            "phien_ban_da_ban_hanh": [_version_json(v) for v in versions_of(engine(), state.document_id)]}


@bp.route("/campaigns/<campaign_id>/documents")
@login_required
def documents(campaign_id: str):
    """Every document of the campaign the caller may read: kind, unit, state, versions."""
    campaign, _ = cache.campaign(campaign_id)
    states = states_of(engine(), campaign_id)
    out = []
    for kind in KINDS.values():
        if kind.per_unit:
            units = [u.id for u in campaign.units() if kind.applies(campaign, u.id)]
        else:
            units = [None] if available(campaign, kind) else []
        for unit in units:
            if access.may_read_document(campaign, kind.key, unit):
                state = states.get((kind.key, unit or ""))
                out.append({"loai": kind.key, "ten": kind.label, "don_vi": unit,
                            "buoc": state.state if state else "du-thao",
                            "ban_hien_hanh": state.current_version_id if state else None})
    return jsonify(out)


@bp.route("/campaigns/<campaign_id>/documents/<kind>")
@login_required
def document(campaign_id: str, kind: str):
    """One document: its state, history and ``blocking``, the reasons it cannot be issued now."""
    unit = request.args.get("unit") or None
    campaign = _target(campaign_id, kind, unit)
    body = _state_json(campaign, kind, unit)
    state = state_of(engine(), campaign_id, kind, unit)
    steps = steps_of(kind)
    body["lich_su"] = [{"luc": e.at.isoformat() if e.at else None, "nguoi": e.actor, "thao_tac": e.action,
                        "tu": e.from_state, "den": e.to_state, "ghi_chu": e.comment} for e in history(engine(), state.document_id)]
    checked = not (state.official or numbered_in_data(campaign, kind, unit))
    findings = drafting_findings(campaign, cache.campaign(campaign_id)[1], kind, unit, state) if checked else []
    body["soan_thao"] = [{"quy_tac": f.rule, "noi_dung": f.message} for f in findings]
    body["blocking"] = [] if not checked or steps is None else \
        issue_blockers(campaign, kind, unit, issued_set(campaign_id), findings, today=today(), issue_date=today())
    return jsonify(body)


@bp.route("/campaigns/<campaign_id>/documents/<kind>/issue", methods=["POST"])
@login_required
def issue(campaign_id: str, kind: str):
    """Issue an approved document: JSON {unit?, number?, date?, late_reason?, revision?} — 201 with the
    version and its SHA-256; 409 with ``blocking`` when it is not ready, or on a reused number."""
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON.")
    unit = data.get("unit") or None
    if unit is not None and not isinstance(unit, str):
        abort(400, description="Trường 'unit' phải là chuỗi.")
    _target(campaign_id, kind, unit)
    steps = steps_of(kind)
    access.require(steps is not None and g.user.role in steps.issuers and not steps.unit_document)
    try:
        number = data.get("number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise ValueError("Trường 'number' phải là số nguyên.")
        day = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        revision = data.get("revision")
        if revision is not None and not isinstance(revision, int):
            raise ValueError("Trường 'revision' phải là số nguyên.")
    except (ValueError, TypeError) as error:
        abort(400, description=str(error) if "Trường" in str(error) else "Trường 'date' phải là ngày dạng YYYY-MM-DD.")
    try:
        issued = issue_document(engine(), campaign_id, kind, unit, g.user.username, role=g.user.role, external_number=number,
                                external_date=day, late_reason=data.get("late_reason") if isinstance(data.get("late_reason"), str) else None,
                                revision=revision, now=now(), organisation=g.user.organisation_id)
    except NotReady as error:
        return jsonify({"loi": "Văn bản chưa ban hành được.", "blocking": error.blocking}), 409
    except (IllegalTransition, StaleRevision, NumberTaken) as error:
        return jsonify({"loi": str(error), "blocking": []}), 409
    except InvalidCampaign as error:
        return jsonify({"loi": "Dữ liệu không hợp lệ.", "chi_tiet": [str(p) for p in error.problems]}), 422
    except ValueError as error:
        return jsonify({"loi": str(error)}), 422
    background.after_issue(campaign_id)
    return jsonify({"phien_ban_ban_hanh": issued.version_id, "so_ky_hieu": issued.number_line,
                    "ngay": issued.issued_on.isoformat(), "pdf_sha256": issued.pdf_sha256,
                    "docx_sha256": issued.docx_sha256}), 201


@bp.route("/campaigns/<campaign_id>/documents/<kind>/steps/<action>", methods=["POST"])
@login_required
def step(campaign_id: str, kind: str, action: str):
    """A lifecycle step: JSON {unit?, reason?, revision?, approver?} (approver: the leader's log-in name a
    submission goes to; by default the one the signature block names); 409 with the reason when it
    does not apply (a leader approving what was submitted to another)."""
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON.")
    unit = data.get("unit") or None
    if unit is not None and not isinstance(unit, str):
        abort(400, description="Trường 'unit' phải là chuỗi.")
    campaign = _target(campaign_id, kind, unit)
    if action not in ACTIONS or action == "ban-hanh":
        abort(404, description=f"Không có thao tác {action!r} (ban hành: POST …/issue).")
    steps = steps_of(kind)
    access.require(steps is not None and g.user.role in roles_for(ACTIONS[action], steps))
    from .documents import require_approver
    require_approver(campaign_id, kind, unit, action)
    reason, revision, approver = data.get("reason"), data.get("revision"), data.get("approver")
    if (reason is not None and not isinstance(reason, str)) or (revision is not None and not isinstance(revision, int)) \
            or (approver is not None and not isinstance(approver, str)):
        abort(400, description="Trường 'reason' và 'approver' phải là chuỗi, 'revision' là số nguyên.")
    try:
        take_step(engine(), campaign_id, kind, unit, action, g.user.username, g.user.role, reason=reason,
                  revision=revision, organisation=g.user.organisation_id, approver=approver or None)
    except (IllegalTransition, StaleRevision) as error:
        return jsonify({"loi": str(error)}), 409
    except InvalidCampaign as error:
        return jsonify({"loi": "Dữ liệu không hợp lệ.", "chi_tiet": [str(p) for p in error.problems]}), 422
    return jsonify(_state_json(campaign, kind, unit))


@bp.route("/campaigns/<campaign_id>/documents/<kind>/issued.<fmt>")
@login_required
def issued_file(campaign_id: str, kind: str, fmt: str):
    """The frozen file of the version in force (the PDF as last signed); 404 before it is issued."""
    unit = request.args.get("unit") or None
    if fmt not in MIME:
        abort(404, description="Chỉ có .pdf và .docx.")
    campaign = _target(campaign_id, kind, unit, whole=False)       # the frozen file needs no unit's data
    version = version_in_force(engine(), campaign_id, kind, unit, with_pdf=fmt == "pdf")
    if version is None:
        abort(404, description="Văn bản chưa được ban hành.")
    data = final_pdf(version) if fmt == "pdf" else version.docx
    return send_file(io.BytesIO(data), mimetype=MIME[fmt], as_attachment=True,
                     download_name=file_name(campaign, kind, unit, fmt, version.number_line))



@bp.route("/campaigns/<campaign_id>/documents/<kind>/draft.<fmt>")
@login_required
def draft_file(campaign_id: str, kind: str, fmt: str):
    """The document rendered from the current data, marked DỰ THẢO (for an issued document: its new
    draft, what the next version would say); 422 with the reason when the data cannot make it yet."""
    unit = request.args.get("unit") or None
    if fmt not in MIME:
        abort(404, description="Chỉ có .pdf và .docx.")
    campaign, digest = document_args(campaign_id, kind, unit)
    return send_draft(campaign, digest, kind, unit, fmt, state_of(engine(), campaign_id, kind, unit))
