"""Base model: strict about unknown fields, so a typo in campaign.json is an error, not a silent default."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
