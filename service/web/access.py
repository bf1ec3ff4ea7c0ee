"""Who may see and change what, in one place (every view and API route asks here).

Tenancy first: an account belongs to a province and sees nothing of another's — another province's
campaign, version, register entry or account is 'not found' (404), never 'forbidden', so ids do not
leak. Within its province:
- admin (Sở Nội vụ), leader, văn thư, secretariat: the whole campaign;
- unit: its own unit in the campaigns that have it, and the public documents;
- appraiser: the units whose criteria its agency appraises — their reports and the evidence cited
  on those criteria — and the public documents; no rankings before the decision is published.
"""
from __future__ import annotations

from flask import abort, g, has_request_context, request

from data_models import Campaign

from service.domain.issuers import UNIT_LETTERS

from .security import PUBLIC_KINDS, STAFF, engine

#: Per-unit reports an appraiser reads for the units it appraises.
APPRAISER_UNIT_KINDS = {"bao-cao-tu-danh-gia", "bao-cao-giai-trinh"}
#: Letters that carry a unit's index and rank: its account reads them only once the results are
#: published (before, the draft would tell it what the ranking withholds).
RESULT_LETTERS = {"thong-bao-ket-qua-chi-so"}


#: Campaign-level documents whose Nơi nhận are the units (Điều 3 "Thủ trưởng các sở…", the council's
#: conclusions): a unit and an appraising agency read them once issued (walk U7).
SENT_TO_UNITS = {"quyet-dinh-cong-bo", "thong-bao-ket-luan", "cong-van-don-doc"}


def _document_states(campaign_id: str) -> dict:
    """The campaign's document states, read once for a page that asks of many documents (a unit's
    dashboard checks every kind); a request that changes them reads them fresh."""
    from service.store.lifecycle import states_of
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return states_of(engine(), campaign_id)
    memo = g.setdefault("document_states", {})
    if campaign_id not in memo:
        memo[campaign_id] = states_of(engine(), campaign_id)
    return memo[campaign_id]


def issued(campaign: Campaign, kind: str, unit: str | None = None) -> bool:
    """Whether a document (a campaign-level one, or the office's letter to ``unit``) is issued — here,
    or numbered in the data as issued outside: what a unit may read, never a draft (walk U22)."""
    from service.domain.readiness import numbered_in_data
    state = _document_states(campaign.id).get((kind, unit or ""))
    return state.official if state is not None else numbered_in_data(campaign, kind, unit)


def signing_person() -> str | None:
    """The person the user signs as (the account linked on the Chữ ký số page), read once a request."""
    if "signing_person" not in g:
        from sqlalchemy.orm import Session

        from service.store.authority import person_of
        with Session(engine()) as session:
            g.signing_person = person_of(session, g.user.id)
    return g.signing_person


def results_published(campaign_id: str) -> bool:
    """Whether the campaign's publication decision (QĐ công bố) has been issued."""
    state = _document_states(campaign_id).get(("quyet-dinh-cong-bo", ""))
    return state is not None and state.official


def not_found(what: str = "dữ liệu này") -> None:
    abort(404, description=f"Không tìm thấy {what}.")


def same_province(organisation_id: str | None) -> bool:
    user = g.get("user")
    return user is not None and user.role != "system" and organisation_id is not None \
        and user.organisation_id == organisation_id


def has_unit(campaign: Campaign, unit_id: str | None) -> bool:
    return unit_id is not None and any(unit.id == unit_id for unit in campaign.units())


def may_open_campaign(campaign: Campaign) -> bool:
    """After the province check: a unit account opens only campaigns that have its unit."""
    return g.user.role != "unit" or has_unit(campaign, g.user.unit_id)


def appraised_units(campaign: Campaign, agency_id: str | None) -> set[str]:
    """Units with at least one criterion (scored on documents) that ``agency_id`` appraises."""
    from service.editing.assessment import leaf_rows
    if not agency_id:
        return set()
    memo = g.setdefault("appraised_units", {}) if has_request_context() else {}   # asked per row: once a request
    key = (id(campaign), agency_id)
    if key not in memo:
        memo[key] = (campaign, {unit.id for unit in campaign.units() if leaf_rows(campaign, unit.id, agency_id)})
    return memo[key][1]


def may_see_unit(campaign: Campaign, unit_id: str) -> bool:
    """Whether the unit appears to the user at all (dashboard rows, its reports)."""
    user = g.user
    if user.role in STAFF:
        return True
    if user.role == "unit":
        return user.unit_id == unit_id
    if user.role == "appraiser":
        return unit_id in appraised_units(campaign, user.agency_id)
    return False


def may_read_unit_forms(campaign: Campaign, unit_id: str) -> bool:
    """Reading a unit's self-assessment and explanation pages: the unit, the Sở Nội vụ's staff and
    leaders (read-only for all but the unit and the admin)."""
    return g.user.role in STAFF or (g.user.role == "unit" and g.user.unit_id == unit_id)


def may_edit_unit(unit_id: str) -> bool:
    """Writing a unit's self-assessment and explanation: the unit itself or the Sở Nội vụ's admin."""
    return g.user.role == "admin" or (g.user.role == "unit" and g.user.unit_id == unit_id)


def may_read_document(campaign: Campaign, kind: str, unit: str | None) -> bool:
    user = g.user
    if user.role in STAFF:
        return True
    if unit is None:
        return kind in PUBLIC_KINDS | SENT_TO_UNITS and (kind == "phieu-khao-sat" or issued(campaign, kind))
    if user.role == "unit":
        return unit == user.unit_id and (kind not in RESULT_LETTERS or results_published(campaign.id)) \
            and (kind not in UNIT_LETTERS or issued(campaign, kind, unit))
    if user.role == "appraiser":
        return kind in APPRAISER_UNIT_KINDS and may_see_unit(campaign, unit)
    return False


def sees_drafting(kind: str) -> bool:
    """Whether the user sees a document's drafting side — the new draft from current data, the drafting
    check, the blockers, the template and file digests: the office, and a unit for its own reports. A
    unit reading a letter it was sent, or an appraiser a unit's report, sees the issued text (walk U22)."""
    from service.domain.lifecycle import steps_of
    if g.user.role in STAFF:
        return True
    steps = steps_of(kind)
    return g.user.role == "unit" and steps is not None and steps.unit_document


def may_read_whole_campaign() -> bool:
    """campaign.json as a whole (scores of every unit, every agency's appraisal): staff only."""
    return g.user.role in STAFF


def may_read_results(published: bool) -> bool:
    """Rankings: staff always; units and appraisers once the publication decision is issued."""
    return g.user.role in STAFF or published


def evidence_digests_for_appraiser(campaign: Campaign, unit_id: str, agency_id: str | None) -> set[str]:
    """Files cited as evidence (or added evidence) on the criteria ``agency_id`` appraises in this unit."""
    from service.editing.assessment import leaf_rows
    digests = set()
    for row in leaf_rows(campaign, unit_id, agency_id):
        if row.score is None:
            continue
        for item in [*row.score.evidence, *row.score.added_evidence]:
            if item.file:
                digests.add(item.file)
    return digests


def may_read_evidence(campaign: Campaign, unit_id: str, digest: str) -> bool:
    user = g.user
    if user.role in STAFF or (user.role == "unit" and user.unit_id == unit_id):
        return True
    if user.role == "appraiser":
        return digest in evidence_digests_for_appraiser(campaign, unit_id, user.agency_id)
    return False


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)
