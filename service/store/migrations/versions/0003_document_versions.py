"""Issued, frozen document versions.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("unit_key", sa.String(64), nullable=False, server_default=""),
        sa.Column("number_line", sa.String(128), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("register_entry_id", sa.Integer),
        sa.Column("docx", sa.LargeBinary, nullable=False),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("docx_sha256", sa.String(64), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("issued_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("campaign_id", "kind", "unit_key", name="uq_issued_document"),
    )


def downgrade() -> None:
    op.drop_table("document_versions")
