"""A document's page and files: where it stands in its lifecycle, what blocks issuing it, its history
and versions, the steps the user may take, and its files.

Frozen means frozen: once a document is issued, every view and download — preview, DOCX, PDF — serves
the issued bytes (the PDF as last signed); the live data is shown apart as 'bản dự thảo mới', marked
DỰ THẢO, with the lines it would change. A draft is always previewed and downloaded, marked DỰ THẢO,
with the reasons that block issuing it beside it.
"""
from __future__ import annotations

import difflib
import io
import json

from werkzeug.exceptions import HTTPException
from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, send_file, url_for

from data_models import InvalidCampaign
from service import document_files as files
from service.document_files import DRAFT_MARK, draft_document, draft_mark, file_name, rendered
from service.documents import KINDS
from service.domain.issuers import issuer_of
from service.domain.lifecycle import EDITABLE, OFFICIAL, STATES, IllegalTransition, available_actions, steps_of
from service.conformance.drafting import NOT_ISSUED, check_drafting, issue_blockers
from service.domain.readiness import numbered_in_data
from service.editing.forms import parse_typed_date
from service.render.pdf_writer import render_html
from service.store.issuing import (NotReady, current_versions, issue_document, issued_version, number_in_data, text_digest,
                                   version_in_force)
from service.store.lifecycle import StaleRevision, history, state_of, states_of, take_step, versions_of
from service.store.register import NumberTaken, vietnam_today
from service.store.remote_signing import SIGNING_ROLES as REMOTE_ROLES, remote_credential
from service.store.signatures import final_pdf, people_named
from service.store.users import users_of

from . import access, background, cache
from .clock import now, today
from .security import engine, login_required
from .signing import SLOT_NAMES

bp = Blueprint("documents", __name__)
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}
DRIFT = "Dữ liệu đã thay đổi sau khi ban hành: cần văn bản đính chính hoặc thay thế"


def document_args(campaign_id: str, kind: str, unit: str | None, *, whole: bool = True):
    """(campaign, digest) for a document the user may read; 404/403 otherwise. ``whole`` False opens
    only the campaign's core and the unit's part: enough to decide who reads the document and to name
    its file, not to render it."""
    campaign, digest = cache.campaign(campaign_id) if whole else cache.unit_campaign(campaign_id, unit)
    if kind not in KINDS:
        access.not_found(f"loại văn bản {kind!r}")
    if KINDS[kind].per_unit != (unit is not None):
        access.not_found("văn bản này")
    if unit is not None and not access.has_unit(campaign, unit):
        access.not_found(f"đơn vị {unit!r}")
    access.require(access.may_read_document(campaign, kind, unit))
    return campaign, digest


def live(campaign, digest: str, kind: str, unit: str | None, fmt: str, watermark: str | None, relation: tuple | None = None):
    """The document rendered from the current data and the templates in force (cached by both here,
    and DOCX and PDF by content hash in the database, where the queue puts what it renders in the
    background); a draft replacing or correcting an issued version cites it (``relation``)."""
    wording, fingerprint = cache.templates(campaign.id)

    def make():
        try:
            document = draft_document(campaign, kind, unit, wording, relation)
        except ValueError as error:                   # incomplete data, or a template that no longer fits them
            abort(422, description=str(error))
        if fmt == "lines":
            return document.text_lines()
        if fmt in ("findings", "findings-again"):    # 'again': issued before, its date is the day it is issued
            return check_drafting(document, campaign, kind, unit, replacing=relation is not None or fmt == "findings-again")
        if fmt == "html":
            return render_html(document, watermark, stylesheet=True)
        return rendered(engine(), document, fmt, watermark)
    return cache.remember(("document", digest, fingerprint, kind, unit, fmt, watermark, relation), make)


def relation_of(state) -> tuple | None:
    return files.relation_of(engine(), state)


def drafting_findings(campaign, digest: str, kind: str, unit: str | None, state=None) -> list:
    """The drafting rules' findings on the draft as it renders now (none when it cannot render: the
    preview says why). ``state``: the document's; a draft replacing an issued version, or issued
    before under a voided number, is not held to the plan's date for its task."""
    again = state is not None and state.document_id is not None and bool(versions_of(engine(), state.document_id))
    try:
        return live(campaign, digest, kind, unit, "findings-again" if again else "findings", None,
                    relation_of(state) if state is not None else None)
    except HTTPException:
        return []


