"""Provinces (organisations) own campaigns and accounts; server-side sessions; log-in throttling;
register sequences per province.

Existing campaigns join the province named in their campaign.json; accounts join the province of the
campaign they were made for; counters are rebuilt per province from the numbers already issued.

Revision ID: 0006
Revises: 0005
"""
import json
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn").lower()
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in plain).split())


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(64), nullable=False, server_default=""))
        batch.create_index("ix_campaigns_organisation_id", ["organisation_id"])
    provinces: dict[str, str] = {}
    campaign_org: dict[str, str] = {}
    for cid, data in bind.execute(sa.text("SELECT id, data FROM campaigns")).all():
        province = json.loads(data).get("province") or cid
        org = _slug(province)[:64] or "tinh"
        provinces.setdefault(org, province)
        campaign_org[cid] = org
        bind.execute(sa.text("UPDATE campaigns SET organisation_id = :o WHERE id = :c"), {"o": org, "c": cid})
    for org, name in provinces.items():
        bind.execute(sa.text("INSERT INTO organisations (id, name) VALUES (:i, :n)"), {"i": org, "n": f"tỉnh {name}"})

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("username_key", sa.String(64), nullable=True))
        batch.add_column(sa.Column("organisation_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=True))
    only_org = next(iter(provinces)) if len(provinces) == 1 else None
    seen: set[str] = set()
    for uid, username, campaign in bind.execute(sa.text("SELECT id, username, campaign_id FROM users ORDER BY id")).all():
        key = username.lower()
        if key in seen:
            key = f"{key}#{uid}"[:64]
        seen.add(key)
        bind.execute(sa.text("UPDATE users SET username_key = :k, organisation_id = :o WHERE id = :i"),
                     {"k": key, "o": campaign_org.get(campaign or "", only_org), "i": uid})
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_users_username_key", ["username_key"])

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )

    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(64), nullable=True))
        batch.create_index("ix_audit_entries_organisation_id", ["organisation_id"])
    for cid, org in campaign_org.items():
        for pattern in (f"campaign/{cid}%", f"{cid}/%"):
            bind.execute(sa.text("UPDATE audit_entries SET organisation_id = :o WHERE target LIKE :p"),
                         {"o": org, "p": pattern})

    with op.batch_alter_table("register_entries") as batch:
        batch.add_column(sa.Column("organisation_id", sa.String(64), nullable=False, server_default=""))
        batch.drop_constraint("uq_register_number", type_="unique")
        batch.create_unique_constraint("uq_register_number", ["organisation_id", "agency", "register", "year", "number"])
    for cid, org in campaign_org.items():
        bind.execute(sa.text("UPDATE register_entries SET organisation_id = :o WHERE campaign_id = :c"), {"o": org, "c": cid})
    op.drop_table("register_counters")
    counters = op.create_table(
        "register_counters",
        sa.Column("organisation_id", sa.String(64), primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("register", sa.String(32), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    rows = bind.execute(sa.text("SELECT organisation_id, agency, register, year, MAX(number) FROM register_entries "
                                "GROUP BY organisation_id, agency, register, year")).all()
    if rows:
        op.bulk_insert(counters, [{"organisation_id": o, "agency": a, "register": r, "year": y, "last_number": n}
                                  for o, a, r, y, n in rows])


def downgrade() -> None:
    op.drop_table("register_counters")
    op.create_table(
        "register_counters",
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("register", sa.String(32), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("register_entries") as batch:
        batch.drop_constraint("uq_register_number", type_="unique")
        batch.create_unique_constraint("uq_register_number", ["agency", "register", "year", "number"])
        batch.drop_column("organisation_id")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_index("ix_audit_entries_organisation_id")
        batch.drop_column("organisation_id")
    op.drop_table("login_throttle")
    op.drop_table("user_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_username_key", type_="unique")
        for column in ("created_at", "active", "must_change_password", "organisation_id", "username_key"):
            batch.drop_column(column)
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_index("ix_campaigns_organisation_id")
        batch.drop_column("organisation_id")
    op.drop_table("organisations")
