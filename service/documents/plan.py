"""Composer of the Kế hoạch: campaign → frame + body blocks (sections, task table, classes, tasks
per agency, survey quotas), every figure and citation computed from the data."""
from __future__ import annotations

from data_models import Campaign
from data_models.placeholders import SURVEY_PLAN
from data_models.plan import Classification, Responsibility, Task, TaskTable
from service.domain.survey import SurveyQuotas, survey_quotas
from service.vietnamese import (amount_in_words, capitalize_first, format_count, format_money, format_number,
                                to_roman)

from .body import Column, Document, Paragraph, Table, cell_paragraph, heading, paragraph
from .frame import GEOMETRY, build_frame
from .text import TextFiller

#: Điểm letters in the Vietnamese order (ND30 uses a) … đ) … g)).
POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
#: Task table column widths (mm) on the 165 mm text width: TT, task, time, lead, coordinating.
TASK_COLUMN_WIDTHS = (10, 63, 26, 30, 36)


def compose_plan(campaign: Campaign) -> Document:
    plan = campaign.plan
    quotas = survey_quotas(plan.survey) if plan.survey else None
    fill = TextFiller(campaign, plan.citation_style, quotas.total if quotas else None)
    composer = _PlanBody(campaign, fill, quotas)
    frame = build_frame(campaign, plan.header, "ke-hoach", [fill(line) for line in plan.title],
                        plan.signature, plan.recipients)
    return Document(kind="ke-hoach", frame=frame, body=tuple(composer.blocks()), stem="ke-hoach",
                    title=" ".join([frame.type_name, *frame.title_lines]))


class _PlanBody:
    def __init__(self, campaign: Campaign, fill: TextFiller, quotas: SurveyQuotas | None):
        self.campaign = campaign
        self.plan = campaign.plan
        self.fill = fill
        self.quotas = quotas
        self.agencies = {agency.id: agency for agency in campaign.agencies}

    def blocks(self):
        for text in self.plan.opening:
            yield paragraph(self.fill(text))
        for number, section in enumerate(self.plan.sections, start=1):
            yield heading(f"{to_roman(number)}. {self.fill(section.title)}")
            yield from self._blocks(section.blocks, counter=[0])

    def _blocks(self, blocks, counter: list[int]):
        for block in blocks:
            if block.type == "text":
                yield from (paragraph(self.fill(text)) for text in block.paragraphs)
            elif block.type == "subsection":
                counter[0] += 1
                yield heading(f"{counter[0]}. {self.fill(block.title)}")
                yield from self._blocks(block.blocks, counter=[0])
            elif block.type == "tasks":
                yield self._task_table(self.plan.tasks)
            elif block.type == "classification":
                yield from self._classification(self.campaign.classification, block.label)
            elif block.type == "responsibilities":
                for item in self.plan.responsibilities:
                    counter[0] += 1
                    yield from self._responsibility(counter[0], item)
            elif block.type == "evaluated_units":
                names = [group.name for group in self.campaign.groups]
                yield paragraph(capitalize_first(" và ".join(names)) + ".")
            elif block.type == "budget":
                yield from self._budget()

    # ------------------------------------------------------------------ task table
    def _task_table(self, table: TaskTable) -> Table:
        c = table.columns
        aligns = ("center", "both", "center", "center", "center")
        columns = tuple(Column(title, width, align) for title, width, align in zip(
            (c.number, c.task, c.time, c.lead, c.coordinating), TASK_COLUMN_WIDTHS, aligns))
        rows = tuple(self._task_row(index, task, aligns) for index, task in enumerate(table.items, start=1))
        return Table(columns, rows)

    def _task_row(self, number: int, task: Task, aligns):
        content: list[Paragraph] = []
        for text in task.content:
            if text == SURVEY_PLAN:
                content += [cell_paragraph(line, "both") for line in self._survey_lines()]
            else:
                content.append(cell_paragraph(self.fill(text), "both"))
        cells = (
            (cell_paragraph(str(number), aligns[0]),),
            tuple(content),
            (cell_paragraph(self.fill(task.time), aligns[2]),),
            (cell_paragraph(self.fill(task.lead), aligns[3]),),
            (cell_paragraph(self.fill(task.coordinating), aligns[4]),) if task.coordinating else (),
        )
        return cells

    def _survey_lines(self) -> list[str]:
        lines = []
        bullet = self.plan.survey.bullet
        for level in self.quotas.levels:
            lines.append(f"- {self.fill(level.level.heading)} {format_number(level.total)} phiếu, cụ thể:")
            for group in level.groups:
                factors = " x ".join(f"{format_count(f.count)} {f.unit}" for f in group.group.factors)
                lines.append(f"{bullet} {self.fill(group.group.respondents)} ({factors}) = "
                             f"{format_number(group.quota)} phiếu.")
        return lines

    # ------------------------------------------------------------------ classes
    def _classification(self, scheme: Classification, label: str):
        bands = scheme.bands
        for index, band in enumerate(bands):
            unit = scheme.unit
            if index == 0:
                rule = f"Từ {format_number(band.min)} đến {format_number(scheme.scale_max)} {unit}"
            elif band.min == 0:
                rule = f"Dưới {format_number(bands[index - 1].min)} {unit}"
            else:
                rule = f"Từ {format_number(band.min)} đến dưới {format_number(bands[index - 1].min)} {unit}"
            end = "." if index == len(bands) - 1 else ";"
            yield paragraph(f"- {label} {band.name}: {rule}{end}")

    # ------------------------------------------------------------------ responsibilities
    def _responsibility(self, number: int, item: Responsibility):
        title = self.fill(item.heading) if item.heading else self.agencies[item.agency].name
        yield heading(f"{number}. {title}")
        lettered = len(item.points) > 1
        for index, point in enumerate(item.points):
            prefix = f"{POINT_LETTERS[index]}) " if lettered else ""
            if point.kind == "appraisal":
                scopes = [s.name if s.role == "lead" else f"Phối hợp thẩm định nội dung: {s.name}"
                          for s in item.appraises]
                if len(scopes) == 1:
                    yield paragraph(f"{prefix}{self.fill(point.text)} {scopes[0]}.")
                    continue
                yield paragraph(f"{prefix}{self.fill(point.text)}")
                yield from _enumeration(point.marker, scopes)
                continue
            if point.text:
                yield paragraph(f"{prefix}{self.fill(point.text)}")
            for text in point.items:
                yield paragraph(f"{point.marker} {self.fill(text)}")

    def _budget(self):
        budget = self.plan.budget
        yield from (paragraph(self.fill(text)) for text in budget.paragraphs)
        if budget.amount is not None:
            yield paragraph(f"Tổng kinh phí dự kiến: {format_money(budget.amount)} "
                            f"(Bằng chữ: {amount_in_words(budget.amount)}).")


def _enumeration(marker: str, items: list[str]):
    """A generated list: each item ends ';', the last '.' (as Nơi nhận and căn cứ do)."""
    for index, text in enumerate(items):
        end = "." if index == len(items) - 1 else ";"
        yield paragraph(f"{marker} {text}{end}")


assert sum(TASK_COLUMN_WIDTHS) == GEOMETRY.text_width_mm
