"""What the register of outgoing documents records of an issued version (ND30 Phụ lục VI fields:
type and subject, signer, Nơi nhận, drafting unit, copies), frozen at issue (issue 27).

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("register_fields", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("register_fields")
