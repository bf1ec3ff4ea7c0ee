"""A unit's evidence files over the API (issue 15): list, download, upload. An uploaded file is kept for
the unit (checked like the page's uploads: type sniffed, PDF and Office files inspected, size and quota
bounded) and returned with its SHA-256, which the self-assessment then cites (``evidence[].file``).
Who reads is who reads on the page (``access.may_read_evidence``); who uploads is who edits the unit."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.store.evidence import MAX_EVIDENCE, checked_upload, store_uploads, unit_files
from service.store.models import EvidenceFile

from . import access, cache
from .api import invalid
from .forms import require_unit_editor, send_evidence
from .security import engine, login_required

bp = Blueprint("api_evidence", __name__, url_prefix="/api")
REFUSED = "Tệp không được nhận; không có gì được lưu."


def _file_json(campaign_id: str, unit_id: str, row) -> dict:
    return {"sha256": row.sha256, "ten": row.filename, "loai": row.content_type, "kich_thuoc": row.size,
            "tai_ve": url_for("api_evidence.download", campaign_id=campaign_id, unit_id=unit_id, digest=row.sha256)}


def _listing(campaign_id: str, unit_id: str) -> list:
    with Session(engine()) as session:
        return list(session.query(EvidenceFile.sha256, EvidenceFile.filename, EvidenceFile.content_type, EvidenceFile.size)
                    .filter(EvidenceFile.campaign_id == campaign_id, EvidenceFile.unit_id == unit_id)
                    .order_by(EvidenceFile.id))


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/evidence")
@login_required
def files(campaign_id: str, unit_id: str):
    """The unit's files the caller may read (an appraiser: those cited on the criteria it appraises)."""
    campaign, _ = cache.campaign_unit(campaign_id, unit_id)
    access.require(access.may_read_unit_forms(campaign, unit_id) or g.user.role == "appraiser")
    rows = [r for r in _listing(campaign_id, unit_id) if access.may_read_evidence(campaign, unit_id, r.sha256)]
    return jsonify({"don_vi": unit_id, "tep": [_file_json(campaign_id, unit_id, r) for r in rows]})


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/evidence/<digest>")
@login_required
def download(campaign_id: str, unit_id: str, digest: str):
    return send_evidence(campaign_id, unit_id, digest)


@bp.route("/campaigns/<campaign_id>/units/<unit_id>/evidence", methods=["POST"])
@login_required
def upload(campaign_id: str, unit_id: str):
    """Keep one file (multipart field 'tep') for the unit: 201 with its SHA-256, or 200 when the unit
    already has the same file; 422 naming what is wrong with it, and nothing is kept."""
    cache.campaign_unit(campaign_id, unit_id)
    require_unit_editor(unit_id)
    sent = request.files.get("tep")
    if sent is None or not sent.filename:
        return invalid("Chưa gửi tệp.", [("tep", "chọn một tệp (multipart, trường 'tep')")])
    data = sent.read(MAX_EVIDENCE + 1)
    try:
        checked = checked_upload(sent.filename, data)
    except ValueError as error:
        return invalid(REFUSED, [("tep", str(error))])
    try:
        with Session(engine()) as session, session.begin():
            known = checked.sha256 in unit_files(session, campaign_id, unit_id)
            if not known:
                store_uploads(session, g.user.organisation_id, campaign_id, unit_id, [checked], {checked.sha256},
                              g.user.username)
    except ValueError as error:                     # over the unit's quota
        return invalid(REFUSED, [("tep", str(error))])
    except IntegrityError:                          # the same file sent twice at once: kept once
        known = True
    row = next(r for r in _listing(campaign_id, unit_id) if r.sha256 == checked.sha256)
    return jsonify(_file_json(campaign_id, unit_id, row)), 200 if known else 201
