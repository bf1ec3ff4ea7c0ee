"""The sociological survey collected in the workspace (issue 26): rounds, quotas with their public
links, one-time codes (digests only), answers unlinked from codes, addresses and times, spent form
tokens, and the separate list of people paid per form.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.String(64), nullable=False, index=True),
        sa.Column("campaign_id", sa.String(64), nullable=False, unique=True),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("pays_per_form", sa.Boolean, nullable=False),
        sa.Column("opened_by", sa.String(128), nullable=False),
        sa.Column("paper_checked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("paper_mismatched", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "survey_quotas",
        sa.Column("survey_id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.String(64), primary_key=True),
        sa.Column("group_id", sa.String(64), primary_key=True),
        sa.Column("quota", sa.Integer, nullable=False),
        sa.Column("link", sa.String(64), nullable=False, unique=True),
        sa.Column("received", sa.Integer, nullable=False),
    )
    op.create_table(
        "survey_codes",
        sa.Column("code_sha256", sa.String(64), primary_key=True),
        sa.Column("survey_id", sa.Integer, nullable=False, index=True),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("used", sa.Boolean, nullable=False),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("survey_id", sa.Integer, nullable=False, index=True),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
    )
    op.create_table(
        "survey_form_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("survey_id", sa.Integer, nullable=False, index=True),
    )
    op.create_table(
        "survey_payees",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("survey_id", sa.Integer, nullable=False, index=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("survey_payees", "survey_form_tokens", "survey_responses", "survey_codes", "survey_quotas",
                  "survey_rounds"):
        op.drop_table(table)
