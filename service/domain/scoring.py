"""The PAR Index of every unit: points per leaf, criterion and field, index %, rank and class.

Decimal at full precision throughout; display rounding belongs to the documents. Formulas
(``shared/spec/par-index.md`` §3):

* a leaf's points: the final appraisal (round 2, else round 1; before any appraisal the self score,
  counted as pending) or, for a survey-only leaf, mean answer ÷ highest answer value × leaf maximum,
  over the valid forms of the respondent groups assigned to it;
* "không áp dụng" leaves leave both the points and the maximum;
* total = appraised + survey + bonus (capped) − deduction (capped), never below 0;
  index = total ÷ maximum × 100, capped at 100 unless the campaign allows more;
* ranks per group on the index at full precision, then the campaign's tie-break; only exact ties
  share a rank (1, 2, 2, 4); classes from the bands' inclusive lower bounds.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from data_models import Campaign
from data_models.criteria import CriteriaNode, CriteriaSet
from data_models.plan import Classification
from data_models.scores import Assessment, LeafScore, ScoringSettings, SurveyAnswers

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LeafResult:
    node: CriteriaNode
    score: LeafScore | None
    not_applicable: bool
    self_points: Decimal | None
    points: Decimal               # what counts: final appraisal, or survey points
    pending: bool                 # appraised leaf not yet appraised (self score stands in)
    survey_forms: int = 0


@dataclass(frozen=True)
class NodeResult:
    """A field or criterion: achieved and maximum over its applicable leaves."""
    node: CriteriaNode
    achieved: Decimal
    maximum: Decimal
    self_points: Decimal

    @property
    def index(self) -> Decimal:
        return self.achieved / self.maximum * HUNDRED if self.maximum else ZERO


@dataclass(frozen=True)
class UnitResult:
    unit_id: str
    unit_name: str
    group_id: str
    self_points: Decimal          # self scores of appraised leaves
    appraised_points: Decimal     # final appraisal of appraised leaves
    survey_points: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    maximum: Decimal
    index: Decimal
    nodes: dict[str, NodeResult]
    leaves: dict[str, LeafResult]
    pending: int
    rank: int = 0
    band: str | None = None

    @property
    def fields(self) -> list[NodeResult]:
        return [n for code, n in self.nodes.items() if "." not in code]


def survey_leaf_points(leaf: CriteriaNode, answers: list[SurveyAnswers], max_value: Decimal) -> tuple[Decimal, int]:
    """(points, forms counted) for a survey-only leaf from the pooled answers of its respondent groups."""
    weighted, count = ZERO, 0
    for group_answers in answers:
        if group_answers.respondent_group not in leaf.survey_groups:
            continue
        for value, n in group_answers.answers.get(leaf.code, {}).items():
            weighted += Decimal(value) * n
            count += n
    if count == 0:
        return ZERO, 0
    return weighted / count / max_value * leaf.max_points, count


def _leaf_result(leaf: CriteriaNode, score: LeafScore | None, answers: list[SurveyAnswers],
                 criteria: CriteriaSet) -> LeafResult:
    if score is not None and score.not_applicable:
        return LeafResult(leaf, score, True, None, ZERO, False)
    if leaf.scoring == "survey":
        points, forms = survey_leaf_points(leaf, answers, criteria.survey_scale.max_value)
        return LeafResult(leaf, score, False, None, points, False, forms)
    self_points = score.self_score if score is not None else None
    final = None
    if score is not None:
        final = score.round2 if score.round2 is not None else score.round1
    pending = final is None
    points = final if final is not None else (self_points or ZERO)
    return LeafResult(leaf, score, False, self_points, points, pending)


def compute_unit(campaign: Campaign, unit_id: str) -> UnitResult:
    """Everything about one unit except its rank and class (they need the whole group)."""
    group = campaign.group_of(unit_id)
    unit = campaign.unit(unit_id)
    criteria = campaign.criteria_for(group.id)
    assessment = campaign.assessment(unit_id) or Assessment(unit=unit_id)
    scores = {s.code: s for s in assessment.scores}
    answers = [a for a in campaign.survey_answers if a.unit == unit_id]
    leaves = {leaf.code: _leaf_result(leaf, scores.get(leaf.code), answers, criteria) for leaf in criteria.leaves()}
    nodes: dict[str, NodeResult] = {}

    def aggregate(node: CriteriaNode) -> NodeResult:
        if node.is_leaf:
            leaf = leaves[node.code]
            maximum = ZERO if leaf.not_applicable else node.max_points
            result = NodeResult(node, leaf.points, maximum, leaf.self_points or ZERO)
        else:
            children = [aggregate(child) for child in node.children]
            result = NodeResult(node, sum((c.achieved for c in children), ZERO),
                                sum((c.maximum for c in children), ZERO),
                                sum((c.self_points for c in children), ZERO))
        nodes[node.code] = result
        return result

    for top in criteria.fields:
        aggregate(top)
    applicable = [leaf for leaf in leaves.values() if not leaf.not_applicable]
    appraised = sum((leaf.points for leaf in applicable if leaf.node.scoring == "appraised"), ZERO)
    survey = sum((leaf.points for leaf in applicable if leaf.node.scoring == "survey"), ZERO)
    self_points = sum((leaf.self_points or ZERO for leaf in applicable), ZERO)
    bonus, deduction = _adjustments(assessment, criteria)
    maximum = sum((leaf.node.max_points for leaf in applicable), ZERO)
    total = max(ZERO, appraised + survey + bonus - deduction)
    index = total / maximum * HUNDRED if maximum else ZERO
    if not campaign.settings.allow_over_100:
        index = min(index, HUNDRED)
    return UnitResult(unit_id, unit.name, group.id, self_points, appraised, survey, bonus, deduction, total,
                      maximum, index, nodes, leaves, sum(1 for leaf in applicable if leaf.pending))


def _adjustments(assessment: Assessment, criteria: CriteriaSet) -> tuple[Decimal, Decimal]:
    kinds = {item.code: item.kind for item in criteria.adjustments}
    sums = defaultdict(lambda: ZERO)
    for item in assessment.adjustments:
        value = item.appraised if item.appraised is not None else (item.self_score or ZERO)
        sums[kinds.get(item.code)] += value
    bonus, deduction = sums["bonus"], sums["deduction"]
    if criteria.bonus_cap is not None:
        bonus = min(bonus, criteria.bonus_cap)
    if criteria.deduction_cap is not None:
        deduction = min(deduction, criteria.deduction_cap)
    return bonus, deduction


def _key(result: UnitResult, settings: ScoringSettings) -> tuple[Decimal, ...]:
    extra = {"appraised": result.appraised_points, "survey": result.survey_points, "self": result.self_points}
    return (result.index, *(extra[name] for name in settings.tie_break))


def band_of(index: Decimal, classification: Classification | None) -> str | None:
    if classification is None:
        return None
    for band in classification.bands:
        if index >= band.min:
            return band.name
    return classification.bands[-1].name


def rank_units(results: list[UnitResult], settings: ScoringSettings,
               classification: Classification | None) -> list[UnitResult]:
    """Competition ranking (1, 2, 2, 4) on the index, then the tie-break; sorted best first."""
    keys = {r.unit_id: _key(r, settings) for r in results}
    ordered = sorted(results, key=lambda r: (tuple(-v for v in keys[r.unit_id]), r.unit_name))
    ranked = []
    for result in ordered:
        better = sum(1 for other in results if keys[other.unit_id] > keys[result.unit_id])
        ranked.append(replace(result, rank=better + 1, band=band_of(result.index, classification)))
    return ranked


@dataclass(frozen=True)
class CampaignResults:
    groups: dict[str, list[UnitResult]] = field(default_factory=dict)   # group id → ranked results

    def unit(self, unit_id: str) -> UnitResult:
        for results in self.groups.values():
            for result in results:
                if result.unit_id == unit_id:
                    return result
        raise KeyError(unit_id)


def compute_campaign(campaign: Campaign) -> CampaignResults:
    """Ranked results of every group that has a criteria set and units."""
    out = {}
    for group in campaign.groups:
        if not group.units or not any(c.group == group.id for c in campaign.criteria_sets):
            continue
        results = [compute_unit(campaign, unit.id) for unit in group.units]
        out[group.id] = rank_units(results, campaign.settings, campaign.classification)
    return CampaignResults(out)
