"""Campaigns in the database: a campaign.json is validated before it is stored, so a bad edit never
replaces good data; every change leaves an audit entry with the old and new content hash.

A campaign is kept in parts (``campaign_parts``): its core — organisation, plan, criteria, council,
documents' settings — in ``campaigns``, and each unit's assessment and survey answers in
``unit_parts``. An edit of one unit (``update_campaign(..., unit_id=…)``) locks and rewrites only that
unit's part, validated together with the core; the core is only read (shared lock), so units saving
at the same time do not wait for each other. An edit of the core locks everything and validates the
whole campaign."""
from __future__ import annotations

import functools
import json

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, defer

from data_models import Campaign, InvalidCampaign, campaign_data
from data_models.loading import ValidatedData, parse_unit_entries, unit_entries_data

from .campaign_parts import (PART_KEYS, assembled, campaign_digest, compose, digest, empty_part, split, text_of,
                             unit_part, unit_view, validated_campaign, validated_core, validated_part)
from .db import reader
from .models import AuditEntry, CampaignRecord, Organisation, UnitPart


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
    campaign = validated_campaign(data)          # raises before the database is touched
    with Session(engine) as session, session.begin():
        if expected_sha256 is not None:
            record = session.scalar(select(CampaignRecord).where(CampaignRecord.id == campaign.id).with_for_update())
            if record is not None and _digest_of(session, record) != expected_sha256:
                raise ChangedMeanwhile(campaign.id)
        store_campaign(session, campaign, actor, organisation_id)
    return campaign


def _part_rows(session: Session, campaign_id: str, *, lock: bool = False) -> list[UnitPart]:
    query = select(UnitPart).where(UnitPart.campaign_id == campaign_id).order_by(UnitPart.unit_id)
    return list(session.scalars(query.with_for_update() if lock else query))


def _digest_of(session: Session, record: CampaignRecord) -> str:
    return _content_hash(session, record.id, record.sha256)


def _content_hash(session: Session, campaign_id: str, core_sha256: str) -> str:
    hashes = session.execute(select(UnitPart.unit_id, UnitPart.sha256).where(UnitPart.campaign_id == campaign_id)).all()
    return campaign_digest(core_sha256, [tuple(row) for row in hashes])


def locked_campaign_data(session: Session, record: CampaignRecord) -> dict:
    """The whole campaign.json of a campaign whose core the caller has locked, its parts locked too
    (an edit of the whole campaign: no unit's save may slip in between the read and the write)."""
    return compose(json.loads(record.data), [json.loads(row.data) for row in _part_rows(session, record.id, lock=True)])


