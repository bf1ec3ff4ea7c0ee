"""What a reader checks in the files: the PDF says what the DOCX says, in the right fonts, on A4,
numbered from page 2; the DOCX is clean Office XML; renders agree under threads."""
import io
import re
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pytest
from lxml import etree
from pypdf import PdfReader

from service.render.docx_writer import render_docx
from service.fonts import ACCEPTED_PDF_FONTS

from .conftest import CAMPAIGNS, docx_units, normalise, open_docx

MM = 72 / 25.4


def words(text: str) -> Counter:
    """Words, split also after a hyphen before a digit (a line may end there: '10/2023-' | '12/2023')."""
    return Counter(w for w in re.split(r"\s+|(?<=\S-)(?=\d)", normalise(text.replace("\u200b", ""))) if w)


def docx_words(data: bytes) -> Counter:
    document = open_docx(data)
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return words(" ".join(texts))


def pdf_pages_text(data: bytes, skip_top_mm: float = 0) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = []
        for page in pdf.pages:
            region = page.within_bbox((0, skip_top_mm * MM, page.width, page.height)) if skip_top_mm else page
            pages.append(region.extract_text(x_tolerance=1.5) or "")
        return pages


def assert_pdf_says_what_docx_says(document, docx_bytes: bytes, pdf_bytes: bytes) -> int:
    """Word multisets (PDF extraction interleaves table cells) are equal, except that the PDF repeats a
    table's header row on every page the table spans; returns how many header rows were repeated."""
    pdf = words(" ".join(pdf_pages_text(pdf_bytes, skip_top_mm=15)))
    expected = docx_words(docx_bytes)
    assert not expected - pdf, {"only in DOCX": expected - pdf}
    extra, repeated = pdf - expected, 0
    for table in [b for b in (*document.body, *(x for a in document.annexes for x in a.blocks)) if b.kind == "table"]:
        header = words(" ".join(c.heading for c in table.columns))
        while header and all(extra[w] >= n for w, n in header.items()):
            extra -= header
            repeated += 1
    assert extra == Counter(), {"only in PDF": extra}
    return repeated


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_pdf_carries_the_same_words_as_docx(campaign_id, rendered):
    """The task table spans pages, so its header row repeats in the PDF at least once."""
    document, docx_bytes, pdf_bytes = rendered[campaign_id]
    assert assert_pdf_says_what_docx_says(document, docx_bytes, pdf_bytes) >= 1


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_pdf_pages_fonts_and_numbers(campaign_id, rendered):
    pdf_bytes = rendered[campaign_id][2]
    reader = PdfReader(io.BytesIO(pdf_bytes))
    fonts = set()
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 210 * MM) < 1 and abs(float(page.mediabox.height) - 297 * MM) < 1
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+")[-1]
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"], name
            fonts.add(name)
    assert fonts, "no fonts in the PDF"
    assert all(any(name.replace("-", " ").startswith(ok.replace("-", " ")) for ok in ACCEPTED_PDF_FONTS) for name in fonts), fonts
    assert {"Bold", "Italic"} <= {part for name in fonts for part in name.split("-")}
    tops = [text.strip() for text in pdf_pages_text_top(pdf_bytes)]
    assert tops[0] == "", "page 1 shows no number"
    assert tops[1:] == [str(n) for n in range(2, len(tops) + 1)]


def pdf_pages_text_top(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.within_bbox((0, 0, page.width, 15 * MM)).extract_text() or "" for page in pdf.pages]


def test_pdf_reads_like_the_plan(rendered):
    """Spot-check what a reader would: header, dates, numbers, signature on the last page."""
    pages = [normalise(t) for t in pdf_pages_text(rendered["tra-vinh-2023"][2])]
    first, last = pages[0], pages[-1]
    assert "ỦY BAN NHÂN DÂN" in first and "TỈNH TRÀ VINH" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số: /KH-UBND" in first and "Trà Vinh, ngày tháng 5 năm 2023" in first
    assert "ngày 17 tháng 4 năm 2023" in first
    joined = " ".join(pages)
    assert "Dự kiến 1.278 phiếu" in joined
    assert "TM. ỦY BAN NHÂN DÂN" in last and "KT. CHỦ TỊCH" in last and "Nguyễn Quỳnh Thiện" in last
    assert "- Lưu: VT, NC." in last
    assert any("TRÁCH NHIỆM THỰC HIỆN" in page for page in pages)


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_docx_is_clean_office_xml(campaign_id, rendered):
    data = rendered[campaign_id][1]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
        content_types = package.read("[Content_Types].xml").decode()
        ids = []
        for name in names:
            raw = package.read(name)
            if name.endswith((".xml", ".rels")):
                tree = etree.fromstring(raw)                      # well-formed
                text = raw.decode("utf-8")
                assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#|#\}", text), f"template tag left in {name}"
                ids += [e.get("id") for e in tree.iter() if e.tag.endswith("}docPr")]
                ids += [e.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id")
                        for e in tree.iter() if e.tag.endswith("}bookmarkStart")]
            if name.startswith("word/") and name.endswith(".xml"):
                assert f'PartName="/{name}"' in content_types, name
        assert len(ids) == len(set(ids))
        document_xml = package.read("word/document.xml").decode()
        assert "w:titlePg" in document_xml and 'w:w="11906"' in document_xml and 'w:h="16838"' in document_xml


