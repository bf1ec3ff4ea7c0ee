"""Documents in the database: each one's lifecycle record, its steps (with their audit) and its
versions. The rules are ``service.domain.lifecycle``'s; this module keeps them, under the campaign's
row lock where a step changes the campaign's data (a number cleared for a new cycle)."""
from __future__ import annotations

import datetime as dt
import json
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.domain.issuers import UNIT_LETTERS
from service.domain.lifecycle import DRAFT, OFFICIAL, STATES, IllegalTransition, check_transition, steps_of

from .campaign_parts import validated_campaign
from .campaigns import locked_campaign_data, store_campaign
from .db import reader
from .models import AuditEntry, CampaignRecord, DocumentEvent, DocumentRecord, DocumentVersion, RegisterEntry, User
from .notifications import notify, send_mails
from .register import void_entry


def document_link(campaign_id: str, kind: str, unit: str | None) -> str:
    """The workspace path of a document's page (what a notification links to)."""
    return f"/chien-dich/{campaign_id}/van-ban/{kind}" + (f"/{unit}" if unit else "") + ".html"


class StaleRevision(ValueError):
    """The document changed since the page was opened (another person took a step)."""


def document_row(session: Session, campaign_id: str, kind: str, unit: str | None, organisation: str = "",
                 lock: bool = True) -> DocumentRecord:
    """The lifecycle record of a document (created in draft the first time), locked for the step."""
    query = select(DocumentRecord).where(DocumentRecord.campaign_id == campaign_id, DocumentRecord.kind == kind,
                                         DocumentRecord.unit_key == (unit or ""))
    record = session.scalar(query.with_for_update() if lock else query)
    if record is None:
        record = DocumentRecord(organisation_id=organisation, campaign_id=campaign_id, kind=kind, unit_key=unit or "",
                                state=DRAFT, revision=1)
        session.add(record)
        session.flush()
    return record


#: How the current request acts when not in person ('' in person): set by the web layer for an API
#: token, so a step taken through one says so in the document's history (review S2).
acting_through: ContextVar[str] = ContextVar("acting_through", default="")


def record_event(session: Session, record: DocumentRecord, actor: str, action: str, to_state: str,
                 comment: str | None = None, version_id: int | None = None) -> None:
    """Move a document to ``to_state`` with its event and audit entry (one place for every step)."""
    if acting_through.get():
        comment = f"{(comment or '').strip()} [{acting_through.get()}]".strip()
    session.add(DocumentEvent(document_id=record.id, actor=actor, action=action, from_state=record.state,
                              to_state=to_state, comment=(comment or "").strip() or None, version_id=version_id))
    session.add(AuditEntry(organisation_id=record.organisation_id or None, actor=actor, action=f"van-ban:{action}",
                           target=f"campaign/{record.campaign_id}/{record.kind}/{record.unit_key}",
                           old_value=json.dumps({"buoc": STATES.get(record.state, record.state)}, ensure_ascii=False),
                           new_value=json.dumps({"buoc": STATES.get(to_state, to_state), "ghi_chu": comment},
                                                ensure_ascii=False)))
    record.state = to_state
    record.revision += 1
    record.updated_at = dt.datetime.now(dt.timezone.utc)


def _check_revision(record: DocumentRecord, revision: int | None) -> None:
    if revision is not None and revision != record.revision:
        raise StaleRevision(f"văn bản đã được người khác chuyển sang bước «{STATES.get(record.state, record.state)}» "
                            "sau khi bạn mở trang; hãy tải lại trang để xem")


def header_dict(data: dict, kind: str, unit: str | None) -> dict | None:
    """Where a document's number and date live in campaign.json (None: nowhere yet)."""
    if kind == "ke-hoach":
        return data["plan"]["header"]
    if kind == "bien-ban":
        return (data.get("meeting") or {}).get("header")
    assessment = next((a for a in data.get("assessments", []) if a["unit"] == unit), None)
    if kind == "bao-cao-tu-danh-gia":
        return (assessment or {}).get("report")
    if kind == "bao-cao-giai-trinh":
        return (assessment or {}).get("explanation_report")
    if kind == UNIT_LETTERS[0]:
        return (assessment or {}).get("notice")
    if kind in UNIT_LETTERS:
        return ((assessment or {}).get("letters") or {}).get(kind)
    document = data.get("documents", {}).get(kind)
    return document["header"] if document else None


def clear_number(data: dict, kind: str, unit: str | None) -> None:
    """Back to a draft's header: no number, no day (the month and year stay as drafted). A unit's
    notice is removed whole (the campaign's letter settings are its draft)."""
    if kind in UNIT_LETTERS:
        assessment = next(a for a in data["assessments"] if a["unit"] == unit)
        if kind == UNIT_LETTERS[0]:
            assessment.pop("notice", None)
        else:
            (assessment.get("letters") or {}).pop(kind, None)
        return
    header = header_dict(data, kind, unit)
    if header is not None:
        header["number"] = None
        header["date"] = {k: v for k, v in header["date"].items() if k != "day"}


