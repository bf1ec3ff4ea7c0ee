"""Issued documents as edXML for the e-office (issue 27): the message of an issued document is valid
against the schema, names its sender and receivers by mã định danh (a group line expanded to its units,
persons and the archive left apart), carries the PDF under an ASCII name of at most 50 characters, and
reads back to the same facts; a status from a receiver is recorded once on that document and shown;
bad or hostile XML is refused in Vietnamese — on SQLite and PostgreSQL."""
import base64
import datetime as dt
import io
import re

import pytest
from lxml import etree

from service.interop.edxml import (NAMESPACE, EdxmlError, Organ, Reference, Status, ascii_name, read_message,
                                   read_status, write_status)
from service.store.issuing import issued_versions
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"


def _issued(app, kind="huong-dan", unit=None):
    response = issue_through_the_form(app, C, kind, unit)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return next(v for v in issued_versions(app.extensions["cchc_engine"], C) if v.kind == kind and v.unit_key == (unit or ""))


def test_an_issued_document_goes_out_as_edxml_and_reads_back(app):
    version = _issued(app)
    clerk = app.test_client()
    login(clerk, "vanthu")
    response = clerk.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    name = re.search(r'filename="?([^";]+)', response.headers["Content-Disposition"]).group(1)
    assert name.endswith(".edxml")
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{NAMESPACE}}}edXMLEnvelope"
    message = read_message(response.data)
    number, notation = version.number_line.removeprefix("Số: ").split("/", 1)
    assert (message.number, message.notation, message.date) == (number, notation, version.issued_on)
    assert message.sender == Organ("000.DT.02.NB", "Sở Nội vụ") and message.type_code == "HD"
    assert message.type_name == "Hướng dẫn" and "Chỉ số cải cách hành chính" in message.subject
    codes = {r.code for r in message.recipients}
    assert len(codes) >= 20 and "000.DT.02.NB" not in codes                 # the units; not the sender itself
    assert message.signer and message.position
    assert not any(p.startswith("Lưu") for p in message.places)
    attachment = message.attachments[0]
    assert attachment.data.startswith(b"%PDF-") and re.fullmatch(r"[A-Za-z0-9._-]{1,50}", attachment.name)
    assert message.pages >= 1 and message.document_id == f"000.DT.02.NB,{version.issued_on:%Y/%m/%d},{number}/{notation}"
    api = clerk.get(f"/api/campaigns/{C}/versions/{version.id}/edxml")
    assert api.status_code == 200 and read_message(api.data).number == number
    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml").status_code == 403
    other = app.test_client()
    login(other, "admin-ha-nam")
    assert other.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml").status_code == 404


