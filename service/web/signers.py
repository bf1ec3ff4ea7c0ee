"""Chữ ký số: the people a province's signature blocks name and its agencies, the certificate(s)
registered for each (only those sign their documents) and the account that signs as each person.
The Sở Nội vụ's administrator keeps them."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from service.store.signers import (AGENCY, PERSON, certificates, ensure_identities, identities, link_account,
                                   register_certificate)
from service.signing.csc_network import allowed_service_names
from service.signing.signers import SigningError
from service.store.remote_signing import SIGNING_ROLES as REMOTE_ROLES, configure_remote_signing, remote_accounts
from service.store.users import users_of

from . import access, cache
from .security import engine, login_required

bp = Blueprint("signers", __name__)


def _admin_campaign(campaign_id: str):
    campaign, _ = cache.campaign(campaign_id)
    access.require(g.user.role == "admin")
    ensure_identities(engine(), g.user.organisation_id, campaign)
    return campaign


def _page(campaign, errors=None, status: int = 200):
    people = identities(engine(), g.user.organisation_id)
    certs = certificates(engine(), [i.id for i in people])
    accounts = [u for u in users_of(engine(), g.user.organisation_id) if u.role in ("leader", "secretariat") and u.active]
    signing_accounts = [u for u in users_of(engine(), g.user.organisation_id) if u.role in REMOTE_ROLES and u.active]
    return render_template("signers.html", campaign=campaign, people=[i for i in people if i.kind == PERSON],
                           agencies=[i for i in people if i.kind == AGENCY], certs=certs, accounts=accounts,
                           signing_accounts=signing_accounts, remote=remote_accounts(engine(), g.user.organisation_id),
                           csc_services=allowed_service_names(),
                           errors=errors or {}, values=request.form if request.method == "POST" else {}), status


@bp.route("/chien-dich/<campaign_id>/chu-ky-so", methods=["GET"])
@login_required
def index(campaign_id: str):
    return _page(_admin_campaign(campaign_id))


@bp.route("/chien-dich/<campaign_id>/chu-ky-so/chung-thu", methods=["POST"])
@login_required
def register(campaign_id: str):
    """Register a certificate (.cer, .crt, .pem, .der: the public part only) for a person or agency."""
    campaign = _admin_campaign(campaign_id)
    upload = request.files.get("tep")
    identity = request.form.get("nguoi", "")
    if upload is None or not upload.filename or not identity.isdigit():
        return _page(campaign, {"": "Chọn người ký (hoặc cơ quan) và tệp chứng thư số."}, 400)
    try:
        register_certificate(engine(), g.user.organisation_id, int(identity), upload.read(64 * 1024), g.user.username)
    except LookupError:
        access.not_found("người ký này")
    except ValueError as error:
        return _page(campaign, {"": f"Chưa đăng ký: {error}."}, 400)
    flash("Đã đăng ký chứng thư số.")
    return redirect(url_for("signers.index", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/chu-ky-so/tai-khoan", methods=["POST"])
@login_required
def account(campaign_id: str):
    """The account that signs as this person (a leader's, or the council secretary's)."""
    campaign = _admin_campaign(campaign_id)
    identity, user = request.form.get("nguoi", ""), request.form.get("tai-khoan", "")
    allowed = {u.id for u in users_of(engine(), g.user.organisation_id) if u.role in ("leader", "secretariat")}
    if not identity.isdigit() or (user and (not user.isdigit() or int(user) not in allowed)):
        return _page(campaign, {"": "Chọn người ký và tài khoản lãnh đạo hoặc thư ký của tỉnh."}, 400)
    try:
        link_account(engine(), g.user.organisation_id, int(identity), int(user) if user else None, g.user.username)
    except LookupError:
        access.not_found("người ký này")
    flash("Đã gắn tài khoản ký.")
    return redirect(url_for("signers.index", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/chu-ky-so/tu-xa", methods=["POST"])
@login_required
def remote(campaign_id: str):
    """An account signs through a remote signing service (CSC API): its certificate is fetched from the
    service and registered for the person or agency it signs as."""
    campaign = _admin_campaign(campaign_id)
    identity, user = request.form.get("nguoi", ""), request.form.get("tai-khoan", "")
    if not identity.isdigit() or not user.isdigit():
        return _page(campaign, {"": "Chọn tài khoản ký và người ký (hoặc cơ quan) mà tài khoản ký thay."}, 400)
    try:
        subject = configure_remote_signing(engine(), g.user.organisation_id, int(user), int(identity),
                                           request.form.get("dia-chi", ""), request.form.get("ma-chung-thu", ""),
                                           request.form.get("ma-truy-cap", ""), g.user.username)
    except LookupError:
        access.not_found("tài khoản hoặc người ký này")
    except (ValueError, SigningError) as error:
        return _page(campaign, {"": f"Chưa cấu hình ký từ xa: {error}. Không có thay đổi nào được lưu."}, 400)
    flash(f"Đã cấu hình ký số từ xa; chứng thư số của dịch vụ ({subject}) đã được đăng ký.")
    return redirect(url_for("signers.index", campaign_id=campaign_id))