def take_step(engine: Engine, campaign_id: str, kind: str, unit: str | None, action_key: str, actor: str, role: str,
              *, reason: str | None = None, revision: int | None = None, organisation: str | None = None,
              approver: str | None = None) -> DocumentRecord:
    """Submit (to ``approver``, a leader who may approve it: by default the one its signature block
    names), approve or return (only the leader it was submitted to), take back, publish, withdraw, or
    start a replacement/correction. IllegalTransition or StaleRevision (Vietnamese) when the step does
    not apply; nothing changes then."""
    steps = steps_of(kind)
    mails: list[tuple[str, str]] = []
    campaign = None
    if action_key in ("trinh-duyet", "duyet", "tra-lai"):      # read before the write lock (SQLite has one)
        from .campaigns import load_whole_campaign
        try:
            campaign, _ = load_whole_campaign(engine, campaign_id)
        except KeyError:
            raise LookupError(campaign_id) from None
    with Session(engine, expire_on_commit=False) as session, session.begin():
        campaign_row = session.scalar(select(CampaignRecord).where(CampaignRecord.id == campaign_id).with_for_update())
        if campaign_row is None or (organisation is not None and campaign_row.organisation_id != organisation):
            raise LookupError(campaign_id)
        record = document_row(session, campaign_id, kind, unit, campaign_row.organisation_id)
        _check_revision(record, revision)
        target = check_transition(steps, record.state, action_key, role, reason)
        if action_key in ("trinh-duyet", "duyet", "tra-lai"):
            mails = _route(session, campaign, campaign_row.organisation_id, record, action_key, actor, approver, reason)
        if action_key == "rut-lai":
            record.approver_id = None
        version = session.get(DocumentVersion, record.current_version_id) if record.current_version_id else None
        if action_key == "phat-hanh" and version is not None:
            version.published_at = dt.datetime.now(dt.timezone.utc)
        if action_key == "thu-hoi" and version is not None:
            version.status = "thu-hoi"
        if action_key in ("thay-the", "dinh-chinh"):
            record.relation, record.relates_to_version_id, record.relation_reason = action_key, version.id if version else None, reason
            data = locked_campaign_data(session, campaign_row)
            clear_number(data, kind, unit)
            store_campaign(session, validated_campaign(data, f"campaign/{campaign_id}"), actor)
        record_event(session, record, actor, action_key, target, reason, version.id if version else None)
    send_mails(mails)                         # after the commit: a mail server down never undoes the step
    return record


def _route(session: Session, campaign, organisation: str, record: DocumentRecord, action_key: str, actor: str,
           approver: str | None, reason: str | None) -> list[tuple[str, str]]:
    """Submission goes to one leader who may approve the document; only that leader approves or
    returns it. Tells the leader (submitted) or the drafter (returned); the mails to send."""
    from service.documents import KINDS

    from .authority import document_approvers
    unit = record.unit_key or None
    label = KINDS[record.kind].label + (f" gửi {campaign.unit(unit).name}" if unit else "")
    link = document_link(record.campaign_id, record.kind, unit)
    if action_key == "trinh-duyet":
        allowed = document_approvers(session, organisation, campaign, record.kind, unit)
        if not allowed:
            raise IllegalTransition("chưa có tài khoản lãnh đạo nào duyệt được văn bản này (lãnh đạo của cơ quan ban "
                                    "hành, hoặc người ký có tên trên văn bản): Sở Nội vụ tạo tài khoản lãnh đạo, ghi cơ "
                                    "quan của họ, và liên kết với người ký ở trang Chữ ký số")
        chosen = next((a for a in allowed if a.username == approver), None) if approver else allowed[0]
        if chosen is None:
            raise IllegalTransition(f"không trình được lãnh đạo {approver!r}: chỉ trình "
                                    + ", ".join(a.label for a in allowed))
        record.approver_id = chosen.user_id
        leader = session.get(User, chosen.user_id)
        return notify(session, [leader], f"{label}: {actor} trình lãnh đạo duyệt"
                      + (f" («{reason.strip()}»)." if (reason or "").strip() else "."), link, record.campaign_id)
    user = session.scalar(select(User).where(User.username == actor))
    if record.approver_id is not None and (user is None or user.id != record.approver_id):
        assigned = session.get(User, record.approver_id)
        raise IllegalTransition(f"văn bản này được trình {assigned.full_name if assigned else 'lãnh đạo khác'} duyệt; "
                                "tài khoản của bạn không duyệt hay trả lại thay")
    if record.approver_id is None:            # submitted before routing existed: any leader who may approve it
        allowed = document_approvers(session, organisation, campaign, record.kind, unit)
        if user is None or user.id not in {a.user_id for a in allowed}:
            raise IllegalTransition("tài khoản của bạn không phải lãnh đạo duyệt được văn bản này")
    if action_key == "tra-lai":
        drafter = session.scalar(select(DocumentEvent.actor).where(DocumentEvent.document_id == record.id,
                                                                   DocumentEvent.action == "trinh-duyet")
                                 .order_by(DocumentEvent.id.desc()).limit(1))
        drafters = list(session.scalars(select(User).where(User.username == drafter))) if drafter else []
        return notify(session, drafters, f"{label}: bị trả lại để sửa — {(reason or '').strip()}", link,
                      record.campaign_id)
    return []


