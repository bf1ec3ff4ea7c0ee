"""The Kế hoạch (plan) as data: sections of text, the task table, classification, responsibilities,
survey plan. Text may cite documents with ``{ref:ID}`` placeholders (see ``service.documents.text``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from .base import Model
from .document import DocumentHeader, LegalReference
from .organisation import Identifier, Recipients, Signature
from .text import Label, Name, Paragraph, Subject


# ---------------------------------------------------------------- body blocks
class TextBlock(Model):
    """Body paragraphs as written (a paragraph may start with '- ' or '+ ' as a list item)."""
    type: Literal["text"]
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=500)


class TasksBlock(Model):
    """Where the task table (plan.tasks) is printed."""
    type: Literal["tasks"]


class ClassificationBlock(Model):
    """Where the classification bands are printed, one '- <label> <band>: …;' line each."""
    type: Literal["classification"]
    label: Label = Field("Đơn vị", description="Từ đứng trước tên loại: 'Đơn vị' → '- Đơn vị Xuất sắc: …'")


class ResponsibilitiesBlock(Model):
    """Where the responsibilities per agency (plan.responsibilities) are printed."""
    type: Literal["responsibilities"]


class EvaluatedUnitsBlock(Model):
    """One sentence naming the evaluated groups: 'Các sở, ban, ngành và Ủy ban nhân dân cấp huyện.'"""
    type: Literal["evaluated_units"]


class BudgetBlock(Model):
    """The budget paragraph(s) of plan.budget."""
    type: Literal["budget"]


class Subsection(Model):
    """A numbered subsection '1. Mục đích' with its own blocks."""
    type: Literal["subsection"]
    title: Subject
    blocks: list["Block"] = Field(min_length=1)


Block = Annotated[
    Union[TextBlock, TasksBlock, ClassificationBlock, ResponsibilitiesBlock, EvaluatedUnitsBlock,
          BudgetBlock, Subsection],
    Field(discriminator="type"),
]
Subsection.model_rebuild()


class Section(Model):
    """A Roman-numbered section 'I. MỤC ĐÍCH, YÊU CẦU'; the title is printed in upper case."""
    title: Subject
    blocks: list[Block] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _upper(cls, value: str) -> str:
        if value != value.upper():
            raise ValueError("tiêu đề mục (I., II. …) phải viết in hoa")
        return value


# ---------------------------------------------------------------- task table
class TaskColumns(Model):
    """Column headings of the task table (the two plans word them differently)."""
    number: Label = "TT"
    task: Label = "Nhiệm vụ"
    time: Label = "Thời gian thực hiện"
    lead: Label = "Cơ quan chủ trì"
    coordinating: Label = "Cơ quan phối hợp"


class Task(Model):
    """One row: the task text (paragraphs; '{survey_plan}' prints the survey quotas there), when, who."""
    content: list[Paragraph] = Field(min_length=1, max_length=100)
    time: Label = Field(description="Thời gian như viết: 'Tháng 10 (Hạn cuối 31/10/2023)', 'Tháng 12-02/2024'")
    deadline: dt.date | None = Field(None, description="Hạn chót, để đối chiếu giữa các văn bản")
    lead: Label
    coordinating: Label | None = None
    produces: list[Identifier] = Field(default_factory=list, max_length=20,
                                       description="Loại văn bản nhiệm vụ này tạo ra ('huong-dan' …): ngày ban hành "
                                                   "của chúng không được sau hạn chót của nhiệm vụ")


class TaskTable(Model):
    columns: TaskColumns = TaskColumns()
    items: list[Task] = Field(min_length=1, max_length=200)


# ---------------------------------------------------------------- classification
class ClassBand(Model):
    """A class (xếp loại) with its inclusive lower bound on the index."""
    name: Name
    min: Decimal = Field(ge=0, le=1000)


class Classification(Model):
    """Classes by index, highest first; the lowest band starts at 0."""
    scale_max: Decimal = Field(Decimal(100), gt=0)
    unit: Label = "điểm"
    bands: list[ClassBand] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _ordered(self) -> "Classification":
        mins = [band.min for band in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("các mức xếp loại phải xếp từ cao xuống thấp, mỗi mức một ngưỡng khác nhau")
        if mins[-1] != 0:
            raise ValueError("mức xếp loại thấp nhất phải bắt đầu từ 0 (mọi chỉ số đều được xếp loại)")
        if mins[0] > self.scale_max:
            raise ValueError("ngưỡng xếp loại vượt quá điểm tối đa")
        if len({band.name for band in self.bands}) != len(self.bands):
            raise ValueError("tên các mức xếp loại bị trùng")
        return self


# ---------------------------------------------------------------- responsibilities
class AppraisalScope(Model):
    """A field (lĩnh vực) or criterion (tiêu chí) that an agency appraises, or co-appraises."""
    name: Subject
    scope: Literal["field", "criterion"] = "field"
    role: Literal["lead", "coordinate"] = "lead"
    code: Label | None = Field(None, description="Mã lĩnh vực/tiêu chí trong Bộ tiêu chí, nếu có")


class Point(Model):
    """A point of a responsibility: text, optional list items; or, with kind 'appraisal', the lead-in
    sentence followed by the agency's appraisal scopes (one scope is printed on the same line)."""
    kind: Literal["text", "appraisal"] = "text"
    text: Paragraph | None = None
    items: list[Paragraph] = Field(default_factory=list, max_length=100)
    marker: Literal["-", "+"] = "-"

    @model_validator(mode="after")
    def _content(self) -> "Point":
        if self.kind == "text" and not (self.text or self.items):
            raise ValueError("điểm trống: cần 'text' hoặc 'items'")
        if self.kind == "appraisal" and (not self.text or self.items):
            raise ValueError("điểm 'appraisal' cần câu dẫn 'text'; các mục lấy từ 'appraises', không ghi 'items'")
        return self


