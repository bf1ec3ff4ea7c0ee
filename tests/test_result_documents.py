"""Result documents read back: every figure equals the computation, the same ranking appears in the
decision annex and the report, annexes restart page numbers, everything passes the ND30 checker."""
import io
from decimal import Decimal

import pdfplumber
import pytest

from data_models import load_campaign
from fixtures import FIXTURES_DIR
from service.conformance import check_docx
from service.documents import compose
from service.documents.unit_reports import flagged_leaves
from service.domain.scoring import compute_campaign
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf
from service.vietnamese import format_number

from .conftest import normalise, open_docx
from .test_outputs import assert_pdf_says_what_docx_says, pdf_pages_text, pdf_pages_text_top

DOCUMENTS = [("quyet-dinh-cong-bo", None), ("bao-cao-ket-qua", None), ("bien-ban", None),
             ("bao-cao-tu-danh-gia", "snv"), ("bao-cao-tu-danh-gia", "phuong-tam-diep"),
             ("bao-cao-giai-trinh", "sxd")]


def two(value) -> str:
    return format_number(value, 2)


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(FIXTURES_DIR / "ninh-binh-2026")


@pytest.fixture(scope="module")
def results(campaign):
    return compute_campaign(campaign)


@pytest.fixture(scope="module")
def rendered_results(campaign):
    out = {}
    for kind, unit in DOCUMENTS:
        document = compose(campaign, kind, unit)
        out[(kind, unit)] = (document, render_docx(document), render_pdf(document))
    return out


def grid_rows(data: bytes, first_heading: str) -> list[list[str]]:
    """Body rows of every table whose first column heading is ``first_heading``."""
    rows = []
    for table in open_docx(data).tables:
        cells = [[normalise(c.text) for c in row.cells] for row in table.rows]
        if cells and cells[0][0] == first_heading:
            rows += cells[1:]
    return rows


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "unit"), DOCUMENTS)
def test_conformance(kind, unit, rendered_results):
    found = [str(v) for v in check_docx(rendered_results[(kind, unit)][1]) if "(cảnh báo)" not in v.message]
    assert found == []


def test_decision_annex_equals_the_computation(campaign, results, rendered_results):
    rows = grid_rows(rendered_results[("quyet-dinh-cong-bo", None)][1], "STT")
    expected = [[str(n), r.unit_name, two(r.self_points), two(r.appraised_points), two(r.survey_points), two(r.bonus),
                 two(r.deduction), two(r.total), two(r.maximum), two(r.index), str(r.rank), r.band]
                for group in campaign.groups for n, r in enumerate(results.groups[group.id], start=1)]
    assert rows == expected
    assert len(rows) == 50


def test_report_ranking_matches_decision(results, rendered_results):
    report = grid_rows(rendered_results[("bao-cao-ket-qua", None)][1], "Hạng")
    decision = grid_rows(rendered_results[("quyet-dinh-cong-bo", None)][1], "STT")
    assert [(r[0], r[1], r[2], r[3]) for r in report] == [(d[10], d[1], d[9], d[11]) for d in decision]
    text = " ".join(normalise(p.text) for p in open_docx(rendered_results[("bao-cao-ket-qua", None)][1]).paragraphs)
    best = results.groups["so-ban-nganh"][0]
    assert f"cao nhất là {best.unit_name} ({two(best.index)}%)" in text


def test_self_assessment_annex_equals_the_data(campaign, results, rendered_results):
    unit = "phuong-tam-diep"
    data = rendered_results[("bao-cao-tu-danh-gia", unit)][1]
    annex = {row[0]: row for row in grid_rows(data, "Mã")}
    scores = {s.code: s for s in campaign.assessment(unit).scores}
    criteria = campaign.criteria_for("ubnd-xa")
    result = results.unit(unit)
    for leaf in criteria.leaves():
        row = annex[leaf.code]
        assert row[2] == two(leaf.max_points)
        if leaf.scoring == "survey":
            assert row[3] == "ĐTXHH"
        elif scores[leaf.code].not_applicable:
            assert row[3] == "Không áp dụng"
        else:
            assert row[3] == two(scores[leaf.code].self_score)
            evidence = scores[leaf.code].evidence[0]
            assert evidence.number in row[5] and f"{evidence.date:%d/%m/%Y}" in row[5]
    for field in criteria.fields:
        assert annex[field.code][3] == two(result.nodes[field.code].self_points)
    summary = grid_rows(data, "STT")
    assert summary[-1][1] == "Tổng cộng" and summary[-1][3] == two(result.self_points)
    na = sum(l.max_points for l in criteria.leaves() if scores.get(l.code) and scores[l.code].not_applicable)
    assert na == Decimal("2")                                       # 6.1.3 (2) does not apply (no đóng góp raised)
    assert summary[-1][2] == two(sum(l.max_points for l in criteria.leaves() if l.scoring == "appraised") - na)


