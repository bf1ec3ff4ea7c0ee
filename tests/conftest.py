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


class DatabaseTemplates:
    """Each test gets a database of its own, copied from a template built once per test process: the
    schema migrated (``database``), or migrated with the demo campaigns and logins stored
    (``app``). Copying is a file backup on SQLite and ``CREATE DATABASE … TEMPLATE`` on PostgreSQL
    (about 50 ms), instead of migrating and storing four campaigns for every test (about 2 s). Each
    test process (pytest-xdist worker) has its own templates: PostgreSQL refuses to copy a template
    that another session is copying at the same moment."""

    def __init__(self, folder):
        self.folder = folder
        self.tag = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:6]}"
        self.built: dict[tuple[str, bool], str] = {}
        self.admin = None

    def _admin(self):
        if self.admin is None:
            try:
                admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
                with admin.connect():
                    pass
            except Exception as error:   # no server: the SQLite half still runs
                pytest.skip(f"PostgreSQL không trả lời ở {POSTGRES_ADMIN}: {type(error).__name__}")
            self.admin = admin
        return self.admin

    def _postgres_url(self, name: str) -> str:
        return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"

    def _build(self, kind: str, seeded: bool) -> str:
        from service.store.db import make_engine
        from service.web.demo import seed_demo
        if kind == "sqlite":
            template = str(self.folder / f"mau-{'du-lieu' if seeded else 'rong'}.sqlite3")
            url = f"sqlite:///{template}"
        else:
            template = f"cchc_tpl_{self.tag}_{'seeded' if seeded else 'empty'}"
            with self._admin().connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{template}"'))
            url = self._postgres_url(template)
        upgrade(url)
        if seeded:
            engine = make_engine(url)
            seed_demo(engine)
            engine.dispose()          # a PostgreSQL template must have no session left
        return template

    def copy(self, kind: str, seeded: bool, tmp_path) -> str:
        """A new database copied from the template of ``kind``; its URL."""
        if (kind, seeded) not in self.built:
            self.built[(kind, seeded)] = self._build(kind, seeded)
        template = self.built[(kind, seeded)]
        if kind == "sqlite":
            import sqlite3
            target = tmp_path / "cchc.sqlite3"
            with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
            source.close()
            copy.close()
            return f"sqlite:///{target}"
        name = f"cchc_test_{uuid.uuid4().hex[:10]}"
        with self._admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return self._postgres_url(name)

    def drop(self, url: str) -> None:
        if url.startswith("postgresql"):
            with self._admin().connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))

    def close(self) -> None:
        for (kind, _), template in self.built.items():
            if kind == "postgresql":
                self.drop(self._postgres_url(template))
        if self.admin is not None:
            self.admin.dispose()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory):
    templates = DatabaseTemplates(tmp_path_factory.mktemp("mau-csdl"))
    yield templates
    templates.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    return request.param


@pytest.fixture()
def database(database_kind, database_templates, tmp_path):
    """A migrated, empty database of the parametrised kind (dropped afterwards)."""
    url = database_templates.copy(database_kind, False, tmp_path)
    yield url
    database_templates.drop(url)


@pytest.fixture()
def demo_database(database_kind, database_templates, tmp_path):
    """A migrated database holding the demo campaigns and logins (``seed_demo``), dropped afterwards."""
    url = database_templates.copy(database_kind, True, tmp_path)
    yield url
    database_templates.drop(url)


@pytest.fixture()
def app(demo_database, tmp_path, monkeypatch):
    """The workspace on the parametrised database, with the demo campaigns and logins."""
    from service.web import create_app
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "instance"))
    app = create_app(demo_database, testing=True, secret_key="test-secret")
    yield app
    close_app(app)


def close_app(app) -> None:
    """What a test's app leaves behind: its pending notices cancelled (nothing of this test is sent
    during the next one), its database connections closed."""
    app.extensions["cchc_debouncer"].cancel()
    app.extensions["cchc_survey_debouncer"].cancel()
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




@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory):
    """The demo CA and the .p12 of every person and agency, made once per test process (the keys take
    a second; each test registers the certificates in its own database)."""
    return tmp_path_factory.mktemp("ky-so")