def why_not_drafted(campaign, digest: str, kind: str, unit: str | None, state) -> str | None:
    """Why the draft cannot be made from the data at all (a công văn chấn chỉnh with no unit 'Yếu'):
    the page says so in words instead of framing an error page, and offers no step (walk U17)."""
    try:
        live(campaign, digest, kind, unit, "lines", None, relation_of(state))
    except HTTPException as error:
        return error.description
    return None



def differences(old_lines: list[str], new_lines: list[str]) -> list[tuple[str, str]]:
    """('-' or '+', line) of what the live draft says differently from the issued text."""
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append((line[0], line[1:]))
    return out


def drifted(campaign, digest: str, version) -> bool:
    """Whether the current data would print this issued document differently."""
    if not version.text_sha256:
        return False
    try:
        return text_digest(live(campaign, digest, version.kind, version.unit_key or None, "lines", None)) != version.text_sha256
    except Exception:              # a draft that no longer composes has certainly changed
        return True


def issued_set(campaign_id: str, states: dict | None = None) -> set[tuple[str, str]]:
    """(kind, unit or '') of the campaign's issued documents (from ``states`` when the caller has them)."""
    states = states_of(engine(), campaign_id) if states is None else states
    return {key for key, state in states.items() if state.official}


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>.<fmt>")
@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/<unit>.<fmt>")
@login_required
def document(campaign_id: str, kind: str, fmt: str, unit: str | None = None):
    if fmt not in ("html", "docx", "pdf"):
        access.not_found("định dạng này")
    wants_draft = request.args.get("ban") == "du-thao" and access.sees_drafting(kind)
    if fmt != "html" and not wants_draft:
        # the issued file needs none of the other units' data: it stays fast while every unit saves
        core, _ = document_args(campaign_id, kind, unit, whole=False)
        version = version_in_force(engine(), campaign_id, kind, unit, with_pdf=fmt == "pdf")
        if version is not None:
            return _send_issued(core, kind, unit, fmt, version)
    campaign, digest = document_args(campaign_id, kind, unit)
    state = state_of(engine(), campaign_id, kind, unit)
    version = issued_version(engine(), state.current_version_id, with_pdf=False) \
        if state.official and state.current_version_id else None
    want_draft = wants_draft or version is None
    if fmt == "html" and request.args.get("noi-dung"):
        mark = DRAFT_MARK if (version is not None and want_draft) else draft_mark(campaign, kind, state)
        relation = relation_of(state) if version is None else None
        body = version.html if (version is not None and not want_draft and version.html) else \
            live(campaign, digest, kind, unit, "html", mark, relation)
        response = make_response(body)
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
    if fmt == "html":
        return page(campaign, digest, kind, unit, state, version)
    return send_draft(campaign, digest, kind, unit, fmt, state)


def send_draft(campaign, digest: str, kind: str, unit: str | None, fmt: str, state):
    """The DOCX or PDF of the document as the current data make it: DỰ THẢO across it unless it was
    numbered outside the system; the new draft of an issued document is a draft too."""
    issued = bool(state.official and state.current_version_id)
    mark = DRAFT_MARK if issued else draft_mark(campaign, kind, state)
    data = live(campaign, digest, kind, unit, fmt, mark, None if issued else relation_of(state))
    return send_file(io.BytesIO(data), mimetype=MIME[fmt], as_attachment=True,
                     download_name=file_name(campaign, kind, unit, fmt, None, "du-thao" if mark else ""))


def _send_issued(campaign, kind: str, unit: str | None, fmt: str, version):
    """The frozen DOCX, or the PDF as last signed, of an issued version."""
    data = final_pdf(version) if fmt == "pdf" else version.docx
    name = file_name(campaign, kind, unit, fmt, version.number_line, "da-ky" if fmt == "pdf" and version.signed_pdf else "")
    return send_file(io.BytesIO(data), mimetype=MIME[fmt], as_attachment=True, download_name=name)


#: The editor of a document's own data, for the kinds whose data is not the document's settings.
EDITORS = {"ke-hoach": "drafts.plan", "quyet-dinh-hoi-dong": "drafts.council", "bien-ban": "drafts.meeting",
           "giay-moi-hop-hoi-dong": "drafts.meeting", "thong-bao-ket-luan": "drafts.meeting"}


def editor_url(campaign, kind: str) -> str:
    """Where 'Sửa nội dung' leads: this document's own editor (walk U29), else the list of drafts."""
    if kind in EDITORS:
        return url_for(EDITORS[kind], campaign_id=campaign.id)
    if kind in campaign.documents:
        return url_for("drafts.document", campaign_id=campaign.id, kind=kind)
    return url_for("drafts.index", campaign_id=campaign.id)


