"""One form edit of a stored campaign, the same way for every form: under the campaign's lock, the
version the form was opened at checked (a stale save is refused, nothing lost), validated in full,
errors as {field: message} — nothing stored when there is any."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, request

from data_models import InvalidCampaign, campaign_data
from data_models.loading import unit_entries_data
from service.editing.forms import Fields, FormInvalid
from service.editing.versions import StaleVersion, check_version, core_version, unit_version
from service.store.campaigns import BeforeStore, Change, audit_trail, update_campaign
from service.store.users import users_of

from . import background, cache
from .security import engine

Edit = Callable[[dict], tuple[list[Change], Fields]]
#: The hidden form field that carries the version a form was opened at.
VERSION_FIELD = "phien-ban"


def form_value(submitted: dict[str, str] | None) -> Callable[..., object]:
    """``value(name, stored)`` for a template: what was sent when the form came back with errors (so
    nothing typed is lost), else the stored value ('' for none)."""
    def value(name: str, default=""):
        if submitted is not None:
            return submitted.get(name, "")
        return "" if default is None else default
    return value


def version_of(unit_id: str | None) -> Callable[[dict], str]:
    """What a form edits: one unit's part, or the campaign's core (unit_id None)."""
    return (lambda data: unit_version(data, unit_id)) if unit_id else core_version


def current_version(campaign_id: str, unit_id: str | None = None) -> str:
    """The version a form is opened at (computed from the stored campaign, cached by its hash)."""
    if unit_id:                               # only the unit's entries: not a dump of the whole campaign
        campaign, key = cache.unit_campaign(campaign_id, unit_id)
        data = cache.remember(("unit-data", campaign_id, unit_id, key), lambda: unit_entries_data(campaign, unit_id))
        return version_of(unit_id)(data)
    campaign, digest = cache.campaign(campaign_id)
    data = cache.remember(("data", digest), lambda: campaign_data(campaign))
    return version_of(unit_id)(data)


@dataclass(frozen=True)
class RecentChange:
    at: dt.datetime
    actor: str
    actor_name: str
    target: str
    old_value: str | None
    new_value: str | None


def opened_at() -> dt.datetime | None:
    """When the refused form was opened (its hidden 'mo-luc'), or None when it did not say."""
    try:
        moment = dt.datetime.fromisoformat(request.form.get("mo-luc", ""))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def recent_changes(campaign_id: str, unit_id: str | None = None, count: int = 8) -> list[RecentChange]:
    """The changes of what a form edits saved after the form was opened (walk U12: not older ones),
    newest first, to show beside a refused stale save, with people's names."""
    prefix = f"{campaign_id}/{unit_id}/" if unit_id else f"campaign/{campaign_id}"
    entries = audit_trail(engine(), prefix, organisation_id=g.user.organisation_id)
    since = opened_at()
    if since is not None:
        entries = [e for e in entries if (e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.timezone.utc)) > since]
    names = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    return [RecentChange(e.at, e.actor, names.get(e.actor, e.actor), e.target, e.old_value, e.new_value)
            for e in reversed(entries)][:count]


def run_edit(campaign_id: str, edit: Edit, action: str = "sua-chien-dich", before_store: BeforeStore | None = None,
             *, unit_id: str | None = None, sent_version: str | None = None,
             check: bool = True) -> tuple[dict[str, str], list[Change]]:
    """(errors, changes): errors empty when the edit was stored. ``sent_version``: the version the
    form or client read (checked against the unit's part, or the core when ``unit_id`` is None)."""
    holder: dict[str, Fields] = {}
    scope = version_of(unit_id)

    def apply(data: dict) -> list[Change]:
        if check:
            check_version(sent_version, scope(data))
        changes, fields = edit(data)
        holder["fields"] = fields
        return changes
    try:
        _, changes = update_campaign(engine(), campaign_id, apply, g.user.username, action=action,
                                     before_store=before_store, unit_id=unit_id)
        cache.forget_units()
        background.after_edit(campaign_id, unit_id)
    except StaleVersion as error:
        g.stale = True
        return error.errors, []
    except FormInvalid as error:
        return error.errors, []
    except InvalidCampaign as error:
        fields = holder.get("fields")
        return (fields.explain(error).errors if fields else {"": "; ".join(str(p) for p in error.problems)}), []
    return {}, changes
