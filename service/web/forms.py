"""Forms of the scoring work: a unit's self-assessment with evidence uploads, an appraising agency's
rounds, the unit's explanation; the Sở Nội vụ's return, extension and exclusion of a unit. Errors come
back next to their fields with everything typed kept; a form opened before someone else saved the
same unit is refused (409) with their changes listed, nothing lost.

Evidence files come only through the unit's own forms (self-assessment, explanation); each is checked
on its own (type, content, 10 MB) so a bad file is an error at its field, and the files the saved edit
cites are stored in the edit's own transaction. A refused save still checks every field (one round of
errors) and holds the files it accepted for the same person's retry (store/held_uploads.py). Sending the self-assessment or the explanation issues
the unit's report (frozen) in that same transaction."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from service.domain.calendar import explanation_deadline, self_assessment_deadline
from service.domain.lifecycle import IllegalTransition
from service.domain.status import explanation_closed, unit_status
from service.editing.assessment import (apply_appraisal, apply_explanation, apply_self_assessment, cited_files,
                                        extend_deadline, leaf_rows, reopen_self_assessment, set_exclusion)
from service.editing.forms import Fields, FormInvalid
from service.store.evidence import MAX_EVIDENCE, checked_upload, evidence_file, evidence_names, store_uploads
from service.store.held_uploads import held, hold, release
from service.store.issuing import issue_unit_report, withdraw_unit_report
from service.store.notifications import send_mails

from . import access, background, cache
from .clock import today
from .editing import VERSION_FIELD, current_version, form_value, recent_changes, run_edit
from .security import engine, login_required

bp = Blueprint("forms", __name__)


def require_unit_editor(unit_id: str) -> None:
    access.require(access.may_edit_unit(unit_id))


def appraiser_scope(campaign, unit_id: str) -> str | None:
    """The agency whose criteria the user appraises (None: admin, all); 403 for anyone else or for an
    agency with nothing to appraise in this unit's criteria."""
    if g.user.role == "admin":
        return None
    if g.user.role != "appraiser" or not g.user.agency_id or not leaf_rows(campaign, unit_id, g.user.agency_id):
        abort(403)
    return g.user.agency_id


def _uploads(values: dict[str, str], errors: dict[str, str]) -> list:
    """Check each uploaded evidence file (field ``…-tepmoi``) on its own and put its SHA-256 in
    ``…-tep``; nothing is stored here (the edit stores what it cites)."""
    uploads = []
    for key, upload in request.files.items(multi=True):
        if not key.endswith("-tepmoi") or not upload or not upload.filename:
            continue
        data = upload.read(MAX_EVIDENCE + 1)
        try:
            checked = checked_upload(upload.filename, data)
        except ValueError as error:
            errors[key.removesuffix("moi")] = str(error)
            continue
        uploads.append(checked)
        values[key.removesuffix("moi")] = checked.sha256
    return uploads


def save_unit_edit(campaign_id: str, unit_id: str, apply, values: dict[str, str], *args, uploads=(),
                   issues: str | None = None, sent_version: str | None = None, refused: dict[str, str] | None = None,
                   **kwargs):
    """One edit of a unit's part (forms and API alike): (errors, changes). The files it cites and the
    report it sends (``issues``: issued, frozen) are stored in the edit's own transaction.
    ``refused``: errors found before the edit (a bad file): the edit still runs, so every other
    problem is reported in the same round, but nothing is stored."""
    mails: list[tuple[str, str]] = []

    def edit(data):
        result = apply(data, campaign_id, unit_id, values, *args, **kwargs)
        if refused:
            raise FormInvalid(dict(refused))
        return result

    def before_store(session, campaign, record):
        try:
            if uploads:
                store_uploads(session, record.organisation_id, campaign_id, unit_id, list(uploads),
                              cited_files(campaign, unit_id), g.user.username)
                release(session, campaign_id, unit_id, g.user.username)
            if issues:
                mails.extend(issue_unit_report(session, campaign, issues, unit_id, g.user.username,
                                               record.organisation_id))
        except (ValueError, IllegalTransition) as error:
            raise FormInvalid({"": str(error)}) from None
    errors, changes = run_edit(campaign_id, edit, before_store=before_store if uploads or issues else None, unit_id=unit_id,
                               sent_version=sent_version)
    if not errors:
        send_mails(mails)                   # the appraisers hear that their round opened, once it is stored
        if issues:
            background.after_issue(campaign_id)
    return errors, changes


