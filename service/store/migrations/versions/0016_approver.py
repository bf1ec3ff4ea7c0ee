"""A submitted document waits for one leader: the one its drafter submitted it to (the person its
signature block names, or another leader of the issuing agency), who alone approves or returns it.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("approver_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("approver_id")