def edoc_statuses(version) -> list[tuple]:
    """(when, who, what they said, note) of the statuses e-offices sent back about this version."""
    from service.interop.edxml import STATUS_CODES
    from service.store.edoc import statuses_of
    return [(s.said_at, s.from_name, STATUS_CODES.get(s.status_code, s.status_code), s.description)
            for s in statuses_of(engine(), version.id)]


def page(campaign, digest: str, kind: str, unit: str | None, state, version, errors=None, status: int = 200):
    """The document's page: state, blocking reasons, steps, signing, history, versions, preview."""
    steps = steps_of(kind)
    role = g.user.role
    actions = [a for a in available_actions(steps, state.state, role) if a.key != "ban-hanh"]
    routing = approval_routing(campaign, kind, unit, state)
    if role == "leader" and not routing["mine"]:            # only the leader it was submitted to approves it
        actions = [a for a in actions if a.key not in ("duyet", "tra-lai")]
    may_issue = steps is not None and not steps.unit_document and state.state not in OFFICIAL and \
        role in steps.issuers and not numbered_in_data(campaign, kind, unit)
    not_drafted = None if state.official else why_not_drafted(campaign, digest, kind, unit, state)
    if not_drafted:                                          # nothing to submit, approve or issue yet
        actions, may_issue = [a for a in actions if a.key not in ("trinh-duyet", "duyet")], False
    findings = None if state.official or numbered_in_data(campaign, kind, unit) or not_drafted else \
        drafting_findings(campaign, digest, kind, unit, state)
    blocking = [] if state.official or steps is None or numbered_in_data(campaign, kind, unit) else \
        issue_blockers(campaign, kind, unit, issued_set(campaign.id), [], today=today(), issue_date=today())
    if blocking and findings and blocking != [NOT_ISSUED]:
        blocking.append(f"{len(findings)} lỗi soạn thảo cần sửa (mục «Kiểm tra soạn thảo» bên dưới)")
    drafting = access.sees_drafting(kind)
    if not drafting:                                         # the issued text only (walk U22)
        findings, blocking = None, []
    diff = []
    if drafting and version is not None and version.text_lines:
        try:
            diff = differences(version.text_lines.split("\n"), live(campaign, digest, kind, unit, "lines", None))
        except Exception:
            diff = [("+", "Không dựng được bản dự thảo mới từ dữ liệu hiện tại.")]
    header = campaign.plan.header
    numbered_outside = kind != "bien-ban" and issuer_of(campaign, kind, unit) == header.issuer
    signers = json.loads(version.signers) if version is not None and version.signers else {}
    people = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    return render_template("document.html", campaign=campaign, kind=kind, label=KINDS[kind].label, unit=unit,
                           editor_url=editor_url(campaign, kind), slot_names=SLOT_NAMES,
                           unit_name=campaign.unit(unit).name if unit else None, state=state, states=STATES,
                           version=version, actions=actions, may_issue=may_issue, numbered_outside=numbered_outside,
                           blocking=blocking, findings=findings, diff=diff, events=history(engine(), state.document_id),
                           versions=versions_of(engine(), state.document_id), signers=signers, people=people,
                           routing=routing, not_drafted=not_drafted, drafting=drafting,
                           edoc=edoc_statuses(version) if version is not None and role in ("admin", "vanthu") else None,
                           editable=state.state in EDITABLE, errors=errors or {},
                           may_sign=version is not None and state.official and _signs_next(role, steps, signers),
                           remote_signing=remote_credential(engine(), g.user.id) if role in REMOTE_ROLES else None,
                           today=vietnam_today(now())), status


def _signs_next(role: str, steps, signers: dict) -> bool:
    """Whether the user has a signature still to add: a person of the signature block their own, the
    văn thư the agency's seal (only where the document has one), a unit its own report; nobody once
    everything is signed (walk U5, U33)."""
    if steps is None:
        return False
    if role in ("leader", "secretariat"):
        return access.signing_person() in people_named(signers, unsigned=True)
    if role == "vanthu":
        return steps.seal and any(who.get("loai") == "co-quan" and not who.get("da_ky") for who in signers.values())
    if role == "unit":
        return steps.unit_document and any(not who.get("da_ky") for who in signers.values())
    return False


