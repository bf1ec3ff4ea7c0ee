"""Drafts rendered in the background after an edit, so the first view of a PDF is a read.

A unit's edit renders that unit's documents; an edit of the campaign's core renders the campaign's
documents. Issued documents are not rendered (their downloads serve the issued files). The task is
sent once the unit has been quiet for ``PRERENDER_DELAY`` (``debounce``); one whose edit has been
superseded since (another process's later edit of the same unit) is skipped: the later edit's task
renders the result."""
from __future__ import annotations

from sqlalchemy import Engine

from service.document_files import draft_document, draft_mark, relation_of, rendered, wording_in_force
from service.documents import KINDS
from service.store.campaigns import campaign_owner, load_whole_campaign, unit_owner
from service.store.lifecycle import state_in, states_of


def edit_key(engine: Engine, campaign_id: str, unit_id: str | None) -> str:
    """What an edit changed, as a key: the unit's part (with the core) for a unit's edit, the whole
    campaign's content hash for the rest."""
    return unit_owner(engine, campaign_id, unit_id)[0] if unit_id else campaign_owner(engine, campaign_id)[0]


def prerender(engine: Engine, campaign_id: str, unit_id: str | None, seen_key: str, fmt: str = "pdf",
              kinds: list[str] | None = None) -> list[str]:
    """Render the drafts the edit seen as ``seen_key`` changed (only ``kinds`` when given); the kinds
    rendered (none when a later edit superseded it, or the campaign is gone)."""
    try:
        if edit_key(engine, campaign_id, unit_id) != seen_key:
            return []
    except KeyError:
        return []
    campaign, _ = load_whole_campaign(engine, campaign_id)
    if unit_id is not None and unit_id not in {u.id for u in campaign.units()}:
        return []
    wording, _ = wording_in_force(engine, campaign_id)
    states = states_of(engine, campaign_id)
    done = []
    for kind, spec in KINDS.items():
        if spec.per_unit != (unit_id is not None) or (unit_id and not spec.applies(campaign, unit_id)) \
                or (kinds is not None and kind not in kinds):
            continue
        state = state_in(states, kind, unit_id)
        if state.official:
            continue
        try:
            document = draft_document(campaign, kind, unit_id, wording, relation_of(engine, state))
        except ValueError:                              # not yet composable: its page says why
            continue
        rendered(engine, document, fmt, draft_mark(campaign, kind, state))
        done.append(kind)
    return done
