"""Notifications in the workspace (and by e-mail when the province configures SMTP): a document issued
to someone, a report returned. Accounts may carry an e-mail address.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.String(64), nullable=True, index=True),
        sa.Column("username", sa.String(64), nullable=False, index=True),
        sa.Column("campaign_id", sa.String(64), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("link", sa.String(400), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("notifications")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
