"""Composer of the Kế hoạch: the plan's own text (sections, task table, classes, tasks per agency,
survey quotas, budget) as the facts of its template, every figure and citation computed here."""
from __future__ import annotations

from data_models import Campaign
from data_models.placeholders import SURVEY_PLAN
from data_models.plan import Classification, Responsibility, TaskTable
from service.domain.survey import SurveyQuotas, survey_quotas
from service.vietnamese import amount_in_words, format_count, format_money, format_number

from .body import Document
from .frame import build_frame
from .text import TextFiller
from .results import plan_citation
from .wording import common_context, word


def compose_plan(campaign: Campaign, template: str | None = None) -> Document:
    plan = campaign.plan
    quotas = survey_quotas(plan.survey) if plan.survey else None
    fill = TextFiller(campaign, plan.citation_style, quotas.total if quotas else None)
    agencies = {agency.id: agency for agency in campaign.agencies}
    context = {
        **common_context(campaign, campaign.agency(plan.header.issuer).name, plan_citation(campaign)),
        "mo_dau": [fill(text) for text in plan.opening],
        "cac_muc": [{"tieu_de": fill(section.title), "khoi": _blocks(section.blocks, fill)} for section in plan.sections],
        "nhiem_vu": _task_table(plan.tasks, fill) if plan.tasks else None,
        "khao_sat": _survey(plan.survey, quotas, fill) if quotas else None,
        "xep_loai": _classes(campaign.classification) if campaign.classification else None,
        "trach_nhiem": [_responsibility(item, agencies, fill) for item in plan.responsibilities],
        "kinh_phi": _budget(plan.budget, fill) if plan.budget else None,
    }
    worded = word("ke-hoach", context, template, {"trich-yeu": [fill(line) for line in plan.title] or None})
    frame = build_frame(campaign, plan.header, "ke-hoach", list(worded.title or ()), plan.signature, plan.recipients)
    return Document(kind="ke-hoach", frame=frame, body=worded.body, stem="ke-hoach",
                    title=" ".join([frame.type_name, *frame.title_lines]))


_BLOCK_KINDS = {"text": "doan-van", "subsection": "muc-con", "tasks": "bang-nhiem-vu", "classification": "xep-loai",
                "responsibilities": "trach-nhiem", "evaluated_units": "don-vi-danh-gia", "budget": "kinh-phi"}


def _blocks(blocks, fill, level: int = 1) -> list[dict]:
    """A section's typed blocks as the template walks them (a subsection holds its own, one level
    deeper: 'cap' is the level of the numbered headings it prints)."""
    out = []
    for block in blocks:
        item = {"loai": _BLOCK_KINDS[block.type], "cap": level}
        if block.type == "text":
            item["doan"] = [fill(text) for text in block.paragraphs]
        elif block.type == "subsection":
            item.update(tieu_de=fill(block.title), khoi=_blocks(block.blocks, fill, level + 1))
        elif block.type == "classification":
            item["nhan"] = block.label
        out.append(item)
    return out


def _task_table(table: TaskTable, fill) -> dict:
    c = table.columns
    return {"cot": {"stt": c.number, "noi_dung": c.task, "thoi_gian": c.time, "chu_tri": c.lead, "phoi_hop": c.coordinating},
            "dong": [{"noi_dung": [{"khao_sat": text == SURVEY_PLAN, "van_ban": "" if text == SURVEY_PLAN else fill(text)}
                                   for text in task.content],
                      "thoi_gian": fill(task.time), "chu_tri": fill(task.lead),
                      "phoi_hop": fill(task.coordinating) if task.coordinating else ""} for task in table.items]}


def _survey(survey, quotas: SurveyQuotas, fill) -> dict:
    return {"dau": survey.bullet,
            "cap": [{"tieu_de": fill(level.level.heading), "tong": format_number(level.total),
                     "nhom": [{"doi_tuong": fill(group.group.respondents), "so_phieu": format_number(group.quota),
                               "cach_tinh": " x ".join(f"{format_count(f.count)} {f.unit}" for f in group.group.factors)}
                              for group in level.groups]} for level in quotas.levels]}


def _classes(scheme: Classification) -> dict:
    bands = scheme.bands
    return {"don_vi": scheme.unit, "diem_toi_da": format_number(scheme.scale_max),
            "muc": [{"ten": band.name, "tu": format_number(band.min), "thap_nhat": band.min == 0,
                     "den": format_number(bands[index - 1].min) if index else None} for index, band in enumerate(bands)]}


def _responsibility(item: Responsibility, agencies, fill) -> dict:
    return {"tieu_de": fill(item.heading) if item.heading else agencies[item.agency].name,
            "diem": [{"noi_dung": fill(point.text) if point.text else "", "dau": point.marker,
                      "tham_dinh": point.kind == "appraisal",
                      "pham_vi": [{"ten": s.name, "chu_tri": s.role == "lead"} for s in item.appraises],
                      "cac_y": [fill(text) for text in point.items]} for point in item.points]}


def _budget(budget, fill) -> dict:
    return {"doan": [fill(text) for text in budget.paragraphs],
            "so_tien": format_money(budget.amount) if budget.amount is not None else None,
            "bang_chu": amount_in_words(budget.amount) if budget.amount is not None else None}
