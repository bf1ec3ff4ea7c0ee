"""Issuing on SQLite and PostgreSQL: numbers from the register (or the e-office's for UBND documents)
written into the campaign, the document frozen with its hashes, refusals, nothing consumed on failure."""
import datetime as dt
import hashlib
import io
import json
import re

import docx
import pytest

from data_models import InvalidCampaign
from fixtures import FIXTURES_DIR
from service.store.campaigns import load_stored_campaign, save_campaign
from service.store.db import make_engine
from service.store.issuing import issue_document, issued_versions
from service.store.register import register_numbers

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)


@pytest.fixture()
def engine(database):
    engine = make_engine(database)
    save_campaign(engine, json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8")), "test",
                  "ninh-binh")
    yield engine
    engine.dispose()


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return " ".join([p.text for p in document.paragraphs] +
                    [c.text for t in document.tables for r in t.rows for c in r.cells]).replace("\u00a0", " ")


def test_own_register_number_frozen_version(engine):
    issued = issue_document(engine, "ninh-binh-2026", "bao-cao-ket-qua", None, "vanthu", now=NOW)
    assert issued.number_line == "Số: 01/BC-SNV" and issued.issued_on == dt.date(2026, 11, 22)
    version = issued_versions(engine, "ninh-binh-2026")[0]
    text = _text(version.docx)
    assert "Số: 01/BC-SNV" in text and "Ninh Bình, ngày 22 tháng 11 năm 2026" in text
    assert hashlib.sha256(version.pdf).hexdigest() == issued.pdf_sha256 and version.pdf.startswith(b"%PDF-")
    stored = load_stored_campaign(engine, "ninh-binh-2026").documents["bao-cao-ket-qua"].header
    assert stored.number == 1 and (stored.date.day, stored.date.month) == (22, 11)
    assert register_numbers(engine, "snv", 2026) == [(1, "issued")]
    second = issue_document(engine, "ninh-binh-2026", "to-trinh-ket-qua", None, "vanthu", now=NOW)
    assert second.number_line == "Số: 02/TTr-SNV"                       # one sequence for the agency's documents
    with pytest.raises(ValueError, match="đã được ban hành"):
        issue_document(engine, "ninh-binh-2026", "bao-cao-ket-qua", None, "vanthu", now=NOW)


def test_ubnd_documents_take_the_e_office_number(engine):
    with pytest.raises(ValueError, match="nhập số và ngày"):
        issue_document(engine, "ninh-binh-2026", "quyet-dinh-cong-bo", None, "vanthu")
    issued = issue_document(engine, "ninh-binh-2026", "quyet-dinh-cong-bo", None, "vanthu",
                            external_number=45, external_date=dt.date(2026, 12, 14))
    assert issued.number_line == "Số: 45/QĐ-UBND" and issued.issued_on == dt.date(2026, 12, 14)
    text = _text(issued_versions(engine, "ninh-binh-2026")[0].docx)
    assert "Số: 45/QĐ-UBND" in text and "Ninh Bình, ngày 14 tháng 12 năm 2026" in text
    assert "(Kèm theo Quyết định số 45/QĐ-UBND ngày 14 tháng 12 năm 2026 của Ủy ban nhân dân tỉnh Ninh Bình)" in text
    assert register_numbers(engine, "ubnd-tinh", 2026) == []            # not from our register


def test_council_minutes_use_the_council_register(engine):
    issued = issue_document(engine, "ninh-binh-2026", "bien-ban", None, "vanthu", now=NOW)
    assert issued.number_line == "Số: 01/BB-UBND"
    assert register_numbers(engine, "ubnd-tinh", 2026, register="hoi-dong") == [(1, "issued")]


