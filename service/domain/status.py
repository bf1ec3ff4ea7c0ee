"""Where each unit stands in the campaign: a state machine driven by its data and the plan's deadlines.

chưa nộp → đã nộp (report submitted) → đã thẩm định lần 1 (every criterion scored in round 1) →
đã giải trình (the unit sent its Báo cáo giải trình) or, once the explanation deadline has passed
without one, không giải trình → đã thẩm định lần 2 (some explained criteria decided in round 2) →
hoàn thành (every explained criterion decided; or nothing was lowered in round 1).

Locks follow the states: the self-assessment closes at submission (or at its deadline), round 1
closes when the unit explains (or its deadline passes), round 2 exists only for the criteria the
unit explained, after it sent its explanation.
"""
from __future__ import annotations

import datetime as dt

from data_models import Campaign
from data_models.scores import Assessment, LeafScore

from .calendar import explanation_deadline, passed, self_assessment_deadline

NOT_SUBMITTED = "chưa nộp"
SUBMITTED = "đã nộp"
ROUND1 = "đã thẩm định lần 1"
EXPLAINED = "đã giải trình"
NOT_EXPLAINED = "không giải trình"
ROUND2 = "đã thẩm định lần 2"
DONE = "hoàn thành"
STATUSES = [NOT_SUBMITTED, SUBMITTED, ROUND1, EXPLAINED, NOT_EXPLAINED, ROUND2, DONE]
#: A unit's appraisal is final: the results may be computed and issued from it.
FINAL = {DONE, NOT_EXPLAINED}


def _scored(assessment: Assessment) -> list[LeafScore]:
    return [s for s in assessment.scores if not s.not_applicable and s.self_score is not None]


def lowered(assessment: Assessment | None) -> list[LeafScore]:
    """Criteria appraised in round 1 below the unit's own score."""
    if assessment is None:
        return []
    return [s for s in _scored(assessment) if s.round1 is not None and s.round1 < s.self_score]


def explained(assessment: Assessment | None) -> list[LeafScore]:
    """Lowered criteria the unit answered in its (sent) explanation: the ones round 2 decides."""
    if assessment is None or assessment.explanation_report is None:
        return []
    return [s for s in lowered(assessment) if s.response]


def explanation_closed(campaign: Campaign, unit_id: str, today: dt.date) -> bool:
    """The unit sent its explanation, or its deadline passed (when the campaign enforces deadlines)."""
    assessment = campaign.assessment(unit_id)
    return bool(assessment and (assessment.explanation_report is not None
                                or passed(campaign, explanation_deadline(campaign, unit_id), today)))


def unit_status(campaign: Campaign, unit_id: str, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    assessment = campaign.assessment(unit_id)
    if assessment is None or assessment.report is None:
        return NOT_SUBMITTED
    scores = _scored(assessment)
    if not scores or any(s.round1 is None for s in scores):
        return SUBMITTED
    if not lowered(assessment):
        return DONE
    if assessment.explanation_report is None:
        return NOT_EXPLAINED if passed(campaign, explanation_deadline(campaign, unit_id), today) else ROUND1
    answered = explained(assessment)
    decided = [s for s in answered if s.round2 is not None]
    if len(decided) == len(answered):
        return DONE
    return ROUND2 if decided else EXPLAINED


def self_assessment_open(campaign: Campaign, unit_id: str, today: dt.date) -> bool:
    """Whether the unit may still change and submit its self-assessment."""
    assessment = campaign.assessment(unit_id)
    if assessment is not None and assessment.report is not None:
        return False
    return not passed(campaign, self_assessment_deadline(campaign, unit_id), today)


def next_step(campaign: Campaign, unit_id: str, today: dt.date) -> tuple[str, dt.date | None, int]:
    """What the unit has to do now, for its home page: (its status, the deadline that applies, how many
    criteria were lowered in round 1). The page words it; the dates come from the plan's calendar and
    the unit's own notice (or extension)."""
    status = unit_status(campaign, unit_id, today)
    lowered_count = len(lowered(campaign.assessment(unit_id)))
    if status == NOT_SUBMITTED:
        return status, self_assessment_deadline(campaign, unit_id), 0
    if status == ROUND1:
        return status, explanation_deadline(campaign, unit_id), lowered_count
    return status, None, lowered_count


def appraisal_queue(campaign: Campaign, agency_id: str | None, today: dt.date) -> dict[str, list[str]]:
    """An appraising agency's work, unit ids by step: 'lan-1' — submitted units with criteria of its
    scope not yet scored in round 1; 'lan-2' — units that explained criteria of its scope not yet
    decided in round 2 (issue 14: the appraiser's queue with its counts)."""
    queue: dict[str, list[str]] = {"lan-1": [], "lan-2": []}
    for unit in campaign.units():
        if unit_status(campaign, unit.id, today) == NOT_SUBMITTED:
            continue
        criteria = campaign.criteria_for(campaign.group_of(unit.id).id)
        appraisers = campaign.appraisers_of(unit.id)
        scope = {leaf.code for leaf in criteria.leaves() if leaf.scoring == "appraised"
                 and (agency_id is None or appraisers[leaf.code][0] == agency_id)}
        scores = [s for s in _scored(campaign.assessment(unit.id)) if s.code in scope]
        if any(s.round1 is None for s in scores):
            queue["lan-1"].append(unit.id)
        answered = {s.code for s in explained(campaign.assessment(unit.id))}
        if any(s.code in answered and s.round2 is None for s in scores):
            queue["lan-2"].append(unit.id)
    return queue


def appraising_agencies(campaign: Campaign, unit_id: str, codes: set[str] | None = None) -> set[str]:
    """The agencies that appraise the unit's appraised criteria (only ``codes`` when given): the ones
    told that a round opens for the unit."""
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    appraisers = campaign.appraisers_of(unit_id)
    return {agency for leaf in criteria.leaves() if leaf.scoring == "appraised" and (codes is None or leaf.code in codes)
            and (agency := appraisers[leaf.code][0]) is not None}


def due_soon(campaign: Campaign, today: dt.date, days: int) -> list[tuple[str, str, dt.date]]:
    """(unit id, step, deadline) of the units whose open step closes within ``days`` days from today
    (today included): the self-assessment not yet sent, or the explanation of a round-1 notice. The
    reminders an "about to close" job sends."""
    out = []
    for unit in campaign.units():
        step, deadline, _ = next_step(campaign, unit.id, today)
        if deadline is not None and step in (NOT_SUBMITTED, ROUND1) and 0 <= (deadline - today).days <= days:
            out.append((unit.id, step, deadline))
    return out
