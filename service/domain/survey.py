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
