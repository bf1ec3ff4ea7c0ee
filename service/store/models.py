"""Tables: provinces (organisations) and their campaigns (campaign.json), accounts and their sessions,
the register of outgoing documents and its counters, documents and their issued versions, signers,
the kinds' templates of a province or a campaign, the audit trail."""
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
    data: Mapped[str] = mapped_column(Text, doc="campaign.json without the units' parts (``unit_parts``), validated")
    sha256: Mapped[str] = mapped_column(String(64), default="", doc="SHA-256 of ``data`` (with the parts' hashes: the cache key)")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UnitPart(Base):
    """One unit's part of a campaign: its assessment (self scores, evidence, rounds, explanation,
    adjustments) and its survey answers, with their places in campaign.json. It is locked, validated
    and saved on its own, so units saving at the same time do not wait for each other; the campaign's
    core (``campaigns.data``) holds everything else."""
    __tablename__ = "unit_parts"
    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text, doc="{'assessment': …, 'assessment_at': n, 'survey': [[n, …], …]}")
    sha256: Mapped[str] = mapped_column(String(64))


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


class HeldUpload(Base):
    """A file a form accepted while the rest of the form was refused: held for its uploader's retry
    (so a correction does not mean choosing 38 files again), then stored with the edit that cites it
    or dropped after a day. Not part of the unit's store until then: nobody else sees it."""
    __tablename__ = "held_uploads"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", "held_by", "sha256", name="uq_held_upload"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    held_by: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    held_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who changed what, when: old and new value (JSON text)."""
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                         default=lambda: dt.datetime.now(dt.timezone.utc))  # to the microsecond: 'since the form opened'
    organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)


class Notification(Base):
    """Something a person should know or do, shown in the workspace until read (and e-mailed when the
    province configures SMTP): a document issued to them or awaiting their signature, a report returned."""
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(400), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


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
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, doc="for notifications by e-mail")
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


class ApiToken(Base):
    """A machine client's token (the provincial e-office, a reporting system, a script): it acts as
    its account through ``Authorization: Bearer``, only on the API. The token is shown once; only its
    SHA-256 is kept. ``scope`` 'read' allows GET only; 'write' every method."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), doc="the token's first characters, to tell tokens apart")
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(String(16), default="read")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginThrottle(Base):
    """Failed log-ins per user name (existing or not, so a refusal tells nothing about the name):
    after a few failures each new attempt waits, longer each time."""
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DocumentRecord(Base):
    """One document of a campaign (a kind, for a unit or for the campaign) and where it stands in its
    lifecycle (``service.domain.lifecycle``); ``revision`` grows with every step (a stale form's step
    is refused)."""
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "unit_key", name="uq_document"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64), default="")
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(24), default="du-thao")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    current_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    relation: Mapped[str | None] = mapped_column(String(16), nullable=True, doc="thay-the | dinh-chinh")
    relates_to_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    relation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    approver_id: Mapped[int | None] = mapped_column(Integer, nullable=True,
                                                    doc="the leader it was submitted to (who alone approves it)")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DocumentEvent(Base):
    """A step of a document's lifecycle: who, when, from which state to which, and why."""
    __tablename__ = "document_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SigningIdentity(Base):
    """Who may sign, as data: a person named in signature blocks (name, title, agency), or an agency
    whose digital signature is its seal. Accounts and certificates link to it."""
    __tablename__ = "signing_identities"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "key", name="uq_signing_identity"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), doc="nguoi-ky | co-quan")
    key: Mapped[str] = mapped_column(String(200), doc="the person's name, or the agency's id")
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, doc="the account that signs as this person")


class SignerCertificate(Base):
    """A certificate registered for a signing identity: only these sign its documents."""
    __tablename__ = "signer_certificates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity_id: Mapped[int] = mapped_column(Integer, index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, doc="SHA-256 of the DER certificate")
    subject: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(80))
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    registered_by: Mapped[str] = mapped_column(String(128))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DocumentVersion(Base):
    """An issued version of a document, frozen: its DOCX, PDF and HTML as issued with their SHA-256
    (the PDF typeset by the job queue from the print HTML frozen with it), the text lines it said (to list what a later edit would change) and the signers its signature
    block names. A voided or withdrawn version stays, with its status."""
    __tablename__ = "document_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="hieu-luc", doc="hieu-luc | da-huy | thu-hoi | bi-thay-the")
    html: Mapped[str | None] = mapped_column(Text, nullable=True)
    text_lines: Mapped[str | None] = mapped_column(Text, nullable=True, doc="the document's text, one line per paragraph")
    text_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signers: Mapped[str | None] = mapped_column(Text, nullable=True, doc="JSON: field → who must sign it")
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(64), default="", doc="unit id, '' for campaign-level documents")
    number_line: Mapped[str] = mapped_column(String(128))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    register_entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, doc="None until the job queue typesets it")
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pdf_source: Mapped[str | None] = mapped_column(Text, nullable=True,
                                                   doc="JSON {html, seal_place}: what the PDF is typeset from, until it is")
    issued_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    register_fields: Mapped[str | None] = mapped_column(
        Text, nullable=True, doc="JSON: what the register of outgoing documents records of it (ND30 Phụ lục VI): type "
                                 "and subject, signer, Nơi nhận, drafting unit, copies; frozen at issue")
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, doc="the signed PDF: the final version")
    signed_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    template_ref: Mapped[str | None] = mapped_column(String(64), nullable=True,
                                                     doc="the template version it was worded by: 'chien-dich:12', 'tinh:7', 'mac-dinh:<sha>'")