def require_approver(campaign_id: str, kind: str, unit: str | None, action: str) -> None:
    """403 for a leader approving or returning what is not, and may not be, submitted to them."""
    if action not in ("duyet", "tra-lai"):
        return
    campaign, _ = document_args(campaign_id, kind, unit)
    if not approval_routing(campaign, kind, unit, state_of(engine(), campaign_id, kind, unit))["mine"]:
        abort(403, description="Văn bản này không trình bạn duyệt: chỉ lãnh đạo được trình (người ký có tên trên văn "
                               "bản hoặc lãnh đạo khác của cơ quan ban hành) duyệt hay trả lại.")


def approval_routing(campaign, kind: str, unit: str | None, state) -> dict:
    """Who approves the document: the leaders a drafter may submit it to (the signer first), the one
    it was submitted to, and whether that is the user."""
    from sqlalchemy.orm import Session

    from service.store.authority import document_approvers
    from service.store.models import User
    steps = steps_of(kind)
    out = {"choices": [], "assigned": None, "mine": False}
    if steps is None or not steps.approval:
        return out
    with Session(engine()) as session:
        def allowed():
            return document_approvers(session, g.user.organisation_id, campaign, kind, unit)
        if state.state in EDITABLE and g.user.role in steps.drafters:
            out["choices"] = allowed()
        if state.approver_id is not None:
            assigned = session.get(User, state.approver_id)
            out["assigned"] = assigned.full_name if assigned else None
            out["mine"] = state.approver_id == g.user.id
        elif g.user.role == "leader":
            out["mine"] = g.user.id in {a.user_id for a in allowed()}
    return out


def _back(campaign_id: str, kind: str, unit: str | None):
    return redirect(url_for("documents.document", campaign_id=campaign_id, kind=kind, unit=unit, fmt="html"))


def _refuse(campaign_id: str, kind: str, unit: str | None, message: str, status: int = 409):
    """The document's page again with the refusal at its top (nothing typed is lost: the forms are short)."""
    campaign, digest = document_args(campaign_id, kind, unit)
    state = state_of(engine(), campaign_id, kind, unit)
    version = issued_version(engine(), state.current_version_id, with_pdf=False) if state.current_version_id else None
    return page(campaign, digest, kind, unit, state, version, errors={"": message}, status=status)


def _confirmed() -> bool:
    return request.form.get("xac-nhan") == "1"