def store_campaign(session: Session, campaign: Campaign, actor: str, organisation_id: str | None = None) -> None:
    """Insert or replace an already validated campaign inside the caller's transaction; what is
    stored is the validated campaign (``campaign_data``), never the raw input: its core, and the
    parts of the units that changed (the others are not written)."""
    core, parts = split(campaign_data(campaign))
    text = text_of(core)
    record = session.get(CampaignRecord, campaign.id)
    if record is not None and organisation_id is not None and record.organisation_id != organisation_id:
        raise OtherProvince(campaign.id)
    if record is None and not organisation_id:
        raise ValueError("chiến dịch mới phải thuộc một tỉnh")
    old = _digest_of(session, record) if record else None
    if record is None:
        record = CampaignRecord(id=campaign.id, organisation_id=organisation_id, year=campaign.year, name=campaign.name,
                                data=text, sha256=digest(text))
        session.add(record)
    elif record.data != text:
        record.year, record.name, record.data, record.sha256 = campaign.year, campaign.name, text, digest(text)
    stored = {row.unit_id: row for row in _part_rows(session, campaign.id)}
    for unit_id, part in parts.items():
        part_text = text_of(part)
        row = stored.pop(unit_id, None)
        if row is None:
            session.add(UnitPart(campaign_id=campaign.id, unit_id=unit_id, data=part_text, sha256=digest(part_text)))
        elif row.data != part_text:
            row.data, row.sha256 = part_text, digest(part_text)
    for row in stored.values():
        session.delete(row)
    session.flush()
    session.add(AuditEntry(organisation_id=record.organisation_id, actor=actor, action="luu-chien-dich",
                           target=f"campaign/{campaign.id}", old_value=json.dumps({"sha256": old}),
                           new_value=json.dumps({"sha256": _digest_of(session, record)})))


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
                    action: str = "sua-chien-dich", before_store: BeforeStore | None = None,
                    unit_id: str | None = None) -> tuple[Campaign, list[Change]]:
    """Read-modify-write of a stored campaign under lock: ``edit`` changes the campaign.json dict in
    place and says what it changed; the result is validated and stored with one audit entry per
    change. An edit that fails validation (InvalidCampaign) or raises stores nothing.

    ``unit_id``: an edit of that unit's part only (its assessment, its survey answers). It gets the
    core and that unit's entries, locks only that unit's part (the core is shared with other units'
    saves), is validated with the core — every check of that unit against the criteria, the plan and
    the organisation — and writes only that part; the campaign it returns holds that unit's entries
    only. An edit given a unit that changes anything else is a programming error (ValueError)."""
    if unit_id is not None:
        try:
            return _update_unit(engine, campaign_id, unit_id, edit, actor, action, before_store)
        except CoreNotAlone:
            pass                        # a core that is valid only with its units' entries: the whole path
    with Session(engine) as session, session.begin():
        record = session.scalar(select(CampaignRecord).where(CampaignRecord.id == campaign_id).with_for_update())
        if record is None:
            raise KeyError(campaign_id)
        data = locked_campaign_data(session, record)
        changes = [c for c in edit(data) if c.old != c.new]
        if not changes:
            return validated_campaign(data, f"campaign/{campaign_id}"), []
        campaign = validated_campaign(data)
        if before_store is not None:
            before_store(session, campaign, record)
        store_campaign(session, campaign, actor)
        _audit(session, record, actor, action, changes)
    return campaign, changes


def _audit(session: Session, record: CampaignRecord, actor: str, action: str, changes: list[Change]) -> None:
    for change in changes:
        session.add(AuditEntry(organisation_id=record.organisation_id, actor=actor, action=action,
                               target=change.target[:200],
                               old_value=json.dumps(change.old, ensure_ascii=False, default=str),
                               new_value=json.dumps(change.new, ensure_ascii=False, default=str)))


class CoreNotAlone(Exception):
    """The stored core does not validate without its units' entries (a rule of the core that reads
    them): such a campaign's unit edits take the whole-campaign path."""


def _checked_core(core_sha256: str, load_core, source: str) -> Campaign:
    try:
        return validated_core(core_sha256, load_core, source)
    except InvalidCampaign as error:
        raise CoreNotAlone(source) from error


class _ReadRace(Exception):
    """A row was saved again between the read of its hash and the read of its data: the data would be
    kept under a hash that is not theirs (and served when a later save brings that hash back)."""


def _core_loader(session: Session, campaign_id: str, core_sha256: str):
    """The core's data if it still has ``core_sha256``, else _ReadRace."""
    return _unchanged_data(session, CampaignRecord.data, campaign_id,
                           CampaignRecord.id == campaign_id, CampaignRecord.sha256 == core_sha256)


def _part_loader(session: Session, campaign_id: str, unit_id: str, sha256: str):
    """A unit's part's data if it still has ``sha256``, else _ReadRace."""
    return _unchanged_data(session, UnitPart.data, f"{campaign_id}/{unit_id}", UnitPart.campaign_id == campaign_id,
                           UnitPart.unit_id == unit_id, UnitPart.sha256 == sha256)


def _unchanged_data(session: Session, column, what: str, *still_the_same):
    """A loader of ``column`` (JSON text) from the row that ``still_the_same`` names with its hash:
    _ReadRace when no row has that hash any more."""
    def load() -> dict:
        data = session.scalar(select(column).where(*still_the_same))
        if data is None:
            raise _ReadRace(what)
        return json.loads(data)
    return load