@pytest.mark.slow
def test_libreoffice_opens_the_docx(tmp_path, rendered, libreoffice):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(rendered["ha-nam-2023"][1])
    libreoffice([source], "txt:Text", tmp_path, timeout=180)
    text = normalise((tmp_path / "ke-hoach.txt").read_text(encoding="utf-8-sig"))
    assert "Trương Quốc Huy" in text and "Thẩm định kết quả tự đánh giá" in text


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def test_renders_agree_under_threads(campaigns, rendered):
    """Fresh template per render: concurrent renders of different campaigns never mix."""
    from service.documents import compose
    documents = {cid: compose(c, "ke-hoach") for cid, c in campaigns.items()}
    expected = {cid: _document_xml(rendered[cid][1]) for cid in documents}
    jobs = [cid for _ in range(6) for cid in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda cid: (cid, _document_xml(render_docx(documents[cid]))), jobs))
    for cid, xml in results:
        assert xml == expected[cid]


def test_units_helper_sees_headers_and_rows(rendered):
    units = docx_units(open_docx(rendered["ha-nam-2023"][1]))
    assert "Số: /KH-UBND" in units and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in units


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_pdf_text_stays_inside_margins_and_cells(campaign_id, rendered):
    """No glyph crosses a table's vertical rule (text running into the next cell) or a page margin."""
    with pdfplumber.open(io.BytesIO(rendered[campaign_id][2])) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = [e for e in page.edges if e["orientation"] == "v"]
            for char in page.chars:
                if not char["text"].strip():
                    continue
                if char["bottom"] < 20 * MM:                    # the page number, in the top margin
                    assert char["text"].isdigit() and number > 1, (number, char["text"])
                    continue
                assert 30 * MM - 1 <= char["x0"] and char["x1"] <= (210 - 15) * MM + 1, (number, char["text"])
                assert char["bottom"] <= (297 - 20) * MM + 1, (number, char["text"])
                for rule in rules:
                    inside = char["x0"] + 0.5 < rule["x0"] < char["x1"] - 0.5
                    level = rule["top"] <= (char["top"] + char["bottom"]) / 2 <= rule["bottom"]
                    assert not (inside and level), f"page {number}: {char['text']!r} crosses a cell rule"


def test_a_long_unit_name_still_makes_a_docx():
    """The DOCX's title property holds at most 255 characters (python-docx refuses more): a unit whose
    name is long still gets its documents, with the whole name in the text."""
    import dataclasses
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.documents import compose
    campaign = load_campaign(FIXTURES_DIR / "ninh-binh-2026")
    document = compose(campaign, "thong-bao-tham-dinh-lan-2", "sxd")
    long = dataclasses.replace(document, title=document.title + " " + "Ban Quản lý dự án đầu tư xây dựng " * 10)
    opened = open_docx(render_docx(long))
    assert opened.core_properties.title == long.title[:250]
    assert any("Kết quả thẩm định lần 2" in p.text for p in opened.paragraphs)


def test_a_reference_kept_on_one_line_does_not_break_the_line_before_it():
    """D22: the Trà Vinh plan broke '… xác định Chỉ / số / cải cách …' before '534/QĐ-UBND' (a nowrap
    span upset weasyprint's line breaking); word joiners keep the reference whole instead, invisibly."""
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.documents import compose
    from service.render.pdf_writer import render_pdf
    pdf = render_pdf(compose(load_campaign(FIXTURES_DIR / "tra-vinh-2023"), "ke-hoach"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "\nsố\n" not in text
    assert text.count("534/QĐ-UBND") >= 6 and "\u2060" not in text
    assert not any(re.search(r"\d+/$|[A-ZĐ]-$", line) for line in text.splitlines())      # never broken inside


def test_the_pdf_keeps_the_blanks_left_for_the_number_and_date():
    """N7: 'Tờ trình số       /TTr-SNV ngày       tháng 12' keeps its blanks in the PDF (HTML folds runs
    of spaces into one), so the văn thư can write the number in by hand."""
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.documents import compose
    from service.render.pdf_writer import render_pdf
    document = compose(load_campaign(FIXTURES_DIR / "ninh-binh-2026" / "campaign.json"), "quyet-dinh-cong-bo")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(document))).pages)
    assert re.search("Tờ trình số [ \u00a0]{5,}/TTr-SNV ngày[ \u00a0\n]{5,}tháng 12 năm 2026", text), text[:2000]