def test_a_receivers_status_is_recorded_once_and_shown(app):
    version = _issued(app)
    clerk = app.test_client()
    _, token = login(clerk, "vanthu")
    message = read_message(clerk.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml").data)
    receiver = message.recipients[0]
    about = Reference(message.sender.code, message.code_line, message.date, message.document_id)
    at = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    received = write_status(Status(about, receiver, "03", "Văn thư đã tiếp nhận", at, "Nguyễn Thị Văn Thư"))
    page = f"/chien-dich/{C}/van-ban/huong-dan.html"
    sent = clerk.post(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/trang-thai",
                      data={"csrf_token": token, "tep": (io.BytesIO(received), "trang-thai.xml")}, content_type="multipart/form-data")
    assert sent.status_code == 302
    text = clerk.get(page).get_data(as_text=True)
    assert "Đã ghi trạng thái: " in text and f"{receiver.name}: nơi nhận đã tiếp nhận" in text
    table = re.search(r'<table id="trang-thai-lien-thong">.*?</table>', text, re.S).group(0)
    assert "06/12/2026 09:30" in table and "Văn thư đã tiếp nhận" in table
    again = clerk.post("/api/edxml/status", data=received, headers={"X-CSRF-Token": token, "Content-Type": "application/xml"})
    assert again.status_code == 200 and again.get_json()["ket_qua"] == "đã có"
    done = write_status(Status(about, receiver, "06", "", at + dt.timedelta(days=2), ""))
    api = clerk.post("/api/edxml/status", data=done, headers={"X-CSRF-Token": token, "Content-Type": "application/xml"})
    assert api.status_code == 201 and api.get_json()["noi_dung"].endswith("đã xử lý xong")
    assert clerk.get(page).get_data(as_text=True).count("<td>" + receiver.name + "</td>") == 2

    elsewhere = write_status(Status(Reference(message.sender.code, "999/HD-SNV", message.date, "x"), receiver, "03", "", at, ""))
    refused = clerk.post("/api/edxml/status", data=elsewhere, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "Không có văn bản 999/HD-SNV" in refused.get_json()["loi"]
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    bad = clerk.post("/api/edxml/status", data=hostile, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and "DOCTYPE" in bad.get_json()["loi"]
    wrong_code = received.replace(b">03<", b">99<")
    assert clerk.post("/api/edxml/status", data=wrong_code, headers={"X-CSRF-Token": token}).status_code == 422
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    assert unit.post("/api/edxml/status", data=received, headers={"X-CSRF-Token": unit_token}).status_code == 403


def test_a_document_keeps_its_issued_facts_and_without_coded_receivers_is_not_sent(app):
    from service.store.campaigns import Change, update_campaign
    engine = app.extensions["cchc_engine"]
    version = _issued(app)
    clerk = app.test_client()
    login(clerk, "vanthu")

    signer = {}

    def drift(data):
        signer["name"] = data["documents"]["huong-dan"]["signature"]["name"]
        data["documents"]["huong-dan"]["signature"]["name"] = "Người Khác"
        return [Change(f"{C}/huong-dan/ky", signer["name"], "Người Khác")]
    update_campaign(engine, C, drift, "test")
    drifted = clerk.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml")    # the issued facts, not today's data
    assert drifted.status_code == 200 and read_message(drifted.data).signer == signer["name"] != "Người Khác"

    def no_codes(data):
        data["documents"]["huong-dan"]["signature"]["name"] = signer["name"]
        data["edoc_codes"] = {name: code for name, code in data["edoc_codes"].items() if name == "Sở Nội vụ"}
        return [Change(f"{C}/edoc", "x", None)]
    update_campaign(engine, C, no_codes, "test")
    refused = clerk.get(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/edxml")
    assert refused.status_code == 422 and "không có nơi nhận nào có mã định danh điện tử" in refused.get_data(as_text=True)


def test_the_schema_and_names_refuse_what_an_e_office_would_not_take():
    name = ascii_name("125/KH-UBND năm 2026 — Kế hoạch triển khai đánh giá, xác định Chỉ số", ".pdf")
    assert name.startswith("125-KH-UBND-nam-2026-Ke-hoach-trien-khai") and len(name) <= 50 and name.isascii()
    assert len(ascii_name("x" * 200, ".pdf")) == 50
    with pytest.raises(EdxmlError, match="không phải XML"):
        read_status(b"not xml")
    with pytest.raises(EdxmlError, match="không đúng cấu trúc"):
        read_status(f'<edXML:edXMLEnvelope xmlns:edXML="{NAMESPACE}"/>'.encode())
    status = write_status(Status(Reference("000.DT.02.NB", "01/HD-SNV", dt.date(2026, 3, 1), "a"),
                                 Organ("000.DT.07.NB", "Sở Tư pháp"), "05", "", dt.datetime(2026, 3, 2, 8, 0), ""))
    assert read_status(status).code == "05" and base64.b64encode(b"") == b""


@pytest.mark.slow
def test_cchc_export_edxml_writes_the_message_of_an_issued_version(app, demo_database, tmp_path):
    """`cchc export-edxml` reads the workspace's database: the same message as the page, or a clear
    refusal for a version that is not there."""
    import os
    import subprocess
    import sys
    version = _issued(app)
    env = {**os.environ, "DATABASE_URL": demo_database, "CCHC_DATA_DIR": str(tmp_path / "instance")}
    out = tmp_path / "goi.edxml"
    result = subprocess.run([sys.executable, "-m", "service.cli", "export-edxml", "--campaign", C, "--version",
                             str(version.id), "-o", str(out)], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"gửi \d+ nơi nhận có mã định danh", result.stdout)
    assert read_message(out.read_bytes()).number == version.number_line.removeprefix("Số: ").split("/")[0]
    missing = subprocess.run([sys.executable, "-m", "service.cli", "export-edxml", "--campaign", C, "--version", "99999",
                              "-o", str(tmp_path / "x.edxml")], capture_output=True, text=True, timeout=300, env=env)
    assert missing.returncode == 1 and "Không có bản ban hành số 99999" in missing.stderr and "Traceback" not in missing.stderr


def test_the_office_types_the_codes_once_and_a_wrong_one_is_named(app):
    """The codes page: every agency and unit with its code, spare lines for bodies outside; a code that
    is not one is named at its field and nothing is stored; a saved code is what the message uses."""
    from service.store.campaigns import load_stored_campaign
    engine = app.extensions["cchc_engine"]
    admin = app.test_client()
    _, token = login(admin, "admin")
    page = admin.get(f"/chien-dich/{C}/ma-dinh-danh").get_data(as_text=True)
    assert "Mã định danh của Sở Nội vụ" in page and 'value="000.DT.02.NB"' in page
    form = dict(re.findall(r'name="((?:ten|ma)-\d+|phien-ban|mo-luc)" (?:size="\d+" maxlength="\d+" )?'
                           r'(?:autocapitalize="characters" )?value="([^"]*)"', page))
    form = {k: v for k, v in form.items()}
    index = next(k for k, v in form.items() if k.startswith("ten-") and v == "Sở Tư pháp").split("-")[1]
    spare = max(int(k.split("-")[1]) for k in form if k.startswith("ten-"))
    bad = admin.post(f"/chien-dich/{C}/ma-dinh-danh", data={**form, "csrf_token": token, f"ma-{index}": "12-34",
                                                             f"ten-{spare}": "Văn phòng Chính phủ", f"ma-{spare}": "000.00.00.G01"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "«12-34»: mã định danh gồm 4 nhóm" in text and 'value="Văn phòng Chính phủ"' in text
    assert "Văn phòng Chính phủ" not in load_stored_campaign(engine, C).edoc_codes
    good = admin.post(f"/chien-dich/{C}/ma-dinh-danh", data={**form, "csrf_token": token, f"ma-{index}": "000.00.07.h45",
                                                              f"ten-{spare}": "Văn phòng Chính phủ", f"ma-{spare}": "000.00.00.G01"})
    assert good.status_code == 302
    codes = load_stored_campaign(engine, C).edoc_codes
    assert codes["Sở Tư pháp"] == "000.00.07.H45" and codes["Văn phòng Chính phủ"] == "000.00.00.G01"
    assert codes["Sở Nội vụ"] == "000.DT.02.NB"
    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"/chien-dich/{C}/ma-dinh-danh").status_code == 403
