"""Signing issued documents in the workspace: the leader signs (with a PKCS#12 file opened for this
one signature, or by uploading a PDF signed in their own software), then the văn thư adds the
agency's signature; anyone who may read a document may check its signatures."""
from __future__ import annotations

import io
import os
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, send_file, url_for

from service.signing.appearance import AppearanceError
from service.signing.profile import profile_from_environment
from service.signing.sign import sign_as_agency, sign_as_leader
from service.signing.signers import SigningError, load_pkcs12
from service.conformance.pdfa import pdfa_problems
from service.signing.verify import LEVEL_WORDS, UnreadablePdf, load_trust_roots, verify_pdf
from service.store.issuing import issued_version
from service.domain.lifecycle import steps_of
from service.signing.layout import LEADER_FIELD, LEFT_FIELD, SEAL_FIELD
from service.signing.csc import csc_signer
from service.store.remote_signing import SIGNING_ROLES as REMOTE_ROLES, confirm_service, remote_credential, unconfirmed_service
from service.store.signatures import SIGNING_ROLES, accept_signed_pdf, expected, final_pdf, people_named

from . import access, cache
from .security import engine, login_required, roles_required, safe_next

#: The places of a signature block, as the pages name them.
SLOT_NAMES = {LEADER_FIELD: "Người ký", LEFT_FIELD: "Thư ký", SEAL_FIELD: "Cơ quan (dấu)"}
#: A signed document: the issued PDF plus signatures, images and time-stamps.
MAX_SIGNED = 30 * 2**20

bp = Blueprint("signing", __name__)


def trust_roots():
    """CA certificates trusted for verification: the PEM bundle named by CCHC_TRUST_BUNDLE (the app's
    configuration, else the environment)."""
    path = current_app.config.get("CCHC_TRUST_BUNDLE") or os.environ.get("CCHC_TRUST_BUNDLE")
    return load_trust_roots(Path(path).read_bytes()) if path else []


def _version(campaign_id: str, version_id: int):
    campaign, _ = cache.campaign(campaign_id)
    version = issued_version(engine(), version_id, with_pdf=False)
    if version is None or version.campaign_id != campaign_id:
        access.not_found("bản ban hành này")
    access.require(access.may_read_document(campaign, version.kind, version.unit_key or None))
    return version if version.pdf is not None else issued_version(engine(), version_id)


def uploaded(name: str, what: str, limit: int | None = None) -> bytes:
    """The file sent in the form field ``name`` (at most ``limit`` bytes); SigningError naming ``what``."""
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        raise SigningError(f"chưa chọn {what}")
    if limit is None:
        return upload.read()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise SigningError(f"{what} lớn hơn {limit // 2**10} KB")
    return data


def remote_account():
    """Where the user signs remotely; SigningError when the Sở Nội vụ has not configured it, or the
    user has not confirmed the service it set (the PIN is not sent there)."""
    credential = remote_credential(engine(), g.user.id)
    if credential is None:
        pending = unconfirmed_service(engine(), g.user.id)
        if pending is not None:
            raise SigningError(f"bạn chưa xác nhận dịch vụ ký số từ xa {pending.service_url} mà Sở Nội vụ đặt cho tài "
                               "khoản: xác nhận ở khung phía trên trang trước khi nhập mã PIN; mã PIN chưa được gửi đi")
        raise SigningError("tài khoản chưa được cấu hình ký số từ xa (Sở Nội vụ cấu hình ở trang Chữ ký số)")
    return credential


@bp.app_context_processor
def pending_service():
    """The remote signing service waiting for the signed-in signer's confirmation (base.html shows it)."""
    def pending():
        user = g.get("user")
        return unconfirmed_service(engine(), user.id) if user is not None and user.role in REMOTE_ROLES else None
    return {"pending_remote_service": pending}


