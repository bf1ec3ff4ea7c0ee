"""Survey sample sizes: each group's quota is the product of its factors, levels and total add up."""
from __future__ import annotations

import math
from dataclasses import dataclass
from math import prod

from data_models import Campaign
from data_models.plan import SurveyGroup, SurveyLevel, SurveyPlan


@dataclass(frozen=True)
class GroupQuota:
    group: SurveyGroup
    quota: int


@dataclass(frozen=True)
class LevelQuota:
    level: SurveyLevel
    groups: tuple[GroupQuota, ...]

    @property
    def total(self) -> int:
        return sum(g.quota for g in self.groups)


@dataclass(frozen=True)
class SurveyQuotas:
    levels: tuple[LevelQuota, ...]

    @property
    def total(self) -> int:
        return sum(level.total for level in self.levels)


def group_quota(group: SurveyGroup) -> int:
    """03 người × 18 sở = 54."""
    return prod(factor.count for factor in group.factors)


def survey_quotas(plan: SurveyPlan) -> SurveyQuotas:
    return SurveyQuotas(tuple(
        LevelQuota(level, tuple(GroupQuota(group, group_quota(group)) for group in level.groups))
        for level in plan.levels))


@dataclass(frozen=True)
class FormsAgainstPlan:
    """One respondent group's valid forms, counted from the answers, against the plan's quota for it."""
    respondents: str
    planned: int
    received: int

    @property
    def over(self) -> bool:
        return self.received > self.planned


def _key(name: str) -> str:
    return " ".join(name.casefold().split()).rstrip(":.")


def forms_against_plan(campaign) -> list[FormsAgainstPlan]:
    """Each respondent group of the criteria sets that the plan's sample names (same words, all levels
    summed), with the forms received for it across units: D11, a count above the plan is visible."""
    if campaign.plan.survey is None:
        return []
    planned: dict[str, tuple[str, int]] = {}
    for level in survey_quotas(campaign.plan.survey).levels:
        for quota in level.groups:
            name, total = planned.get(_key(quota.group.respondents), (quota.group.respondents, 0))
            planned[_key(quota.group.respondents)] = (name, total + quota.quota)
    names = {g.id: g.name for c in campaign.criteria_sets for g in c.respondent_groups}
    received: dict[str, int] = {}
    for answers in campaign.survey_answers:
        key = _key(names.get(answers.respondent_group, answers.respondent_group))
        received[key] = received.get(key, 0) + answers.forms
    return [FormsAgainstPlan(name, total, received.get(key, 0)) for key, (name, total) in planned.items()]


def planned_quotas(campaign: Campaign) -> dict[tuple[str, str], int]:
    """(unit, respondent group) → forms per unit from the plan's survey sample: a group's total spread
    over the units of the level it is listed under (the levels in the order of the unit groups), rounded
    up; a group the plan does not list starts at 0 (the Sở Nội vụ types it). Only the units the group
    has questions about."""
    from .survey_forms import questions
    levels = survey_quotas(campaign.plan.survey).levels if campaign.plan.survey else ()
    out = {}
    for index, unit_group in enumerate(campaign.groups):
        level = levels[index] if index < len(levels) else None
        for respondent in campaign.criteria_for(unit_group.id).respondent_groups:
            total = next((q.quota for q in (level.groups if level else ()) if _key(q.group.respondents) == _key(respondent.name)), 0)
            for unit in unit_group.units:
                if questions(campaign, unit.id, respondent.id):
                    out[(unit.id, respondent.id)] = math.ceil(total / len(unit_group.units)) if total else 0
    return out
