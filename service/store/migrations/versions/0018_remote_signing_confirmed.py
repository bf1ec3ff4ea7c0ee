"""A remote signing service set by the Sở Nội vụ is used only once its signer has confirmed it: the
PIN never goes to an address the signer has not seen (security review S3).

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("remote_signing_accounts") as batch:
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("remote_signing_accounts") as batch:
        batch.drop_column("confirmed_at")