@bp.route("/tai-khoan/ky-tu-xa/xac-nhan", methods=["POST"])
@roles_required(*REMOTE_ROLES)
def confirm_remote():
    """The signer confirms the remote signing service set for their own account, as it was shown."""
    back = safe_next(request.form.get("next")) or url_for("views.index")
    if request.form.get("xac-nhan") != "1":
        flash("Chưa xác nhận: đánh dấu ô «Đây đúng là dịch vụ ký số từ xa tôi đã đăng ký».")
        return redirect(back)
    try:
        confirm_service(engine(), g.user.id, request.form.get("dia-chi", ""), request.form.get("ma-chung-thu", ""),
                        g.user.username)
    except LookupError:
        flash("Không có dịch vụ ký số từ xa nào với địa chỉ này chờ bạn xác nhận (có thể Sở Nội vụ vừa đổi); "
              "xem lại khung xác nhận.")
        return redirect(back)
    flash("Đã xác nhận dịch vụ ký số từ xa; từ nay bạn ký từ xa bằng mã PIN của dịch vụ này.")
    return redirect(back)


def typed_pin() -> str:
    """The remote-signing PIN of the form (never stored); SigningError when missing or malformed."""
    pin = request.form.get("pin", "")
    if not pin or len(pin) > 64 or not pin.isprintable():
        raise SigningError("chưa nhập mã PIN ký số từ xa (hoặc mã không hợp lệ)")
    return pin


def _remote_signer():
    """The signer at the account's remote signing service, once the user has confirmed and given the PIN."""
    credential = remote_account()
    if request.form.get("xac-nhan-ky") != "1":
        raise SigningError("chưa xác nhận ký: đánh dấu ô «Tôi xác nhận ký văn bản này»")
    return csc_signer(credential, typed_pin())


def _signable(campaign_id: str, version_id: int):
    """The version, if the user signs it: 403 for a role that does not sign or another unit's report."""
    version = _version(campaign_id, version_id)
    if g.user.role == "unit" and not (steps_of(version.kind).unit_document and version.unit_key == g.user.unit_id):
        abort(403, description="Đơn vị chỉ ký báo cáo của chính đơn vị.")
    if g.user.role not in SIGNING_ROLES:
        abort(403, description="Chỉ lãnh đạo (người ký), văn thư (chữ ký số của cơ quan), thư ký (biên bản) và đơn vị "
                               "(báo cáo của mình) ký văn bản.")
    if g.user.role in ("leader", "secretariat") and not named_signer(version):
        abort(403, description="Văn bản này không ghi tên bạn ở ô ký: chỉ người có tên trong phần chữ ký ký văn bản.")
    return version


