"""The JSON API's scoring edits as the same form values the pages send, so one code path checks
permissions and data for both; field names in errors are turned back into JSON paths."""
from __future__ import annotations

from decimal import Decimal

from data_models.edits import AppraisalInput, ExplanationInput, SelfAssessmentInput, SurveyInput


def _points(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _evidence(values: dict, names: dict, prefix: str, items, path: str) -> None:
    for n, item in enumerate(items):
        for part, key in (("so", "number"), ("ngay", "date"), ("ten", "title"), ("tep", "file")):
            value = getattr(item, key)
            values[f"{prefix}-{n}-{part}"] = "" if value is None else (value.isoformat() if key == "date" else str(value))
            names[f"{prefix}-{n}-{part}"] = f"{path}[{n}].{key}"


class Translated:
    """Form values for an ``apply_*`` function and, for errors, form field → JSON path."""

    def __init__(self):
        self.values: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def path(self, field: str) -> str:
        """The JSON path of a form field; a criterion the request did not send: scores[code=…]."""
        if field in self.names:
            return self.names[field]
        prefix, _, code = field.partition("-")
        key = {"diem": "self_score", "tm": "explanation", "v1": "round1", "nx": "remark", "v2": "round2",
               "gt": "response"}.get(prefix)
        return f"scores[code={code}].{key}" if key else field


def self_assessment(body: SelfAssessmentInput, known_codes: list[str]) -> Translated:
    """Criteria not sent keep their stored values (sent back unchanged by the caller's view)."""
    out = Translated()
    for i, row in enumerate(body.scores):
        out.values[f"diem-{row.code}"] = _points(row.self_score)
        out.names[f"diem-{row.code}"] = f"scores[{i}].self_score"
        out.values[f"tm-{row.code}"] = row.explanation or ""
        out.names[f"tm-{row.code}"] = f"scores[{i}].explanation"
        if row.not_applicable:
            out.values[f"ktd-{row.code}"] = "1"
        _evidence(out.values, out.names, f"tl-{row.code}", row.evidence, f"scores[{i}].evidence")
    for i, claim in enumerate(body.adjustments):
        out.values[f"tdc-{claim.code}"] = _points(claim.points)
        out.names[f"tdc-{claim.code}"] = f"adjustments[{i}].points"
    if body.submit is not None:
        out.values.update({"bc-so": str(body.submit.number), "bc-ngay": body.submit.date.isoformat()})
        out.names.update({"bc-so": "submit.number", "bc-ngay": "submit.date"})
    unknown = sorted({row.code for row in body.scores} - set(known_codes))
    if unknown:
        raise KeyError(unknown)
    return out


def appraisal(body: AppraisalInput) -> Translated:
    out = Translated()
    for i, row in enumerate(body.scores):
        for key, field in (("round1", "v1"), ("remark", "nx"), ("round2", "v2")):
            value = getattr(row, key)
            out.values[f"{field}-{row.code}"] = (value or "") if key == "remark" else _points(value)
            out.names[f"{field}-{row.code}"] = f"scores[{i}].{key}"
    for i, claim in enumerate(body.adjustments):
        out.values[f"dc-{claim.code}"] = _points(claim.points)
        out.names[f"dc-{claim.code}"] = f"adjustments[{i}].points"
    return out


def explanation(body: ExplanationInput) -> Translated:
    out = Translated()
    for i, row in enumerate(body.scores):
        out.values[f"gt-{row.code}"] = row.response or ""
        out.names[f"gt-{row.code}"] = f"scores[{i}].response"
        _evidence(out.values, out.names, f"bs-{row.code}", row.added_evidence, f"scores[{i}].added_evidence")
    if body.submit is not None:
        out.values.update({"gt-so": str(body.submit.number), "gt-ngay": body.submit.date.isoformat()})
        out.names.update({"gt-so": "submit.number", "gt-ngay": "submit.date"})
    return out


def survey(body: SurveyInput, grids) -> Translated:
    """The survey form's values (``phieu-<group>``, ``ks-<group>-<code>-<value>``); KeyError names a
    group, criterion or answer value the unit's survey does not have."""
    out = Translated()
    by_group = {grid.group.id: grid for grid in grids}
    for i, sent in enumerate(body.groups):
        grid = by_group.get(sent.group)
        if grid is None:
            raise KeyError(f"groups[{i}].group", sent.group)
        out.values[f"phieu-{grid.group.id}"] = str(sent.forms)
        out.names[f"phieu-{grid.group.id}"] = f"groups[{i}].forms"
        codes = {leaf.code for leaf in grid.leaves}
        for code, counts in sent.answers.items():
            if code not in codes:
                raise KeyError(f"groups[{i}].answers", code)
            for value, count in counts.items():
                if value not in grid.values:
                    raise KeyError(f"groups[{i}].answers.{code}", value)
                out.values[f"ks-{grid.group.id}-{code}-{value}"] = str(count)
                out.names[f"ks-{grid.group.id}-{code}-{value}"] = f"groups[{i}].answers.{code}.{value}"
    return out
