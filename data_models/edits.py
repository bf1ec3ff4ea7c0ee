"""What the JSON API accepts for the scoring work — the same edits as the forms: a unit's
self-assessment (and its submission), an agency's appraisal rounds, the unit's explanation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field

from .base import Model
from .scores import Evidence
from .text import Label, MultilineText

Points = Field(None, ge=0, le=1000, max_digits=9, decimal_places=4)


class SelfScoreInput(Model):
    code: Label
    self_score: Decimal | None = Points
    not_applicable: bool = False
    explanation: MultilineText | None = None
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)


class ClaimInput(Model):
    code: Label
    points: Decimal | None = Points


class Submission(Model):
    number: int = Field(ge=1, le=999999, description="Số của báo cáo đơn vị gửi")
    date: dt.date


class SelfAssessmentInput(Model):
    """PUT …/units/{unit}/self-assessment: the criteria sent are replaced; ``submit`` closes it."""
    scores: list[SelfScoreInput] = Field(default_factory=list, max_length=2000)
    adjustments: list[ClaimInput] = Field(default_factory=list, max_length=50)
    submit: Submission | None = None


class AppraisalScoreInput(Model):
    code: Label
    round1: Decimal | None = Points
    remark: MultilineText | None = None
    round2: Decimal | None = Points


class AppraisalInput(Model):
    """PUT …/units/{unit}/appraisal: only criteria the caller's agency appraises."""
    scores: list[AppraisalScoreInput] = Field(default_factory=list, max_length=2000)
    adjustments: list[ClaimInput] = Field(default_factory=list, max_length=50)


class ResponseInput(Model):
    code: Label
    response: MultilineText | None = None
    added_evidence: list[Evidence] = Field(default_factory=list, max_length=50)


class ExplanationInput(Model):
    """PUT …/units/{unit}/explanation: the unit's giải trình of criteria scored below its own;
    ``submit`` sends the Báo cáo giải trình (its number and date), after which it is closed."""
    scores: list[ResponseInput] = Field(default_factory=list, max_length=2000)
    submit: Submission | None = None


__all__ = ["SelfAssessmentInput", "AppraisalInput", "ExplanationInput"]


class SurveyGroupInput(Model):
    """One respondent group's tally for the unit: valid forms, and per criterion how many forms chose
    each answer value (the values of the campaign's survey scale, as in campaign.json)."""
    group: Label
    forms: int = Field(ge=0, le=100000, description="Số phiếu hợp lệ; 0 xóa kết quả của nhóm")
    answers: dict[Label, dict[str, int]] = Field(default_factory=dict, description="mã tiêu chí → {giá trị trả lời: số phiếu}")


class SurveyInput(Model):
    """PUT …/units/{unit}/survey: the groups sent are replaced; the others keep what is stored."""
    groups: list[SurveyGroupInput] = Field(default_factory=list, max_length=50)
