"""Stored campaigns written before the decimal-comma rule: '1.5 điểm' in free text becomes '1,5 điểm'
(the text validator now refuses the dot, so such a campaign would no longer load).

Revision ID: 0009
Revises: 0008
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

from data_models.text import DOT_DECIMAL

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _commas(node):
    if isinstance(node, dict):
        return {key: _commas(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_commas(value) for value in node]
    return DOT_DECIMAL.sub(r"\1,\2", node) if isinstance(node, str) else node


def upgrade() -> None:
    connection = op.get_bind()
    for campaign_id, data in connection.execute(sa.text("SELECT id, data FROM campaigns")).all():
        if not DOT_DECIMAL.search(data):
            continue
        fixed = json.dumps(_commas(json.loads(data)), ensure_ascii=False)
        connection.execute(sa.text("UPDATE campaigns SET data = :d, sha256 = :h WHERE id = :i"),
                           {"d": fixed, "h": hashlib.sha256(fixed.encode("utf-8")).hexdigest(), "i": campaign_id})


def downgrade() -> None:
    """Nothing to undo: the comma is the correct form."""
