"""The small placeholder language of campaign texts, defined once for validation and rendering.

* ``{ref:ID}`` — full citation of reference ID (type, số/ký hiệu, date, issuer, trích yếu);
  ``{ref:ID:cua}`` without the trích yếu; ``{ref:ID:ngay}`` type, số/ký hiệu and date;
  ``{ref:ID:so}`` type and số/ký hiệu only (later mentions);
* ``{year}`` — the campaign year; ``{survey_total}`` — the computed total of survey forms;
* ``{plan}`` — the campaign's own plan, cited ('Kế hoạch số 125/KH-UBND ngày 10/3/2026 của …');
* ``{proposal}`` — in a decision's căn cứ: the Tờ trình that proposes it ('Tờ trình số 45/TTr-SNV
  ngày …', its number left blank while the Tờ trình is a draft);
* ``{survey_plan}`` — alone as a task paragraph: the survey quotas, computed, printed there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_REF = re.compile(r"^ref:([a-z0-9][a-z0-9-]*)(?::(full|cua|ngay|so))?$")
SIMPLE = ("year", "survey_total", "plan", "proposal")
SURVEY_PLAN = "{survey_plan}"


@dataclass(frozen=True)
class Placeholder:
    text: str           # as written, with braces
    name: str           # 'ref', 'year', 'survey_total', 'survey_plan'
    ref_id: str | None = None
    form: str = "full"


def parse_placeholders(text: str) -> list[Placeholder]:
    """All placeholders in ``text``; ValueError (Vietnamese) for an unknown one or a stray brace."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        inner = match.group(1).strip()
        ref = _REF.match(inner)
        if ref:
            found.append(Placeholder(match.group(0), "ref", ref.group(1), ref.group(2) or "full"))
        elif inner in SIMPLE or inner == "survey_plan":
            found.append(Placeholder(match.group(0), inner))
        else:
            raise ValueError(f"trường thay thế không hợp lệ {match.group(0)!r} (dùng {{ref:ID}}, {{ref:ID:so}}, "
                             "{ref:ID:ngay}, {ref:ID:cua}, {year}, {survey_total}, {survey_plan}, {plan}, {proposal})")
    leftover = PLACEHOLDER.sub("", text)
    if "{" in leftover or "}" in leftover:
        raise ValueError("dấu ngoặc nhọn '{' '}' chỉ dùng cho trường thay thế (ví dụ {ref:kh-3403})")
    return found