def _save(campaign_id: str, unit_id: str, apply, *args, files_allowed: bool = True, issues: str | None = None,
          **kwargs):
    """A form's edit of a unit's part; returns (errors, values) — empty errors when saved."""
    values = dict(request.form.items())
    errors: dict[str, str] = {}
    uploads = []
    if not files_allowed:
        if any(upload and upload.filename for upload in request.files.values()):
            return {"": "Biểu mẫu này không nhận tệp; tài liệu kiểm chứng do đơn vị tải lên."}, values
    else:
        uploads = _uploads(values, errors)
        new = {u.sha256 for u in uploads}
        uploads += [u for u in held(engine(), campaign_id, unit_id, g.user.username) if u.sha256 not in new]
        kwargs["known_files"] = set(evidence_names(engine(), campaign_id, unit_id)) | {u.sha256 for u in uploads}
    refused = errors
    errors, changes = save_unit_edit(campaign_id, unit_id, apply, values, *args, uploads=uploads, issues=issues,
                                     sent_version=values.get(VERSION_FIELD), refused=refused, **kwargs)
    if errors or refused:
        if uploads:                         # the accepted files wait for the retry (walk U4)
            hold(engine(), campaign_id, unit_id, g.user.username, uploads)
        return {**errors, **refused}, values
    flash(f"Đã lưu ({len(changes)} thay đổi)." if changes else "Không có thay đổi nào.")
    return {}, values


def _page(template: str, campaign_id: str, unit_id: str, errors=None, values=None, **extra):
    campaign, unit = cache.campaign_unit(campaign_id, unit_id)
    submitted = values if errors else None
    stale = bool(g.get("stale"))

    def row_count(prefix: str, existing: list) -> int:
        """Evidence rows to show: the stored ones, those typed before an error, and one empty row (the
        empty row a refused form sent back is not counted again: the page does not grow per retry)."""
        typed = [n for n in Fields(submitted or {}).row_numbers(prefix, "so|ngay|ten|tep")
                 if any((submitted.get(f"{prefix}-{n}-{part}") or "").strip() for part in ("so", "ngay", "ten", "tep"))]
        return max(len(existing), max(typed, default=-1) + 1) + 1
    status = 409 if stale else (400 if errors else 200)
    day = today()
    return render_template(template, campaign=campaign, unit=unit, errors=errors or {}, value=form_value(submitted),
                           row_count=row_count, assessment=campaign.assessment(unit_id),
                           status=unit_status(campaign, unit_id, day), max_file_mb=MAX_EVIDENCE // 2**20,
                           files=evidence_names(engine(), campaign_id, unit_id),
                           held_files={u.sha256: u.filename for u in held(engine(), campaign_id, unit_id, g.user.username)}
                           if errors else {}, version=current_version(campaign_id, unit_id),
                           recent=recent_changes(campaign_id, unit_id) if stale else [],
                           self_deadline=self_assessment_deadline(campaign, unit_id),
                           explanation_deadline=explanation_deadline(campaign, unit_id),
                           enforced=campaign.settings.deadlines_enforced,
                           excluded=next((e.reason for e in campaign.exclusions if e.unit == unit_id), None),
                           **extra), status


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/tu-danh-gia", methods=["GET", "POST"])
@login_required
def self_assessment(campaign_id: str, unit_id: str):
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(access.may_read_unit_forms(campaign, unit_id))
    errors = values = None
    if request.method == "POST":
        require_unit_editor(unit_id)
        submit = request.form.get("hanh-dong") == "nop"
        errors, values = _save(campaign_id, unit_id, apply_self_assessment, submit=submit, today=today(),
                               issues="bao-cao-tu-danh-gia" if submit else None)
        if not errors:
            if submit:
                flash("Đã nộp báo cáo tự đánh giá; cơ quan thẩm định sẽ chấm điểm.")
            return redirect(url_for("forms.self_assessment", campaign_id=campaign_id, unit_id=unit_id))
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    return _page("self_assessment.html", campaign_id, unit_id, errors, values, rows=leaf_rows(campaign, unit_id),
                 adjustments=criteria.adjustments, readonly=not access.may_edit_unit(unit_id))


def _admin_edit(campaign_id: str, unit_id: str, edit, action: str, done: str, target: str = "forms.self_assessment"):
    """One of the Sở Nội vụ's actions on a unit (return, extend, exclude): refused with the reason on
    the unit's page when it does not apply."""
    errors = unit_action(campaign_id, unit_id, edit, action, dict(request.form.items()))
    if errors:
        abort(422, description="Chưa thực hiện: " + "; ".join(errors.values()))
    flash(done)
    return redirect(url_for(target, campaign_id=campaign_id, unit_id=unit_id))


def unit_action(campaign_id: str, unit_id: str, edit, action: str, values: dict[str, str]) -> dict[str, str]:
    """Run one of the Sở Nội vụ's actions on a unit (the page and the API): its errors by form field,
    empty when stored. Returning the report withdraws its issued version and tells the unit."""
    cache.campaign_unit(campaign_id, unit_id)
    access.require(g.user.role == "admin")
    mails: list = []
    errors, _ = run_edit(campaign_id, lambda data: edit(data, campaign_id, unit_id, values), action, check=False,
                         before_store=(lambda session, campaign, record: mails.extend(withdraw_unit_report(
                             session, campaign_id, "bao-cao-tu-danh-gia", unit_id, g.user.username,
                             values.get("ly-do", ""), record.organisation_id))) if action == "tra-lai" else None)
    if not errors:
        send_mails(mails)                   # the unit hears of the return once it is stored
    return errors


