"""Survey results entered by hand for one unit (điều tra xã hội học): per respondent group, the number
of valid forms and, per criterion and answer value, how many forms chose it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from data_models import Campaign
from data_models.loading import campaign_of
from data_models.criteria import CriteriaNode, RespondentGroup
from service.store.campaigns import Change

from .forms import Fields


@dataclass(frozen=True)
class SurveyGrid:
    group: RespondentGroup
    leaves: list[CriteriaNode]
    values: list[str]          # answer values of the scale, as stored ('0.5')
    labels: list[str]


def survey_grids(campaign: Campaign, unit_id: str) -> list[SurveyGrid]:
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    if criteria.survey_scale is None:
        return []
    options = criteria.survey_scale.options
    values = [str(o.value) for o in options]
    labels = [o.label for o in options]
    return [SurveyGrid(group, [leaf for leaf in criteria.leaves() if leaf.scoring == "survey" and group.id in leaf.survey_groups],
                       values, labels) for group in criteria.respondent_groups]


def apply_survey(data: dict, campaign_id: str, unit_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    campaign = campaign_of(data)
    fields = Fields(values)
    answers = data.setdefault("survey_answers", [])
    changes: list[Change] = []
    for grid in survey_grids(campaign, unit_id):
        key = f"phieu-{grid.group.id}"
        if key not in values:
            continue
        forms = fields.whole(key)
        counts: dict[str, dict[str, int]] = {}
        for leaf in grid.leaves:
            for value in grid.values:
                count = fields.whole(f"ks-{grid.group.id}-{leaf.code}-{value}")
                if count is not None:
                    counts.setdefault(leaf.code, {})[value] = count
        index = next((i for i, a in enumerate(answers) if a["unit"] == unit_id and a["respondent_group"] == grid.group.id), None)
        old = answers[index] if index is not None else None
        new = {"unit": unit_id, "respondent_group": grid.group.id, "forms": forms, "answers": counts} if forms else None
        if new is None and old is not None:
            answers.pop(index)
        elif new is not None and index is not None:
            answers[index] = new
        elif new is not None:
            answers.append(new)
            index = len(answers) - 1
        if new is not None:
            fields.written(f"survey_answers[{index}]", key)
            for leaf in grid.leaves:
                fields.written(f"survey_answers[{index}].answers.{leaf.code}", f"ks-{grid.group.id}-{leaf.code}")
        changes.append(Change(f"{campaign_id}/{unit_id}/khao-sat/{grid.group.id}", old, new))
    fields.finish(data)
    return changes, fields
