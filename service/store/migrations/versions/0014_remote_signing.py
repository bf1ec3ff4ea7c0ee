"""Accounts that sign through a remote signing service (Cloud Signature Consortium API).

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remote_signing_accounts",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.String(64), nullable=False, index=True),
        sa.Column("service_url", sa.String(500), nullable=False),
        sa.Column("credential_id", sa.String(200), nullable=False),
        sa.Column("access_token", sa.Text, nullable=True),
        sa.Column("certificate_sha256", sa.String(64), nullable=False),
        sa.Column("configured_by", sa.String(128), nullable=False),
        sa.Column("configured_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("remote_signing_accounts")
