"""What units and appraisers enter: self scores with evidence, appraisal rounds, explanations,
bonus and deduction items, survey answers, last year's results."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from .base import Model
from .document import DocumentHeader
from .organisation import Recipient, Recipients
from .organisation import Identifier
from .text import Label, MultilineText, Paragraph, Subject

Score = Field(None, ge=0, le=1000, max_digits=9, decimal_places=4)


class Evidence(Model):
    """A tài liệu kiểm chứng: số/ký hiệu, date, trích yếu, optional link."""
    number: Label = Field(description="Số, ký hiệu: '125/KH-SNV'")
    date: dt.date
    title: Subject = Field(description="Trích yếu")
    link: Label | None = Field(None, pattern=r"^https?://\S+$")
    file: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 của tệp đã tải lên kho tài liệu kiểm chứng")


class LeafScore(Model):
    """One unit's row for one leaf: self-assessment, appraisal round 1, explanation, round 2."""
    code: Label
    not_applicable: bool = Field(False, description="Không áp dụng: điểm tối đa của đơn vị giảm tương ứng")
    self_score: Decimal | None = Score
    explanation: MultilineText | None = Field(None, description="Thuyết minh của đơn vị khi tự chấm")
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)
    note: MultilineText | None = None
    round1: Decimal | None = Score
    remark: MultilineText | None = Field(None, description="Nhận xét của cơ quan thẩm định ở lần 1")
    response: MultilineText | None = Field(None, description="Giải trình của đơn vị")
    added_evidence: list[Evidence] = Field(default_factory=list, max_length=50)
    round2: Decimal | None = Score

    @model_validator(mode="after")
    def _rounds(self) -> "LeafScore":
        if self.round2 is not None and not self.remark:
            raise ValueError(f"tiêu chí {self.code}: có điểm thẩm định lần 2 nhưng chưa có nhận xét thẩm định lần 1")
        if self.round2 is not None and self.round1 is None:
            raise ValueError(f"tiêu chí {self.code}: có điểm thẩm định lần 2 nhưng chưa có điểm lần 1")
        if self.not_applicable and any(v is not None for v in (self.self_score, self.round1, self.round2)):
            raise ValueError(f"tiêu chí {self.code}: 'không áp dụng' thì không chấm điểm")
        return self


class AdjustmentScore(Model):
    code: Label
    self_score: Decimal | None = Score
    appraised: Decimal | None = Score
    explanation: MultilineText | None = None


class Extension(Model):
    """The Sở Nội vụ reopens a step for one unit after its deadline: until this day, with the reason."""
    until: dt.date
    reason: Paragraph


class Assessment(Model):
    """One unit's self-assessment report and everything scored on it."""
    unit: Identifier
    report: DocumentHeader | None = Field(None, description="Số, ngày của Báo cáo tự đánh giá (hạn cho tài liệu kiểm chứng)")
    scores: list[LeafScore] = Field(default_factory=list, max_length=2000)
    adjustments: list[AdjustmentScore] = Field(default_factory=list)
    summary: list[Paragraph] = Field(default_factory=list, description="Nhận xét chung của đơn vị trong báo cáo")
    notice: DocumentHeader | None = Field(None, description="Số, ngày của Công văn thông báo kết quả thẩm định lần 1 "
                                                           "gửi đơn vị (hạn giải trình tính từ ngày này)")
    letters: dict[Literal["thong-bao-tham-dinh-lan-2", "thong-bao-ket-qua-chi-so"], DocumentHeader] = Field(
        default_factory=dict, description="Số, ngày của các thông báo khác gửi riêng đơn vị, theo loại văn bản "
                                          "('thong-bao-tham-dinh-lan-2', 'thong-bao-ket-qua-chi-so')")
    explanation_report: DocumentHeader | None = Field(None, description="Số, ngày của Báo cáo giải trình đơn vị đã gửi: "
                                                                        "từ đó kết quả thẩm định lần 1 không sửa nữa")
    extension: Extension | None = Field(None, description="Sở Nội vụ mở lại thời hạn cho riêng đơn vị này")


