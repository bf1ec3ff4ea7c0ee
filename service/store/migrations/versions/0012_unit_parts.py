"""Campaigns kept in parts: each unit's assessment and survey answers in ``unit_parts`` (with their
places in campaign.json), the rest — the core — in ``campaigns.data``. Units' saves lock only their
own part. Self-contained (the split is written here as it was at this revision).

Revision ID: 0012
Revises: 0011
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None
PART_KEYS = ("assessments", "survey_answers")


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.create_table(
        "unit_parts",
        sa.Column("campaign_id", sa.String(64), primary_key=True),
        sa.Column("unit_id", sa.String(64), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    connection = op.get_bind()
    for campaign_id, text in connection.execute(sa.text("SELECT id, data FROM campaigns")).all():
        data = json.loads(text)
        core = {key: ([] if key in PART_KEYS else value) for key, value in data.items()}
        parts: dict = {}
        for place, entry in enumerate(data.get("assessments", [])):
            part = parts.setdefault(entry["unit"], {"assessment": None, "assessment_at": None, "survey": []})
            part["assessment"], part["assessment_at"] = entry, place
        for place, entry in enumerate(data.get("survey_answers", [])):
            parts.setdefault(entry["unit"], {"assessment": None, "assessment_at": None, "survey": []})["survey"].append(
                [place, entry])
        core_text = _text(core)
        connection.execute(sa.text("UPDATE campaigns SET data = :d, sha256 = :h WHERE id = :i"),
                           {"d": core_text, "h": _sha(core_text), "i": campaign_id})
        for unit_id, part in parts.items():
            part_text = _text(part)
            connection.execute(sa.text("INSERT INTO unit_parts (campaign_id, unit_id, data, sha256) VALUES (:c, :u, :d, :h)"),
                               {"c": campaign_id, "u": unit_id, "d": part_text, "h": _sha(part_text)})


def downgrade() -> None:
    connection = op.get_bind()
    for campaign_id, text in connection.execute(sa.text("SELECT id, data FROM campaigns")).all():
        data = json.loads(text)
        parts = [json.loads(t) for (t,) in connection.execute(
            sa.text("SELECT data FROM unit_parts WHERE campaign_id = :c"), {"c": campaign_id}).all()]
        data["assessments"] = [a for _, a in sorted(((p["assessment_at"], p["assessment"]) for p in parts
                                                     if p["assessment"] is not None), key=lambda pair: pair[0])]
        data["survey_answers"] = [e for _, e in sorted(((place, e) for p in parts for place, e in p["survey"]),
                                                       key=lambda pair: pair[0])]
        whole = _text(data)
        connection.execute(sa.text("UPDATE campaigns SET data = :d, sha256 = :h WHERE id = :i"),
                           {"d": whole, "h": _sha(whole), "i": campaign_id})
    op.drop_table("unit_parts")
