"""Shared fixtures: the fixture campaigns rendered once per session, and text helpers."""
from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid

import docx
import pytest
from sqlalchemy import create_engine, text

from service.store.migrate import upgrade

from data_models import load_campaign
from fixtures import FIXTURES_DIR
from service.documents import compose
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf

CAMPAIGNS = ["ha-nam-2023", "tra-vinh-2023"]


def normalise(text: str) -> str:
    """NFC, dashes to '-', every whitespace run (NBSP included) to one space."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def docx_units(document) -> list[str]:
    """Paragraph texts of the body and of every table cell, and each table row's cells joined."""
    units = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            units += cells
            units += [p.text for cell in row.cells for p in cell.paragraphs]
            units.append(" ".join(cells))
    return [normalise(u) for u in units if u.strip()]


def docx_rows(document) -> list[list[str]]:
    return [[normalise(cell.text) for cell in row.cells] for table in document.tables for row in table.rows]


@pytest.fixture(scope="session")
def campaigns():
    return {cid: load_campaign(FIXTURES_DIR / cid) for cid in CAMPAIGNS}


@pytest.fixture(scope="session")
def rendered(campaigns):
    """{campaign id: (Document, docx bytes, pdf bytes)} for the Kế hoạch."""
    out = {}
    for cid, campaign in campaigns.items():
        document = compose(campaign, "ke-hoach")
        out[cid] = (document, render_docx(document), render_pdf(document))
    return out


def blank_pdf(pages: int = 1) -> bytes:
    """A small valid PDF (a scanned evidence file's stand-in)."""
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


# --------------------------------------------------------------------- databases (SQLite and PostgreSQL)
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_url():
    """A fresh database on the PostgreSQL server (dropped afterwards), or a skip saying why not."""
    try:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = f"cchc_test_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:   # no server: the SQLite half still runs
        pytest.skip(f"PostgreSQL không trả lời ở {POSTGRES_ADMIN}: {type(error).__name__}")
    return admin, name, POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cchc.sqlite3'}"
        upgrade(url)
        yield url
        return
    admin, name, url = _postgres_url()
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()




@pytest.fixture()
def app(database, tmp_path, monkeypatch):
    """The workspace on the parametrised database, with the demo campaigns and logins."""
    from service.web import create_app
    from service.web.demo import seed_demo
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "instance"))
    app = create_app(database, testing=True, secret_key="test-secret")
    seed_demo(app.extensions["cchc_engine"])
    yield app
    app.extensions["cchc_engine"].dispose()


def _token(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def login(client, username, password=None):
    """Log in; returns the response and the CSRF token of the new session (the session is renewed)."""
    from service.web.demo import DEMO_PASSWORD
    response = client.post("/dang-nhap", data={"username": username, "password": password or DEMO_PASSWORD,
                                                "csrf_token": _token(client.get("/dang-nhap"))})
    if response.status_code != 302:
        return response, None
    page = client.get(response.headers["Location"], follow_redirects=True)
    return response, _token(page)




@pytest.fixture()
def signers(app, tmp_path):
    """The demo's signers on top of ``app``: a CA trusted by the app, a registered certificate for every
    person and agency, the demo leaders linked to the people they are. {account: .p12 path}."""
    from service.web.demo import seed_demo_signers
    ca, p12s = seed_demo_signers(app.extensions["cchc_engine"], tmp_path / "ky-so")
    app.config["CCHC_TRUST_BUNDLE"] = ca
    return p12s


def approve(app, campaign_id: str, kind: str, unit: str | None = None, leader: str = "lanhdao") -> None:
    """The Sở Nội vụ submits a draft and a leader approves it (the steps before issuing)."""
    where = f"/chien-dich/{campaign_id}/van-ban/{kind}" + (f"/{unit}" if unit else "")
    admin = app.test_client()
    _, token = login(admin, "admin")
    assert admin.post(f"{where}/buoc/trinh-duyet", data={"csrf_token": token, "ly-do": "Kính trình"}).status_code == 302
    boss = app.test_client()
    _, token = login(boss, leader)
    response = boss.post(f"{where}/buoc/duyet", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]


def issue_through_the_form(app, campaign_id: str, kind: str, unit: str | None = None, **form):
    """Submit, approve, then the văn thư issues; returns the response of the issue."""
    approve(app, campaign_id, kind, unit)
    client = app.test_client()
    _, token = login(client, "vanthu")
    where = f"/chien-dich/{campaign_id}/van-ban/{kind}" + (f"/{unit}" if unit else "")
    return client.post(f"{where}/ban-hanh", data={"csrf_token": token, "xac-nhan": "1", **form})


def sign_through_the_form(app, campaign_id: str, version_id: int, p12: str, username: str = "lanhdao",
                          image: str = "chu-ky-mau.png"):
    """A signer signs an issued version in the workspace with their .p12 and a sample image."""
    from fixtures import SIGNING_DIR
    from service.signing.demo_pki import DEMO_PASSWORD
    client = app.test_client()
    _, token = login(client, username)
    return client.post(f"/chien-dich/{campaign_id}/ban-chinh-thuc/{version_id}/ky-so", content_type="multipart/form-data",
                       data={"csrf_token": token, "cach": "chung-thu", "mat_khau": DEMO_PASSWORD,
                             "p12": (io.BytesIO(open(p12, "rb").read()), "chung-thu.p12"),
                             "anh": (io.BytesIO((SIGNING_DIR / image).read_bytes()), "anh.png")})