def _read_again_on_race(read):
    """``read`` done again (a few times) when a save landed between its reads of hashes and of data."""
    @functools.wraps(read)
    def wrapped(*args, **kwargs):
        for _ in range(4):
            try:
                return read(*args, **kwargs)
            except _ReadRace:
                continue
        return read(*args, **kwargs)
    return wrapped


def _update_unit(engine: Engine, campaign_id: str, unit_id: str, edit, actor: str, action: str,
                 before_store: BeforeStore | None) -> tuple[Campaign, list[Change]]:
    source = f"campaign/{campaign_id}"
    with Session(engine) as session, session.begin():
        record = session.scalar(select(CampaignRecord).options(defer(CampaignRecord.data))
                                .where(CampaignRecord.id == campaign_id)
                                .with_for_update(read=True))          # shared: other units save meanwhile
        if record is None:
            raise KeyError(campaign_id)
        row = session.scalar(select(UnitPart).where(UnitPart.campaign_id == campaign_id, UnitPart.unit_id == unit_id)
                             .with_for_update())
        checked_core = _checked_core(record.sha256, _core_loader(session, campaign_id, record.sha256), source)
        before = json.loads(row.data) if row is not None else empty_part()
        data = ValidatedData(unit_view(before))
        data.core, data.validated = checked_core, parse_unit_entries(checked_core, data, source)
        changes = [c for c in edit(data) if c.old != c.new]
        if not changes:
            return data.validated, []
        if set(data) - set(PART_KEYS) or set(split(data)[1]) - {unit_id}:
            raise ValueError(f"chỉnh sửa của đơn vị {unit_id!r} chỉ được sửa phần của đơn vị đó")
        campaign = parse_unit_entries(checked_core, data)
        if before_store is not None:
            before_store(session, campaign, record)
        order = [unit.id for unit in campaign.units()]
        part = unit_part(unit_entries_data(campaign, unit_id), unit_id, before,
                         order.index(unit_id) if unit_id in order else len(order))
        text = text_of(part)
        old = row.sha256 if row is not None else None
        if row is None:
            session.add(UnitPart(campaign_id=campaign_id, unit_id=unit_id, data=text, sha256=digest(text)))
        else:
            row.data, row.sha256 = text, digest(text)
        session.add(AuditEntry(organisation_id=record.organisation_id, actor=actor, action="luu-chien-dich",
                               target=f"campaign/{campaign_id}/{unit_id}", old_value=json.dumps({"sha256": old}),
                               new_value=json.dumps({"sha256": digest(text)})))
        _audit(session, record, actor, action, changes)
    return campaign, changes


def load_stored_campaign(engine: Engine, campaign_id: str) -> Campaign:
    return validated_campaign(json.loads(stored_campaign_text(engine, campaign_id)), f"campaign/{campaign_id}")


def list_campaigns(engine: Engine, organisation_id: str | None = None) -> list[tuple[str, int, str]]:
    """(id, year, name) of the stored campaigns (of one province when given), newest year first."""
    query = select(CampaignRecord.id, CampaignRecord.year, CampaignRecord.name)
    if organisation_id is not None:
        query = query.where(CampaignRecord.organisation_id == organisation_id)
    with reader(engine) as session:
        rows = session.execute(query.order_by(CampaignRecord.year.desc(), CampaignRecord.id)).all()
    return [tuple(row) for row in rows]


def audit_trail(engine: Engine, target_prefix: str = "", organisation_id: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.target.startswith(target_prefix))
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query.order_by(AuditEntry.id)))


def stored_campaign_text(engine: Engine, campaign_id: str) -> str:
    """The stored campaign.json as text, its core and parts put back together (callers cache the
    parsed campaign by its hash)."""
    with Session(engine) as session:
        record = session.get(CampaignRecord, campaign_id)
        if record is None:
            raise KeyError(campaign_id)
        return text_of(compose(json.loads(record.data), [json.loads(row.data) for row in _part_rows(session, campaign_id)]))