class Responsibility(Model):
    """What one agency does under the plan; points are lettered a), b) … when there are several."""
    agency: Identifier | None = None
    heading: Subject | None = Field(None, description="Tiêu đề thay cho tên cơ quan (nhóm cơ quan)")
    points: list[Point] = Field(min_length=1, max_length=26)
    appraises: list[AppraisalScope] = Field(default_factory=list)

    @model_validator(mode="after")
    def _named(self) -> "Responsibility":
        if not (self.agency or self.heading):
            raise ValueError("cần 'agency' (id cơ quan) hoặc 'heading'")
        if any(p.kind == "appraisal" for p in self.points) and not self.appraises:
            raise ValueError("có điểm 'appraisal' nhưng 'appraises' trống")
        return self


# ---------------------------------------------------------------- survey plan
class SurveyFactor(Model):
    """One factor of a quota: '03 người', '18 sở, ngành'."""
    count: int = Field(ge=1, le=100000)
    unit: Label


class SurveyGroup(Model):
    """A respondent group; its quota is the product of its factors."""
    respondents: Subject
    factors: list[SurveyFactor] = Field(min_length=1, max_length=5)


class SurveyLevel(Model):
    heading: Subject = Field(description="'Cấp tỉnh (…)' hoặc 'Cấp huyện:'")
    groups: list[SurveyGroup] = Field(min_length=1, max_length=50)


class SurveyPlan(Model):
    """The sociological survey sample: levels → groups → factors; every total is computed."""
    bullet: Literal["•", "+", "-"] = "•"
    levels: list[SurveyLevel] = Field(min_length=1, max_length=10)


class Budget(Model):
    paragraphs: list[Paragraph] = Field(min_length=1)
    amount: Decimal | None = Field(None, ge=0, description="Tổng kinh phí (đồng), in kèm số bằng chữ")


# ---------------------------------------------------------------- the plan
class Plan(Model):
    """Kế hoạch triển khai đánh giá, xác định Chỉ số CCHC (signed by UBND tỉnh, drafted by Sở Nội vụ)."""
    header: DocumentHeader
    title: list[Subject] = Field(min_length=1, max_length=6, description="Trích yếu, theo từng dòng")
    citation_style: Literal["short", "long"] = Field("short", description="Ngày trong trích dẫn: 15/12/2022 hoặc 15 tháng 12 năm 2022")
    references: list[LegalReference] = Field(default_factory=list)
    opening: list[Paragraph] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1, max_length=30)
    tasks: TaskTable | None = None
    responsibilities: list[Responsibility] = Field(default_factory=list)
    survey: SurveyPlan | None = None
    budget: Budget | None = None
    signature: Signature
    recipients: Recipients
