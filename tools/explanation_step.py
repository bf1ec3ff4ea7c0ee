"""The explanation step of the Ninh Bình 2026 fixture: every unit that lost points in round 1 got the
Sở Nội vụ's notice (Công văn thông báo kết quả thẩm định lần 1) and sent its Báo cáo giải trình,
except Sở Xây dựng — the demo unit, left at 'đã thẩm định lần 1' with a draft explanation and no
round 2, so the demo can walk the step. Used by make_ninh_binh_2026.py; run alone it updates the
fixture in place."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ninh-binh-2026" / "campaign.json"
DEMO_UNIT = "sxd"
NOTICE_DAY = {"year": 2026, "month": 11, "day": 9}          # a Monday
EXPLANATION_DAY = {"year": 2026, "month": 11, "day": 13}    # the Friday of the same week


def _lowered(assessment: dict) -> list[dict]:
    return [s for s in assessment["scores"] if s.get("round1") is not None and s.get("self_score") is not None
            and Decimal(str(s["round1"])) < Decimal(str(s["self_score"]))]


def explanation_step(data: dict) -> None:
    number = 401
    for assessment in data["assessments"]:
        if not _lowered(assessment):
            continue
        if assessment["unit"] == DEMO_UNIT:
            for score in assessment["scores"]:
                score.pop("round2", None)
            continue
        report = assessment["report"]
        assessment["notice"] = {"issuer": "snv", "number": number, "symbol_units": ["CCHC"], "date": NOTICE_DAY}
        assessment["explanation_report"] = {"issuer": report["issuer"], "number": report["number"] + 40,
                                            "symbol_units": report.get("symbol_units", []), "date": EXPLANATION_DAY}
        number += 1


if __name__ == "__main__":
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    explanation_step(data)
    FIXTURE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"đã cập nhật {FIXTURE}")
