"""Read and check a campaign: JSON → pydantic → cross-references. Nothing renders before this passes."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .campaign import Campaign
from .scores import Assessment, SurveyAnswers
from .errors import InvalidCampaign, Problem, problems_from_validation
from .placeholders import SURVEY_PLAN, parse_placeholders
from .registers import check_registers
from .scoring_checks import check_scoring

#: campaign.json larger than this is refused before parsing (a campaign is a few hundred kB).
MAX_CAMPAIGN_BYTES = 20 * 1024 * 1024
_BLOCK_TAGS = frozenset({"text", "tasks", "classification", "responsibilities", "evaluated_units",
                         "budget", "subsection"})
_SHORT_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def iter_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every string inside a model, in field order."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def campaign_data(campaign: Campaign) -> dict:
    """The campaign as campaign.json holds it: only the fields it was given (nothing filled in by
    defaults), text normalised as validated, numbers as JSON numbers — so what is stored, served by
    the API and sent back is one and the same, and parsing it again gives the same campaign."""
    return _plain(campaign.model_dump(mode="python", exclude_unset=True))


def unit_entries_data(campaign: Campaign, unit_id: str) -> dict:
    """``campaign_data``'s assessments and survey answers of one unit only — what its stored part and
    its version are made of — without dumping the rest of the campaign."""
    return {"assessments": [_plain(a.model_dump(mode="python", exclude_unset=True))
                            for a in campaign.assessments if a.unit == unit_id],
            "survey_answers": [_plain(s.model_dump(mode="python", exclude_unset=True))
                               for s in campaign.survey_answers if s.unit == unit_id]}


def parse_json_text(text: str | bytes, source: str = "") -> Any:
    """JSON text to data, with every failure an InvalidCampaign in Vietnamese: too large, not UTF-8,
    not JSON, nested too deep (a hostile file must not exhaust the stack), numbers that are not finite."""
    if len(text) > MAX_CAMPAIGN_BYTES:
        raise InvalidCampaign([Problem("", f"dữ liệu quá lớn (tối đa {MAX_CAMPAIGN_BYTES // 2**20} MB)")], source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidCampaign([Problem("", "dữ liệu không phải văn bản UTF-8")], source) from None
    if _too_deep(text):
        raise InvalidCampaign([Problem("", f"JSON lồng quá sâu (tối đa {MAX_JSON_DEPTH} cấp)")], source)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise InvalidCampaign([Problem("", f"JSON không hợp lệ ở dòng {error.lineno}, cột {error.colno}: {error.msg}")],
                              source) from None
    except ValueError as error:
        raise InvalidCampaign([Problem("", str(error))], source) from None


#: campaign.json nests about 12 levels; 64 leaves room and keeps parsers far from the stack's limit.
MAX_JSON_DEPTH = 64


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_JSON_DEPTH (checked before parsing)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str):
    raise ValueError(f"JSON chứa {name}: chỉ nhận số hữu hạn")


def parse_campaign(data: Any, source: str = "") -> Campaign:
    """Validate already-parsed JSON; raise InvalidCampaign with every problem found."""
    if not isinstance(data, dict):
        what = {list: "một danh sách", str: "một chuỗi", int: "một số", float: "một số", bool: "true/false"}.get(
            type(data), "null")
        raise InvalidCampaign([Problem("", f"campaign.json phải là một đối tượng JSON ({{…}}), không phải {what}")], source)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as error:
        raise InvalidCampaign(problems_from_validation(error, _BLOCK_TAGS), source) from None
    problems = list(check_campaign(campaign))
    if problems:
        raise InvalidCampaign(problems, source)
    return campaign


class ValidatedData(dict):
    """A campaign.json dict handed to an edit together with the campaign it was validated as, so the
    edit need not validate it again (``campaign_of``); the edit changes the dict, never ``validated``.
    ``core``: when the dict holds one unit's entries only, the validated core they belong to."""
    validated: Campaign | None = None
    core: Campaign | None = None


def validate_edited(data: dict) -> Campaign:
    """Validate an edited campaign.json dict the way the store will: one unit's entries with their
    core, or the whole campaign."""
    if isinstance(data, ValidatedData) and data.core is not None:
        return parse_unit_entries(data.core, data)
    return parse_campaign(data)


