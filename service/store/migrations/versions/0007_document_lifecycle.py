"""The document lifecycle (documents and their events), several issued versions per document (a voided
or replaced one stays), frozen HTML and text of a version, the signers its block names; signing
identities and their registered certificates.

Existing issued versions become the current version of a document in state 'đã ban hành' (or 'đã
ký' when a signed PDF was stored).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("campaign_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("unit_key", sa.String(64), nullable=False, server_default=""),
        sa.Column("state", sa.String(24), nullable=False, server_default="du-thao"),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("current_version_id", sa.Integer, nullable=True),
        sa.Column("relation", sa.String(16), nullable=True),
        sa.Column("relates_to_version_id", sa.Integer, nullable=True),
        sa.Column("relation_reason", sa.Text, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("campaign_id", "kind", "unit_key", name="uq_document"),
    )
    op.create_table(
        "document_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(24), nullable=False),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("version_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "signing_identities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False, server_default=""),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.UniqueConstraint("organisation_id", "kind", "key", name="uq_signing_identity"),
    )
    op.create_table(
        "signer_certificates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identity_id", sa.Integer, nullable=False, index=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("serial", sa.String(80), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("der", sa.LargeBinary, nullable=False),
        sa.Column("registered_by", sa.String(128), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_constraint("uq_issued_document", type_="unique")
        batch.add_column(sa.Column("document_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="hieu-luc"))
        batch.add_column(sa.Column("html", sa.Text, nullable=True))
        batch.add_column(sa.Column("text_lines", sa.Text, nullable=True))
        batch.add_column(sa.Column("text_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("signers", sa.Text, nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_document_versions_document_id", ["document_id"])
    organisations = dict(bind.execute(sa.text("SELECT id, organisation_id FROM campaigns")).all())
    versions = bind.execute(sa.text("SELECT id, campaign_id, kind, unit_key, signed_pdf IS NOT NULL FROM document_versions "
                                    "ORDER BY id")).all()
    for version_id, campaign_id, kind, unit_key, signed in versions:
        state = "da-ky" if signed else "da-ban-hanh"
        document_id = bind.execute(sa.text(
            "INSERT INTO documents (organisation_id, campaign_id, kind, unit_key, state, revision, current_version_id) "
            "VALUES (:o, :c, :k, :u, :s, 1, :v) RETURNING id"),
            {"o": organisations.get(campaign_id, ""), "c": campaign_id, "k": kind, "u": unit_key or "", "s": state,
             "v": version_id}).scalar_one()
        bind.execute(sa.text("UPDATE document_versions SET document_id = :d WHERE id = :v"), {"d": document_id, "v": version_id})


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_index("ix_document_versions_document_id")
        for column in ("published_at", "signers", "text_sha256", "text_lines", "html", "status", "document_id"):
            batch.drop_column(column)
        batch.create_unique_constraint("uq_issued_document", ["campaign_id", "kind", "unit_key"])
    for table in ("signer_certificates", "signing_identities", "document_events", "documents"):
        op.drop_table(table)
