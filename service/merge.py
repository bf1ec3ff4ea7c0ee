"""Merging imported data into a campaign's raw JSON (validated as a whole afterwards)."""
from __future__ import annotations


def merge_criteria(data: dict, fields: list[dict], group: str | None) -> None:
    if not group:
        raise ValueError("nhập bộ tiêu chí cần --group (id nhóm đơn vị)")
    sets = data.setdefault("criteria_sets", [])
    existing = next((s for s in sets if s.get("group") == group), None)
    total = sum(float(f["max_points"] or 0) for f in fields)
    if existing is None:
        sets.append({"id": f"bo-tieu-chi-{group}", "group": group, "name": f"Bộ tiêu chí ({group})",
                     "total": total, "fields": fields})
    else:
        existing["fields"] = fields
        existing["total"] = total


def merge_scores(data: dict, rows: list[dict], unit: str | None) -> None:
    if not unit:
        raise ValueError("nhập bảng điểm cần --unit (id đơn vị)")
    assessments = data.setdefault("assessments", [])
    existing = next((a for a in assessments if a.get("unit") == unit), None)
    if existing is None:
        assessments.append({"unit": unit, "scores": rows})
        return
    old = {row["code"]: row for row in existing.get("scores", [])}
    for row in rows:   # keep what the sheet does not carry (evidence, notes)
        merged = {k: v for k, v in old.get(row["code"], {}).items()
                  if k in ("evidence", "added_evidence", "note")}
        old[row["code"]] = {**merged, **row}
    existing["scores"] = list(old.values())


def merge_survey(data: dict, answers: list[dict]) -> None:
    keys = {(a["unit"], a["respondent_group"]) for a in answers}
    kept = [a for a in data.get("survey_answers", []) if (a["unit"], a["respondent_group"]) not in keys]
    data["survey_answers"] = kept + answers


def merge_previous(data: dict, rows: list[dict]) -> None:
    units = {r["unit"] for r in rows}
    data["previous_results"] = [r for r in data.get("previous_results", []) if r["unit"] not in units] + rows
