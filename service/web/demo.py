"""The demo workspace: every fixture campaign and a few logins, created once (idempotent)."""
from __future__ import annotations

import json

from sqlalchemy import Engine

from fixtures import campaign_dirs
from service.store.campaigns import list_campaigns, save_campaign
from service.store.users import authenticate, create_user

DEMO_PASSWORD = "cchc-demo-2026"
DEMO_USERS = [
    ("admin", "Chuyên viên Sở Nội vụ", "admin", None),
    ("lanhdao", "Lãnh đạo Sở Nội vụ", "leader", None),
    ("vanthu", "Văn thư Sở Nội vụ", "vanthu", None),
    ("soxaydung", "Văn phòng Sở Xây dựng", "unit", "sxd"),
    ("thamdinh", "Phòng Quản lý công nghệ, Sở Khoa học và Công nghệ", "appraiser", "skhcn"),
    ("thuky", "Tổ Thư ký Hội đồng thẩm định", "secretariat", None),
]


def seed_demo(engine: Engine) -> list[tuple[str, str, str]]:
    """Store the fixture campaigns that are not there yet and create the demo users; returns
    (username, password, role) of the demo logins."""
    stored = {cid for cid, _, _ in list_campaigns(engine)}
    for folder in campaign_dirs():
        data = json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
        if data["id"] not in stored:
            save_campaign(engine, data, "demo")
    logins = []
    for username, full_name, role, unit in DEMO_USERS:
        if authenticate(engine, username, DEMO_PASSWORD) is None:
            try:
                create_user(engine, username, DEMO_PASSWORD, full_name, role, campaign_id="ninh-binh-2026",
                            unit_id=unit if role == "unit" else None, agency_id=unit if role == "appraiser" else None)
            except ValueError:
                continue   # the name exists with another password: leave it
        logins.append((username, DEMO_PASSWORD, role))
    return logins
