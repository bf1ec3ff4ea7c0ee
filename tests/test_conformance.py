"""Decree 30 conformance of the generated DOCX, and proof that the checker catches each broken rule."""
import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from service.conformance import check_docx

from .conftest import CAMPAIGNS


def errors(data) -> list[str]:
    return [str(v) for v in check_docx(data) if "(cảnh báo)" not in v.message]


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_generated_plan_conforms(campaign_id, rendered):
    assert errors(rendered[campaign_id][1]) == []


def _mutate(data: bytes, change) -> bytes:
    document = docx.Document(io.BytesIO(data))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cell_paragraph(document, text):
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.text.strip().startswith(text):
                        return paragraph
    raise LookupError(text)


def _body_paragraph(document, text):
    return next(p for p in document.paragraphs if p.text.startswith(text))


def _set_text(paragraph, text):
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


MUTATIONS = {
    "R01": lambda d: setattr(d.sections[0], "page_width", Mm(216)),
    "R03": lambda d: setattr(d.sections[0], "top_margin", Mm(30)),
    "R05": lambda d: setattr(d.sections[0], "left_margin", Mm(25)),
    "R06": lambda d: setattr(d.sections[0], "right_margin", Mm(10)),
    "R07": lambda d: _body_paragraph(d, "I. ").runs[0]._r.rPr.find(qn("w:rFonts")).set(qn("w:hAnsi"), "Arial"),
    "R08": lambda d: _body_paragraph(d, "I. ").runs[0]._r.rPr.find(qn("w:color")).set(qn("w:val"), "FF0000"),
    "R10": lambda d: setattr(d.sections[0], "different_first_page_header_footer", False),
    "R11": lambda d: setattr(_cell_paragraph(d, "CỘNG HÒA").runs[0].font, "bold", False),
    "R12": lambda d: _set_text(_cell_paragraph(d, "Độc lập"), "Độc lập – Tự do – Hạnh phúc"),
    "R14": lambda d: _set_text(_cell_paragraph(d, "ỦY BAN"), "Ủy ban nhân dân"),
    "R16": lambda d: setattr(_cell_paragraph(d, "Số:").runs[0].font, "size", Pt(15)),
    "R17": lambda d: _set_text(_cell_paragraph(d, "Số:"), "Số: 5/KH-UBND"),
    "R18": lambda d: _set_text(_cell_paragraph(d, "Số:"), "Số: 05/QĐ-UBND"),
    "R19": lambda d: _set_text(_cell_paragraph(d, "Số:"), "Số: 05/KH - UBND"),
    "R20": lambda d: setattr(_cell_paragraph(d, "Hà Nam, ngày").runs[0].font, "italic", False),
    "R21": lambda d: _set_text(_cell_paragraph(d, "Hà Nam, ngày"), "Hà Nam, ngày 31 tháng 02 năm 2023"),
    "R22": lambda d: _set_text(_cell_paragraph(d, "Hà Nam, ngày"), "hà nam, ngày 05 tháng 3 năm 2023"),
    "R23": lambda d: setattr(_body_paragraph(d, "KẾ HOẠCH").runs[0].font, "bold", False),
    "R24": lambda d: [setattr(r.font, "bold", False) for r in _body_paragraph(d, "Triển khai").runs],
    "R25": lambda d: d.paragraphs[2]._p.pPr.find(qn("w:ind")).set(qn("w:left"), "0"),
    "R27": lambda d: setattr(_body_paragraph(d, "Thực hiện").paragraph_format, "first_line_indent", Mm(20)),
    "R28": lambda d: setattr(_body_paragraph(d, "Trên cơ sở kết quả").paragraph_format, "space_before", Pt(1)),
    "R29": lambda d: _body_paragraph(d, "Thực hiện")._p.pPr.find(qn("w:spacing")).set(qn("w:line"), "560"),
    "R35": lambda d: _set_text(_body_paragraph(d, "II. "), "IV. NỘI DUNG TRIỂN KHAI"),
    "R36": lambda d: _set_text(_cell_paragraph(d, "TM. "), "THAY MẶT ỦY BAN NHÂN DÂN"),
    "R37": lambda d: _set_text(_cell_paragraph(d, "Trương Quốc Huy"), "TS. Trương Quốc Huy"),
    "R38": lambda d: setattr(_cell_paragraph(d, "Nơi nhận:").runs[0].font, "italic", False),
    "R39": lambda d: _set_text(_cell_paragraph(d, "- BCĐ CCHC"), "BCĐ CCHC tỉnh"),
    "R40": lambda d: _set_text(_cell_paragraph(d, "- Lưu:"), "- Lưu VT TCDNC"),
}


@pytest.mark.parametrize("rule", list(MUTATIONS))
def test_checker_catches(rule, rendered):
    broken = _mutate(rendered["ha-nam-2023"][1], MUTATIONS[rule])
    found = errors(broken)
    assert any(v.startswith(rule + ":") for v in found), f"{rule} not reported; got {found}"


def test_checker_reads_inherited_formatting(rendered):
    """Formatting set in the style (not on the run) counts: a run without rFonts inherits TNR defaults,
    and a style that sets Arial is caught."""
    def inherit(document):
        run = _body_paragraph(document, "I. ").runs[0]
        run._r.rPr.remove(run._r.rPr.find(qn("w:rFonts")))
    assert errors(_mutate(rendered["ha-nam-2023"][1], inherit)) == []

    def style_arial(document):
        inherit(document)
        document.styles["Normal"].element.rPr.find(qn("w:rFonts")).set(qn("w:hAnsi"), "Arial")
    assert any(v.startswith("R07") for v in errors(_mutate(rendered["ha-nam-2023"][1], style_arial)))


def test_tieu_ngu_uses_hyphens_even_where_reference_has_dashes(rendered):
    for campaign_id in CAMPAIGNS:
        document = docx.Document(io.BytesIO(rendered[campaign_id][1]))
        assert _cell_paragraph(document, "Độc lập").text == "Độc lập - Tự do - Hạnh phúc"
