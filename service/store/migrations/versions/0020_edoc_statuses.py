"""Statuses the e-offices send back about the documents we issued (edXML, issue 27).

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edoc_statuses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.String(64), nullable=False, index=True),
        sa.Column("version_id", sa.Integer, nullable=False, index=True),
        sa.Column("from_code", sa.String(32), nullable=False),
        sa.Column("from_name", sa.String(300), nullable=False),
        sa.Column("status_code", sa.String(2), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("staff", sa.String(200), nullable=False),
        sa.Column("said_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.UniqueConstraint("version_id", "from_code", "status_code", "said_at", name="uq_edoc_status"),
    )


def downgrade() -> None:
    op.drop_table("edoc_statuses")
