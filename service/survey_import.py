"""Forms collected with another tool — a LimeSurvey or KoboToolbox export (.xlsx or .csv, one row per
answered form) — read into the same answers a form of the workspace gives, so they count against the
same quotas and flow into the same tallies.

A column is a question when its heading carries the criterion's code ('1.4.1', 'c141', 'q_1_4_1',
'C1_4_1'); a cell holds the scale's value, the answer's words ('Rất quyết liệt') or its place on the
scale ('4', LimeSurvey's 'A4' / 'AO04'). A row's identity (LimeSurvey's 'id', Kobo's '_uuid' or '_id',
else its content) makes importing the same file twice count each form once."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from service.domain.survey_forms import Question

ROW_IDS = ("_uuid", "id", "_id", "response id", "mã phiếu")


@dataclass(frozen=True)
class ImportedForm:
    row: int
    identity: str            # the token that spends this row: the same row imported again counts once
    answers: dict[str, str]


def _digits(text: str) -> str:
    return "".join(re.findall(r"\d+", text))


def question_columns(headings: list[str], asked: list[Question]) -> dict[int, Question]:
    """Column index → question, by the criterion's code in the heading (its digits, in order)."""
    by_code = {q.code: q for q in asked}
    by_digits = {_digits(q.code): q for q in asked}
    out = {}
    for index, heading in enumerate(headings):
        dotted = re.search(r"\d+(?:[._-]\d+)+", heading)
        if dotted and re.sub(r"[_-]", ".", dotted.group(0)) in by_code:
            out[index] = by_code[re.sub(r"[_-]", ".", dotted.group(0))]
        elif re.fullmatch(r"[A-Za-z_]*\d+", heading.strip()) and _digits(heading) in by_digits:
            out[index] = by_digits[_digits(heading)]
    return out


def answer_value(cell: str, question: Question) -> str | None:
    """The scale value a cell means, or None when it is not one of the question's answers."""
    text = cell.strip()
    values = [value for value, _ in question.options]
    if text in values:
        return text
    folded = " ".join(text.casefold().split())
    for value, label in question.options:
        if folded == " ".join(label.casefold().split()):
            return value
    coded = re.fullmatch(r"[Aa][Oo]?0*(\d+)", text)
    if coded and 1 <= int(coded.group(1)) <= len(values):
        return values[int(coded.group(1)) - 1]
    return None


def read_forms(headings: list[str], rows: list[tuple[int, list[str]]], asked: list[Question],
               source: str) -> tuple[list[ImportedForm], list[str]]:
    """(forms, problems): every row with its answers, or the problems of the rows that cannot be read
    (named by row and question) — the caller takes none of them then."""
    columns = question_columns(headings, asked)
    missing = [q.code for q in asked if q not in columns.values()]
    if missing:
        return [], [f"không thấy cột của câu hỏi {', '.join(missing)} (tên cột phải chứa mã tiêu chí, ví dụ "
                    f"'{missing[0]}' hoặc 'c{_digits(missing[0])}')"]
    id_column = next((i for i, h in enumerate(headings) if h.strip().casefold() in ROW_IDS), None)
    forms, problems = [], []
    for number, cells in rows:
        answers = {}
        for index, question in columns.items():
            cell = cells[index] if index < len(cells) else ""
            value = answer_value(cell, question) if cell else None
            if value is None:
                problems.append(f"dòng {number}, câu {question.code}: "
                                + ("để trống" if not cell else f"«{cell[:40]}» không có trong thang trả lời"))
            else:
                answers[question.code] = value
        if len(answers) == len(asked):
            row_id = cells[id_column] if id_column is not None and id_column < len(cells) and cells[id_column] else None
            identity = hashlib.sha256(f"nhap|{source}|{row_id or '|'.join(cells)}|{'' if row_id else number}"
                                      .encode("utf-8")).hexdigest()
            forms.append(ImportedForm(number, identity, answers))
    return (forms, []) if not problems else ([], problems)
