"""campaign.json: one province, one year — the single source every document is generated from."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .base import Model
from .criteria import CriteriaSet
from .document import IssuedDocument
from .organisation import Agency, Identifier, Unit, UnitGroup
from .plan import Classification, Plan
from .scores import (AppraisalMeeting, Assessment, CouncilMember, Exclusion, PreviousResult, Reporting,
                     ScoringSettings, SecretariatMeeting, SurveyAnswers)
from .text import Name

#: Mã định danh điện tử (QĐ 20/2020/QĐ-TTg): four levels of 2–3 digits or capitals, e.g. 000.00.31.H45.
EDOC_CODE_PATTERN = r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3}$"
EdocCode = Annotated[str, StringConstraints(pattern=EDOC_CODE_PATTERN)]

SCHEMA_VERSION = 1


class Campaign(Model):
    """A PAR Index campaign: organisation, evaluated groups, classes and the plan.

    Later parts of the product (criteria, scores, council …) extend this same model."""
    schema_version: int = Field(SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    id: Identifier
    name: Name
    province: Name
    year: int = Field(ge=2000, le=2200)
    agencies: list[Agency] = Field(min_length=1, max_length=2000)
    groups: list[UnitGroup] = Field(min_length=1, max_length=20)
    classification: Classification | None = Field(None, description="Các mức xếp loại theo chỉ số")
    plan: Plan
    criteria_sets: list[CriteriaSet] = Field(default_factory=list)
    settings: ScoringSettings = ScoringSettings()
    assessments: list[Assessment] = Field(default_factory=list, max_length=5000)
    exclusions: list[Exclusion] = Field(default_factory=list, description="Đơn vị không xếp hạng năm nay, có lý do")
    survey_answers: list[SurveyAnswers] = Field(default_factory=list, max_length=50000)
    previous_results: list[PreviousResult] = Field(default_factory=list)
    council: list[CouncilMember] = Field(default_factory=list, description="Hội đồng thẩm định và Tổ Thư ký")
    meeting: AppraisalMeeting | None = None
    secretariat_meeting: SecretariatMeeting | None = Field(None, description="Cuộc họp của Tổ Thư ký (Giấy mời họp Tổ Thư ký)")
    council_agency: Identifier | None = Field(
        None, description="id trong 'agencies' đứng tên Hội đồng thẩm định: Biên bản và văn bản Hội đồng gửi cơ quan "
                          "thường trực (để cơ quan thường trực không tự gửi văn bản cho chính mình)")
    reporting: Reporting | None = None
    documents: dict[str, IssuedDocument] = Field(default_factory=dict,
                                                 description="Văn bản cấp chiến dịch theo loại: 'quyet-dinh-cong-bo', 'bao-cao-ket-qua'")
    edoc_codes: dict[Name, EdocCode] = Field(
        default_factory=dict, max_length=5000,
        description="Mã định danh điện tử của cơ quan, tổ chức (QĐ 20/2020/QĐ-TTg) theo tên như viết ở Nơi nhận, Kính "
                    "gửi và tên cơ quan, đơn vị: văn bản gửi qua trục liên thông (edXML) đi tới các mã này")

    def excluded_units(self) -> set[str]:
        """Ids of the units left out of this year's ranking (``exclusions``)."""
        return {e.unit for e in self.exclusions}

    def units(self) -> list[Unit]:
        return [unit for group in self.groups for unit in group.units]

    def unit(self, unit_id: str) -> Unit:
        for unit in self.units():
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)

    def group_of(self, unit_id: str) -> UnitGroup:
        for group in self.groups:
            if any(unit.id == unit_id for unit in group.units):
                return group
        raise KeyError(unit_id)

    def appraisers_of(self, unit_id: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """Who appraises each criterion of this unit: the set's appraisers, the unit's own agency
        replaced by its substitute (no agency appraises itself, N5)."""
        unit = self.unit(unit_id)
        return self.criteria_for(self.group_of(unit_id).id).appraisers(own=unit.agency or unit.id)

    def criteria_for(self, group_id: str) -> CriteriaSet:
        for criteria in self.criteria_sets:
            if criteria.group == group_id:
                return criteria
        raise KeyError(group_id)

    def assessment(self, unit_id: str) -> Assessment | None:
        return next((a for a in self.assessments if a.unit == unit_id), None)

    def agency(self, agency_id: str) -> Agency:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)
