"""Campaigns in the database: a campaign.json is validated in full before it is stored, so a bad
edit never replaces good data; every change leaves an audit entry with the old and new content hash."""
from __future__ import annotations

import hashlib
import json

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import Campaign, campaign_data, parse_campaign

from .models import AuditEntry, CampaignRecord, Organisation


def ensure_organisation(engine: Engine, organisation_id: str, name: str) -> None:
    """Create a province once (its campaigns and accounts are kept apart from every other's)."""
    with Session(engine) as session, session.begin():
        if session.get(Organisation, organisation_id) is None:
            session.add(Organisation(id=organisation_id, name=name))


def organisations(engine: Engine) -> list[Organisation]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(Organisation).order_by(Organisation.name)))


class OtherProvince(LookupError):
    """The campaign id belongs to another province: to the caller it does not exist."""


class ChangedMeanwhile(ValueError):
    """The stored campaign is no longer the version the caller read (its SHA-256 differs)."""


def save_campaign(engine: Engine, data: dict, actor: str, organisation_id: str | None = None,
                  expected_sha256: str | None = None) -> Campaign:
    """Validate and store (insert or replace) a campaign; raises InvalidCampaign and stores nothing
    when any field is wrong. A new campaign joins ``organisation_id``; an existing one keeps its
    province, and a caller of another province (``organisation_id`` given) gets OtherProvince.
    ``expected_sha256``: the version the caller read (ChangedMeanwhile when another save came first)."""
    campaign = parse_campaign(data)          # raises before the database is touched
    with Session(engine) as session, session.begin():
        if expected_sha256 is not None:
            record = session.scalar(select(CampaignRecord).where(CampaignRecord.id == campaign.id).with_for_update())
            if record is not None and record.sha256 != expected_sha256:
                raise ChangedMeanwhile(campaign.id)
        store_campaign(session, campaign, actor, organisation_id)
    return campaign


def store_campaign(session: Session, campaign: Campaign, actor: str, organisation_id: str | None = None) -> None:
    """Insert or replace an already validated campaign inside the caller's transaction; what is
    stored is the validated campaign (``campaign_data``), never the raw input."""
    data = campaign_data(campaign)
    text = json.dumps(data, ensure_ascii=False)
    record = session.get(CampaignRecord, campaign.id)
    if record is not None and organisation_id is not None and record.organisation_id != organisation_id:
        raise OtherProvince(campaign.id)
    if record is None and not organisation_id:
        raise ValueError("chiến dịch mới phải thuộc một tỉnh")
    old = record.sha256 if record else None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if record is None:
        record = CampaignRecord(id=campaign.id, organisation_id=organisation_id, year=campaign.year, name=campaign.name,
                                data=text, sha256=digest)
        session.add(record)
    else:
        record.year, record.name, record.data, record.sha256 = campaign.year, campaign.name, text, digest
    session.add(AuditEntry(organisation_id=record.organisation_id, actor=actor, action="luu-chien-dich",
                           target=f"campaign/{campaign.id}", old_value=json.dumps({"sha256": old}),
                           new_value=json.dumps({"sha256": digest})))


@dataclass(frozen=True)
class Change:
    """One field changed by an edit, for the audit trail: ``target`` names it the way a reader would
    look for it (``ninh-binh-2026/sxd/1.2.1/round1``)."""
    target: str
    old: object
    new: object


#: Called inside the edit's transaction once the edited campaign is valid, before it is stored (files
#: the edit cites are stored there, so that a refused edit stores none).
BeforeStore = Callable[[Session, Campaign, CampaignRecord], None]


def update_campaign(engine: Engine, campaign_id: str, edit: Callable[[dict], list[Change]], actor: str,
                    action: str = "sua-chien-dich", before_store: BeforeStore | None = None) -> tuple[Campaign, list[Change]]:
    """Read-modify-write of a stored campaign under the row's lock: ``edit`` changes the campaign.json
    dict in place and says what it changed; the result is validated in full and stored with one audit
    entry per change. Two people editing different units at once both keep their edits; an edit that
    fails validation (InvalidCampaign) or raises stores nothing."""
    with Session(engine) as session, session.begin():
        record = session.scalar(select(CampaignRecord).where(CampaignRecord.id == campaign_id).with_for_update())
        if record is None:
            raise KeyError(campaign_id)
        data = json.loads(record.data)
        changes = [c for c in edit(data) if c.old != c.new]
        if not changes:
            return parse_campaign(data, f"campaign/{campaign_id}"), []
        campaign = parse_campaign(data)
        if before_store is not None:
            before_store(session, campaign, record)
        store_campaign(session, campaign, actor)
        for change in changes:
            session.add(AuditEntry(organisation_id=record.organisation_id, actor=actor, action=action,
                                   target=change.target[:200],
                                   old_value=json.dumps(change.old, ensure_ascii=False, default=str),
                                   new_value=json.dumps(change.new, ensure_ascii=False, default=str)))
    return campaign, changes


def load_stored_campaign(engine: Engine, campaign_id: str) -> Campaign:
    with Session(engine) as session:
        record = session.get(CampaignRecord, campaign_id)
        if record is None:
            raise KeyError(campaign_id)
        return parse_campaign(json.loads(record.data), f"campaign/{campaign_id}")


def list_campaigns(engine: Engine, organisation_id: str | None = None) -> list[tuple[str, int, str]]:
    """(id, year, name) of the stored campaigns (of one province when given), newest year first."""
    query = select(CampaignRecord.id, CampaignRecord.year, CampaignRecord.name)
    if organisation_id is not None:
        query = query.where(CampaignRecord.organisation_id == organisation_id)
    with Session(engine) as session:
        rows = session.execute(query.order_by(CampaignRecord.year.desc(), CampaignRecord.id)).all()
    return [tuple(row) for row in rows]


def audit_trail(engine: Engine, target_prefix: str = "", organisation_id: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.target.startswith(target_prefix))
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query.order_by(AuditEntry.id)))


def stored_campaign_text(engine: Engine, campaign_id: str) -> str:
    """The stored campaign.json as text (callers cache the parsed campaign by its hash)."""
    with Session(engine) as session:
        record = session.get(CampaignRecord, campaign_id)
        if record is None:
            raise KeyError(campaign_id)
        return record.data


def stored_campaign_hash(engine: Engine, campaign_id: str) -> str:
    """The stored campaign's SHA-256 (64 bytes read, not the whole campaign)."""
    return campaign_owner(engine, campaign_id)[0]


def campaign_owner(engine: Engine, campaign_id: str) -> tuple[str, str]:
    """(SHA-256, province) of a stored campaign, read without the campaign itself; KeyError if none."""
    with Session(engine) as session:
        row = session.execute(select(CampaignRecord.sha256, CampaignRecord.organisation_id)
                              .where(CampaignRecord.id == campaign_id)).first()
    if row is None:
        raise KeyError(campaign_id)
    return row[0], row[1]