def test_failures_consume_no_number_and_change_nothing(engine):
    with pytest.raises(ValueError, match="đã có số 312"):
        issue_document(engine, "ninh-binh-2026", "cong-van-don-doc", None, "vanthu", now=NOW)
    with pytest.raises(ValueError, match="chưa cấp số được"):
        issue_document(engine, "ninh-binh-2026", "bao-cao-giai-trinh", "sxd", "vanthu", now=NOW)
    with pytest.raises(InvalidCampaign):    # the plan's dated tasks reject a report dated before the plan
        issue_document(engine, "ninh-binh-2026", "quyet-dinh-hoi-dong", None, "vanthu", external_number=7,
                       external_date=dt.date(2030, 1, 1))
    assert register_numbers(engine, "snv", 2026) == [] and issued_versions(engine, "ninh-binh-2026") == []
    assert issue_document(engine, "ninh-binh-2026", "huong-dan", None, "vanthu", now=NOW).number_line == "Số: 01/HD-SNV"


def test_vanthu_issues_from_the_dashboard(database, tmp_path, monkeypatch):
    from service.web import create_app
    from service.web.demo import DEMO_PASSWORD, seed_demo
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "instance"))
    app = create_app(database, testing=True, secret_key="t")
    seed_demo(app.extensions["cchc_engine"])
    client = app.test_client()

    def token():
        return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True)).group(1)

    client.post("/dang-nhap", data={"username": "soxaydung", "password": DEMO_PASSWORD, "csrf_token": token()})
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/chien-dich/ninh-binh-2026/van-ban/huong-dan/ban-hanh", data={"csrf_token": csrf}).status_code == 403
    client.post("/dang-xuat", data={"csrf_token": csrf})
    client.post("/dang-nhap", data={"username": "vanthu", "password": DEMO_PASSWORD, "csrf_token": token()})
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/chien-dich/ninh-binh-2026/van-ban/huong-dan/ban-hanh", data={"csrf_token": csrf},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Đã ban hành: Số: 01/HD-SNV" in body and "Văn bản đã ban hành" in body
    link = re.search(r'href="(/chien-dich/ninh-binh-2026/ban-chinh-thuc/\d+\.pdf)"', body).group(1)
    assert client.get(link).data.startswith(b"%PDF-")
    bad = client.post("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-hoi-dong/ban-hanh",
                      data={"csrf_token": csrf, "so": "mười", "ngay": ""})
    assert bad.status_code == 400 and "Số phải là số nguyên" in bad.get_data(as_text=True)
    app.extensions["cchc_engine"].dispose()


def test_register_page_and_voiding(database, tmp_path, monkeypatch):
    from service.web import create_app
    from service.web.demo import DEMO_PASSWORD, seed_demo
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "instance"))
    app = create_app(database, testing=True, secret_key="t")
    engine = app.extensions["cchc_engine"]
    seed_demo(engine)
    issue_document(engine, "ninh-binh-2026", "huong-dan", None, "vanthu", now=NOW)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True)).group(1)
    client.post("/dang-nhap", data={"username": "vanthu", "password": DEMO_PASSWORD, "csrf_token": token})
    page = client.get("/so-dang-ky/2026").get_data(as_text=True)
    assert "Sổ đăng ký văn bản đi năm 2026" in page and "01/HD-SNV" in page and "Đã cấp" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    action = re.search(r'action="(/so-dang-ky/huy/\d+)"', page).group(1)
    assert client.post(action, data={"csrf_token": csrf, "ly_do": " "}).status_code == 422
    response = client.post(action, data={"csrf_token": csrf, "ly_do": "Cấp nhầm"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Đã hủy số văn bản" in body and "Đã hủy: Cấp nhầm" in body
    assert register_numbers(engine, "snv", 2026) == [(1, "voided")]
    assert issue_document(engine, "ninh-binh-2026", "to-trinh-ke-hoach", None, "vanthu", now=NOW).number_line == "Số: 02/TTr-SNV"
    client.post("/dang-xuat", data={"csrf_token": csrf})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True)).group(1)
    client.post("/dang-nhap", data={"username": "soxaydung", "password": DEMO_PASSWORD, "csrf_token": token})
    assert client.get("/so-dang-ky/2026").status_code == 403
    engine.dispose()