def campaign_of(data: dict) -> Campaign:
    """The campaign a campaign.json dict is (validated once: reused when the store already did)."""
    if isinstance(data, ValidatedData) and data.validated is not None:
        return data.validated
    return Campaign.model_validate(data)


_UNIT_LISTS = {"assessments": TypeAdapter(list[Assessment]), "survey_answers": TypeAdapter(list[SurveyAnswers])}


def parse_unit_entries(core: Campaign, data: dict, source: str = "") -> Campaign:
    """``core`` (a campaign already validated, as stored) with the assessments and survey answers of
    ``data`` in place of its own: those lists validated on their own, then the whole checked with the
    cross-field rules. What one unit's save costs — about 4 ms instead of 20 for a province's core —
    with the same problems, at the same paths, as ``parse_campaign`` of the whole would give."""
    problems: list[Problem] = []
    update = {}
    for key, adapter in _UNIT_LISTS.items():
        try:
            update[key] = adapter.validate_python(data.get(key, []))
        except ValidationError as error:
            problems += [Problem(key + (p.path if not p.path or p.path.startswith("[") else f".{p.path}"), p.message)
                         for p in problems_from_validation(error, _BLOCK_TAGS)]
    if problems:
        raise InvalidCampaign(problems, source)
    campaign = core.model_copy(update=update)
    problems = list(_check_units(campaign))
    if problems:
        raise InvalidCampaign(problems, source)
    return campaign


def _check_units(campaign: Campaign) -> Iterator[Problem]:
    """The cross-field rules that read the units' entries (the rest read only the core, already
    checked when the core was validated)."""
    yield from _check_deadlines(campaign)
    yield from check_scoring(campaign)
    yield from check_registers(campaign)


def load_campaign(folder: str | Path) -> Campaign:
    """Load ``<folder>/campaign.json`` (or a path to the JSON file itself)."""
    path = Path(folder)
    if path.is_dir():
        path = path / "campaign.json"
    if not path.is_file():
        raise InvalidCampaign([Problem("", f"không tìm thấy tệp {path}")], str(path))
    if path.stat().st_size > MAX_CAMPAIGN_BYTES:
        raise InvalidCampaign([Problem("", f"tệp quá lớn (tối đa {MAX_CAMPAIGN_BYTES // 2**20} MB)")], str(path))
    return parse_campaign(parse_json_text(path.read_bytes(), str(path)), str(path))


def check_campaign(campaign: Campaign) -> Iterator[Problem]:
    """Cross-field rules pydantic cannot see field by field: ids, references, placeholders, dates."""
    agency_ids = [a.id for a in campaign.agencies]
    for index, agency_id in enumerate(agency_ids):
        if agency_ids.index(agency_id) != index:
            yield Problem(f"agencies[{index}].id", f"id {agency_id!r} bị trùng")
    known = set(agency_ids)
    for index, agency in enumerate(campaign.agencies):
        if agency.parent is not None and (agency.parent not in known or agency.parent == agency.id):
            yield Problem(f"agencies[{index}].parent", f"không có cơ quan chủ quản {agency.parent!r}")
    if campaign.council_agency is not None and campaign.council_agency not in known:
        yield Problem("council_agency", f"không có cơ quan {campaign.council_agency!r} trong 'agencies'")
    group_ids = [g.id for g in campaign.groups]
    if len(set(group_ids)) != len(group_ids):
        yield Problem("groups", "id nhóm đơn vị bị trùng")

    plan = campaign.plan
    if plan.header.issuer not in known:
        yield Problem("plan.header.issuer", f"không có cơ quan {plan.header.issuer!r} trong 'agencies'")
    elif plan.signature.authority == "TM" and campaign.agency(plan.header.issuer).collective is None:
        yield Problem("plan.signature.authority", "ký TM. nhưng cơ quan ban hành không phải tập thể ('collective')")
    if not campaign.year - 1 <= plan.header.date.year <= campaign.year + 1:
        yield Problem("plan.header.date.year", f"năm ban hành {plan.header.date.year} không khớp năm đánh giá {campaign.year}")
    for index, item in enumerate(plan.responsibilities):
        if item.agency is not None and item.agency not in known:
            yield Problem(f"plan.responsibilities[{index}].agency", f"không có cơ quan {item.agency!r} trong 'agencies'")

    reference_ids = [r.id for r in plan.references]
    for index, ref_id in enumerate(reference_ids):
        if reference_ids.index(ref_id) != index:
            yield Problem(f"plan.references[{index}].id", f"id {ref_id!r} bị trùng")
    for kind, document in campaign.documents.items():
        if document.replaces is not None and document.replaces not in reference_ids:
            yield Problem(f"documents.{kind}.replaces", f"không có văn bản {document.replaces!r} trong 'plan.references'")
    yield from _check_placeholders(campaign, set(reference_ids))
    yield from _check_blocks(campaign)
    yield from _check_deadlines(campaign)
    yield from check_scoring(campaign)
    yield from check_registers(campaign)


