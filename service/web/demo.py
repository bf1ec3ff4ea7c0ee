"""The demo workspace: every fixture campaign in its own province, and logins to try it, created once
(idempotent). The six Ninh Bình logins play every role; each other fixture province has its own
Sở Nội vụ login; ``quantri`` is the system administrator (provinces and their first accounts). Their
published password is kept (they exist to be tried); a production start never seeds them."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fixtures import campaign_dirs
from service.store.campaigns import ensure_organisation, list_campaigns, save_campaign
from service.store.models import User
from service.store.users import create_user, username_key
from service.vietnamese import ascii_slug

DEMO_PASSWORD = "cchc-demo-2026"
#: The province of the six role logins.
DEMO_PROVINCE = "ninh-binh"
#: (log-in, name, role, its unit (unit) or agency (appraiser: the agency that appraises; leader: the
#: agency it leads, whose acts it approves)).
DEMO_USERS = [
    ("admin", "Chuyên viên Sở Nội vụ", "admin", None),
    ("lanhdao", "Đinh Thị Thu Hà, Giám đốc Sở Nội vụ", "leader", "snv"),
    ("vanthu", "Văn thư Sở Nội vụ", "vanthu", None),
    ("soxaydung", "Văn phòng Sở Xây dựng", "unit", "sxd"),
    ("thamdinh", "Phòng Quản lý công nghệ, Sở Khoa học và Công nghệ", "appraiser", "skhcn"),
    ("thuky", "Hoàng Minh Tuấn, Thư ký Hội đồng thẩm định", "secretariat", None),
    ("lanhdao-ubnd", "Phạm Quang Ngọc, Chủ tịch UBND tỉnh", "leader", "ubnd-tinh"),
    ("pct-ubnd", "Trần Quang Minh, Phó Chủ tịch UBND tỉnh", "leader", "ubnd-tinh"),
    ("pgd-snv", "Lê Văn Hùng, Phó Giám đốc Sở Nội vụ", "leader", "snv"),
]
#: Who each demo account signs as (the names the Ninh Bình documents' signature blocks print).
DEMO_SIGNERS = {"lanhdao": "Đinh Thị Thu Hà", "lanhdao-ubnd": "Phạm Quang Ngọc", "pct-ubnd": "Trần Quang Minh",
                "pgd-snv": "Lê Văn Hùng", "thuky": "Hoàng Minh Tuấn"}


def province_of(data: dict) -> tuple[str, str]:
    """(organisation id, name) of a campaign.json's province: 'Ninh Bình' → ('ninh-binh', 'tỉnh Ninh Bình')."""
    return ascii_slug(data["province"]), f"tỉnh {data['province']}"


def _exists(engine: Engine, username: str) -> bool:
    with Session(engine) as session:
        return session.scalar(select(User.id).where(User.username_key == username_key(username))) is not None


def seed_demo(engine: Engine) -> list[tuple[str, str, str]]:
    """Store the fixture campaigns that are not there yet (each in its province) and create the
    demo logins; returns (username, password, what it is) of the demo logins."""
    stored = {cid for cid, _, _ in list_campaigns(engine)}
    provinces: dict[str, tuple[str, str]] = {}
    for folder in campaign_dirs():
        data = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
        org, name = province_of(data)
        provinces.setdefault(org, (name, data["id"]))
        ensure_organisation(engine, org, name)
        if data["id"] not in stored:
            save_campaign(engine, data, "demo", org)
    accounts = [(username, full_name, role, DEMO_PROVINCE, unit) for username, full_name, role, unit in DEMO_USERS]
    accounts += [(f"admin-{org}", f"Chuyên viên Sở Nội vụ {name}", "admin", org, None)
                 for org, (name, _) in sorted(provinces.items()) if org != DEMO_PROVINCE]
    accounts.append(("quantri", "Quản trị hệ thống", "system", None, None))
    logins = []
    for username, full_name, role, org, unit in accounts:
        if not _exists(engine, username):
            campaign_id = provinces.get(org, ("", None))[1] if org else None
            create_user(engine, username, DEMO_PASSWORD, full_name, role, organisation_id=org, campaign_id=campaign_id,
                        unit_id=unit if role == "unit" else None,
                        agency_id=unit if role in ("appraiser", "leader") else None, actor="demo")
        where = provinces.get(org, ("toàn hệ thống",))[0] if org else "toàn hệ thống"
        logins.append((username, DEMO_PASSWORD, f"{role}, {where}"))
    link_demo_people(engine)
    return logins


