"""Parsed campaigns and rendered documents, cached by content hash (an edit changes the hash)."""
from __future__ import annotations

import re

from flask import abort, current_app, g

from data_models import Campaign
from service.kept import Kept
from service.store.campaigns import campaign_owner, load_unit_campaign, load_whole_campaign, unit_owner

from . import access

LIMIT = 64
#: What a campaign's or a unit's id looks like (data_models' Identifier). Anything else is not found
#: before the database is asked (PostgreSQL refuses a NUL in a text parameter: a 500, found by the fuzzer).
IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def new_cache() -> Kept:
    """The application's cache of what ``remember`` keeps, shared by the threads of a worker."""
    return Kept(LIMIT)


def remember(key, make):
    """``make()`` kept under ``key`` in this process (the ``LIMIT`` most recently used)."""
    return current_app.extensions["cchc_cache"].get(key, make)


def campaign(campaign_id: str) -> tuple[Campaign, str]:
    """(campaign, content hash), or 404 when there is none *for this user*: another province's
    campaign, or for a unit account a campaign without its unit, does not exist to them. Every
    route that takes a campaign id comes through here. The data itself is read only when this
    hash is not cached."""
    return _opened(campaign_id, ("campaign",), lambda engine: campaign_owner(engine, campaign_id),
                   lambda engine: load_whole_campaign(engine, campaign_id)[0])


def _opened(campaign_id: str, kind: tuple, owner, load) -> tuple[Campaign, str]:
    """(campaign, key) after the checks every way of opening a campaign makes: it exists in the
    user's province (``owner(engine)``: its key and province), and the user may open it; ``load``
    runs only for a key not cached."""
    engine = current_app.extensions["cchc_engine"]
    if not IDENTIFIER.fullmatch(campaign_id):
        abort(404, description=f"Không có chiến dịch {campaign_id!r}.")
    try:
        key, organisation = owner(engine)
    except KeyError:
        organisation = None
    if organisation is None or not access.same_province(organisation):
        abort(404, description=f"Không có chiến dịch {campaign_id!r}.")
    value = remember((*kind, key), lambda: load(engine))
    if not access.may_open_campaign(value):
        abort(404, description=f"Không có chiến dịch {campaign_id!r}.")
    return value, key


def has_unit(campaign_id: str, unit_id: str | None) -> bool:
    """Whether the user's unit is in the province's campaign (only its core is read): never a 404, so
    a list of campaigns leaves out those the unit is not in (a unit new this year is in none before)."""
    from werkzeug.exceptions import NotFound
    if unit_id is None:
        return False
    try:
        core, _ = unit_campaign(campaign_id, None)     # 404 for a campaign without the user's unit
    except NotFound:
        return False
    return access.has_unit(core, unit_id)


def campaign_unit(campaign_id: str, unit_id: str):
    """(campaign, unit) or 404 for either. The campaign holds the core and only this unit's entries —
    all one unit's forms show and check — cached by the core's and the unit's hashes: one unit's save
    does not make every other unit's page read and parse the whole campaign (the deadline rush)."""
    value, _ = unit_campaign(campaign_id, unit_id)
    return value, _unit_of(value, unit_id)


def unit_campaign(campaign_id: str, unit_id: str | None) -> tuple[Campaign, str]:
    """(the campaign with only ``unit_id``'s entries — None: the core alone, what a campaign-level
    issued document's download needs —, its content key), with ``campaign``'s checks; asked once per
    request (a page asks several times; an edit that stores forgets it, ``forget_units``)."""
    if unit_id is not None and not IDENTIFIER.fullmatch(unit_id):
        abort(404, description=f"Không có đơn vị {unit_id!r}.")
    asked = g.setdefault("unit_campaigns", {})
    if (campaign_id, unit_id) not in asked:
        asked[(campaign_id, unit_id)] = _unit_campaign(campaign_id, unit_id)
    return asked[(campaign_id, unit_id)]


def forget_units() -> None:
    """After a store in this request: the next question reads the database again."""
    g.pop("unit_campaigns", None)


def _unit_campaign(campaign_id: str, unit_id: str | None) -> tuple[Campaign, str]:
    return _opened(campaign_id, ("unit-campaign", campaign_id, unit_id),
                   lambda engine: unit_owner(engine, campaign_id, unit_id),
                   lambda engine: load_unit_campaign(engine, campaign_id, unit_id))


def _unit_of(value: Campaign, unit_id: str):
    try:
        return value.unit(unit_id)
    except KeyError:
        abort(404, description=f"Không có đơn vị {unit_id!r}.")


def results(campaign_id: str):
    """(campaign, its computed results), both cached by the campaign's content hash."""
    from service.domain.scoring import compute_campaign
    value, digest = campaign(campaign_id)
    return value, remember(("results", digest), lambda: compute_campaign(value))


def templates(campaign_id: str) -> tuple[dict[str, str], str]:
    """(the texts of the kinds' templates in force for the campaign, their fingerprint)."""
    from service.document_files import wording_in_force
    return wording_in_force(current_app.extensions["cchc_engine"], campaign_id)


def survey_core(campaign_id: str) -> Campaign:
    """The campaign's core (criteria, scale, units) for a public survey form: no account asks, the
    target was found by its secret link or code, so no province check — only what the form shows."""
    engine = current_app.extensions["cchc_engine"]
    key, _ = unit_owner(engine, campaign_id, None)
    return remember(("unit-campaign", campaign_id, None, key), lambda: load_unit_campaign(engine, campaign_id, None))
