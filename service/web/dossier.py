"""The whole dossier (issue 15): the Sở Nội vụ starts it, the queue makes it — every kind and every
unit's documents, DOCX and PDF, as one ZIP — and the page shows how far it got (it reloads itself
every few seconds, no script needed) until the ZIP can be downloaded. Staff of the campaign's
province read the page and download; only the Sở Nội vụ starts one. The API has the same (JSON)."""
from __future__ import annotations

import io

from flask import Blueprint, flash, g, jsonify, redirect, render_template, send_file, url_for

from service.store.users import users_of
from service.store.jobs import create_job, job, job_result, jobs_of, unfinished_job
from service.jobs.queue import send
from service.jobs.tasks import DOSSIER

from . import access, cache
from .background import queue
from .readable import vn_time
from .security import STAFF, engine, login_required

bp = Blueprint("dossier", __name__)


def _campaign(campaign_id: str, *roles: str):
    """The campaign (404 for another province's, as for any of its routes), then 403 for a role not
    in ``roles``."""
    campaign, _ = cache.campaign(campaign_id)
    access.require(g.user.role in roles)
    return campaign


def _job_of(campaign_id: str, job_id: int):
    found = job(engine(), job_id)
    if found is None or found.campaign_id != campaign_id or found.kind != DOSSIER \
            or found.organisation_id != g.user.organisation_id:
        access.not_found(f"hồ sơ tổng hợp số {job_id}")
    return found


def start(campaign_id: str) -> tuple[int, bool]:
    """(the job, whether it is new): one dossier at a time per campaign."""
    running = unfinished_job(engine(), campaign_id, DOSSIER)
    if running is not None:
        if running.state == "cho":          # never started: its message may have been lost in a broker
            send(queue(), "cchc.dossier", [running.id])     # outage (review S6); a duplicate does nothing
        return running.id, False
    job_id = create_job(engine(), DOSSIER, g.user.organisation_id, campaign_id, g.user.username)
    send(queue(), "cchc.dossier", [job_id])
    return job_id, True


@bp.route("/chien-dich/<campaign_id>/ho-so-tong-hop")
@login_required
def page(campaign_id: str):
    campaign = _campaign(campaign_id, *STAFF)
    listed = jobs_of(engine(), campaign_id, DOSSIER)
    working = any(not j.finished for j in listed)
    return render_template("dossier.html", campaign=campaign, jobs=listed, working=working, vn_time=vn_time,
                           may_start=g.user.role == "admin",
                           people={u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)})


@bp.route("/chien-dich/<campaign_id>/ho-so-tong-hop", methods=["POST"])
@login_required
def begin(campaign_id: str):
    _campaign(campaign_id, "admin")
    job_id, new = start(campaign_id)
    flash(f"Đã bắt đầu tạo hồ sơ tổng hợp số {job_id}: trang này tự cập nhật tiến độ." if new else
          f"Hồ sơ tổng hợp số {job_id} đang được tạo; chờ xong rồi hãy tạo lại.")
    return redirect(url_for("dossier.page", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/ho-so-tong-hop/<int:job_id>.zip")
@login_required
def download(campaign_id: str, job_id: int):
    campaign = _campaign(campaign_id, *STAFF)
    found = _job_of(campaign_id, job_id)
    if found.state != "xong":
        access.not_found(f"tệp của hồ sơ tổng hợp số {job_id} (hồ sơ {found.state_label})")
    name = f"ho-so-{campaign.year}-{campaign_id}-{found.id}.zip"
    return send_file(io.BytesIO(job_result(engine(), job_id)), mimetype="application/zip", as_attachment=True,
                     download_name=name)


def job_json(campaign_id: str, found) -> dict:
    return {"so": found.id, "trang_thai": found.state, "trang_thai_doc": found.state_label, "da_xong": found.done,
            "tong_so": found.total, "phan_tram": found.percent, "lan_chay": found.attempts,
            "thong_bao": found.message, "tao_luc": found.created_at.isoformat(),
            "xong_luc": found.finished_at.isoformat() if found.finished_at else None,
            "kich_thuoc": found.result_size, "sha256": found.result_sha256,
            "tai_ve": url_for("dossier.download", campaign_id=campaign_id, job_id=found.id) if found.state == "xong" else None}


@bp.route("/api/campaigns/<campaign_id>/dossiers", methods=["POST"])
@login_required
def api_begin(campaign_id: str):
    _campaign(campaign_id, "admin")
    job_id, new = start(campaign_id)
    response = jsonify(job_json(campaign_id, job(engine(), job_id)))
    response.status_code = 202 if new else 200
    response.headers["Location"] = url_for("dossier.api_job", campaign_id=campaign_id, job_id=job_id)
    return response


@bp.route("/api/campaigns/<campaign_id>/dossiers/<int:job_id>")
@login_required
def api_job(campaign_id: str, job_id: int):
    _campaign(campaign_id, *STAFF)
    return jsonify(job_json(campaign_id, _job_of(campaign_id, job_id)))
