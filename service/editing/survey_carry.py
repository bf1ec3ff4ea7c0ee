"""The forms collected in the workspace carried into the units' survey tallies (``survey_answers``),
the same edit as typing the tallies by hand (``survey.apply_survey``), audited, one unit's part at a
time. Called by the Sở Nội vụ's button and, a little after forms come in, by the job queue, so the
index and every document follow the survey as it goes. Flask-free."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from data_models import InvalidCampaign
from service.domain.survey_forms import tally
from service.store import survey_collection as store
from service.store.campaigns import update_campaign

from .forms import FormInvalid
from .survey import apply_survey

#: The audit trail's action of a carried tally.
ACTION = "dieu-tra-truc-tuyen"


@dataclass(frozen=True)
class Carried:
    units: int            # units whose tallies were written
    groups: int           # unit × group tallies that changed
    problems: list[str]   # units whose tallies could not be written, with why


def tally_fields(forms: dict[tuple[str, str], list[dict[str, str]]]) -> dict[str, dict[str, str]]:
    """unit → the survey form's fields of its groups with collected forms (what ``apply_survey`` reads)."""
    by_unit: dict[str, dict[str, str]] = {}
    for (unit, group), answered in forms.items():
        count, counts = tally(answered)
        values = by_unit.setdefault(unit, {})
        values[f"phieu-{group}"] = str(count)
        for code, per_value in counts.items():
            for value, n in per_value.items():
                values[f"ks-{group}-{code}-{value}"] = str(n)
    return by_unit


def carry_tallies(engine: Engine, campaign_id: str, actor: str) -> Carried:
    """Write each unit's collected forms as its tallies (a group without forms here keeps its own)."""
    survey = store.survey_of(engine, campaign_id)
    if survey is None:
        return Carried(0, 0, [])
    units, groups, problems = 0, 0, []
    for unit, values in tally_fields(store.answered_forms(engine, survey.id)).items():
        def edit(data, unit=unit, values=values):
            return apply_survey(data, campaign_id, unit, values)[0]
        try:
            _, changes = update_campaign(engine, campaign_id, edit, actor, action=ACTION, unit_id=unit)
        except InvalidCampaign as error:
            problems.append(f"{unit}: " + "; ".join(str(p) for p in error.problems))
            continue
        except FormInvalid as error:
            problems.append(f"{unit}: " + "; ".join(error.errors.values()))
            continue
        units += 1 if changes else 0
        groups += len(changes)
    return Carried(units, groups, problems)