def _revision() -> int | None:
    raw = request.form.get("phien-ban", "")
    return int(raw) if raw.isdigit() else None


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/buoc/<action>", methods=["POST"])
@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/<unit>/buoc/<action>", methods=["POST"])
@login_required
def step(campaign_id: str, kind: str, action: str, unit: str | None = None):
    """Submit, approve, return, take back, publish, withdraw, or start a replacement/correction."""
    document_args(campaign_id, kind, unit)
    from service.domain.lifecycle import ACTIONS, roles_for
    steps = steps_of(kind)
    if action not in ACTIONS or action == "ban-hanh":
        access.not_found(f"thao tác {action!r}")
    access.require(steps is not None and g.user.role in roles_for(ACTIONS[action], steps))
    require_approver(campaign_id, kind, unit, action)
    if ACTIONS[action].irreversible and not _confirmed():
        return _refuse(campaign_id, kind, unit, f"Hãy đánh dấu xác nhận trước khi «{ACTIONS[action].label.lower()}» "
                                                "(bước này không làm lại được).", 400)
    if action in ("trinh-duyet", "duyet"):                  # walk U17: nothing to submit while it cannot be drafted
        campaign, digest = document_args(campaign_id, kind, unit)
        reason = why_not_drafted(campaign, digest, kind, unit, state_of(engine(), campaign_id, kind, unit))
        if reason:
            return _refuse(campaign_id, kind, unit, f"Chưa thực hiện: chưa dựng được văn bản từ dữ liệu hiện có ({reason}).", 422)
    try:
        take_step(engine(), campaign_id, kind, unit, action, g.user.username, g.user.role,
                  reason=request.form.get("ly-do"), revision=_revision(), organisation=g.user.organisation_id,
                  approver=request.form.get("lanh-dao") or None)
    except (IllegalTransition, StaleRevision) as error:
        return _refuse(campaign_id, kind, unit, f"Chưa thực hiện: {error}.")
    except InvalidCampaign as error:
        return _refuse(campaign_id, kind, unit, "Chưa thực hiện: " + "; ".join(str(p) for p in error.problems), 422)
    flash(f"Đã thực hiện: {ACTIONS[action].label.lower()}.")
    return _back(campaign_id, kind, unit)


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/ban-hanh", methods=["POST"])
@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/<unit>/ban-hanh", methods=["POST"])
@login_required
def issue(campaign_id: str, kind: str, unit: str | None = None):
    """The văn thư issues an approved document: a register number (or the e-office number and date)."""
    document_args(campaign_id, kind, unit)
    steps = steps_of(kind)
    access.require(steps is not None and g.user.role in steps.issuers and not steps.unit_document)
    if not _confirmed():
        return _refuse(campaign_id, kind, unit, "Hãy đánh dấu xác nhận trước khi ban hành (cấp số không làm lại được).", 400)
    number, day = request.form.get("so", "").strip(), request.form.get("ngay", "").strip()
    try:
        external_number = int(number) if number else None
        external_date = parse_typed_date(day) if day else None
    except ValueError as error:
        message = str(error) if day and "ngày" in str(error) else "Số phải là số nguyên."
        return _refuse(campaign_id, kind, unit, f"Chưa ban hành: {message}", 400)
    try:
        issued = issue_document(engine(), campaign_id, kind, unit, g.user.username, role=g.user.role,
                                external_number=external_number, external_date=external_date,
                                late_reason=request.form.get("ly-do-tre"), revision=_revision(), now=now(),
                                organisation=g.user.organisation_id)
    except NotReady as error:
        return _refuse(campaign_id, kind, unit, "Chưa ban hành được: " + "; ".join(error.blocking) + ".")
    except (IllegalTransition, StaleRevision, NumberTaken) as error:
        return _refuse(campaign_id, kind, unit, f"Chưa ban hành: {error}.")
    except InvalidCampaign as error:
        return _refuse(campaign_id, kind, unit, "Chưa ban hành: " + "; ".join(str(p) for p in error.problems), 422)
    except ValueError as error:
        return _refuse(campaign_id, kind, unit, f"Chưa ban hành: {error}.", 422)
    background.after_issue(campaign_id)
    flash(f"Đã ban hành: {issued.number_line}, ngày {issued.issued_on:%d/%m/%Y}.")
    return _back(campaign_id, kind, unit)


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>.<fmt>")
@login_required
def issued_file(campaign_id: str, version_id: int, fmt: str):
    """One issued version's frozen file (current or not: a voided or replaced version stays readable)."""
    cache.unit_campaign(campaign_id, None)           # the campaign exists and is of the user's province
    version = issued_version(engine(), version_id, with_pdf=False)
    if version is None or version.campaign_id != campaign_id or fmt not in ("docx", "pdf"):
        access.not_found("bản ban hành này")
    campaign, _ = cache.unit_campaign(campaign_id, version.unit_key or None)  # the core and that unit's part
    access.require(access.may_read_document(campaign, version.kind, version.unit_key or None))
    if fmt == "pdf" and version.pdf is None:          # not yet typeset by the queue: now, for this reader
        version = issued_version(engine(), version_id)
    return send_file(io.BytesIO(getattr(version, fmt)), mimetype=MIME[fmt], as_attachment=True,
                     download_name=file_name(campaign, version.kind, version.unit_key or None, fmt, version.number_line,
                                             "ban-chinh-thuc"))


def dashboard_rows(campaign, digest: str, kinds) -> list[dict]:
    """Each campaign-level document for the dashboard: its state, number and whether it drifted."""
    states = states_of(engine(), campaign.id)
    versions = current_versions(engine(), campaign.id)
    rows = []
    for kind in kinds:
        version = versions.get((kind.key, ""))
        rows.append({"kind": kind, "state": state_label(campaign, states, kind.key),
                     "number": version.number_line if version else number_in_data(campaign, kind.key),
                     "drift": version is not None and drifted(campaign, digest, version)})
    return rows


def state_label(campaign, states: dict, kind: str) -> str:
    """What the lists show as a campaign-level document's step: its stored state, else issued outside
    the system (its number in the data), a form that is never issued, or a draft."""
    state = states.get((kind, ""))
    if state:
        return state.label
    if steps_of(kind) is None:
        return "Biểu mẫu (không ban hành)"
    return "Đã ban hành ngoài hệ thống" if numbered_in_data(campaign, kind) else STATES["du-thao"]


def unit_document_states(campaign_id: str) -> dict[tuple[str, str], str]:
    return {key: state.label for key, state in states_of(engine(), campaign_id).items() if key[1]}


__all__ = ["bp", "file_name", "dashboard_rows", "state_label", "unit_document_states", "DRIFT"]
