"""Between a composer and its template: pick the template (the caller's version or the default), give
it the facts every kind shares, and let the campaign's own trích yếu, căn cứ and V/v win over the
template's defaults."""
from __future__ import annotations

import contextlib
from contextvars import ContextVar

from data_models import Campaign
from data_models.document import IssuedDocument

from .kind_templates import default_template, fill
from .markup import Filled


_SEEN: ContextVar[list | None] = ContextVar("contexts_seen", default=None)


def word(kind: str, context: dict, template: str | None = None, overrides: dict | None = None) -> Filled:
    """The kind's template (``template``: a province's or campaign's version) run on ``context``."""
    seen = _SEEN.get()
    if seen is not None:
        seen.append((kind, context))
    return fill(template if template is not None else default_template(kind), context, overrides)


@contextlib.contextmanager
def contexts_seen():
    """The (kind, context) pairs the templates are given while the block runs: the template editor
    shows a variable's value in this campaign instead of the fixture's example."""
    token = _SEEN.set([])
    try:
        yield _SEEN.get()
    finally:
        _SEEN.reset(token)


def common_context(campaign: Campaign, issuer: str, plan_citation: str) -> dict:
    """What every template may use: the year, the evaluated groups and their heads, the plan as cited,
    the issuer."""
    return {"nam": str(campaign.year), "cac_nhom": " và ".join(g.name for g in campaign.groups),
            "nguoi_dung_dau_cac_nhom": "; ".join(heads_of(g.name) for g in campaign.groups),
            "ke_hoach": plan_citation, "co_quan_ban_hanh": issuer}


#: Groups named after a collective body, whose head is its Chủ tịch (matched against the data).
COLLECTIVE_BODIES = ("ủy ban nhân dân", "uỷ ban nhân dân")


def heads_of(group: str) -> str:
    """Who answers for a group's units: the Chủ tịch of a Ủy ban nhân dân, the thủ trưởng of an agency
    ('Chủ tịch Ủy ban nhân dân các xã, phường', 'Thủ trưởng các sở, ban, ngành')."""
    return f"{'Chủ tịch' if group.lower().startswith(COLLECTIVE_BODIES) else 'Thủ trưởng'} {group}"


def data_overrides(settings: IssuedDocument, fill_text) -> dict:
    """The campaign's own wording of the frame's parts, when it has typed one (placeholders filled)."""
    return {"trich-yeu": [fill_text(t) for t in settings.title] or None,
            "can-cu": [fill_text(line) for line in settings.basis] or None,
            "v-v": settings.subject or None}


def first_recipients(filled: Filled) -> list[tuple[str, None]]:
    """The Nơi nhận lines a template puts first ('Như Điều 5')."""
    return [(line, None) for line in filled.recipients_first]
