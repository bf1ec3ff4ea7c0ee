"""The two real 2023 plans, regenerated from data: every line of the reference text is in the DOCX.

The reference texts were extracted from signed PDFs: lines are broken where the page broke them and
table cells are split over lines, so a line matches if it stands inside one paragraph, one cell or one
row of the generated document, or — for a line that mixes fragments of neighbouring cells — if it splits
into pieces each inside a cell of one row. Lines where the reference itself is wrong are printed
corrected; each is listed below with the correction and the reason.
"""
import pytest

from pathlib import Path

from .conftest import docx_rows, docx_units, normalise, open_docx

#: The texts of the two signed 2023 plans (public documents), copied into the project so that a
#: fresh clone needs nothing beside it.
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REFERENCES = {
    "ha-nam-2023": REFERENCE_DIR / "ha-nam-2023-ke-hoach.txt",
    "tra-vinh-2023": REFERENCE_DIR / "tra-vinh-2023-ke-hoach.txt",
}
ENUMERATION = "a generated list ends each item with ';' and the last with '.', as the plan's other lists do"
CORRECTIONS = {
    "ha-nam-2023": {
        "+ Cải cách thủ tục hành chính.": ("+ Cải cách thủ tục hành chính;", ENUMERATION),
        "+ Thực hiện cơ chế một cửa, cơ chế một cửa liên thông.":
            ("+ Thực hiện cơ chế một cửa, cơ chế một cửa liên thông;", ENUMERATION),
    },
    "tra-vinh-2023": {
        "x 9 huyện x 18 sở, ban ngành) =": ("x 09 huyện x 18 sở, ban ngành) =",
                                            "counts below 10 are zero-padded, as in '03 người', '09 đơn vị cấp huyện'"),
        "kết cải cách hành chính năm 2023": ("kết quả cải cách hành chính năm 2023", "missing word: 'kết quả'"),
        "chính thành lập Tổ giúp việc Hội đồng để thẩm định kết quả tự đánh, chấm điểm":
            ("thẩm định kết quả tự đánh giá, chấm điểm", "typo: 'tự đánh' for 'tự đánh giá'"),
        "4. Các cơ quan chuyên môn thuộc Ủy ban nhân tỉnh, Ban Quản lý khu":
            ("4. Các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, Ban Quản lý khu", "typo: 'Ủy ban nhân tỉnh'"),
        "534 /QĐ-UBND ngày 17 tháng 4 năm 2023 của Ủy ban nhân dân tỉnh đảm bảo chính":
            ("534/QĐ-UBND ngày 17 tháng 4 năm 2023 của Ủy ban nhân dân tỉnh đảm bảo chính",
             "no space inside số/ký hiệu (ND30 PL I II.3)"),
    },
}


def reference_lines(campaign_id: str) -> list[str]:
    lines = REFERENCES[campaign_id].read_text(encoding="utf-8").splitlines()
    return [normalise(line) for line in lines if normalise(line)]


def _splits_into_row_cells(line: str, rows: list[list[str]]) -> bool:
    """The line is a sequence of pieces, each inside some cell of one row (cells split by a page)."""
    words = line.split(" ")
    for row in rows:
        position, pieces = 0, 0
        while position < len(words) and pieces < len(row):
            for end in range(len(words), position, -1):
                piece = " ".join(words[position:end])
                if any(piece in cell for cell in row):
                    position, pieces = end, pieces + 1
                    break
            else:
                break
        if position == len(words):
            return True
    return False


def covered(line: str, units: list[str], rows: list[list[str]]) -> bool:
    return any(line in unit for unit in units) or _splits_into_row_cells(line, rows)


@pytest.mark.parametrize("campaign_id", list(REFERENCES))
def test_every_reference_line_is_in_the_docx(campaign_id, rendered):
    document = open_docx(rendered[campaign_id][1])
    units, rows = docx_units(document), docx_rows(document)
    lines = reference_lines(campaign_id)
    corrections = CORRECTIONS[campaign_id]
    missing = [line for line in lines if line not in corrections and not covered(line, units, rows)]
    coverage = 1 - len(missing) / len(lines)
    print(f"{campaign_id}: {len(lines)} reference lines, coverage {coverage:.1%}, {len(corrections)} corrected")
    assert missing == [], f"coverage {coverage:.1%}; lines not in the generated plan: {missing}"


