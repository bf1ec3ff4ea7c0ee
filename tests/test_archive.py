"""The year's archive package (issue 27): every issued document with what the register knows of it,
the register, the statuses, METS-style metadata and checksums — the same data give the same bytes;
`cchc verify-archive` finds a changed byte and names the file — on SQLite and PostgreSQL."""
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

from lxml import etree

from service.interop.archive import verify_archive
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"


def test_the_archive_holds_every_issued_document_and_is_the_same_twice(app, demo_database, tmp_path):
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    clerk = app.test_client()
    login(clerk, "vanthu")
    first = clerk.get(f"/chien-dich/{C}/luu-tru.zip")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert clerk.get(f"/chien-dich/{C}/luu-tru.zip").data == first.data              # byte for byte
    archive = zipfile.ZipFile(io.BytesIO(first.data))
    names = archive.namelist()
    assert all(name.startswith(f"{C}/") for name in names)
    assert {f"{C}/manifest.json", f"{C}/checksums.sha256", f"{C}/ho-so.xml", f"{C}/so-dang-ky.csv"} <= set(names)
    folder = next(n.rsplit("/", 1)[0] for n in names if n.endswith("/thong-tin.json"))
    facts = json.loads(archive.read(f"{folder}/thong-tin.json"))
    assert facts["so_ky_hieu"].endswith("/HD-SNV") and facts["hieu_luc"] == "đang có hiệu lực"
    assert facts["ten_loai"] == "Hướng dẫn" and facts["nguoi_ky"] and facts["co_quan"] == "Sở Nội vụ"
    pdf = archive.read(f"{folder}/ban-chinh-thuc.pdf")
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == facts["pdf_sha256"]
    mets = etree.fromstring(archive.read(f"{C}/ho-so.xml"))
    checksums = mets.findall(".//{http://www.loc.gov/METS/}file")
    assert any(f.get("CHECKSUM") == facts["pdf_sha256"] and f.get("CHECKSUMTYPE") == "SHA-256" for f in checksums)
    assert "/HD-SNV" in archive.read(f"{C}/so-dang-ky.csv").decode()
    assert verify_archive(first.data) == []

    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"/chien-dich/{C}/luu-tru.zip").status_code == 403

    env = {**os.environ, "DATABASE_URL": demo_database, "CCHC_DATA_DIR": str(tmp_path / "instance")}
    out = tmp_path / "goi.zip"
    made = subprocess.run([sys.executable, "-m", "service.cli", "export-archive", "--campaign", C, "-o", str(out)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert made.returncode == 0 and "1 văn bản" in made.stdout, made.stderr
    assert out.read_bytes() == first.data                                         # the CLI's is the page's
    # one byte of the PDF changed: the archive rebuilt with that member altered
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(first.data)) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".pdf"):
                data = data[:-10] + b"x" + data[-9:]
            target.writestr(info, data)
    (tmp_path / "hong.zip").write_bytes(changed.getvalue())
    check = subprocess.run([sys.executable, "-m", "service.cli", "verify-archive", str(tmp_path / "hong.zip")],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and "ban-chinh-thuc.pdf: SHA-256 không khớp" in check.stdout
    ok = subprocess.run([sys.executable, "-m", "service.cli", "verify-archive", str(out)], capture_output=True, text=True,
                        timeout=300)
    assert ok.returncode == 0 and "Gói lưu trữ toàn vẹn." in ok.stdout
    assert verify_archive(b"not a zip")[0].startswith("không mở được gói")
