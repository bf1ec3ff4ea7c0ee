"""The campaign's content hash beside it, so readers can key caches without loading the data.

Revision ID: 0004
Revises: 0003
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("sha256", sa.String(64), nullable=False, server_default=""))
    connection = op.get_bind()
    for campaign_id, data in connection.execute(sa.text("SELECT id, data FROM campaigns")).all():
        connection.execute(sa.text("UPDATE campaigns SET sha256 = :h WHERE id = :i"),
                           {"h": hashlib.sha256(data.encode("utf-8")).hexdigest(), "i": campaign_id})


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("sha256")
