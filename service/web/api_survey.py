"""A unit's survey tallies over the API (issue 15): read them, and replace a respondent group's tally —
the survey page's edit (``editing.survey.apply_survey``) with errors named by JSON path. The Sở Nội vụ
types the tallies; its staff and leaders read them."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from data_models.edits import SurveyInput
from service.editing import api_input
from service.editing.survey import apply_survey, survey_grids

from . import access, cache
from .api import NOTHING_STORED, _body, form_errors, invalid
from .editing import run_edit
from .security import STAFF, login_required

bp = Blueprint("api_survey", __name__, url_prefix="/api")


def _survey_json(campaign, unit_id: str) -> dict:
    stored = {a.respondent_group: a for a in campaign.survey_answers if a.unit == unit_id}
    return {"don_vi": unit_id, "nhom": [
        {"group": grid.group.id, "ten": grid.group.name, "gia_tri": grid.values,
         "tieu_chi": [leaf.code for leaf in grid.leaves],
         "forms": stored[grid.group.id].forms if grid.group.id in stored else 0,
         "answers": stored[grid.group.id].answers if grid.group.id in stored else {}}
        for grid in survey_grids(campaign, unit_id)]}


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/survey")
@login_required
def survey(campaign_id: str, unit_id: str):
    """Each respondent group of the unit's survey: its criteria, the scale's values, the stored tally."""
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(g.user.role in STAFF)
    return jsonify(_survey_json(campaign, unit_id))


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/survey", methods=["PUT"])
@login_required
def replace(campaign_id: str, unit_id: str):
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(g.user.role == "admin")
    body = _body(SurveyInput)
    if isinstance(body, tuple):
        return body
    try:
        translated = api_input.survey(body, survey_grids(campaign, unit_id))
    except KeyError as error:
        path, value = error.args
        return invalid(NOTHING_STORED, [(path, f"{value!r} không có trong phiếu khảo sát của đơn vị")])
    errors, changes = run_edit(campaign_id, lambda data: apply_survey(data, campaign_id, unit_id, translated.values),
                               "nhap-khao-sat")
    if errors:
        return form_errors(NOTHING_STORED, errors, translated.path)
    campaign, _ = cache.campaign(campaign_id)
    return jsonify({"ket_qua": "đã lưu", "so_thay_doi": len(changes), **_survey_json(campaign, unit_id)})