def returned(data: dict, campaign_id: str, unit_id: str, values) -> tuple:
    return reopen_self_assessment(data, campaign_id, unit_id, values.get("ly-do", ""))


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/tu-danh-gia/tra-lai", methods=["POST"])
@login_required
def reopen(campaign_id: str, unit_id: str):
    """The Sở Nội vụ returns a submitted self-assessment to the unit, with a reason."""
    return _admin_edit(campaign_id, unit_id, returned, "tra-lai", "Đã trả lại báo cáo tự đánh giá cho đơn vị sửa và nộp lại.")


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/gia-han", methods=["POST"])
@login_required
def extend(campaign_id: str, unit_id: str):
    """The Sở Nội vụ reopens the unit's current step after its deadline, until a date, with a reason."""
    return _admin_edit(campaign_id, unit_id, extend_deadline, "gia-han", "Đã gia hạn cho đơn vị.")


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/xep-hang", methods=["POST"])
@login_required
def exclusion(campaign_id: str, unit_id: str):
    """Leave the unit out of this year's ranking with the reason recorded (or bring it back)."""
    return _admin_edit(campaign_id, unit_id, set_exclusion, "khong-xep-hang", "Đã cập nhật việc xếp hạng đơn vị.")


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/tham-dinh", methods=["GET", "POST"])
@login_required
def appraisal(campaign_id: str, unit_id: str):
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    scope = appraiser_scope(campaign, unit_id)
    errors = values = None
    if request.method == "POST":
        try:
            errors, values = _save(campaign_id, unit_id, apply_appraisal, scope, today(), files_allowed=False)
        except PermissionError as error:
            abort(403, description=f"Không có quyền: {error}.")
        if not errors:
            return redirect(url_for("forms.appraisal", campaign_id=campaign_id, unit_id=unit_id))
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    adjustments = [a for a in criteria.adjustments if scope is None or a.appraiser == scope]
    agency = campaign.agency(scope).name if scope else "Sở Nội vụ (toàn bộ tiêu chí)"
    assessment = campaign.assessment(unit_id)
    return _page("appraisal.html", campaign_id, unit_id, errors, values, rows=leaf_rows(campaign, unit_id, scope),
                 adjustments=adjustments, agency=agency, round1_closed=explanation_closed(campaign, unit_id, today()),
                 explanation_sent=bool(assessment and assessment.explanation_report))


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/giai-trinh", methods=["GET", "POST"])
@login_required
def explanation(campaign_id: str, unit_id: str):
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(access.may_read_unit_forms(campaign, unit_id))
    errors = values = None
    if request.method == "POST":
        require_unit_editor(unit_id)
        submit = request.form.get("hanh-dong") == "gui"
        errors, values = _save(campaign_id, unit_id, apply_explanation, submit=submit, today=today(),
                               issues="bao-cao-giai-trinh" if submit else None)
        if not errors:
            if submit:
                flash("Đã gửi báo cáo giải trình; cơ quan thẩm định sẽ thẩm định lần 2 các tiêu chí đơn vị giải trình.")
            return redirect(url_for("forms.explanation", campaign_id=campaign_id, unit_id=unit_id))
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    rows = [row for row in leaf_rows(campaign, unit_id) if row.lost_points]
    assessment = campaign.assessment(unit_id)
    closed = explanation_closed(campaign, unit_id, today())
    return _page("explanation.html", campaign_id, unit_id, errors, values, rows=rows,
                 readonly=not access.may_edit_unit(unit_id) or closed,
                 sent=bool(assessment and assessment.explanation_report))


@bp.route("/chien-dich/<campaign_id>/don-vi/<unit_id>/tai-lieu/<digest>")
@login_required
def evidence_download(campaign_id: str, unit_id: str, digest: str):
    """An uploaded evidence file: the unit itself, the Sở Nội vụ's staff and leaders, and the
    appraisers for the files cited on the criteria they appraise."""
    return send_evidence(campaign_id, unit_id, digest)


def send_evidence(campaign_id: str, unit_id: str, digest: str):
    """One evidence file to whoever may read it (the page and the API)."""
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(access.may_read_evidence(campaign, unit_id, digest))
    stored = evidence_file(engine(), campaign_id, unit_id, digest)
    if stored is None:
        access.not_found("tệp tài liệu kiểm chứng này")
    return send_file(io.BytesIO(stored.data), mimetype=stored.content_type, as_attachment=True,
                     download_name=stored.filename)
