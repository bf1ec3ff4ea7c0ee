"""Who may do what: every role against every endpoint, on SQLite and PostgreSQL — including a unit
trying to read another unit's documents and a unit trying to change data."""
import json
import re

import pytest

from fixtures import FIXTURES_DIR
from service.web import create_app
from service.web.demo import DEMO_PASSWORD, seed_demo

C = "/chien-dich/ninh-binh-2026"
ROLES = ["admin", "leader", "vanthu", "secretariat", "appraiser", "unit"]
MATRIX = [  # (method, endpoint, expected status per role in ROLES order): 200/302 allowed, 403 refused
    ('GET', f"{C}", [200, 200, 200, 200, 200, 200]),
    ('GET', f"{C}/ket-qua", [200, 200, 200, 200, 200, 403]),
    ('GET', f"{C}/van-ban/ke-hoach.docx", [200, 200, 200, 200, 200, 200]),
    ('GET', f"{C}/van-ban/quyet-dinh-cong-bo.docx", [200, 200, 200, 200, 403, 403]),
    ('GET', f"{C}/van-ban/bien-ban.docx", [200, 200, 200, 200, 403, 403]),
    ('GET', f"{C}/van-ban/bao-cao-tu-danh-gia/sxd.docx", [200, 200, 200, 200, 200, 200]),
    ('GET', f"{C}/van-ban/bao-cao-tu-danh-gia/snv.docx", [200, 200, 200, 200, 200, 403]),
    ('GET', f"{C}/van-ban/cong-van-ket-qua-tham-dinh/snv.docx", [200, 200, 200, 200, 403, 403]),
    ('GET', "/api/campaigns", [200, 200, 200, 200, 200, 200]),
    ('GET', "/api/campaigns/ninh-binh-2026", [200, 200, 200, 200, 200, 403]),
    ('GET', "/api/campaigns/ninh-binh-2026/results", [200, 200, 200, 200, 200, 403]),
    ('PUT', "/api/campaigns/ninh-binh-2026", [200, 403, 403, 403, 403, 403]),
    # the admin issues first; the văn thư may issue too, but a second issue of one document is refused (422)
    ('POST', f"{C}/van-ban/huong-dan/ban-hanh", [302, 403, 422, 403, 403, 403]),
    ('GET', f"{C}/don-vi/sxd/tu-danh-gia", [200, 403, 403, 403, 403, 200]),
    ('GET', f"{C}/don-vi/snv/tu-danh-gia", [200, 403, 403, 403, 403, 403]),
    ('GET', f"{C}/don-vi/sxd/tham-dinh", [200, 403, 403, 403, 200, 403]),
    ('GET', f"{C}/don-vi/sxd/giai-trinh", [200, 403, 403, 403, 403, 200]),
    # a submitted self-assessment is closed (400 for the admin); nobody else may write another unit's
    ('POST', f"{C}/don-vi/snv/tu-danh-gia", [400, 403, 403, 403, 403, 403]),
    ('POST', f"{C}/don-vi/snv/tham-dinh", [302, 403, 403, 403, 302, 403]),
    ('GET', "/doi-mat-khau", [200, 200, 200, 200, 200, 200]),
    ('GET', "/nhat-ky", [200, 403, 403, 403, 403, 403]),
    ('GET', "/so-dang-ky/2026", [200, 200, 200, 403, 403, 403]),
]
USERS = {"admin": "admin", "leader": "lanhdao", "vanthu": "vanthu", "secretariat": "thuky",
         "appraiser": "thamdinh", "unit": "soxaydung"}


@pytest.fixture()
def app(database, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "instance"))
    app = create_app(database, testing=True, secret_key="matrix")
    engine = app.extensions["cchc_engine"]
    seed_demo(engine)
    yield app
    engine.dispose()


def _client(app, username):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True)).group(1)
    assert client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}).status_code == 302
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/chien-dich").get_data(as_text=True)).group(1)
    return client, token


def test_role_endpoint_matrix(app):
    campaign = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    clients = {role: _client(app, USERS[role]) for role in ROLES}
    failures = []
    for method, url, expected in MATRIX:
        for role, status in zip(ROLES, expected):
            client, token = clients[role]
            if method == "GET":
                response = client.get(url)
            elif method == "PUT":
                response = client.put(url, json=campaign, headers={"X-CSRF-Token": token})
            else:
                response = client.post(url, data={"csrf_token": token})
            if response.status_code != status:
                failures.append(f"{role} {method} {url}: {response.status_code} (muốn {status})")
    assert failures == []


def test_anonymous_visitors_see_nothing(app):
    client = app.test_client()
    for method, url, _ in MATRIX:
        if method == "GET":
            response = client.get(url)
            assert response.status_code in (302, 401), url
            if url.startswith("/api/"):
                assert response.get_json() == {"loi": "Cần đăng nhập."}


def test_unit_cannot_change_another_units_data_or_issue(app):
    client, token = _client(app, "soxaydung")
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    data["assessments"][0]["scores"][0]["self_score"] = 0
    assert client.put("/api/campaigns/ninh-binh-2026", json=data, headers={"X-CSRF-Token": token}).status_code == 403
    assert client.get(f"{C}/van-ban/bao-cao-giai-trinh/snv.pdf").status_code == 403
    admin, _ = _client(app, "admin")
    stored = admin.get("/api/campaigns/ninh-binh-2026").get_json()
    assert stored["assessments"][0]["scores"][0]["self_score"] != "0"
