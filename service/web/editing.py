"""One form edit of a stored campaign, the same way for every form: under the campaign's lock,
validated in full, errors as {field: message} — nothing stored when there is any."""
from __future__ import annotations

from collections.abc import Callable

from flask import g

from data_models import InvalidCampaign
from service.editing.forms import Fields, FormInvalid
from service.store.campaigns import BeforeStore, Change, update_campaign

from .security import engine

Edit = Callable[[dict], tuple[list[Change], Fields]]


def form_value(submitted: dict[str, str] | None) -> Callable[..., object]:
    """``value(name, stored)`` for a template: what was sent when the form came back with errors (so
    nothing typed is lost), else the stored value ('' for none)."""
    def value(name: str, default=""):
        if submitted is not None:
            return submitted.get(name, "")
        return "" if default is None else default
    return value


def run_edit(campaign_id: str, edit: Edit, action: str = "sua-chien-dich",
             before_store: BeforeStore | None = None) -> tuple[dict[str, str], list[Change]]:
    """(errors, changes): errors empty when the edit was stored."""
    holder: dict[str, Fields] = {}

    def apply(data: dict) -> list[Change]:
        changes, fields = edit(data)
        holder["fields"] = fields
        return changes
    try:
        _, changes = update_campaign(engine(), campaign_id, apply, g.user.username, action=action,
                                     before_store=before_store)
    except FormInvalid as error:
        return error.errors, []
    except InvalidCampaign as error:
        fields = holder.get("fields")
        return (fields.explain(error).errors if fields else {"": "; ".join(str(p) for p in error.problems)}), []
    return {}, changes
