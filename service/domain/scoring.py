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


# The two per-leaf/per-node records are plain slotted classes, not frozen ones: a frozen dataclass
# initialises through object.__setattr__, which dominated computing 150 units × 120 leaves.
@dataclass(slots=True)
class LeafResult:
    node: CriteriaNode
    score: LeafScore | None
    not_applicable: bool
    self_points: Decimal | None
    points: Decimal               # what counts: final appraisal, or survey points
    pending: bool                 # appraised leaf not yet appraised (self score stands in)
    survey_forms: int = 0


@dataclass(slots=True)
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
    nodes: dict[str, NodeResult]      # fields and criteria (inner nodes); leaves are in ``leaves``
    leaves: dict[str, LeafResult]
    pending: int
    rank: int = 0
    band: str | None = None

    @property
    def fields(self) -> list[NodeResult]:
        return [n for code, n in self.nodes.items() if "." not in code]


@dataclass(frozen=True)
class _Layout:
    """A criteria set flattened once: leaves in order, inner nodes after their children."""
    leaves: tuple[CriteriaNode, ...]
    inner: tuple[tuple[CriteriaNode, tuple[str, ...]], ...]

    @staticmethod
    def of(criteria: CriteriaSet) -> "_Layout":
        leaves: list[CriteriaNode] = []
        inner: list[tuple[CriteriaNode, tuple[str, ...]]] = []

        def walk(node: CriteriaNode) -> None:
            if node.is_leaf:
                leaves.append(node)
                return
            for child in node.children:
                walk(child)
            inner.append((node, tuple(child.code for child in node.children)))

        for field_node in criteria.fields:
            walk(field_node)
        return _Layout(tuple(leaves), tuple(inner))


def _pooled_answers(answers: list[SurveyAnswers]) -> dict[tuple[str, str], tuple[Decimal, int]]:
    """(respondent group, leaf code) → (sum of answer values, number of answers)."""
    pooled: dict[tuple[str, str], tuple[Decimal, int]] = {}
    for group_answers in answers:
        for code, counts in group_answers.answers.items():
            weighted, count = ZERO, 0
            for value, n in counts.items():
                weighted += Decimal(value) * n
                count += n
            pooled[(group_answers.respondent_group, code)] = (weighted, count)
    return pooled


def survey_leaf_points(leaf: CriteriaNode, pooled: dict[tuple[str, str], tuple[Decimal, int]],
                       max_value: Decimal) -> tuple[Decimal, int]:
    """(points, answers counted) for a survey-only leaf: the pooled mean of its respondent groups ÷ the
    highest answer value × the leaf's maximum."""
    weighted, count = ZERO, 0
    for group in leaf.survey_groups:
        group_weighted, group_count = pooled.get((group, leaf.code), (ZERO, 0))
        weighted += group_weighted
        count += group_count
    if count == 0:
        return ZERO, 0
    return weighted / count / max_value * leaf.max_points, count


def _leaf_result(leaf: CriteriaNode, score: LeafScore | None, pooled, max_value: Decimal | None) -> LeafResult:
    if score is not None and score.not_applicable:
        return LeafResult(leaf, score, True, None, ZERO, False)
    if leaf.scoring == "survey":
        points, forms = survey_leaf_points(leaf, pooled, max_value)
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
    criteria = campaign.criteria_for(group.id)
    return _compute(campaign, unit_id, campaign.unit(unit_id).name, group.id, criteria, _Layout.of(criteria),
                    campaign.assessment(unit_id), [a for a in campaign.survey_answers if a.unit == unit_id])


