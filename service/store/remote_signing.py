"""Remote signing per account: where the account signs (a CSC service and credential), set by the Sở
Nội vụ among the services the deployment allows. Configuring fetches the credential's certificate from
the service and registers it for the person or agency it signs as — so a signature made there is
accepted like one from a .p12. A new or changed service is used only after the account's owner has
confirmed it (the PIN goes nowhere the signer has not seen: review S3); the owner is notified."""
from __future__ import annotations

import datetime as dt
import json
import unicodedata
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.signing.csc import CscCredential, fetch_certificates
from service.signing.csc_network import check_service_url

from .models import AuditEntry, RemoteSigningAccount, SignerCertificate, User
from .notifications import notify, send_mails
from .signers import fingerprint, register_certificate

SIGNING_ROLES = ("leader", "secretariat", "vanthu")


def _checked(service_url: str, credential_id: str) -> tuple[str, str]:
    """The address and credential as typed, trimmed; ValueError (Vietnamese) naming what is wrong."""
    url, credential = service_url.strip(), credential_id.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise ValueError("địa chỉ dịch vụ ký số từ xa phải là một địa chỉ http(s)://…")
    if not credential or len(credential) > 200 or any(unicodedata.category(c).startswith("C") for c in credential):
        raise ValueError("mã chứng thư (credential ID) không được để trống, quá 200 ký tự hay có ký tự điều khiển")
    check_service_url(url)
    return url.rstrip("/"), credential


def configure_remote_signing(engine: Engine, organisation: str, user_id: int, identity_id: int, service_url: str,
                             credential_id: str, access_token: str | None, actor: str) -> str:
    """Set how ``user_id`` signs remotely; the certificate's subject. LookupError: no such account or
    signer in the province; ValueError / SigningError (Vietnamese): bad input, or the service refused."""
    url, credential = _checked(service_url, credential_id)
    with Session(engine) as session:
        user = session.get(User, user_id)
        if user is None or user.organisation_id != organisation or user.role not in SIGNING_ROLES:
            raise LookupError(user_id)
    remote = CscCredential(url, credential, (access_token or "").strip() or None)
    certificate, _ = fetch_certificates(remote)
    digest = fingerprint(certificate)
    with Session(engine) as session:
        registered = session.scalar(select(SignerCertificate).where(SignerCertificate.fingerprint == digest))
    if registered is None:
        registered = register_certificate(engine, organisation, identity_id, certificate, actor)
    elif registered.identity_id != identity_id:
        raise ValueError("chứng thư số của dịch vụ đã được đăng ký cho người ký khác")
    with Session(engine) as session, session.begin():
        row = session.get(RemoteSigningAccount, user_id)
        same = row is not None and (row.service_url, row.credential_id, row.certificate_sha256) == (url, credential, digest)
        row = row or RemoteSigningAccount(user_id=user_id)
        row.organisation_id, row.service_url, row.credential_id = organisation, url, credential
        row.access_token, row.certificate_sha256, row.configured_by = remote.access_token, digest, actor
        if not same:
            row.confirmed_at = None
        session.merge(row)
        session.add(AuditEntry(organisation_id=organisation, actor=actor, action="cau-hinh-ky-tu-xa",
                               target=f"tai-khoan/{user_id}",
                               new_value=json.dumps({"dich_vu": url, "chung_thu": credential, "sha256": digest},
                                                    ensure_ascii=False)))
        mails = [] if same else notify(session, [session.get(User, user_id)],
                                       f"{actor} đặt dịch vụ ký số từ xa {url} (mã chứng thư {credential}) cho tài khoản "
                                       "của bạn. Dịch vụ chỉ được dùng sau khi bạn xác nhận ở trang ký số; nếu bạn không "
                                       "đăng ký dịch vụ này, đừng xác nhận và báo Sở Nội vụ.")
    send_mails(mails)
    return registered.subject


def remote_credential(engine: Engine, user_id: int) -> CscCredential | None:
    """Where the account signs remotely, or None when it does not or has not confirmed the service."""
    with Session(engine) as session:
        row = session.get(RemoteSigningAccount, user_id)
        return CscCredential(row.service_url, row.credential_id, row.access_token) if row and row.confirmed_at else None


def unconfirmed_service(engine: Engine, user_id: int) -> RemoteSigningAccount | None:
    """The remote signing service set for the account and waiting for its owner's confirmation."""
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(RemoteSigningAccount, user_id)
        return row if row is not None and row.confirmed_at is None else None


def confirm_service(engine: Engine, user_id: int, service_url: str, credential_id: str, actor: str) -> None:
    """The account's owner confirms the service shown to them (``service_url`` and ``credential_id``
    as the page showed them: a change made meanwhile is not confirmed blindly). LookupError when
    nothing of that address waits for confirmation."""
    with Session(engine) as session, session.begin():
        row = session.get(RemoteSigningAccount, user_id, with_for_update=True)
        if row is None or row.confirmed_at is not None or (row.service_url, row.credential_id) != (service_url, credential_id):
            raise LookupError(user_id)
        row.confirmed_at = dt.datetime.now(dt.timezone.utc)
        session.add(AuditEntry(organisation_id=row.organisation_id, actor=actor, action="xac-nhan-ky-tu-xa",
                               target=f"tai-khoan/{user_id}",
                               new_value=json.dumps({"dich_vu": row.service_url, "chung_thu": row.credential_id},
                                                    ensure_ascii=False)))


def remote_accounts(engine: Engine, organisation: str) -> dict[int, RemoteSigningAccount]:
    with Session(engine, expire_on_commit=False) as session:
        return {row.user_id: row for row in session.scalars(
            select(RemoteSigningAccount).where(RemoteSigningAccount.organisation_id == organisation))}
