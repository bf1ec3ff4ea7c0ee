"""JSON API: campaigns (read, replace — validated by the pydantic models), results, units' parts, and the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from pydantic import ValidationError

from data_models import MAX_CAMPAIGN_BYTES, InvalidCampaign, campaign_data, parse_json_text
from data_models.edits import AppraisalInput, ExplanationInput, SelfAssessmentInput
from data_models.errors import problems_from_validation
from service.editing import api_input
from service.editing.assessment import apply_appraisal, apply_explanation, apply_self_assessment, leaf_rows
from service.store.campaigns import ChangedMeanwhile, OtherProvince, save_campaign
from service.store.evidence import evidence_names

from . import access, background, cache
from .clock import today
from .openapi import spec
from .editing import current_version
from .forms import appraiser_scope, require_unit_editor, save_unit_edit
from .security import engine, login_required
from .views import visible_campaigns

bp = Blueprint("api", __name__, url_prefix="/api")
NOTHING_STORED = "Dữ liệu không hợp lệ; không có thay đổi nào được lưu."


def _unit_json(result) -> dict:
    return {"don_vi": result.unit_id, "ten": result.unit_name, "tu_danh_gia": str(result.self_points),
            "tham_dinh": str(result.appraised_points), "dtxhh": str(result.survey_points), "thuong": str(result.bonus),
            "tru": str(result.deduction), "tong_diem": str(result.total), "diem_toi_da": str(result.maximum),
            "chi_so": str(result.index), "xep_hang": result.rank, "xep_loai": result.band}


@bp.route("/campaigns")
@login_required
def campaigns():
    return jsonify([{"id": cid, "nam": year, "ten": name} for cid, year, name in visible_campaigns()])


@bp.route("/campaigns/<campaign_id>")
@login_required
def campaign(campaign_id: str):
    """campaign.json as stored: what a PUT of the same body stores again unchanged; its ETag is the
    stored campaign's SHA-256 (send it back as If-Match)."""
    value, digest = cache.campaign(campaign_id)
    access.require(access.may_read_whole_campaign())
    response = jsonify(campaign_data(value))
    response.headers["ETag"] = f'"{digest}"'
    return response


def if_match() -> str | None:
    """The version a client read (If-Match: "…"), or None when it sent none."""
    raw = request.headers.get("If-Match", "").strip()
    return raw.strip('"').removeprefix("W/").strip('"') or None


def invalid(message: str, problems) -> tuple:
    """422 with ``message`` and each (JSON field, Vietnamese reason) of ``problems`` (``chi_tiet``)."""
    return jsonify({"loi": message, "chi_tiet": [{"truong": field, "thong_bao": reason} for field, reason in problems]}), 422


def form_errors(message: str, errors: dict[str, str], json_field) -> tuple:
    """422 for an edit's errors by form field, each named by ``json_field(form field)`` ('' stays '')."""
    return invalid(message, ((json_field(k) if k else "", v) for k, v in errors.items()))


def precondition_failed():
    return jsonify({"loi": "Dữ liệu đã được người khác sửa sau khi bạn đọc (If-Match không khớp); không có thay đổi "
                           "nào được lưu. Hãy đọc lại (GET) rồi gửi lại."}), 412


def json_body() -> object:
    """The request's JSON, parsed with the same bounds as campaign.json (size, depth, finite
    numbers); 400 with a Vietnamese message otherwise."""
    if not request.is_json:
        abort(400, description="Nội dung phải là JSON (Content-Type: application/json).")
    if (request.content_length or 0) > MAX_CAMPAIGN_BYTES:
        abort(413, description=f"Dữ liệu JSON quá lớn (tối đa {MAX_CAMPAIGN_BYTES // 2**20} MB).")
    try:
        return parse_json_text(request.get_data(cache=True))
    except InvalidCampaign as error:
        abort(400, description="; ".join(p.message for p in error.problems))


@bp.route("/campaigns/<campaign_id>", methods=["PUT"])
@login_required
def replace_campaign(campaign_id: str):
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON (campaign.json).")
    if data.get("id") != campaign_id:
        abort(422, description=f"Trường 'id' phải là {campaign_id!r}.")
    _, digest = cache.campaign(campaign_id)
    sent = if_match()
    if sent is not None and sent != digest:
        return precondition_failed()
    try:
        save_campaign(engine(), data, g.user.username, g.user.organisation_id, expected_sha256=sent)
    except OtherProvince:
        access.not_found(f"chiến dịch {campaign_id!r}")
    except ChangedMeanwhile:
        return precondition_failed()
    except InvalidCampaign as error:
        return invalid(NOTHING_STORED, ((p.path, p.message) for p in error.problems))
    background.after_edit(campaign_id)
    response = jsonify({"ket_qua": "đã lưu"})
    response.headers["ETag"] = f'"{cache.campaign(campaign_id)[1]}"'
    return response