def stored_campaign_hash(engine: Engine, campaign_id: str) -> str:
    """The stored campaign's content hash (its core's and parts' hashes read, not the campaign)."""
    return campaign_owner(engine, campaign_id)[0]


def campaign_owner(engine: Engine, campaign_id: str) -> tuple[str, str]:
    """(content hash, province) of a stored campaign, read without the campaign itself; KeyError if none."""
    with reader(engine) as session:
        core_sha256, organisation = _core_row(session, campaign_id)
        return _content_hash(session, campaign_id, core_sha256), organisation


def _core_row(session: Session, campaign_id: str) -> tuple[str, str]:
    """(the core's SHA-256, the province) of a stored campaign, without its data; KeyError if none."""
    row = session.execute(select(CampaignRecord.sha256, CampaignRecord.organisation_id)
                          .where(CampaignRecord.id == campaign_id)).first()
    if row is None:
        raise KeyError(campaign_id)
    return row[0], row[1]


def unit_owner(engine: Engine, campaign_id: str, unit_id: str | None) -> tuple[str, str]:
    """(content key, province) of the campaign as one unit's forms need it — the core's hash and that
    unit's part's (``unit_id`` None: the core alone) — read without the data; KeyError if there is no
    such campaign."""
    with reader(engine) as session:
        core_sha256, organisation = _core_row(session, campaign_id)
        part = None if unit_id is None else session.scalar(
            select(UnitPart.sha256).where(UnitPart.campaign_id == campaign_id, UnitPart.unit_id == unit_id))
        return f"{core_sha256}:{part or '-'}", organisation


@_read_again_on_race
def load_unit_campaign(engine: Engine, campaign_id: str, unit_id: str | None) -> Campaign:
    """The campaign with the core and only ``unit_id``'s entries (None: no unit's): everything one
    unit's forms show and check, without reading (or validating) the other units' parts; the core is
    validated once per content hash in the process."""
    with reader(engine) as session:
        core_sha256, _ = _core_row(session, campaign_id)
        part = None if unit_id is None else session.scalar(
            select(UnitPart.data).where(UnitPart.campaign_id == campaign_id, UnitPart.unit_id == unit_id))
        try:
            checked_core = _checked_core(core_sha256, _core_loader(session, campaign_id, core_sha256),
                                         f"campaign/{campaign_id}")
        except CoreNotAlone:
            whole = validated_campaign(json.loads(stored_campaign_text(engine, campaign_id)), f"campaign/{campaign_id}")
            return whole.model_copy(update={"assessments": [a for a in whole.assessments if a.unit == unit_id],
                                            "survey_answers": [s for s in whole.survey_answers if s.unit == unit_id]})
        return parse_unit_entries(checked_core, unit_view(json.loads(part) if part else empty_part()),
                                  f"campaign/{campaign_id}")


@_read_again_on_race
def load_whole_campaign(engine: Engine, campaign_id: str) -> tuple[Campaign, str]:
    """(the whole campaign, its content hash) assembled from the core and the parts validated once
    per hash in this process: after one unit's save only that unit's part is read and validated
    again, not the whole campaign (every page of the whole campaign during the deadline rush)."""
    with reader(engine) as session:
        core_sha256, _ = _core_row(session, campaign_id)
        hashes = [tuple(row) for row in session.execute(select(UnitPart.unit_id, UnitPart.sha256)
                                                        .where(UnitPart.campaign_id == campaign_id))]
        try:
            core = _checked_core(core_sha256, _core_loader(session, campaign_id, core_sha256),
                                 f"campaign/{campaign_id}")
        except CoreNotAlone:
            return validated_campaign(json.loads(stored_campaign_text(engine, campaign_id))), \
                campaign_digest(core_sha256, hashes)
        parts = [validated_part(campaign_id, unit_id, sha, _part_loader(session, campaign_id, unit_id, sha))
                 for unit_id, sha in hashes]
        return assembled(core, parts), campaign_digest(core_sha256, hashes)