def _compute(campaign: Campaign, unit_id: str, unit_name: str, group_id: str, criteria: CriteriaSet,
             layout: _Layout, assessment: Assessment | None, answers: list[SurveyAnswers]) -> UnitResult:
    assessment = assessment or Assessment(unit=unit_id)
    scores = {s.code: s for s in assessment.scores}
    pooled = _pooled_answers(answers)
    max_value = criteria.survey_scale.max_value if criteria.survey_scale else None
    leaves: dict[str, LeafResult] = {}
    nodes: dict[str, NodeResult] = {}
    sums: dict[str, tuple[Decimal, Decimal, Decimal]] = {}   # code → (achieved, maximum, self)
    appraised = survey = self_points = maximum = ZERO
    pending = 0
    for leaf in layout.leaves:
        result = _leaf_result(leaf, scores.get(leaf.code), pooled, max_value)
        leaves[leaf.code] = result
        if result.not_applicable:
            sums[leaf.code] = (ZERO, ZERO, ZERO)
            continue
        leaf_self = result.self_points or ZERO
        sums[leaf.code] = (result.points, leaf.max_points, leaf_self)
        maximum += leaf.max_points
        self_points += leaf_self
        if leaf.scoring == "survey":
            survey += result.points
        else:
            appraised += result.points
            pending += result.pending
    for node, children in layout.inner:
        achieved = top = own = ZERO
        for code in children:
            child_achieved, child_top, child_own = sums[code]
            achieved += child_achieved
            top += child_top
            own += child_own
        sums[node.code] = (achieved, top, own)
        nodes[node.code] = NodeResult(node, achieved, top, own)
    bonus, deduction = _adjustments(assessment, criteria)
    total = max(ZERO, appraised + survey + bonus - deduction)
    index = total / maximum * HUNDRED if maximum else ZERO
    if not campaign.settings.allow_over_100:
        index = min(index, HUNDRED)
    return UnitResult(unit_id, unit_name, group_id, self_points, appraised, survey, bonus, deduction, total,
                      maximum, index, nodes, leaves, pending)


@dataclass(frozen=True)
class FieldSelfRate:
    """One field of a unit's self-assessment as its report's table shows it: the points it gave
    itself over the maximum of the criteria it scores itself (no survey, no 'không áp dụng')."""
    field: CriteriaNode
    achieved: Decimal
    maximum: Decimal

    @property
    def rate(self) -> Decimal | None:
        return self.achieved / self.maximum * 100 if self.maximum else None


def field_self_rates(campaign: Campaign, result: UnitResult) -> list[FieldSelfRate]:
    """Each field's self score against what the unit could score itself (the report's page-1 table)."""
    criteria = campaign.criteria_for(result.group_id)
    rates = []
    for field_node in criteria.fields:
        maximum = sum((l.node.max_points for l in result.leaves.values()
                       if l.node.code.split(".")[0] == field_node.code and l.node.scoring == "appraised"
                       and not l.not_applicable), Decimal(0))
        rates.append(FieldSelfRate(field_node, result.nodes[field_node.code].self_points or Decimal(0), maximum))
    return rates


def weakest_fields(campaign: Campaign, result: UnitResult) -> list[FieldSelfRate]:
    """The field(s) with the lowest self rate (all of them when tied): what 'nhất là lĩnh vực …' names (N9)."""
    rated = [r for r in field_self_rates(campaign, result) if r.rate is not None]
    if not rated:
        return []
    lowest = min(r.rate for r in rated)
    return [r for r in rated if r.rate == lowest]


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
    """Ranked results of every group that has a criteria set and units (lookups indexed once); units
    excluded from this year's ranking (``exclusions``, with their reason) are left out."""
    assessments = {a.unit: a for a in campaign.assessments}
    answers: dict[str, list[SurveyAnswers]] = defaultdict(list)
    for item in campaign.survey_answers:
        answers[item.unit].append(item)
    excluded = campaign.excluded_units()
    out = {}
    for group in campaign.groups:
        criteria = next((c for c in campaign.criteria_sets if c.group == group.id), None)
        units = [unit for unit in group.units if unit.id not in excluded]
        if not units or criteria is None:
            continue
        layout = _Layout.of(criteria)
        results = [_compute(campaign, unit.id, unit.name, group.id, criteria, layout, assessments.get(unit.id),
                            answers.get(unit.id, [])) for unit in units]
        out[group.id] = rank_units(results, campaign.settings, campaign.classification)
    return CampaignResults(out)