@bp.route("/campaigns/<campaign_id>/results")
@login_required
def results(campaign_id: str):
    _, ranked = cache.results(campaign_id)
    access.require(access.may_read_results(access.results_published(campaign_id)))
    return jsonify({group: [_unit_json(r) for r in rows] for group, rows in ranked.groups.items()})


def _body(model):
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        return invalid(NOTHING_STORED, ((p.path, p.message) for p in problems_from_validation(error, ())))


def _scoring_edit(campaign_id: str, unit_id: str, translated, apply, *args, issues: str | None = None, **kwargs):
    """A unit's part edited through the API: If-Match checked against the unit's version (412 when
    stale), errors named by JSON path; the new version comes back as the ETag."""
    errors, changes = save_unit_edit(campaign_id, unit_id, apply, translated.values, *args, issues=issues,
                                     sent_version=if_match(), **kwargs)
    if g.get("stale"):
        return precondition_failed()
    if errors:
        return form_errors(NOTHING_STORED, errors, translated.path)
    response = jsonify({"ket_qua": "đã lưu", "so_thay_doi": len(changes)})
    response.headers["ETag"] = f'"{current_version(campaign_id, unit_id)}"'
    return response


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/assessment")
@login_required
def assessment(campaign_id: str, unit_id: str):
    """A unit's assessment as stored (its scores, evidence, rounds, explanation) with its status; the
    ETag is the unit's version, for If-Match on the unit's PUT endpoints."""
    from service.domain.status import unit_status
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(access.may_read_unit_forms(campaign, unit_id))
    data = next((a for a in campaign_data(campaign).get("assessments", []) if a["unit"] == unit_id), {"unit": unit_id})
    response = jsonify({"don_vi": unit_id, "tinh_trang": unit_status(campaign, unit_id, today()), "danh_gia": data})
    response.headers["ETag"] = f'"{current_version(campaign_id, unit_id)}"'
    return response


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/self-assessment", methods=["PUT"])
@login_required
def self_assessment(campaign_id: str, unit_id: str):
    """The unit's scores, explanations and evidence (files: upload through the page), and submission."""
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    require_unit_editor(unit_id)
    body = _body(SelfAssessmentInput)
    if isinstance(body, tuple):
        return body
    try:
        translated = api_input.self_assessment(body, [row.leaf.code for row in leaf_rows(campaign, unit_id)])
    except KeyError as error:
        abort(422, description=f"Mã tiêu chí không có trong bộ tiêu chí của đơn vị (hoặc chấm qua khảo sát): {error.args[0]}.")
    return _scoring_edit(campaign_id, unit_id, translated, apply_self_assessment, submit=body.submit is not None,
                         known_files=set(evidence_names(engine(), campaign_id, unit_id)), today=today(),
                         issues="bao-cao-tu-danh-gia" if body.submit is not None else None)


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/appraisal", methods=["PUT"])
@login_required
def appraisal(campaign_id: str, unit_id: str):
    """Round 1 and round 2 of the criteria the caller's agency appraises (admin: all)."""
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    scope = appraiser_scope(campaign, unit_id)
    body = _body(AppraisalInput)
    if isinstance(body, tuple):
        return body
    try:
        return _scoring_edit(campaign_id, unit_id, api_input.appraisal(body), apply_appraisal, scope, today())
    except PermissionError as error:
        abort(403, description=f"Không có quyền: {error}.")


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/explanation", methods=["PUT"])
@login_required
def explanation(campaign_id: str, unit_id: str):
    cache.campaign_unit(campaign_id, unit_id)
    require_unit_editor(unit_id)
    body = _body(ExplanationInput)
    if isinstance(body, tuple):
        return body
    return _scoring_edit(campaign_id, unit_id, api_input.explanation(body), apply_explanation,
                         known_files=set(evidence_names(engine(), campaign_id, unit_id)), today=today(),
                         submit=body.submit is not None, issues="bao-cao-giai-trinh" if body.submit is not None else None)


@bp.route("/openapi.json")
def openapi():
    return jsonify(spec())