@pytest.fixture()
def signers(app, demo_pki):
    """The demo's signers on top of ``app``: a CA trusted by the app, a registered certificate for every
    person and agency, the demo leaders linked to the people they are. {account: .p12 path}."""
    from service.web.demo import seed_demo_signers
    ca, p12s = seed_demo_signers(app.extensions["cchc_engine"], demo_pki)
    app.config["CCHC_TRUST_BUNDLE"] = ca
    return p12s


def approver_of(app_or_engine, campaign_id: str, kind: str, unit: str | None = None) -> str:
    """The log-in of the leader a submitted document waits for."""
    from service.store.lifecycle import state_of
    from service.store.models import User
    from sqlalchemy.orm import Session
    engine = app_or_engine.extensions["cchc_engine"] if hasattr(app_or_engine, "extensions") else app_or_engine
    state = state_of(engine, campaign_id, kind, unit)
    with Session(engine) as session:
        return session.get(User, state.approver_id).username


def approve(app, campaign_id: str, kind: str, unit: str | None = None, leader: str | None = None) -> None:
    """The Sở Nội vụ submits a draft (to ``leader``, by default the one its signature block names) and
    that leader approves it (the steps before issuing)."""
    where = f"/chien-dich/{campaign_id}/van-ban/{kind}" + (f"/{unit}" if unit else "")
    admin = app.test_client()
    _, token = login(admin, "admin")
    response = admin.post(f"{where}/buoc/trinh-duyet", data={"csrf_token": token, "ly-do": "Kính trình",
                                                            **({"lanh-dao": leader} if leader else {})})
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    leader = leader or approver_of(app, campaign_id, kind, unit)
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


# --------------------------------------------------------------------- LibreOffice, the second reader
@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """``convert(files, to, outdir)``: LibreOffice (headless) opens ``files`` and saves them as ``to``
    ('pdf', 'txt:Text') in ``outdir``. Each test process has a profile of its own, made by its first
    call and reused by the next: two LibreOffice started at once on one profile hand their files to
    each other, and a new profile costs seconds."""
    import subprocess
    profile = tmp_path_factory.mktemp("libreoffice-profile").as_uri()

    def convert(files, to: str, outdir, timeout: float = 900) -> None:
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", to,
                        "--outdir", str(outdir), *(str(f) for f in files)], check=True, capture_output=True, timeout=timeout)
    return convert


# --------------------------------------------------------------------- typeset files shared by the run
#: How the product hashes passwords (checked by test_security); the tests' own processes use scrypt at
#: 1/32 of its cost, because the suite logs in thousands of times (0,1 s each at full cost). The
#: algorithm and every check stay the same.
PRODUCTION_PASSWORD_METHOD = None
TEST_PASSWORD_METHOD = "scrypt:1024:8:1"


def _cheaper_password_hashes() -> None:
    global PRODUCTION_PASSWORD_METHOD
    from service.store import users
    if PRODUCTION_PASSWORD_METHOD is None:
        PRODUCTION_PASSWORD_METHOD = users.PASSWORD_METHOD
    users.PASSWORD_METHOD = TEST_PASSWORD_METHOD
    users._DUMMY_HASH = users.hash_password("cchc-docs: không có tài khoản này")


def pytest_configure(config):
    """Cheaper password hashes (above); and every process of the run (pytest-xdist workers and the
    command-line subprocesses the tests start inherit the environment) keeps typeset PDFs in one
    folder by content hash, so a document typeset by one test is read by the next that asks for the
    same bytes (service.render.typeset_cache). The first typesetting of each distinct file still
    happens, in whichever test asks first."""
    _cheaper_password_hashes()
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("CCHC_RENDER_CACHE"):
        return
    import tempfile
    folder = tempfile.mkdtemp(prefix="cchc-typeset-")
    os.environ["CCHC_RENDER_CACHE"] = folder
    config._cchc_typeset_folder = folder


def pytest_collection_modifyitems(config, items):
    """The slow tests first (in their files' order): pytest-xdist hands tests out from the front, so the
    long ones start at once on every worker and the short ones fill the ends (the run is as long as
    its busiest worker)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_unconfigure(config):
    folder = getattr(config, "_cchc_typeset_folder", None)
    if folder:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("CCHC_RENDER_CACHE", None)
