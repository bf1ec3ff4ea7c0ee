"""The demo workspace: every fixture campaign in its own province, and logins to try it, created once
(idempotent). The six Ninh Bình logins play every role; each other fixture province has its own
Sở Nội vụ login; ``quantri`` is the system administrator (provinces and their first accounts). Their
published password is kept (they exist to be tried); a production start never seeds them."""
from __future__ import annotations

import json

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
DEMO_USERS = [
    ("admin", "Chuyên viên Sở Nội vụ", "admin", None),
    ("lanhdao", "Lãnh đạo Sở Nội vụ", "leader", None),
    ("vanthu", "Văn thư Sở Nội vụ", "vanthu", None),
    ("soxaydung", "Văn phòng Sở Xây dựng", "unit", "sxd"),
    ("thamdinh", "Phòng Quản lý công nghệ, Sở Khoa học và Công nghệ", "appraiser", "skhcn"),
    ("thuky", "Tổ Thư ký Hội đồng thẩm định", "secretariat", None),
]


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
                        unit_id=unit if role == "unit" else None, agency_id=unit if role == "appraiser" else None,
                        actor="demo")
        where = provinces.get(org, ("toàn hệ thống",))[0] if org else "toàn hệ thống"
        logins.append((username, DEMO_PASSWORD, f"{role}, {where}"))
    return logins
