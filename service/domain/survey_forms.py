"""The questions of one survey form (a respondent group about one unit) and the answers a form may
carry: every question answered with a value of the scale, nothing else. Tallies are counted here too,
so that the index sees the collected forms exactly as it sees hand-typed tallies."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from data_models import Campaign


@dataclass(frozen=True)
class Question:
    code: str                          # the criterion (leaf) code, e.g. '8.1.2'
    text: str                          # the criterion's wording, as the phiếu asks it
    options: tuple[tuple[str, str], ...]  # (value as stored, label) in the scale's order


def respondent_names(campaign: Campaign) -> dict[str, str]:
    """Respondent group id → its name, over every criteria set of the campaign."""
    return {group.id: group.name for criteria in campaign.criteria_sets for group in criteria.respondent_groups}


def questions(campaign: Campaign, unit_id: str, group_id: str) -> list[Question]:
    """The questions ``group_id`` answers about ``unit_id``: the survey-scored criteria of the unit's
    criteria set that name the group, each with the scale's options (a criterion's own labels first)."""
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    scale = criteria.survey_scale
    if scale is None:
        return []
    out = []
    for leaf in criteria.leaves():
        if leaf.scoring != "survey" or group_id not in leaf.survey_groups:
            continue
        labels = leaf.answer_labels or [option.label for option in scale.options]
        out.append(Question(leaf.code, leaf.title, tuple((_value(option.value), label)
                                                         for option, label in zip(scale.options, labels))))
    return out


def _value(number) -> str:
    """A scale value as the tallies store it ('0.5', '1', '4')."""
    text = format(number.normalize(), "f")
    return text


def field_name(code: str) -> str:
    """The form field of a question (no dots: '8.1.2' → 'c-8-1-2')."""
    return "c-" + code.replace(".", "-")


def checked_answers(asked: list[Question], submitted: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(answers, errors): each question's chosen value; an unanswered question or a value off the scale
    is an error named by the question's number on the form, in Vietnamese, and then no answer is taken."""
    answers, errors = {}, {}
    for number, question in enumerate(asked, 1):          # named as the form numbers them
        value = (submitted.get(field_name(question.code)) or "").strip()
        if not value:
            errors[field_name(question.code)] = f"Câu {number}: chưa chọn câu trả lời."
        elif value not in {v for v, _ in question.options}:
            errors[field_name(question.code)] = f"Câu {number}: câu trả lời không có trong phiếu."
        else:
            answers[question.code] = value
    return (answers, errors) if not errors else ({}, errors)


def tally(forms: Iterable[Mapping[str, str]]) -> tuple[int, dict[str, dict[str, int]]]:
    """(number of forms, criterion → {value: forms that chose it}) of a group's answered forms."""
    count, counts = 0, {}
    for answers in forms:
        count += 1
        for code, value in answers.items():
            counts.setdefault(code, {}).setdefault(value, 0)
            counts[code][value] += 1
    return count, counts


def typed_answers(asked: list[Question], typed: str) -> tuple[dict[str, str], str | None]:
    """A paper form typed with the keyboard alone: one digit per question in the form's order, the
    option's place on the scale (1 = the first); with spaces or commas between them when a scale has
    more than nine options. (answers, None) or ({}, the problem naming the question)."""
    text = typed.strip()
    parts = [p for p in text.replace(",", " ").split() if p] if (" " in text or "," in text) else list(text)
    if len(parts) != len(asked):
        return {}, f"phiếu có {len(asked)} câu, đã gõ {len(parts)} câu trả lời"
    answers = {}
    for number, (question, part) in enumerate(zip(asked, parts), 1):
        if not part.isdigit() or not 1 <= int(part) <= len(question.options):
            return {}, f"Câu {number}: «{part}» không có trong thang 1–{len(question.options)}"
        answers[question.code] = question.options[int(part) - 1][0]
    return answers, None


def differing(asked: list[Question], first: Mapping[str, str], second: Mapping[str, str]) -> list[int]:
    """The numbers of the questions two entries of one paper form answer differently."""
    return [number for number, q in enumerate(asked, 1) if first.get(q.code) != second.get(q.code)]
