"""The year's archive package (issue 27): every issued document with what the register knows of it,
the register, the statuses, in E-ARK CSIP's layout (root METS, the hồ sơ with TT 05/2025's fields,
PREMIS, the representation's METS) with checksums — the same data give the same bytes;
`cchc verify-archive` finds a changed byte and names the file, checks every PDF's signatures (a file
whose checksums were recomputed after a change still fails its signature) and its PDF/A-2b — on SQLite
and PostgreSQL."""
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

from pathlib import Path

import pytest
from lxml import etree

from service.interop.archive import check_archive, verify_archive
from service.store.issuing import issued_versions
from tests.conftest import issue_through_the_form, login, sign_through_the_form

C = "ninh-binh-2026"


def mets_schema() -> etree.XMLSchema:
    """The Library of Congress METS schema as metsrw ships it, its XLink import pointed at our local copy
    (the tests reach no network)."""
    import metsrw
    path = Path(metsrw.__file__).parent / "resources" / "mets.xsd"
    local = (Path(__file__).parent / "reference" / "xlink.xsd").as_uri()
    text = path.read_text(encoding="utf-8").replace('schemaLocation="http://www.loc.gov/standards/xlink/xlink.xsd"',
                                                    f'schemaLocation="{local}"')
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8"), base_url=path.as_uri()))


