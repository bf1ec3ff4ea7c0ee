"""Signers as data: the people named in a province's signature blocks and its agencies (whose digital
signature is their seal), the accounts that sign as those people, and the certificates registered for
each. A signature is accepted only from a registered certificate of the identity the document names."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import Campaign

from .models import AuditEntry, SignerCertificate, SigningIdentity

PERSON, AGENCY = "nguoi-ky", "co-quan"


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def load_certificate(data: bytes) -> asn1_x509.Certificate:
    """One X.509 certificate from PEM or DER bytes; ValueError in Vietnamese otherwise."""
    try:
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        return asn1_x509.Certificate.load(data)
    except Exception:
        raise ValueError("tệp không phải chứng thư số X.509 (.cer, .crt, .pem, .der)") from None


def named_people(campaign: Campaign) -> dict[str, str]:
    """Name → title of everyone a signature block of the campaign names (its documents, units, the
    council meeting's chair and secretary)."""
    people: dict[str, str] = {campaign.plan.signature.name: campaign.plan.signature.title}
    for document in campaign.documents.values():
        people.setdefault(document.signature.name, document.signature.title)
    for unit in campaign.units():
        if unit.signature:
            people.setdefault(unit.signature.name, unit.signature.title)
    members = {m.id: m for m in campaign.council}
    if campaign.meeting is not None:
        for member_id in (campaign.meeting.chair, campaign.meeting.secretary):
            if member_id in members:
                people.setdefault(members[member_id].name, members[member_id].title)
    return people


def ensure_identities(engine: Engine, organisation: str, campaign: Campaign) -> None:
    """Create (once) an identity for every person and every agency of the campaign."""
    with Session(engine) as session, session.begin():
        existing = {(kind, key) for kind, key in session.execute(
            select(SigningIdentity.kind, SigningIdentity.key).where(SigningIdentity.organisation_id == organisation))}
        for name, title in named_people(campaign).items():
            if (PERSON, name) not in existing:
                session.add(SigningIdentity(organisation_id=organisation, kind=PERSON, key=name, name=name, title=title))
                existing.add((PERSON, name))
        for agency in campaign.agencies:
            if (AGENCY, agency.id) not in existing:
                session.add(SigningIdentity(organisation_id=organisation, kind=AGENCY, key=agency.id, name=agency.name))
                existing.add((AGENCY, agency.id))


def identities(engine: Engine, organisation: str) -> list[SigningIdentity]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(SigningIdentity).where(SigningIdentity.organisation_id == organisation)
                                    .order_by(SigningIdentity.kind.desc(), SigningIdentity.name)))


def certificates(engine: Engine, identity_ids: list[int]) -> list[SignerCertificate]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(SignerCertificate).where(SignerCertificate.identity_id.in_(identity_ids))
                                    .order_by(SignerCertificate.registered_at)))


def register_certificate(engine: Engine, organisation: str, identity_id: int, data: bytes, actor: str) -> SignerCertificate:
    """Register a certificate (PEM or DER) for an identity of the province; ValueError (Vietnamese) for a
    file that is not a certificate, an expired one, or one registered already."""
    cert = load_certificate(data)
    der = cert.dump()
    digest = fingerprint(der)
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if not_after < dt.datetime.now(dt.timezone.utc):
        raise ValueError(f"chứng thư số đã hết hạn ngày {not_after:%d/%m/%Y}")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        identity = session.get(SigningIdentity, identity_id)
        if identity is None or identity.organisation_id != organisation:
            raise LookupError(identity_id)
        taken = session.scalar(select(SignerCertificate).where(SignerCertificate.fingerprint == digest))
        if taken is not None:
            raise ValueError("chứng thư số này đã được đăng ký")
        subject = cert.subject.human_friendly[:500]
        row = SignerCertificate(identity_id=identity.id, fingerprint=digest, subject=subject,
                                serial=format(cert.serial_number, "x")[:80], not_before=not_before, not_after=not_after,
                                der=der, registered_by=actor)
        session.add(row)
        session.add(AuditEntry(organisation_id=organisation, actor=actor, action="dang-ky-chung-thu",
                               target=f"ky-so/{identity.kind}/{identity.key}"[:200],
                               new_value=json.dumps({"chu_the": subject, "so_hieu": row.serial, "sha256": digest},
                                                    ensure_ascii=False)))
        return row


def link_account(engine: Engine, organisation: str, identity_id: int, user_id: int | None, actor: str) -> None:
    """The account that signs as this person (one account per person)."""
    with Session(engine) as session, session.begin():
        identity = session.get(SigningIdentity, identity_id)
        if identity is None or identity.organisation_id != organisation or identity.kind != PERSON:
            raise LookupError(identity_id)
        identity.user_id = user_id
        session.add(AuditEntry(organisation_id=organisation, actor=actor, action="gan-tai-khoan-ky",
                               target=f"ky-so/{identity.key}"[:200], new_value=json.dumps({"tai_khoan": user_id})))


@dataclass(frozen=True)
class Holder:
    """Who a registered certificate belongs to."""
    kind: str
    key: str
    name: str
    user_id: int | None


def holders(session: Session, organisation: str) -> dict[str, Holder]:
    """Certificate fingerprint → its holder, for the province (inside the caller's transaction)."""
    rows = session.execute(select(SignerCertificate.fingerprint, SigningIdentity.kind, SigningIdentity.key,
                                  SigningIdentity.name, SigningIdentity.user_id)
                           .join(SigningIdentity, SigningIdentity.id == SignerCertificate.identity_id)
                           .where(SigningIdentity.organisation_id == organisation)).all()
    return {digest: Holder(kind, key, name, user) for digest, kind, key, name, user in rows}
