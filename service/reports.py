"""Plain-text tables of computed results (for the terminal)."""
from __future__ import annotations

from data_models import Campaign
from service.domain.scoring import UnitResult
from service.vietnamese import format_number


def ranking_table(campaign: Campaign, group_id: str, results: list[UnitResult]) -> str:
    """The ranking of one group, best first, every figure with 2 decimals and a decimal comma."""
    group = next(g for g in campaign.groups if g.id == group_id)
    width = max(len(r.unit_name) for r in results)
    head = (f"{'Hạng':>4}  {'Đơn vị':<{width}}  {'Tự chấm':>7}  {'Thẩm định':>9}  {'ĐTXHH':>6}  {'Thưởng':>6}  "
            f"{'Trừ':>5}  {'Tổng':>6}  {'Tối đa':>6}  {'Chỉ số':>6}  Xếp loại")
    lines = [f"Kết quả Chỉ số CCHC năm {campaign.year}: {group.name} ({len(results)} đơn vị)", head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.rank:>4}  {r.unit_name:<{width}}  {format_number(r.self_points, 2):>7}  "
            f"{format_number(r.appraised_points, 2):>9}  {format_number(r.survey_points, 2):>6}  "
            f"{format_number(r.bonus, 2):>6}  {format_number(r.deduction, 2):>5}  {format_number(r.total, 2):>6}  "
            f"{format_number(r.maximum, 2):>6}  {format_number(r.index, 2):>6}  {r.band or ''}"
            + (f"  (còn {r.pending} tiêu chí chưa thẩm định)" if r.pending else ""))
    return "\n".join(lines)
