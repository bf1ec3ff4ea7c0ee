"""The campaign's calendar: the plan's task table is its source. Deadlines of the steps units take
(self-assessment, explanation), working days, and the task whose deadline a document must respect.
Pure: the caller passes today's date (Vietnam's)."""
from __future__ import annotations

import datetime as dt

from data_models import Campaign
from data_models.plan import Task


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday–Friday) after ``start``: 5 working days from a Friday is the next
    Friday. Public holidays are not known here; an extension covers them."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def self_assessment_deadline(campaign: Campaign, unit_id: str) -> dt.date | None:
    """The day the unit's report is due (the plan's reporting deadline, or the unit's extension)."""
    assessment = campaign.assessment(unit_id)
    if assessment is not None and assessment.extension is not None:
        return assessment.extension.until
    return campaign.reporting.deadline if campaign.reporting else None


def explanation_deadline(campaign: Campaign, unit_id: str) -> dt.date | None:
    """The last day for the unit's explanation: N working days after the round-1 notice it received
    (or the unit's extension); None before the notice."""
    assessment = campaign.assessment(unit_id)
    if assessment is None:
        return None
    if assessment.extension is not None:
        return assessment.extension.until
    if assessment.notice is None or not assessment.notice.date.complete:
        return None
    date = assessment.notice.date
    days = campaign.reporting.explanation_days if campaign.reporting else 5
    return add_working_days(dt.date(date.year, date.month, date.day), days)


def passed(campaign: Campaign, deadline: dt.date | None, today: dt.date) -> bool:
    """Whether a deadline closes its step today: only when the campaign enforces its deadlines."""
    return campaign.settings.deadlines_enforced and deadline is not None and today > deadline


def task_producing(campaign: Campaign, kind: str) -> Task | None:
    """The task of the plan that produces documents of ``kind`` (``produces`` in the task table)."""
    tasks = campaign.plan.tasks.items if campaign.plan.tasks else []
    return next((task for task in tasks if kind in task.produces), None)
