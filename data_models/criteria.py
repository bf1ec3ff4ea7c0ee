"""Bộ tiêu chí as data: a tree lĩnh vực → tiêu chí → tiêu chí thành phần, with bonus and deduction
items outside it; one set per group of units. Who appraises a node is set on a field and inherited by
its criteria unless a criterion names its own."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Model
from .organisation import Identifier
from .text import Label, Paragraph, Subject

Points = Field(ge=0, le=1000, max_digits=9, decimal_places=4)


class CriteriaNode(Model):
    """A field, criterion or sub-criterion. Leaves are scored; inner nodes add up their children."""
    code: Label = Field(pattern=r"^\d+(\.\d+)*$", description="Mã: '3', '3.1', '3.1.1'")
    title: Subject
    max_points: Decimal = Points
    scoring: Literal["appraised", "survey"] = Field(
        "appraised", description="Lá: tự chấm và thẩm định ('appraised') hay chỉ qua điều tra xã hội học ('survey')")
    rule: Paragraph | None = Field(None, description="Cách tính điểm")
    evidence: Paragraph | None = Field(None, description="Tài liệu kiểm chứng yêu cầu")
    appraiser: Identifier | None = Field(None, description="Cơ quan thẩm định; kế thừa từ nút cha nếu để trống")
    coordinators: list[Identifier] = Field(default_factory=list, description="Cơ quan phối hợp thẩm định")
    not_applicable_when: Paragraph | None = Field(
        None, description="Lá: trường hợp đơn vị được đánh dấu 'không áp dụng' (ví dụ: trong năm không ban hành văn "
                          "bản quy phạm pháp luật); để trống: tiêu chí áp dụng cho mọi đơn vị của nhóm")
    survey_groups: list[Identifier] = Field(default_factory=list, description="Nhóm đối tượng khảo sát chấm lá này")
    answer_labels: list[Label] = Field(default_factory=list, max_length=10,
                                       description="Lời các mức trả lời riêng của câu hỏi này ('Rất quyết liệt' …), "
                                                   "theo thứ tự của 'survey_scale'; để trống dùng lời của thang chung")
    children: list["CriteriaNode"] = Field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @model_validator(mode="after")
    def _consistent(self) -> "CriteriaNode":
        if self.children:
            total = sum((child.max_points for child in self.children), Decimal(0))
            if total != self.max_points:
                raise ValueError(f"tiêu chí {self.code}: tổng điểm tối đa các mục con {total} khác {self.max_points}")
            for child in self.children:
                if not child.code.startswith(self.code + ".") or child.code.count(".") != self.code.count(".") + 1:
                    raise ValueError(f"mã {child.code} không thuộc {self.code} (phải dạng {self.code}.n)")
        if self.scoring == "survey" and self.children:
            raise ValueError(f"tiêu chí {self.code}: chỉ tiêu chí lá mới chấm qua điều tra xã hội học")
        if self.answer_labels and self.scoring != "survey":
            raise ValueError(f"tiêu chí {self.code}: 'answer_labels' chỉ dùng cho tiêu chí điều tra xã hội học")
        if self.not_applicable_when and (self.children or self.scoring == "survey"):
            raise ValueError(f"tiêu chí {self.code}: chỉ tiêu chí lá tự chấm mới có trường hợp 'không áp dụng'")
        if self.scoring == "survey" and not self.survey_groups:
            raise ValueError(f"tiêu chí {self.code}: chấm qua điều tra nhưng chưa ghi nhóm đối tượng khảo sát")
        return self


CriteriaNode.model_rebuild()


class Adjustment(Model):
    """A bonus (điểm thưởng) or deduction (điểm trừ) item outside the tree."""
    code: Label = Field(pattern=r"^[A-ZĐ]{1,3}\d+$", description="'T1' (thưởng), 'TR1' (trừ)")
    title: Subject
    kind: Literal["bonus", "deduction"]
    max_points: Decimal = Points
    appraiser: Identifier
    rule: Paragraph | None = None


class AnswerOption(Model):
    label: Label
    value: Decimal = Field(ge=0, le=100)


class SurveyScale(Model):
    """Answer options and their values: leaf points = mean answer ÷ highest value × leaf maximum."""
    options: list[AnswerOption] = Field(min_length=2, max_length=10)

    @property
    def max_value(self) -> Decimal:
        return max(option.value for option in self.options)

    @property
    def values(self) -> set[Decimal]:
        return {option.value for option in self.options}


class RespondentGroup(Model):
    id: Identifier
    name: Subject


class CriteriaSet(Model):
    """One Bộ tiêu chí, for one group of units."""
    id: Identifier
    group: Identifier = Field(description="id nhóm đơn vị áp dụng (groups[].id)")
    name: Subject
    total: Decimal = Field(Decimal(100), gt=0)
    fields: list[CriteriaNode] = Field(min_length=1, max_length=30)
    adjustments: list[Adjustment] = Field(default_factory=list)
    bonus_cap: Decimal | None = Field(None, ge=0, description="Tổng điểm thưởng tối đa")
    deduction_cap: Decimal | None = Field(None, ge=0, description="Tổng điểm trừ tối đa")
    survey_scale: SurveyScale | None = None
    respondent_groups: list[RespondentGroup] = Field(default_factory=list)
    own_unit_appraisers: dict[Identifier, Identifier] = Field(
        default_factory=dict, description="Cơ quan thẩm định thay khi đơn vị được đánh giá chính là cơ quan thẩm "
                                          "định (Quy chế: thành viên Hội đồng không thẩm định cơ quan mình): "
                                          "{'snv': 'vp-ubnd'}")

    @field_validator("fields")
    @classmethod
    def _top_level_codes(cls, fields: list[CriteriaNode]) -> list[CriteriaNode]:
        for field in fields:
            if "." in field.code:
                raise ValueError(f"lĩnh vực phải có mã một cấp ('1', '2' …), không phải {field.code!r}")
        return fields

    @model_validator(mode="after")
    def _whole(self) -> "CriteriaSet":
        total = sum((f.max_points for f in self.fields), Decimal(0))
        if total != self.total:
            raise ValueError(f"tổng điểm tối đa các lĩnh vực {total} khác tổng của bộ tiêu chí {self.total}")
        codes = [node.code for node in self.nodes()] + [a.code for a in self.adjustments]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"mã tiêu chí bị trùng: {', '.join(duplicates)}")
        if any(leaf.scoring == "survey" for leaf in self.leaves()) and self.survey_scale is None:
            raise ValueError("có tiêu chí chấm qua điều tra nhưng chưa có thang trả lời 'survey_scale'")
        known = {g.id for g in self.respondent_groups}
        for leaf in self.leaves():
            if leaf.answer_labels and len(leaf.answer_labels) != len(self.survey_scale.options):
                raise ValueError(f"tiêu chí {leaf.code}: {len(leaf.answer_labels)} mức trả lời riêng, thang chung có "
                                 f"{len(self.survey_scale.options)} mức")
            unknown = [g for g in leaf.survey_groups if g not in known]
            if unknown:
                raise ValueError(f"tiêu chí {leaf.code}: nhóm khảo sát không có trong 'respondent_groups': {unknown}")
        return self

    def nodes(self) -> Iterator[CriteriaNode]:
        stack = list(reversed(self.fields))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def leaves(self) -> Iterator[CriteriaNode]:
        return (node for node in self.nodes() if node.is_leaf)

    def appraisers(self, own: str | None = None) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """code → (appraising agency, coordinating agencies), inherited down the tree. ``own``: the
        agency of the unit being appraised, which neither appraises nor coordinates its own criteria
        (its ``own_unit_appraisers`` substitute does)."""
        out: dict[str, tuple[str | None, tuple[str, ...]]] = {}

        def walk(node: CriteriaNode, inherited: str | None, coordinators: tuple[str, ...]):
            appraiser = node.appraiser or inherited
            coordinating = tuple(node.coordinators) or (coordinators if not node.appraiser else ())
            if own is not None:
                coordinating = tuple(c for c in coordinating if c != own)
                if appraiser == own:
                    out[node.code] = (self.own_unit_appraisers.get(own, own), coordinating)
                    for child in node.children:
                        walk(child, appraiser, coordinating)
                    return
            out[node.code] = (appraiser, coordinating)
            for child in node.children:
                walk(child, appraiser, coordinating)

        for field in self.fields:
            walk(field, None, ())
        return out
