"""Issued documents to and from the e-office (edXML, issue 27): the văn thư downloads an issued
document's message for the document exchange axis and records the statuses its receivers send back;
the same over the API for the province's e-office. Only the province's office (admin, văn thư) acts;
another province's version does not exist for it."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, jsonify, redirect, request, send_file, url_for

from service.interop.edxml import STATUS_CODES, EdxmlError, read_status, write_message
from service.interop.outgoing import message_for
from service.store.edoc import record_status, version_by_number
from service.store.issuing import issued_version

from . import access, cache
from .clock import now
from .security import engine, login_required

bp = Blueprint("edoc", __name__)
ROLES = ("admin", "vanthu")
MAX_STATUS_BYTES = 1024 * 1024


def _version(campaign_id: str, version_id: int):
    cache.unit_campaign(campaign_id, None)               # the campaign exists and is of the user's province
    access.require(g.user.role in ROLES)
    version = issued_version(engine(), version_id)
    if version is None or version.campaign_id != campaign_id:
        access.not_found("bản ban hành này")
    if version.status != "hieu-luc":
        abort(409, description="Bản này không còn hiệu lực (đã hủy số, thu hồi hoặc bị thay thế): không gửi qua trục.")
    return version


def edxml_of(campaign_id: str, version_id: int) -> tuple[bytes, str, list]:
    """(the message, its file name, the Nơi nhận that do not go through the axis) of an issued version."""
    from .documents import drifted
    version = _version(campaign_id, version_id)
    campaign, digest = cache.campaign(campaign_id)
    if drifted(campaign, digest, version):
        abort(409, description="Dữ liệu hiện tại đã khác bản ban hành (trích yếu, người ký, nơi nhận có thể khác): "
                               "đính chính hoặc thay thế văn bản trước khi gửi qua trục liên thông.")
    try:
        message, apart = message_for(campaign, version, now())
        data = write_message(message)
    except EdxmlError as error:
        abort(422, description=f"Chưa tạo được gói edXML: {error}.")
    return data, f"{message.attachments[0].name.removesuffix('.pdf')}.edxml", apart


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/edxml")
@login_required
def download(campaign_id: str, version_id: int):
    data, name, _ = edxml_of(campaign_id, version_id)
    return send_file(io.BytesIO(data), mimetype="application/xml", as_attachment=True, download_name=name)


@bp.route("/api/campaigns/<campaign_id>/versions/<int:version_id>/edxml")
@login_required
def download_api(campaign_id: str, version_id: int):
    data, name, _ = edxml_of(campaign_id, version_id)
    return send_file(io.BytesIO(data), mimetype="application/xml", as_attachment=True, download_name=name)


def _take_status(data: bytes, campaign_id: str | None, version_id: int | None) -> tuple[str, bool, object]:
    """Read and record one status; (what it says, whether it is new, the version)."""
    if len(data) > MAX_STATUS_BYTES:
        abort(413, description="Thông điệp trạng thái quá 1 MB.")
    try:
        status = read_status(data)
    except EdxmlError as error:
        abort(422, description=f"Không đọc được thông điệp trạng thái: {error}.")
    version = version_by_number(engine(), g.user.organisation_id, f"Số: {status.about.code}", status.about.date)
    if version is None or (version_id is not None and version.id != version_id):
        abort(422, description=f"Thông điệp nói về văn bản {status.about.code} ngày {status.about.date:%d/%m/%Y}, "
                               "không phải văn bản này." if version_id else
              f"Không có văn bản {status.about.code} ngày {status.about.date:%d/%m/%Y} của tỉnh.")
    if campaign_id is None:
        cache.unit_campaign(version.campaign_id, None)
    new = record_status(engine(), g.user.organisation_id, version.id, status, g.user.username)
    return f"{status.sender.name}: {STATUS_CODES[status.code]}", new, version


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/trang-thai", methods=["POST"])
@login_required
def status_form(campaign_id: str, version_id: int):
    version = _version(campaign_id, version_id)
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        abort(400, description="Chọn tệp thông điệp trạng thái (.xml) nhận từ hệ thống quản lý văn bản.")
    said, new, _ = _take_status(upload.read(MAX_STATUS_BYTES + 1), campaign_id, version.id)
    flash(("Đã ghi trạng thái: " if new else "Trạng thái này đã ghi trước đó: ") + said)
    return redirect(url_for("documents.document", campaign_id=campaign_id, kind=version.kind,
                            unit=version.unit_key or None, fmt="html") + "#lien-thong")


@bp.route("/api/edxml/status", methods=["POST"])
@login_required
def status_api():
    """A status message from the province's e-office (the body is the edXML), recorded on the document
    it is about."""
    access.require(g.user.role in ROLES)
    said, new, version = _take_status(request.get_data(cache=False)[:MAX_STATUS_BYTES + 1], None, None)
    return jsonify({"ket_qua": "đã ghi" if new else "đã có", "noi_dung": said, "ban_ban_hanh": version.id,
                    "chien_dich": version.campaign_id}), 201 if new else 200
