"""What every document carries: header (issuer, number, date), cited documents."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Model
from .organisation import Abbreviation, Identifier, Recipients, Signature
from .text import Label, Name, Paragraph, Subject


class PartialDate(Model):
    """A date that a draft may leave partly blank (day, or day and month)."""
    year: int = Field(ge=1900, le=2200)
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)

    @model_validator(mode="after")
    def _real_date(self) -> "PartialDate":
        if self.day is not None:
            if self.month is None:
                raise ValueError("có ngày nhưng thiếu tháng")
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError(f"ngày {self.day}/{self.month}/{self.year} không tồn tại") from None
        return self

    @property
    def complete(self) -> bool:
        return self.day is not None and self.month is not None


class DocumentHeader(Model):
    """Ô 2–4: who issues, the number (None while a draft) and the date."""
    issuer: Identifier = Field(description="id của cơ quan ban hành trong 'agencies'")
    number: int | None = Field(None, ge=1, le=999999, description="Số văn bản; để trống khi là dự thảo")
    symbol_units: list[Abbreviation] = Field(default_factory=list, max_length=2,
                                             description="Nhóm chữ viết tắt thêm sau cơ quan ban hành: 'NC'")
    date: PartialDate

    @model_validator(mode="after")
    def _draft_or_issued(self) -> "DocumentHeader":
        if self.number is None and self.date.day is not None:
            raise ValueError("dự thảo chưa có số thì để trống ngày (chỉ ghi ngày khi văn bản đã có số)")
        if self.number is not None and not self.date.complete:
            raise ValueError("văn bản đã có số phải ghi đủ ngày, tháng, năm ban hành")
        return self


class LegalReference(Model):
    """A document cited in the text (căn cứ, thực hiện …), written once and cited by id."""
    id: Identifier
    type: Literal["ke-hoach", "quyet-dinh", "nghi-quyet", "chi-thi", "huong-dan", "thong-bao", "bao-cao",
                  "cong-van", "chuong-trinh", "de-an", "luat", "nghi-dinh", "thong-tu", "to-trinh", "quy-dinh"]
    number: int = Field(ge=1)
    symbol: Label = Field(description="Ký hiệu sau dấu '/': 'KH-UBND', 'QĐ-UBND', 'NĐ-CP'")
    date: dt.date
    issuer: Name = Field(description="Cơ quan ban hành như viết trong câu: 'Ủy ban nhân dân tỉnh'")
    title: Subject | None = Field(None, description="Trích yếu như trích dẫn: 'về công tác cải cách hành chính năm 2023'")


class IssuedDocument(Model):
    """What a campaign-level document needs beyond the data it reports: header, trích yếu, căn cứ,
    Kính gửi, signer and Nơi nhận (``campaign.documents['quyet-dinh-cong-bo']`` …)."""
    header: DocumentHeader
    title: list[Subject] = Field(default_factory=list, max_length=6, description="Trích yếu; để trống dùng mặc định")
    authority: Subject | None = Field(None, description="Thẩm quyền ban hành (quyết định): 'ỦY BAN NHÂN DÂN TỈNH …'")
    addressees: list[Name] = Field(default_factory=list, description="Kính gửi")
    basis: list[Paragraph] = Field(default_factory=list, description="Căn cứ …; Theo đề nghị …")
    subject: Subject | None = Field(None, description="Công văn: trích yếu sau 'V/v'; để trống dùng mặc định")
    signature: Signature
    recipients: Recipients
    replaces: Identifier | None = Field(None, description="id trong plan.references của văn bản mà văn bản này thay thế "
                                                          "(Bộ tiêu chí năm trước): ghi 'và thay thế …' ở điều hiệu lực")
