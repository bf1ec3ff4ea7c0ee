"""Uploaded evidence files (content-addressed) and the signed PDF of an issued document.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.String(128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("campaign_id", "unit_id", "sha256", name="uq_evidence_file"),
    )
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("signed_pdf", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("signed_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("signed_by", sa.String(128), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        for column in ("signed_at", "signed_by", "signed_sha256", "signed_pdf"):
            batch.drop_column(column)
    op.drop_table("evidence_files")