@pytest.mark.slow
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
    assert {f"{C}/METS.xml", f"{C}/manifest.json", f"{C}/checksums.sha256", f"{C}/metadata/descriptive/ho-so.xml",
            f"{C}/metadata/preservation/premis.xml", f"{C}/metadata/other/so-dang-ky.csv",
            f"{C}/representations/rep1/METS.xml"} <= set(names)                    # E-ARK CSIP's layout
    folder = next(n.rsplit("/", 1)[0] for n in names if n.endswith("/thong-tin.json"))
    assert folder.startswith(f"{C}/representations/rep1/data/001-")
    facts = json.loads(archive.read(f"{folder}/thong-tin.json"))
    assert facts["so_ky_hieu"].endswith("/HD-SNV") and facts["hieu_luc"] == "đang có hiệu lực"
    assert facts["ten_loai"] == "Hướng dẫn" and facts["nguoi_ky"] and facts["co_quan"] == "Sở Nội vụ"
    assert facts["so_trang"] >= 1
    pdf = archive.read(f"{folder}/ban-chinh-thuc.pdf")
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == facts["pdf_sha256"]
    m = "{http://www.loc.gov/METS/}"
    xlink = "{http://www.w3.org/1999/xlink}href"
    root = etree.fromstring(archive.read(f"{C}/METS.xml"))
    assert root.get("OBJID") == C and root.get("PROFILE") == "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
    assert root.get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "AIP"
    refs = {ref.get(xlink): ref for ref in root.iter(f"{m}mdRef")}
    for path in ("metadata/descriptive/ho-so.xml", "metadata/preservation/premis.xml"):   # checksums that hold
        assert refs[path].get("CHECKSUM") == hashlib.sha256(archive.read(f"{C}/{path}")).hexdigest()
    assert [d.get("LABEL") for d in root.find(f"{m}structMap/{m}div")] == ["Metadata", "Representations/rep1"]
    schema = mets_schema()
    for mets in (root, etree.fromstring(archive.read(f"{C}/representations/rep1/METS.xml"))):
        assert schema.validate(mets), schema.error_log
    broken = etree.fromstring(archive.read(f"{C}/METS.xml"))
    del broken.find(f".//{m}FLocat").attrib["LOCTYPE"]
    assert not schema.validate(broken)                                             # the schema does check
    representation = etree.fromstring(archive.read(f"{C}/representations/rep1/METS.xml"))
    files = {f.find(f"{m}FLocat").get(xlink): f.get("CHECKSUM") for f in representation.iter(f"{m}file")}
    assert files[folder.removeprefix(f"{C}/representations/rep1/") + "/ban-chinh-thuc.pdf"] == facts["pdf_sha256"]
    premis = etree.fromstring(archive.read(f"{C}/metadata/preservation/premis.xml"))
    p = "{http://www.loc.gov/premis/v3}"
    digests = {o.findtext(f"{p}objectIdentifier/{p}objectIdentifierValue"): o for o in premis.iter(f"{p}object")}
    pdf_object = digests[folder.removeprefix(f"{C}/representations/rep1/") + "/ban-chinh-thuc.pdf"]
    assert pdf_object.findtext(f".//{p}messageDigest") == facts["pdf_sha256"]
    assert pdf_object.findtext(f".//{p}formatRegistryKey") == "fmt/476"             # PDF/A-2b in PRONOM
    events = [(e.findtext(f"{p}eventType"), e.findtext(f"{p}eventDateTime")) for e in premis.iter(f"{p}event")]
    assert ("creation", facts["ngay"]) in events
    record = etree.fromstring(archive.read(f"{C}/metadata/descriptive/ho-so.xml"))
    h = "{urn:cchc-docs:ho-so-luu-tru}"
    assert record.findtext(f"{h}ma_ho_so") == C and record.findtext(f"{h}tong_so_tai_lieu") == "1"
    assert record.findtext(f"{h}thoi_gian_bat_dau") == facts["ngay"] and record.findtext(f"{h}muc_do_tin_cay") == "Gốc điện tử"
    assert record.findtext(f"{h}so_luong_trang") == str(facts["so_trang"])
    assert "/HD-SNV" in archive.read(f"{C}/metadata/other/so-dang-ky.csv").decode()
    assert verify_archive(first.data) == []

    register = clerk.get(f"/so-dang-ky/{facts['ngay'][:4]}").get_data(as_text=True)
    assert f'action="/chien-dich/{C}/luu-tru.zip"' in register and "Tải gói lưu trữ (.zip)" in register
    chosen = clerk.get(f"/chien-dich/{C}/luu-tru.zip?thoi-han-bao-quan=20+n%C4%83m&che-do-su-dung=C%C3%B4ng+khai")
    record = etree.fromstring(zipfile.ZipFile(io.BytesIO(chosen.data)).read(f"{C}/metadata/descriptive/ho-so.xml"))
    assert record.findtext("{urn:cchc-docs:ho-so-luu-tru}thoi_han_bao_quan") == "20 năm"
    assert record.findtext("{urn:cchc-docs:ho-so-luu-tru}che_do_su_dung") == "Công khai"
    for query, field in (("thoi-han-bao-quan=m%C3%A3i+m%C3%A3i", "Thời hạn bảo quản"), ("che-do-su-dung=%3Cb%3E", "Chế độ sử dụng")):
        refused = clerk.get(f"/chien-dich/{C}/luu-tru.zip?{query}")
        assert refused.status_code == 400 and field in refused.get_data(as_text=True)

    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"/chien-dich/{C}/luu-tru.zip").status_code == 403

    env = {**os.environ, "DATABASE_URL": demo_database, "CCHC_DATA_DIR": str(tmp_path / "instance")}
    out = tmp_path / "goi.zip"
    made = subprocess.run([sys.executable, "-m", "service.cli", "export-archive", "--campaign", C, "-o", str(out)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert made.returncode == 0 and "1 văn bản" in made.stdout, made.stderr
    assert out.read_bytes() == first.data                                         # the CLI's is the page's
    kept = tmp_path / "goi-thoi-han.zip"
    made = subprocess.run([sys.executable, "-m", "service.cli", "export-archive", "--campaign", C, "-o", str(kept),
                           "--thoi-han-bao-quan", "Vĩnh viễn"], capture_output=True, text=True, timeout=300, env=env)
    assert made.returncode == 0, made.stderr
    record = etree.fromstring(zipfile.ZipFile(kept).read(f"{C}/metadata/descriptive/ho-so.xml"))
    assert record.findtext("{urn:cchc-docs:ho-so-luu-tru}thoi_han_bao_quan") == "Vĩnh viễn"
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


def _rebuilt(data: bytes, change) -> bytes:
    """The package with its PDFs changed by ``change`` and its checksums and manifest made to agree —
    what someone covering their tracks would do."""
    import hashlib as _h
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    base = next(iter(members)).split("/", 1)[0]
    members = {name: change(body) if name.endswith(".pdf") else body for name, body in members.items()}
    inner = {name.removeprefix(base + "/"): body for name, body in members.items()}
    manifest = json.loads(inner["manifest.json"])
    for entry in manifest["tep"]:
        entry["sha256"] = _h.sha256(inner[entry["duong_dan"]]).hexdigest()
    inner["manifest.json"] = json.dumps(manifest).encode()
    inner["checksums.sha256"] = "".join(f"{_h.sha256(body).hexdigest()}  {path}\n" for path, body in sorted(inner.items())
                                        if path != "checksums.sha256").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for path, body in sorted(inner.items()):
            target.writestr(f"{base}/{path}", body)
    return out.getvalue()


@pytest.mark.slow
def test_the_archive_checks_the_signatures_and_pdfa_of_what_it_holds(app, signers, tmp_path):
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    version = next(v for v in issued_versions(app.extensions["cchc_engine"], C) if v.kind == "huong-dan")
    assert sign_through_the_form(app, C, version.id, signers["lanhdao"]).status_code == 302
    clerk = app.test_client()
    login(clerk, "vanthu")
    package = clerk.get(f"/chien-dich/{C}/luu-tru.zip").data
    (tmp_path / "goi.zip").write_bytes(package)
    check = subprocess.run([sys.executable, "-m", "service.cli", "verify-archive", str(tmp_path / "goi.zip"),
                            "--ca", app.config["CCHC_TRUST_BUNDLE"]], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ban-chinh-thuc-da-ky.pdf: 1 chữ ký toàn vẹn, tin cậy, PAdES B-B; PDF/A-2b đạt" in check.stdout

    # a byte of the signed range changed (the header's binary comment: the file still opens), sums redone
    forged = _rebuilt(package, lambda pdf: pdf.replace(b"%\xf0\x9f\x96\xa4", b"%\xf0\x9f\x96\xa5", 1))
    assert verify_archive(forged) != [] and check_archive(package).problems == []
    found = check_archive(forged).problems
    assert found and all("SHA-256" not in p for p in found)
    assert any("ban-chinh-thuc-da-ky.pdf: chữ ký ở ô 'ChuKy' không toàn vẹn" in p for p in found), found
    # a PDF that is no longer PDF/A (its metadata gone), sums redone
    import pikepdf

    def stripped(pdf: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            del document.Root["/Metadata"]
            out = io.BytesIO()
            document.save(out)
        return out.getvalue()
    assert any("chưa đạt PDF/A-2b (6.6.2.1" in p for p in check_archive(_rebuilt(package, stripped)).problems)