def _check_placeholders(campaign: Campaign, reference_ids: set[str]) -> Iterator[Problem]:
    plan = campaign.plan
    texts = list(iter_strings(plan, "plan"))
    for kind, document in campaign.documents.items():
        texts += list(iter_strings(document, f"documents.{kind}"))
        if not campaign.year - 1 <= document.header.date.year <= campaign.year + 1:
            yield Problem(f"documents.{kind}.header.date.year",
                          f"năm {document.header.date.year} nằm ngoài đợt đánh giá năm {campaign.year}")
        if document.header.issuer not in {a.id for a in campaign.agencies}:
            yield Problem(f"documents.{kind}.header.issuer", f"không có cơ quan {document.header.issuer!r} trong 'agencies'")
    for path, text in texts:
        try:
            found = parse_placeholders(text)
        except ValueError as error:
            yield Problem(path, str(error))
            continue
        for placeholder in found:
            if placeholder.name == "ref" and placeholder.ref_id not in reference_ids:
                yield Problem(path, f"{placeholder.text}: không có văn bản {placeholder.ref_id!r} trong 'plan.references'")
            if placeholder.name in ("survey_total", "survey_plan") and plan.survey is None:
                yield Problem(path, f"{placeholder.text} cần mục 'plan.survey'")
            if placeholder.name == "survey_plan" and (text != SURVEY_PLAN or ".content[" not in path):
                yield Problem(path, "{survey_plan} phải đứng riêng một đoạn trong nội dung nhiệm vụ (tasks.items[].content)")


def _walk_blocks(blocks, path):
    for index, block in enumerate(blocks):
        yield f"{path}[{index}]", block
        if block.type == "subsection":
            yield from _walk_blocks(block.blocks, f"{path}[{index}].blocks")


def _check_blocks(campaign: Campaign) -> Iterator[Problem]:
    plan = campaign.plan
    needs = {"tasks": plan.tasks, "responsibilities": plan.responsibilities or None, "budget": plan.budget,
             "classification": campaign.classification}
    for s_index, section in enumerate(plan.sections):
        for path, block in _walk_blocks(section.blocks, f"plan.sections[{s_index}].blocks"):
            if block.type in needs and needs[block.type] is None:
                owner = "classification" if block.type == "classification" else f"plan.{block.type}"
                yield Problem(f"{path}.type", f"khối '{block.type}' nhưng '{owner}' chưa có dữ liệu")


def _check_deadlines(campaign: Campaign) -> Iterator[Problem]:
    if campaign.plan.tasks is None:
        return
    for index, task in enumerate(campaign.plan.tasks.items):
        if task.deadline is None:
            continue
        path = f"plan.tasks.items[{index}]"
        if not campaign.year <= task.deadline.year <= campaign.year + 1:
            yield Problem(f"{path}.deadline", f"hạn {task.deadline:%d/%m/%Y} nằm ngoài năm đánh giá {campaign.year}")
        for day, month, year in _SHORT_DATE.findall(task.time):
            if (int(day), int(month), int(year)) != (task.deadline.day, task.deadline.month, task.deadline.year):
                yield Problem(f"{path}.time", f"ngày {day}/{month}/{year} trong thời gian thực hiện khác hạn "
                                              f"'deadline' {task.deadline:%d/%m/%Y}")
