"""Issued documents to and from the e-office (edXML, issue 27): the văn thư downloads an issued
document's message for the document exchange axis and records the statuses its receivers send back;
the same over the API for the province's e-office. Only the province's office (admin, văn thư) acts;
another province's version does not exist for it."""
from __future__ import annotations

import io
import re

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
    if not version.register_fields and drifted(campaign, digest, version):    # issued before its facts were frozen
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


#: Blank lines the codes page offers for bodies outside the campaign's agencies and units.
SPARE_LINES = 5


def code_lines(campaign) -> list[tuple[str, str]]:
    """(name, code) of every agency and unit, then the other names the campaign has codes for."""
    council = campaign.council_agency
    names = [a.name for a in campaign.agencies if a.id != council] + [u.name for u in campaign.units()]
    names = list(dict.fromkeys(names))
    names += [name for name in campaign.edoc_codes if name not in names]
    return [(name, campaign.edoc_codes.get(name, "")) for name in names]


@bp.route("/chien-dich/<campaign_id>/ma-dinh-danh", methods=["GET", "POST"])
@login_required
def codes(campaign_id: str):
    """The mã định danh điện tử of the agencies, units and other bodies the documents go to: the
    Sở Nội vụ types them once a campaign (next year's clone keeps them); a code that is not one is
    named at its field, nothing stored."""
    import re

    from flask import render_template

    from data_models.campaign import EDOC_CODE_PATTERN
    from service.editing.forms import Fields
    from service.store.campaigns import Change

    from .editing import VERSION_FIELD, current_version, form_value, run_edit
    campaign, _ = cache.campaign(campaign_id)
    access.require(g.user.role == "admin")
    lines = code_lines(campaign)
    errors, typed = {}, None
    if request.method == "POST":
        typed = dict(request.form.items())
        wanted = {}
        for n in range(len(lines) + SPARE_LINES):
            name = " ".join(typed.get(f"ten-{n}", lines[n][0] if n < len(lines) else "").split())
            code = typed.get(f"ma-{n}", "").strip().upper()
            if not code:
                continue
            if not name:
                errors[f"ten-{n}"] = "ghi tên cơ quan, tổ chức của mã này"
            elif not re.fullmatch(EDOC_CODE_PATTERN, code):
                errors[f"ma-{n}"] = (f"«{code[:30]}»: mã định danh gồm 4 nhóm 2–3 chữ số hoặc chữ in hoa, cách nhau bằng "
                                     "dấu chấm (ví dụ 000.00.31.H45)")
            else:
                wanted[name] = code
        if not errors:
            def edit(data):
                old = data.get("edoc_codes", {})
                data["edoc_codes"] = wanted
                return [Change(f"{campaign_id}/ma-dinh-danh", old, wanted)] if old != wanted else []
            errors, changes = run_edit(campaign_id, lambda data: (edit(data), Fields(typed)), "ma-dinh-danh",
                                       sent_version=typed.get(VERSION_FIELD))
            if not errors:
                flash("Đã lưu mã định danh." if changes else "Không có thay đổi nào.")
                return redirect(url_for("edoc.codes", campaign_id=campaign_id))
    campaign, _ = cache.campaign(campaign_id)
    return render_template("edoc_codes.html", campaign=campaign, lines=code_lines(campaign) if not typed else lines,
                           spare=SPARE_LINES, errors=errors, typed=typed or {}, value=form_value(typed),
                           version=current_version(campaign_id)), (409 if g.get("stale") else 400) if errors else 200



#: Chế độ sử dụng of a hồ sơ (TT 02/2019/TT-BNV's values, kept by TT 05/2025).
USES = ("Công khai", "Sử dụng có điều kiện", "Mật")


def archive_choices(args) -> dict:
    """The hồ sơ's fields the agency decides, from the page's form: thời hạn bảo quản 'Vĩnh viễn' or
    'N năm' (its Danh mục hồ sơ), chế độ sử dụng one of ``USES``; 400 naming the field otherwise."""
    keep = (args.get("thoi-han-bao-quan") or "").strip()
    use = (args.get("che-do-su-dung") or "").strip()
    if keep and not re.fullmatch(r"Vĩnh viễn|[1-9]\d{0,2} năm", keep):
        abort(400, description="Thời hạn bảo quản: ghi «Vĩnh viễn» hoặc số năm, ví dụ «20 năm».")
    if use and use not in USES:
        abort(400, description="Chế độ sử dụng: chọn một trong " + ", ".join(USES) + ".")
    return {"thoi_han_bao_quan": keep, "che_do_su_dung": use}


@bp.route("/chien-dich/<campaign_id>/luu-tru.zip")
@login_required
def year_archive(campaign_id: str):
    """The campaign's archive package (every issued document, the register, the statuses, metadata and
    checksums): the Sở Nội vụ and the văn thư hand it to the archive."""
    from service.interop.archive import build_archive
    from service.interop.year_archive import campaign_package
    campaign, _ = cache.campaign(campaign_id)
    access.require(g.user.role in ROLES)
    data = build_archive(campaign_package(engine(), campaign, g.user.organisation_id, archive_choices(request.args)))
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=f"{campaign_id}-luu-tru.zip")
