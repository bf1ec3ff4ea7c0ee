"""Where each unit stands in the campaign (shown on the dashboard)."""
from __future__ import annotations

from data_models import Campaign

STATUSES = ["chưa nộp", "đã nộp", "đã thẩm định lần 1", "đã giải trình", "hoàn thành"]


def unit_status(campaign: Campaign, unit_id: str) -> str:
    assessment = campaign.assessment(unit_id)
    if assessment is None or assessment.report is None:
        return "chưa nộp"
    scores = [s for s in assessment.scores if not s.not_applicable and s.self_score is not None]
    if not scores or any(s.round1 is None for s in scores):
        return "đã nộp"
    flagged = [s for s in scores if s.round1 < s.self_score]
    if any(not s.response for s in flagged):
        return "đã thẩm định lần 1"
    if any(s.round2 is None for s in flagged):
        return "đã giải trình"
    return "hoàn thành"
