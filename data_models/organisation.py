"""Agencies (cơ quan), groups of evaluated units, signers and their authority."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from .base import Model
from .text import Label, Name

_ABBREVIATION = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9&]*$")


def _check_abbreviation(value: str) -> str:
    if not _ABBREVIATION.match(value):
        raise ValueError("chữ viết tắt phải bắt đầu bằng chữ in hoa, không dấu cách, không dấu gạch (ví dụ UBND, SNV, TCDNC)")
    return value


Abbreviation = Annotated[Label, AfterValidator(_check_abbreviation)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Agency(Model):
    """A state body that issues, appraises or receives documents (Sở Nội vụ, UBND tỉnh …)."""
    id: Identifier
    name: Name = Field(description="Tên đầy đủ, như viết trong câu: 'Sở Nội vụ', 'Ủy ban nhân dân tỉnh Hà Nam'")
    header_lines: list[Name] = Field(min_length=1, max_length=4,
                                     description="Tên cơ quan ban hành in ở ô 2, chữ in hoa, theo từng dòng")
    parent_header: Name | None = Field(None, description="Cách in tên khi là cơ quan chủ quản: 'UBND TỈNH HÀ NAM'")
    parent: Identifier | None = None
    abbreviation: Abbreviation
    place: Name = Field(description="Địa danh ở ô 4: 'Hà Nam', 'Thành phố Hồ Chí Minh'")
    collective: Name | None = Field(None, description="Tên tập thể khi ký TM.: 'Ủy ban nhân dân'")

    @field_validator("header_lines")
    @classmethod
    def _upper(cls, lines: list[str]) -> list[str]:
        for line in lines:
            if line != line.upper():
                raise ValueError(f"tên cơ quan ở ô 2 phải viết in hoa: {line!r}")
        return lines


class Unit(Model):
    """An evaluated unit (a sở, a UBND cấp huyện or xã); ``agency`` is its entry in ``agencies``
    (header lines, place, abbreviation) for the documents it issues, signed by ``signature``."""
    id: Identifier
    name: Name
    abbreviation: Abbreviation | None = None
    agency: Identifier | None = None
    signature: "Signature | None" = None


class UnitGroup(Model):
    """A group of units ranked among themselves, with its own criteria set."""
    id: Identifier
    name: Name = Field(description="Như viết trong câu: 'các sở, ban, ngành', 'Ủy ban nhân dân cấp huyện'")
    units: list[Unit] = Field(default_factory=list)


class Signature(Model):
    """Who signs and with what authority (ND30 PL I II.7): TM., KT., Q., TL., TUQ. or none."""
    authority: Literal["", "TM", "KT", "Q", "TL", "TUQ"] = ""
    collective: Name | None = Field(None, description="Với TM.: tên tập thể, ví dụ 'Ủy ban nhân dân'")
    principal: Name | None = Field(None, description="Chức vụ người đứng đầu mà người ký ký thay/thừa lệnh: 'Chủ tịch'")
    deputy_of: Name | None = Field(None, description="Với TL. do cấp phó ký: chức vụ trưởng đơn vị, 'Chánh Văn phòng'")
    title: Name = Field(description="Chức vụ người ký: 'Phó Chủ tịch'")
    name: Name = Field(description="Họ tên người ký, không kèm học hàm, học vị")

    @field_validator("name")
    @classmethod
    def _no_academic_titles(cls, value: str) -> str:
        if re.match(r"^(GS|PGS|TS|ThS|KS|BS|CN)\.", value):
            raise ValueError("không ghi học hàm, học vị trước họ tên người ký (Nghị định 30)")
        return value

    @model_validator(mode="after")
    def _authority_fields(self) -> "Signature":
        if self.authority == "TM" and not self.collective:
            raise ValueError("ký TM. (thay mặt) cần 'collective': tên tập thể")
        if self.authority in ("KT", "TL", "TUQ") and not self.principal:
            raise ValueError(f"ký {self.authority}. cần 'principal': chức vụ người đứng đầu")
        return self


class Recipient(Model):
    name: Name
    note: Label | None = Field(None, description="Ghi chú trong ngoặc: 'để b/c', 'thực hiện'")


class Recipients(Model):
    """Nơi nhận: the list and the archive line (Lưu: VT, <đơn vị soạn thảo>)."""
    items: list[Recipient] = Field(min_length=1, max_length=200)
    archive: list[Abbreviation] = Field(default_factory=list, max_length=5,
                                        description="Đơn vị soạn thảo lưu hồ sơ, sau 'Lưu: VT'")


Unit.model_rebuild()