def test_explanation_lists_every_flagged_leaf(campaign, rendered_results):
    text = " ".join(normalise(p.text) for p in open_docx(rendered_results[("bao-cao-giai-trinh", "sxd")][1]).paragraphs)
    flagged = flagged_leaves(campaign, "sxd")
    assert flagged
    for score in flagged:
        assert f"Tiêu chí {score.code}:" in text
        assert f"Điểm tự đánh giá: {two(score.self_score)}; điểm thẩm định lần 1: {two(score.round1)}." in text
        assert normalise(score.remark) in text


def test_minutes_changes_equal_the_computation(campaign, results, rendered_results):
    rows = grid_rows(rendered_results[("bien-ban", None)][1], "Đơn vị")
    assert rows and rows[0][0]
    name = None
    for unit, field, self_points, appraised, change in rows:
        assert unit != name                          # D30: each unit named once, on its first row
        name = unit or name
        result = next(r for g in results.groups.values() for r in g if r.unit_name == name)
        code = field.split(".")[0]
        assert self_points == two(result.nodes[code].self_points)
        assert change == two(float(appraised.replace(",", ".")) - float(self_points.replace(",", ".")))
    text = " ".join(normalise(p.text) for p in open_docx(rendered_results[("bien-ban", None)][1]).paragraphs)
    assert "Thời gian bắt đầu: 08 giờ 00 phút, ngày 18 tháng 11 năm 2026." in text
    assert "Cuộc họp kết thúc vào 11 giờ 30 phút, ngày 18 tháng 11 năm 2026./." in text


def test_annexes_are_landscape_sections_numbered_from_one(rendered_results):
    document, _, pdf = rendered_results[("quyet-dinh-cong-bo", None)]
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        sizes = [(round(p.width), round(p.height)) for p in reader.pages]
    landscape = [s[0] > s[1] for s in sizes]
    assert landscape[0] is False and landscape[-1] is True
    first_annex = landscape.index(True)
    tops = [t.strip() for t in pdf_pages_text_top(pdf)]
    assert tops[first_annex] == ""                         # an annex's first page shows no number …
    texts = pdf_pages_text(pdf)
    annex_starts = [i for i, t in enumerate(texts) if normalise(t).startswith("Phụ lục")]
    assert len(annex_starts) == 2
    for start in annex_starts:
        if start + 1 < len(texts) and start + 1 not in annex_starts:
            assert tops[start + 1] == "2"                   # … and its second page is 2 again


@pytest.mark.parametrize(("kind", "unit"), DOCUMENTS)
def test_pdf_words_equal_docx_words(kind, unit, rendered_results):
    """The PDF says what the DOCX says; beyond it only table header rows repeated on new pages."""
    assert_pdf_says_what_docx_says(*rendered_results[(kind, unit)])


def test_short_rows_never_split_across_pages(rendered_results):
    """A ranking row (one line per cell) stays on one page: no row shows its numbers without its unit."""
    with pdfplumber.open(io.BytesIO(rendered_results[("quyet-dinh-cong-bo", None)][2])) as pdf:
        rows = [row for page in pdf.pages for table in page.extract_tables() for row in table]
    numbered = [row for row in rows if row and (row[0] or "").strip().isdigit()]
    assert len(numbered) == 50
    assert all((row[1] or "").strip() for row in numbered), [r for r in numbered if not (r[1] or "").strip()]