def named_signer(version) -> bool:
    """Whether the user is a person the version's signature block names (linked on the Chữ ký số page)."""
    person = access.signing_person()
    return person is not None and person in people_named(expected(version))


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/ky-so", methods=["POST"])
@login_required
def sign(campaign_id: str, version_id: int):
    """Sign here with a .p12 opened for this one signature, or upload a PDF signed elsewhere; either
    way the file is checked as a whole (``accept_signed_pdf``). A refusal comes back on the document's
    page with the reason; nothing stored changes."""
    version = _signable(campaign_id, version_id)
    roots = trust_roots()
    try:
        if request.form.get("cach") == "tai-len" or g.user.role == "unit":
            signed = uploaded("tep", "tệp PDF đã ký")
        else:
            if request.form.get("cach") == "tu-xa":
                signer = _remote_signer()
            else:
                signer = load_pkcs12(uploaded("p12", "tệp chứng thư số (.p12)"), request.form.get("mat_khau", ""))
            image = uploaded("anh", "ảnh con dấu" if g.user.role == "vanthu" else "ảnh chữ ký")
            profile = profile_from_environment(roots)
            if g.user.role == "vanthu":
                signed = sign_as_agency(final_pdf(version), signer, image, profile=profile)
            else:
                field = LEFT_FIELD if g.user.role == "secretariat" else LEADER_FIELD
                signed = sign_as_leader(final_pdf(version), signer, image, field=field, profile=profile)
        accept_signed_pdf(engine(), version_id, signed, g.user, roots)
    except (SigningError, AppearanceError) as error:
        from .documents import _refuse
        return _refuse(campaign_id, version.kind, version.unit_key or None,
                       f"Chưa ký: {error}. Bản đã lưu không thay đổi.", 422)
    flash(f"Đã ký số {version.number_line}: bản cuối cùng đã được lưu.")
    return redirect(url_for("documents.document", campaign_id=campaign_id, kind=version.kind,
                            unit=version.unit_key or None, fmt="html"))


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/da-ky.pdf")
@login_required
def signed_file(campaign_id: str, version_id: int):
    version = _version(campaign_id, version_id)
    if version.signed_pdf is None:
        abort(404, description="Văn bản chưa được ký số.")
    name = f"{version.kind}-{version.unit_key}" if version.unit_key else version.kind
    return send_file(io.BytesIO(version.signed_pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{name}-da-ky.pdf")


def _report_json(report) -> dict:
    return {"ket_luan": report.lines()[-1], "ma_ket_qua": report.exit_status,
            "chu_ky": [{"o_ky": s.field, "nguoi_ky": s.signer, "thoi_diem": s.signed_at.isoformat() if s.signed_at else None,
                        "toan_ven": s.intact, "tin_cay": s.trusted, "sua_sau_khi_ky": s.modified_after,
                        "muc_pades": s.level, "ghi_chu": s.problem} for s in report.signatures],
            "dau_thoi_gian_luu_tru": [{"o_ky": t.field, "to_chuc": t.authority, "toan_ven": t.intact, "tin_cay": t.trusted,
                                       "thoi_diem": t.stamped_at.isoformat() if t.stamped_at else None}
                                      for t in report.timestamps],
            "chi_tiet": report.lines()}


@bp.route("/api/campaigns/<campaign_id>/versions/<int:version_id>/signed", methods=["POST"])
@login_required
def upload_signed(campaign_id: str, version_id: int):
    """A PDF signed elsewhere (the e-office's signing tool, a token's own software), sent as the body
    (application/pdf) or as the multipart field 'tep': the same checks as the page — the issued bytes
    unchanged underneath, signatures intact, the signer the one the signature block names — then it is
    the final version. 422 with the reason otherwise; nothing stored changes."""
    _signable(campaign_id, version_id)
    upload = request.files.get("tep")
    signed = upload.read(MAX_SIGNED + 1) if upload is not None else request.get_data(cache=False)[:MAX_SIGNED + 1]
    if not signed:
        return jsonify({"loi": "Chưa gửi tệp PDF đã ký (thân yêu cầu application/pdf, hoặc trường 'tep')."}), 422
    if len(signed) > MAX_SIGNED:
        return jsonify({"loi": f"Tệp PDF đã ký lớn hơn {MAX_SIGNED // 2**20} MB."}), 422
    try:
        report = accept_signed_pdf(engine(), version_id, signed, g.user, trust_roots())
    except SigningError as error:
        return jsonify({"loi": f"Chưa nhận bản đã ký: {error}. Bản đã lưu không thay đổi."}), 422
    return jsonify({"ket_qua": "đã lưu bản đã ký", **_report_json(report)})


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/chu-ky")
@login_required
def signatures_page(campaign_id: str, version_id: int):
    """The signatures of the final version as a page a clerk reads (walk U10): each signer, the time
    in Vietnam, whether intact and trusted, and the verdict; the API keeps the JSON."""
    version = _version(campaign_id, version_id)
    campaign, _ = cache.campaign(campaign_id)
    pdf = final_pdf(version)
    report = verify_pdf(pdf, trust_roots(), issued=version.pdf)
    return render_template("signatures.html", campaign=campaign, version=version, report=report,
                           verdict=report.lines()[-1].removeprefix("Kết luận: "),
                           places=SLOT_NAMES, level_words=LEVEL_WORDS, archival=pdfa_problems(pdf))


@bp.route("/api/campaigns/<campaign_id>/versions/<int:version_id>/signatures")
@login_required
def version_signatures(campaign_id: str, version_id: int):
    version = _version(campaign_id, version_id)
    return jsonify(_report_json(verify_pdf(final_pdf(version), trust_roots(), issued=version.pdf)))


@bp.route("/api/verify", methods=["POST"])
@login_required
def verify_upload():
    """Check the signatures of any uploaded PDF (a tampered file is a result, not an error)."""
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        abort(400, description="Chưa gửi tệp PDF (trường 'tep').")
    try:
        report = verify_pdf(upload.read(), trust_roots())
    except UnreadablePdf as error:
        abort(422, description=f"Tệp không kiểm tra được: {error}.")
    return jsonify(_report_json(report))
