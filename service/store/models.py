"""Tables: provinces (organisations) and their campaigns (campaign.json), accounts and their sessions,
the register of outgoing documents and its counters, the audit trail."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    """A province (tỉnh, thành phố) that runs its own campaigns; every account but the system
    administrator belongs to one, and sees nothing of another."""
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CampaignRecord(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    data: Mapped[str] = mapped_column(Text, doc="campaign.json, validated before it is stored")
    sha256: Mapped[str] = mapped_column(String(64), default="", doc="SHA-256 of ``data`` (cache key for readers)")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RegisterCounter(Base):
    """The last number issued in one register (province, agency, sequence, year); it only ever grows."""
    __tablename__ = "register_counters"
    organisation_id: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    register: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    """One number of the sổ đăng ký văn bản đi; voided numbers stay, with their reason. Numbers the
    provincial e-office gave (register ``ngoai-<type>``) are recorded too, so none is used twice."""
    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("organisation_id", "agency", "register", "year", "number",
                                       name="uq_register_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64), default="")
    agency: Mapped[str] = mapped_column(String(64))
    register: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="issued")
    void_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EvidenceFile(Base):
    """A tài liệu kiểm chứng a unit uploaded, stored once per unit by its SHA-256 (which the
    campaign's evidence row cites)."""
    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "sha256", name="uq_evidence_file"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditEntry(Base):
    """Who changed what, when: old and new value (JSON text)."""
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)


class User(Base):
    """A person who logs in; role decides what they may see and change, within their province
    (units: their unit only; appraisers: their agency's criteria)."""
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    username_key: Mapped[str] = mapped_column(String(64), unique=True, doc="lower case: log-in ignores case")
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unit_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    agency_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), server_default=func.now())

    # Flask-Login's user protocol (the session id, not the user id, is what the cookie carries)
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active


class UserSession(Base):
    """A logged-in session, kept on the server: the cookie carries only its random token, whose
    SHA-256 is the id here. Logging out or changing the password ends it on every device."""
    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    address: Mapped[str] = mapped_column(String(64), default="")


class LoginThrottle(Base):
    """Failed log-ins per user name (existing or not, so a refusal tells nothing about the name):
    after a few failures each new attempt waits, longer each time."""
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DocumentVersion(Base):
    """An issued document, frozen: its DOCX and PDF bytes and their SHA-256 as issued."""
    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "unit_key", name="uq_issued_document"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(64), default="", doc="unit id, '' for campaign-level documents")
    number_line: Mapped[str] = mapped_column(String(128))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    register_entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, doc="the signed PDF: the final version")
    signed_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
