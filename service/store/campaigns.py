"""Campaigns in the database: a campaign.json is validated in full before it is stored, so a bad
edit never replaces good data; every change leaves an audit entry with the old and new content hash."""
from __future__ import annotations

import hashlib
import json

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import Campaign, parse_campaign

from .models import AuditEntry, CampaignRecord


def content_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def save_campaign(engine: Engine, data: dict, actor: str) -> Campaign:
    """Validate and store (insert or replace) a campaign; raises InvalidCampaign and stores nothing
    when any field is wrong."""
    campaign = parse_campaign(data)          # raises before the database is touched
    with Session(engine) as session, session.begin():
        store_campaign(session, campaign, data, actor)
    return campaign


def store_campaign(session: Session, campaign: Campaign, data: dict, actor: str) -> None:
    """Insert or replace an already validated campaign inside the caller's transaction."""
    text = json.dumps(data, ensure_ascii=False)
    record = session.get(CampaignRecord, campaign.id)
    old = content_hash(json.loads(record.data)) if record else None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if record is None:
        session.add(CampaignRecord(id=campaign.id, year=campaign.year, name=campaign.name, data=text, sha256=digest))
    else:
        record.year, record.name, record.data, record.sha256 = campaign.year, campaign.name, text, digest
    session.add(AuditEntry(actor=actor, action="luu-chien-dich", target=f"campaign/{campaign.id}",
                           old_value=json.dumps({"sha256": old}),
                           new_value=json.dumps({"sha256": content_hash(data)})))


@dataclass(frozen=True)
class Change:
    """One field changed by an edit, for the audit trail: ``target`` names it the way a reader would
    look for it (``ninh-binh-2026/sxd/1.2.1/round1``)."""
    target: str
    old: object
    new: object


def update_campaign(engine: Engine, campaign_id: str, edit: Callable[[dict], list[Change]], actor: str,
                    action: str = "sua-chien-dich") -> tuple[Campaign, list[Change]]:
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
        store_campaign(session, campaign, data, actor)
        for change in changes:
            session.add(AuditEntry(actor=actor, action=action, target=change.target[:200],
                                   old_value=json.dumps(change.old, ensure_ascii=False, default=str),
                                   new_value=json.dumps(change.new, ensure_ascii=False, default=str)))
    return campaign, changes


def load_stored_campaign(engine: Engine, campaign_id: str) -> Campaign:
    with Session(engine) as session:
        record = session.get(CampaignRecord, campaign_id)
        if record is None:
            raise KeyError(campaign_id)
        return parse_campaign(json.loads(record.data), f"campaign/{campaign_id}")


def list_campaigns(engine: Engine) -> list[tuple[str, int, str]]:
    """(id, year, name) of every stored campaign, newest year first."""
    with Session(engine) as session:
        rows = session.execute(select(CampaignRecord.id, CampaignRecord.year, CampaignRecord.name)
                               .order_by(CampaignRecord.year.desc(), CampaignRecord.id)).all()
    return [tuple(row) for row in rows]


def audit_trail(engine: Engine, target_prefix: str = "") -> list[AuditEntry]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.target.startswith(target_prefix))
                                    .order_by(AuditEntry.id)))


def stored_campaign_text(engine: Engine, campaign_id: str) -> str:
    """The stored campaign.json as text (callers cache the parsed campaign by its hash)."""
    with Session(engine) as session:
        record = session.get(CampaignRecord, campaign_id)
        if record is None:
            raise KeyError(campaign_id)
        return record.data


def stored_campaign_hash(engine: Engine, campaign_id: str) -> str:
    """The stored campaign's SHA-256 (64 bytes read, not the whole campaign)."""
    with Session(engine) as session:
        digest = session.scalar(select(CampaignRecord.sha256).where(CampaignRecord.id == campaign_id))
    if digest is None:
        raise KeyError(campaign_id)
    return digest