class SurveyAnswers(Model):
    """Valid forms of one respondent group about one unit: per leaf, how many chose each value."""
    unit: Identifier
    respondent_group: Identifier
    forms: int = Field(ge=0, le=100000)
    answers: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="mã lá → {giá trị trả lời: số phiếu}")


class PreviousResult(Model):
    unit: Identifier
    index: Decimal = Field(ge=0, le=200)
    rank: int = Field(ge=1)


class Reporting(Model):
    """Where and by when units send their self-assessment and explanation reports."""
    addressees: list[Label] = Field(min_length=1)
    deadline: dt.date | None = Field(None, description="Hạn gửi báo cáo tự đánh giá (bằng một hạn trong bảng nhiệm vụ của kế hoạch)")
    explanation_days: int = Field(5, ge=1, le=30, description="Số ngày làm việc để đơn vị gửi giải trình")
    recipients: list[Recipient] = Field(default_factory=list)
    archive: list[Label] = Field(default_factory=lambda: ["VT"])


class ScoringSettings(Model):
    """Campaign-wide rules of the computation (the bands are in ``classification``)."""
    allow_over_100: bool = Field(False, description="Cho phép chỉ số vượt 100 nhờ điểm thưởng")
    tie_break: list[Literal["appraised", "survey", "self"]] = Field(
        default_factory=lambda: ["appraised"], description="Khi chỉ số bằng nhau: so tiếp theo thứ tự này")
    deadlines_enforced: bool = Field(True, description="Hết hạn trong kế hoạch thì đóng bước tương ứng (tự đánh giá, "
                                                       "giải trình); tắt ở các chiến dịch mẫu")


class Exclusion(Model):
    """A unit left out of the ranking this year, with the reason recorded (merged, newly formed …)."""
    unit: Identifier
    reason: Paragraph


class AppraisalMeeting(Model):
    """The appraisal council's meeting, for the Biên bản."""
    header: DocumentHeader
    title: Subject
    start: dt.datetime
    end: dt.datetime
    place: Subject
    chair: Identifier = Field(description="id thành viên chủ trì (council.members)")
    secretary: Identifier
    present: list[Identifier] = Field(min_length=1)
    disputes: list[Paragraph] = Field(default_factory=list, description="Ý kiến khác nhau và cách giải quyết")
    conclusion: list[Paragraph] = Field(min_length=1)
    recipients: Recipients

    @model_validator(mode="after")
    def _times(self) -> "AppraisalMeeting":
        if self.end <= self.start:
            raise ValueError("giờ kết thúc phải sau giờ bắt đầu")
        return self


class SecretariatMeeting(Model):
    """A working meeting of the Tổ Thư ký before the council's (its Giấy mời): when, where, who chairs,
    what it prepares."""
    start: dt.datetime
    place: Subject
    chair: Identifier = Field(description="id thành viên Tổ Thư ký chủ trì (council[].id, body 'secretariat')")
    agenda: list[Paragraph] = Field(min_length=1, max_length=20, description="Nội dung cuộc họp, mỗi dòng một việc")


class CouncilMember(Model):
    id: Identifier
    name: Label
    title: Label = Field(description="Chức vụ: 'Phó Chủ tịch UBND tỉnh'")
    agency: Identifier
    role: Literal["Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Tổ trưởng", "Tổ phó", "Tổ viên", "Thư ký"]
    body: Literal["council", "secretariat"] = "council"
    salutation: Literal["Ông", "Bà"] | None = Field(
        None, description="Danh xưng in trước họ tên trong giấy mời: 'Ông' hoặc 'Bà'; để trống thì in 'Ông (bà)'")

__all__ = ["Evidence", "LeafScore", "AdjustmentScore", "Assessment", "Extension", "Exclusion", "SurveyAnswers",
           "PreviousResult", "ScoringSettings", "AppraisalMeeting", "SecretariatMeeting", "CouncilMember"]
