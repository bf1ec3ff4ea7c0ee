"""A synthetic campaign of any size, built on the Ninh Bình 2026 fixture's organisation: one criteria
set of FIELDS × CRITERIA × LEAVES leaves, N units with scores, evidence and survey answers."""
from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data_models import parse_campaign  # noqa: E402
from fixtures import FIXTURES_DIR  # noqa: E402


def synthetic_campaign_data(units: int = 150, fields: int = 8, criteria: int = 3, leaves: int = 5, seed: int = 7) -> dict:
    rng = random.Random(seed)
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    base = copy.deepcopy(data["criteria_sets"][0])
    per_leaf = 100 / (fields * criteria * leaves)
    field_nodes = []
    for f in range(1, fields + 1):
        crits = []
        for c in range(1, criteria + 1):
            leaf_nodes = []
            for l in range(1, leaves + 1):
                node = {"code": f"{f}.{c}.{l}", "title": f"Tiêu chí thành phần {f}.{c}.{l}",
                        "max_points": round(per_leaf, 4), "rule": "Hoàn thành: đủ điểm; một phần: theo tỷ lệ.",
                        "evidence": "Văn bản, báo cáo chứng minh kết quả."}
                if l == leaves:
                    node.update(scoring="survey", survey_groups=["nguoi-dan"])
                leaf_nodes.append(node)
            crits.append({"code": f"{f}.{c}", "title": f"Tiêu chí {f}.{c}", "children": leaf_nodes,
                          "max_points": round(sum(n["max_points"] for n in leaf_nodes), 4)})
        field_nodes.append({"code": str(f), "title": f"Lĩnh vực {f}", "appraiser": "snv", "children": crits,
                            "max_points": round(sum(c["max_points"] for c in crits), 4)})
    total = round(sum(f["max_points"] for f in field_nodes), 4)
    base.update(fields=field_nodes, total=total, id="bo-tieu-chi-tong-hop")
    agencies = [a for a in data["agencies"] if a["id"] in {"ubnd-tinh", "snv", "stc", "stp", "skhcn", "vp-ubnd"}]
    group_units, assessments, answers = [], [], []
    for index in range(units):
        unit_id = f"dv-{index:03d}"
        agencies.append({"id": unit_id, "name": f"Sở thử nghiệm số {index}", "header_lines": [f"SỞ THỬ NGHIỆM SỐ {index}"],
                         "parent": "ubnd-tinh", "abbreviation": f"STN{index}", "place": "Ninh Bình"})
        group_units.append({"id": unit_id, "name": f"Sở thử nghiệm số {index}", "agency": unit_id,
                            "signature": {"title": "Giám đốc", "name": "Nguyễn Văn An"}})
        quality = rng.uniform(0.6, 1.0)
        scores = []
        for f in field_nodes:
            for c in f["children"]:
                for leaf in c["children"]:
                    if leaf.get("scoring") == "survey":
                        continue
                    self_score = round(leaf["max_points"] * min(1, quality + rng.uniform(-0.1, 0.1)), 2)
                    row = {"code": leaf["code"], "self_score": self_score, "round1": round(self_score * rng.choice([1, 1, 0.8]), 2),
                           "explanation": "Đơn vị thực hiện theo kế hoạch.",
                           "evidence": [{"number": f"{rng.randint(1, 300)}/BC-STN{index}", "date": "2026-06-15",
                                         "title": "Báo cáo kết quả thực hiện nhiệm vụ"}]}
                    scores.append(row)
        assessments.append({"unit": unit_id, "report": {"issuer": unit_id, "number": index + 1,
                                                        "date": {"year": 2026, "month": 10, "day": 25}},
                            "scores": scores, "summary": ["Đơn vị đã triển khai đầy đủ nhiệm vụ cải cách hành chính."]})
        counts = {str(v): rng.randint(0, 12) for v in (1, 2, 3, 4)}
        answers.append({"unit": unit_id, "respondent_group": "nguoi-dan", "forms": sum(counts.values()),
                        "answers": {leaf["code"]: counts for f in field_nodes for c in f["children"]
                                    for leaf in c["children"] if leaf.get("scoring") == "survey"}})
    data.update(agencies=agencies, groups=[{"id": "so-ban-nganh", "name": "các sở, ban, ngành", "units": group_units}],
                criteria_sets=[dict(base, group="so-ban-nganh")], assessments=assessments, survey_answers=answers,
                previous_results=[], council=[], meeting=None, documents={})
    data["plan"]["responsibilities"] = [r for r in data["plan"]["responsibilities"]
                                        if r.get("agency") in {a["id"] for a in agencies}]
    return data


def synthetic_campaign(**kwargs):
    return parse_campaign(synthetic_campaign_data(**kwargs))