@functools.cache
def _fixture_campaign(folder: str):
    """A demo campaign as its fixture folder holds it (read-only package data: read once a process)."""
    from data_models import load_campaign
    return load_campaign(Path(folder))


def link_demo_people(engine: Engine) -> None:
    """Every person and agency of every demo campaign as a signer (no certificate yet), and the demo
    leaders and secretary linked to the people they are: a document is routed to the leader its
    signature block names."""
    from service.store.models import SigningIdentity
    from service.store.signers import ensure_identities
    for campaign_folder in campaign_dirs():
        campaign = _fixture_campaign(str(campaign_folder))
        ensure_identities(engine, province_of({"province": campaign.province})[0], campaign)
    with Session(engine) as session, session.begin():
        accounts = {u.username_key: u.id for u in session.scalars(select(User))}
        for identity in session.scalars(select(SigningIdentity).where(SigningIdentity.organisation_id == DEMO_PROVINCE)):
            for username, name in DEMO_SIGNERS.items():
                if identity.kind == "nguoi-ky" and identity.key == name and username in accounts \
                        and identity.user_id is None:
                    identity.user_id = accounts[username]


def seed_demo_signers(engine: Engine, folder) -> tuple[str, dict[str, str]]:
    """The demo's digital signatures: one demo CA for the instance; for every person and agency of
    every demo campaign a certificate from it, registered, its .p12 written under
    ``folder/<province>/`` (password DEMO_PASSWORD of demo_pki; kept and reused across starts); the
    demo leaders and secretary linked to the people they are. Returns (the CA's PEM path,
    {account or 'co-quan:<id>': its .p12 path})."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    from service.signing.demo_pki import DEMO_PASSWORD as P12_PASSWORD, issue, load_or_make_ca
    from service.store.models import SignerCertificate, SigningIdentity
    from service.store.signers import fingerprint
    folder = Path(folder)
    ca, ca_path = load_or_make_ca(folder)
    link_demo_people(engine)
    paths: dict[str, str] = {}
    with Session(engine) as session, session.begin():
        registered = set(session.scalars(select(SignerCertificate.identity_id)))
        accounts = {u.username_key: u.id for u in session.scalars(select(User))}
        for identity in session.scalars(select(SigningIdentity)):
            path = folder / identity.organisation_id / f"{ascii_slug(identity.name)[:80]}.p12"
            public = path.with_suffix(".pem")            # the certificate alone: read without the password
            if not path.exists():
                party = issue(ca, identity.name, identity.name if identity.kind == "co-quan" else
                              f"tỉnh {identity.organisation_id}")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(party.p12(P12_PASSWORD))
                public.write_bytes(party.pem)
            if identity.id not in registered:
                if public.exists():
                    cert = x509.load_pem_x509_certificate(public.read_bytes())
                else:                                    # a folder kept from before the .pem was written
                    cert = pkcs12.load_key_and_certificates(path.read_bytes(), P12_PASSWORD.encode())[1]
                    public.write_bytes(cert.public_bytes(Encoding.PEM))
                der = cert.public_bytes(Encoding.DER)
                session.add(SignerCertificate(identity_id=identity.id, fingerprint=fingerprint(der),
                                              subject=cert.subject.rfc4514_string()[:500], serial=format(cert.serial_number, "x"),
                                              not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
                                              der=der, registered_by="demo"))
            if identity.organisation_id != DEMO_PROVINCE:
                continue
            for username, name in DEMO_SIGNERS.items():
                if identity.kind == "nguoi-ky" and identity.key == name and username in accounts:
                    identity.user_id = accounts[username]
                    paths[username] = str(path)
            if identity.kind == "co-quan" and identity.key in ("snv", "ubnd-tinh"):
                paths[f"co-quan:{identity.key}"] = str(path)
    return ca_path, paths
