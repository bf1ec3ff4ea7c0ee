"""A small campaign built in code (Hà Nam's organisation and plan + a tiny criteria set), for exact
hand-computed checks and property tests."""
import copy
import json
from decimal import Decimal

from data_models import parse_campaign
from fixtures import FIXTURES_DIR

BASE = json.loads((FIXTURES_DIR / "ha-nam-2023" / "campaign.json").read_text(encoding="utf-8"))

CRITERIA = {
    "id": "bo-nho", "group": "so-ban-nganh", "name": "Bộ tiêu chí thử", "total": 10,
    "fields": [
        {"code": "1", "title": "Chỉ đạo, điều hành", "max_points": 6, "appraiser": "snv", "children": [
            {"code": "1.1", "title": "Kế hoạch", "max_points": 4, "children": [
                {"code": "1.1.1", "title": "Ban hành kế hoạch", "max_points": 1.5},
                {"code": "1.1.2", "title": "Thực hiện kế hoạch", "max_points": 2.5,
                 "not_applicable_when": "Trong năm đơn vị không được giao kế hoạch."}]},
            {"code": "1.2", "title": "Đánh giá của cán bộ", "max_points": 2, "children": [
                {"code": "1.2.1", "title": "Mức độ quyết liệt", "max_points": 2, "scoring": "survey",
                 "survey_groups": ["can-bo"]}]}]},
        {"code": "2", "title": "Thể chế", "max_points": 4, "appraiser": "stp", "children": [
            {"code": "2.1", "title": "Văn bản", "max_points": 4, "children": [
                {"code": "2.1.1", "title": "Ban hành văn bản", "max_points": 3, "appraiser": "skhcn",
                 "coordinators": ["vp-ubnd"]},
                {"code": "2.1.2", "title": "Rà soát văn bản", "max_points": 1}]}]}],
    "adjustments": [{"code": "T1", "title": "Khen thưởng", "kind": "bonus", "max_points": 2, "appraiser": "snv"},
                    {"code": "TR1", "title": "Vi phạm", "kind": "deduction", "max_points": 2, "appraiser": "snv"}],
    "bonus_cap": 1,
    "survey_scale": {"options": [{"label": "Kém", "value": 1}, {"label": "Trung bình", "value": 2},
                                 {"label": "Khá", "value": 3}, {"label": "Tốt", "value": 4}]},
    "respondent_groups": [{"id": "can-bo", "name": "Cán bộ"}],
}
APPRAISED_LEAVES = {"1.1.1": Decimal("1.5"), "1.1.2": Decimal("2.5"), "2.1.1": Decimal(3), "2.1.2": Decimal(1)}


def small_campaign_data(units: dict[str, dict], survey: dict[str, dict] | None = None, **settings) -> dict:
    """``units``: unit id → {leaf code: score dict}; ``survey``: unit id → {value: count} for leaf 1.2.1."""
    data = copy.deepcopy(BASE)
    data["groups"][0]["units"] = [{"id": uid, "name": f"Đơn vị {uid.upper()}"} for uid in units]
    data["criteria_sets"] = [copy.deepcopy(CRITERIA)]
    data["assessments"] = [{"unit": uid, "scores": [{"code": code, **row} for code, row in rows.items()]}
                           for uid, rows in units.items()]
    data["survey_answers"] = [{"unit": uid, "respondent_group": "can-bo", "forms": sum(counts.values()),
                               "answers": {"1.2.1": counts}} for uid, counts in (survey or {}).items()]
    if settings:
        data["settings"] = settings
    return data


def small_campaign(*args, **kwargs):
    return parse_campaign(small_campaign_data(*args, **kwargs))