class TemplateVersion(Base):
    """One saved version of a kind's template, for a province (``campaign_id`` None) or one campaign.
    Every save is a new row; ``text`` None means 'no template of this layer' (back to the layer below,
    as far as the default in doc_templates/kinds/)."""
    __tablename__ = "template_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RenderedFile(Base):
    """A rendered DOCX or PDF kept by the SHA-256 of what it renders (the composed document, the
    writers and their templates, the format and the mark): an unchanged document is never rendered
    twice, by any process or machine (the job queue renders them in the background after edits)."""
    __tablename__ = "rendered_files"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    fmt: Mapped[str] = mapped_column(String(8))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class JobRecord(Base):
    """A job of the queue that someone waits for (the whole dossier): its state, its progress, its
    result or its error; ``heartbeat_at`` shows a worker is still on it."""
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str] = mapped_column(String(64), index=True)
    requested_by: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default="cho", doc="cho | dang-chay | xong | loi")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    result_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RemoteSigningAccount(Base):
    """How an account signs remotely (a CSC service: VNPT SmartCA, Viettel MySign …): the service's
    address, the credential there and, if the service needs one, the access token it issued; the
    certificate fetched from the service when this was configured is registered for its signer, who
    confirms the service before it is used."""
    __tablename__ = "remote_signing_accounts"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    service_url: Mapped[str] = mapped_column(String(500))
    credential_id: Mapped[str] = mapped_column(String(200))
    access_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    configured_by: Mapped[str] = mapped_column(String(128))
    configured_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    #: When the signer confirmed this service (None: set by the Sở Nội vụ, not yet confirmed: unused).
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SurveyRound(Base):
    """A sociological survey collected in the workspace (issue 26): the campaign it feeds, the days it is
    open, and whether the province pays per form (then a separate, unlinked list of who was paid)."""
    __tablename__ = "survey_rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str] = mapped_column(String(64), unique=True)
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False, doc="closed early by the Sở Nội vụ")
    pays_per_form: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_by: Mapped[str] = mapped_column(String(128))
    #: Paper forms entered twice as a sample, and how many of those two entries differed (the entry's
    #: error rate, shown to the Sở Nội vụ).
    paper_checked: Mapped[int] = mapped_column(Integer, default=0)
    paper_mismatched: Mapped[int] = mapped_column(Integer, default=0)


class SurveyQuota(Base):
    """How many forms one respondent group answers about one unit, and the secret of its public link."""
    __tablename__ = "survey_quotas"
    survey_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    quota: Mapped[int] = mapped_column(Integer)
    link: Mapped[str] = mapped_column(String(64), unique=True, doc="the path part of the group's public link")
    received: Mapped[int] = mapped_column(Integer, default=0, doc="forms counted so far (kept under the row's lock)")


class SurveyCode(Base):
    """A one-time code printed on a paper form (QR) or sent by Zalo/e-mail: only its SHA-256 and whether
    it was used are kept — never when, never by which answer."""
    __tablename__ = "survey_codes"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[str] = mapped_column(String(64))
    group_id: Mapped[str] = mapped_column(String(64))
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One answered form: for which unit and group, by which channel, the answers — and nothing that
    joins it to a code, an address, a browser or a time (its id is random, not a sequence)."""
    __tablename__ = "survey_responses"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[str] = mapped_column(String(64))
    group_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), doc="truc-tuyen | giay")
    answers: Mapped[str] = mapped_column(Text, doc="JSON: criterion code → answer value")


class SurveyFormToken(Base):
    """A form shown to a respondent, spent when it is sent: a second sending of the same page (a replay,
    a double click) counts once. Only a digest of the token is kept, with no time."""
    __tablename__ = "survey_form_tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, index=True)


class SurveyPayee(Base):
    """Someone to be paid for a form (when the province pays per form): a list kept apart from the
    answers, with no unit, group, code or time — it cannot be joined to what they answered."""
    __tablename__ = "survey_payees"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(Integer, index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200), doc="phone or bank account, as the person wrote it")


class EdocStatus(Base):
    """A status an e-office sent back about a document we issued (edXML 01–06, 13, 15, 16): which
    version, from whom, what and when they said it."""
    __tablename__ = "edoc_statuses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(64), index=True)
    version_id: Mapped[int] = mapped_column(Integer, index=True)
    from_code: Mapped[str] = mapped_column(String(32))
    from_name: Mapped[str] = mapped_column(String(300))
    status_code: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text, default="")
    staff: Mapped[str] = mapped_column(String(200), default="")
    said_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(128))
    __table_args__ = (UniqueConstraint("version_id", "from_code", "status_code", "said_at", name="uq_edoc_status"),)
