"""Survey sample sizes: each group's quota is the product of its factors, levels and total add up."""
from __future__ import annotations

from dataclasses import dataclass
from math import prod

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
