"""An issued version's PDF is typeset by the job queue after the issue commits: until then the version
keeps the print HTML it was frozen with (``pdf_source``) and has no PDF yet.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("pdf_source", sa.Text, nullable=True))
        batch.alter_column("pdf", existing_type=sa.LargeBinary, nullable=True)
        batch.alter_column("pdf_sha256", existing_type=sa.String(64), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("pdf_source")
        batch.alter_column("pdf_sha256", existing_type=sa.String(64), nullable=False)
        batch.alter_column("pdf", existing_type=sa.LargeBinary, nullable=False)