@pytest.mark.parametrize("campaign_id", list(REFERENCES))
def test_corrections_are_real(campaign_id, rendered):
    """Each corrected line is in the reference, absent from our plan, and its correction is present."""
    document = open_docx(rendered[campaign_id][1])
    units = docx_units(document)
    lines = reference_lines(campaign_id)
    for wrong, (right, reason) in CORRECTIONS[campaign_id].items():
        assert wrong in lines, reason
        assert not any(wrong in unit for unit in units), f"still printed as in the reference: {wrong!r}"
        assert any(normalise(right) in unit for unit in units), f"correction not printed: {right!r}"


def test_matching_is_not_vacuous(rendered):
    """A line the plans do not contain is reported missing (the check can fail)."""
    document = open_docx(rendered["ha-nam-2023"][1])
    units, rows = docx_units(document), docx_rows(document)
    assert not covered("Đơn vị Xuất sắc: Từ 96 đến 100 điểm;", units, rows)
    assert not covered("Hạn cuối 30/10/2023", units, rows)
    assert covered("20/11/2023 Hội đồng", units, rows)   # split across the time and lead cells of row 6


def test_computed_figures(rendered):
    """Survey quotas, totals and class bands come from data, printed where the plans print them."""
    text = " ".join(docx_units(open_docx(rendered["tra-vinh-2023"][1])))
    for expected in ["Dự kiến 1.278 phiếu", "738 phiếu, cụ thể:", "Cấp huyện: 540 phiếu, cụ thể:",
                     "(03 người x 18 sở, ngành) = 54 phiếu.", "(02 người x 09 huyện x 18 sở, ban ngành) = 324 phiếu.",
                     "(20 người x 18 sở, ban, ngành) = 360 phiếu.", "= 234 phiếu.", "(04 xã x 09 đơn vị cấp huyện) = 36 phiếu.",
                     "= 270 phiếu."]:
        assert expected in text
    ha_nam = " ".join(docx_units(open_docx(rendered["ha-nam-2023"][1])))
    for expected in ["- Đơn vị Xuất sắc: Từ 95 đến 100 điểm;", "- Đơn vị Tốt: Từ 85 đến dưới 95 điểm;",
                     "- Đơn vị Trung bình: Từ 70 đến dưới 75 điểm;", "- Đơn vị Yếu: Dưới 70 điểm."]:
        assert expected in ha_nam


def test_survey_quota_follows_the_data(campaigns):
    """Change one factor: the group, level and grand totals change with it."""
    from service.documents import compose
    data = campaigns["tra-vinh-2023"].model_dump(mode="json")
    data["plan"]["survey"]["levels"][1]["groups"][1]["factors"][0]["count"] = 5   # 05 xã instead of 04
    from data_models import parse_campaign
    document = compose(parse_campaign(data), "ke-hoach")
    cell_text = " ".join(p.text for table in document.body if table.kind == "table"
                         for row in table.rows for cell in row for p in cell)
    assert "(05 xã x 09 đơn vị cấp huyện) = 45 phiếu." in cell_text
    assert "Cấp huyện: 549 phiếu" in cell_text and "Dự kiến 1.287 phiếu" in cell_text


#: Pages of the signed original (the Hà Nam plan as published: 5 A4 pages); D40.
ORIGINAL_PAGES = {"ha-nam-2023": 5}


@pytest.mark.parametrize("campaign_id", sorted(ORIGINAL_PAGES))
def test_the_plan_takes_the_pages_of_its_signed_original(campaign_id, rendered):
    """D40: regenerated with the ND30 layout (body 14 pt at 1,2 lines, 6 pt between paragraphs), the
    plan fills as many pages as the original the province signed — not one more for its last lines."""
    import io

    from pypdf import PdfReader
    _, _, pdf = rendered[campaign_id]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == ORIGINAL_PAGES[campaign_id]
