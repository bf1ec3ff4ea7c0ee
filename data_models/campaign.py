"""campaign.json: one province, one year — the single source every document is generated from."""
from __future__ import annotations

from pydantic import Field

from .base import Model
from .organisation import Agency, Identifier, UnitGroup
from .plan import Classification, Plan
from .text import Name

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

    def agency(self, agency_id: str) -> Agency:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)