def signed_entries(engine: Engine, entry_ids: list[int]) -> set[int]:
    """The register entries whose number a signed document in force carries: they cannot be voided
    before a replacement is issued (walk U25: the register offered 'Hủy số' on them)."""
    if not entry_ids:
        return set()
    with reader(engine) as session:
        return set(session.scalars(select(DocumentVersion.register_entry_id).where(
            DocumentVersion.register_entry_id.in_(entry_ids), DocumentVersion.status == "hieu-luc",
            DocumentVersion.signed_pdf.is_not(None))))


def void_register_entry(engine: Engine, entry_id: int, reason: str, actor: str, organisation: str) -> str | None:
    """Void a number of the register. If an issued, unsigned document carries it, that document goes
    back to draft (its number cleared) so it can be issued again under a new number; if it is signed,
    the number is voided only once a replacement has been issued. Returns what happened to the
    document (Vietnamese) or None when the number carried none."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        entry = session.get(RegisterEntry, entry_id, with_for_update=True)
        if entry is None or entry.organisation_id != organisation:
            raise LookupError(entry_id)
        version = session.scalar(select(DocumentVersion).where(DocumentVersion.register_entry_id == entry.id))
        outcome = None
        if version is not None and version.status == "hieu-luc":
            record = session.get(DocumentRecord, version.document_id, with_for_update=True)
            if record.state not in (DRAFT,) and record.current_version_id == version.id and version.signed_pdf is not None:
                raise IllegalTransition(f"số {entry.number:02d}/{entry.symbol} thuộc văn bản đã ký: muốn hủy phải ban hành "
                                        "văn bản thay thế trước (Soạn văn bản thay thế), rồi hủy số cũ")
            if record.current_version_id == version.id:
                campaign_row = session.scalar(select(CampaignRecord).where(CampaignRecord.id == record.campaign_id)
                                              .with_for_update())
                data = locked_campaign_data(session, campaign_row)
                clear_number(data, record.kind, record.unit_key or None)
                store_campaign(session, validated_campaign(data, f"campaign/{record.campaign_id}"), actor)
                record.current_version_id = None
                record_event(session, record, actor, "huy-so", DRAFT, reason, version.id)
                outcome = "văn bản mang số này trở về dự thảo; có thể ban hành lại với số mới"
            version.status = "da-huy"
        void_entry(session, entry, reason, actor)
        return outcome


@dataclass(frozen=True)
class DocumentState:
    """A document's place in its lifecycle, for pages and the API."""
    kind: str
    unit: str
    state: str
    revision: int
    current_version_id: int | None
    relation: str | None
    relates_to_version_id: int | None
    document_id: int | None
    approver_id: int | None = None

    @property
    def label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def official(self) -> bool:
        return self.state in OFFICIAL


def states_of(engine: Engine, campaign_id: str) -> dict[tuple[str, str], DocumentState]:
    """(kind, unit or '') → state of every document of the campaign that has a lifecycle record."""
    with reader(engine) as session:
        rows = session.scalars(select(DocumentRecord).where(DocumentRecord.campaign_id == campaign_id)).all()
        return {(r.kind, r.unit_key): DocumentState(r.kind, r.unit_key, r.state, r.revision, r.current_version_id,
                                                   r.relation, r.relates_to_version_id, r.id, r.approver_id) for r in rows}


def state_of(engine: Engine, campaign_id: str, kind: str, unit: str | None) -> DocumentState:
    return state_in(states_of(engine, campaign_id), kind, unit)


def state_in(states: dict[tuple[str, str], DocumentState], kind: str, unit: str | None) -> DocumentState:
    """A document's state from ``states_of``: a draft when it has no lifecycle record yet."""
    return states.get((kind, unit or ""), DocumentState(kind, unit or "", DRAFT, 1, None, None, None, None))


def history(engine: Engine, document_id: int | None) -> list[DocumentEvent]:
    if document_id is None:
        return []
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(DocumentEvent).where(DocumentEvent.document_id == document_id)
                                    .order_by(DocumentEvent.id)))


def versions_of(engine: Engine, document_id: int | None) -> list[DocumentVersion]:
    if document_id is None:
        return []
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == document_id)
                                    .order_by(DocumentVersion.id)))

