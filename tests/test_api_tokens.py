"""API tokens for machine clients (issue 15), on SQLite and PostgreSQL: made by the CLI against the
workspace's database or by the Sở Nội vụ's page, shown once and kept hashed; a token acts as its
account on the API only (same province, role and unit), a read token cannot write, and a revoked or
expired token, or one of a locked account, is refused at once."""
import pytest
import datetime as dt
import html
import json
import os
import re
import subprocess
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.store.api_tokens import create_token, revoke_token, token_user
from service.store.campaigns import stored_campaign_hash
from service.store.models import ApiToken
from service.store.users import reset_password, set_active, users_of
from tests.conftest import login

C = "ninh-binh-2026"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_acts_as_its_account_on_the_api_only(app):
    engine = app.extensions["cchc_engine"]
    _, token = create_token(engine, "admin", scope="read", name="Hệ thống báo cáo", operator=True, actor="test")
    with Session(engine) as session:                                   # only its SHA-256 is kept
        stored = session.scalars(select(ApiToken)).one()
        assert token not in (stored.digest, stored.prefix) and token.startswith(stored.prefix)
    client = app.test_client()
    listed = client.get("/api/campaigns", headers=_bearer(token))
    assert listed.status_code == 200 and {c["id"] for c in listed.get_json()} == {C}     # its province only
    assert listed.headers.get("Set-Cookie") is None                  # no session is opened for the client
    assert client.get("/api/campaigns/ha-nam-2023", headers=_bearer(token)).status_code == 404
    assert client.get(f"/api/campaigns/{C}/results", headers=_bearer(token)).status_code == 200
    page = client.get(f"/chien-dich/{C}", headers=_bearer(token))            # not a log-in for the web pages
    assert page.status_code == 302 and "/dang-nhap" in page.headers["Location"]
    assert client.get("/api/campaigns").status_code == 401

    before = stored_campaign_hash(engine, C)
    body = client.get(f"/api/campaigns/{C}", headers=_bearer(token))
    write = client.put(f"/api/campaigns/{C}", json=body.get_json(), headers={**_bearer(token), "If-Match": body.headers["ETag"]})
    assert write.status_code == 403 and "chỉ được đọc" in write.get_json()["loi"]
    assert stored_campaign_hash(engine, C) == before

    _, writer = create_token(engine, "soxaydung", scope="write", operator=True, actor="test")
    own = client.get(f"/api/campaigns/{C}/units/sxd/assessment", headers=_bearer(writer))
    assert own.status_code == 200
    assert client.get(f"/api/campaigns/{C}/units/snv/assessment", headers=_bearer(writer)).status_code == 403
    saved = client.put(f"/api/campaigns/{C}/units/sxd/self-assessment", headers=_bearer(writer),   # no CSRF token
                       json={"scores": {}})
    assert saved.status_code not in (400, 401, 403), saved.get_json()

    for bad in ("cchc_khong-co", "Bearer", "x" * 500, "cchc_" + "\x00<&>"):
        refused = client.get("/api/campaigns", headers={"Authorization": f"Bearer {bad}"})
        assert refused.status_code == 401 and "Mã truy cập API không hợp lệ" in refused.get_json()["loi"]


def test_revoked_expired_and_locked_tokens_stop_at_once(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    token_id, token = create_token(engine, "admin", operator=True, actor="test")
    assert client.get("/api/campaigns", headers=_bearer(token)).status_code == 200
    revoke_token(engine, token_id, "test")
    assert client.get("/api/campaigns", headers=_bearer(token)).status_code == 401

    now = dt.datetime.now(dt.timezone.utc)
    _, soon = create_token(engine, "lanhdao", expires=now + dt.timedelta(hours=1), operator=True, actor="test")
    assert token_user(engine, soon, now) is not None and token_user(engine, soon, now + dt.timedelta(hours=2)) is None
    try:
        create_token(engine, "lanhdao", expires=now - dt.timedelta(days=1), operator=True, actor="test")
        raise AssertionError("an expiry in the past must be refused")
    except ValueError as error:
        assert "ngày hết hạn phải sau hôm nay" in str(error)

    _, vanthu = create_token(engine, "vanthu", operator=True, actor="test")
    user = next(u for u in users_of(engine, "ninh-binh") if u.username == "vanthu")
    set_active(engine, user.id, False, "test")
    assert client.get("/api/campaigns", headers=_bearer(vanthu)).status_code == 401


def test_the_page_makes_lists_and_revokes_tokens_of_its_province_only(app):
    """Each account makes its own tokens; the admin sees and revokes every token of its province."""
    admin = app.test_client()
    _, csrf = login(admin, "admin")
    page = admin.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    assert "Chưa có mã truy cập nào." in page and 'name="tai-khoan"' not in page    # no account to choose
    bad_day = admin.post("/tai-khoan/ma-truy-cap", data={"csrf_token": csrf, "pham-vi": "read", "het-han": "31/02/2027"})
    assert bad_day.status_code == 400 and "không tồn tại" in bad_day.get_data(as_text=True)
    appraiser = app.test_client()
    _, appraiser_csrf = login(appraiser, "thamdinh")
    made = appraiser.post("/tai-khoan/ma-truy-cap", data={"csrf_token": appraiser_csrf, "tai-khoan": "admin", "pham-vi": "write",
                                                          "het-han": "31/12/2027", "ghi-chu": "Kịch bản <nhập điểm> & kiểm tra"})
    text = made.get_data(as_text=True)
    token = re.search(r'<code id="ma">([^<]+)</code>', text).group(1)
    assert made.status_code == 200 and "chỉ hiện một lần" in text and "Kịch bản &lt;nhập điểm&gt; &amp; kiểm tra" in text
    assert "cho tài khoản thamdinh" in text                                    # its own, whatever the form said
    listed = admin.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    assert listed.count(token) == 0 and "(thamdinh)" in listed                 # never shown again; the admin sees it
    assert "hết ngày 31/12/2027" in listed and "01/01/2028" not in listed        # walk U21: the day typed
    assert app.test_client().get("/api/campaigns", headers=_bearer(token)).status_code == 200
    token_id = int(re.search(r'<tr data-ma="(\d+)">', text).group(1))
    unit = app.test_client()
    _, unit_csrf = login(unit, "soxaydung")
    assert "Chưa có mã truy cập nào." in unit.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)   # its own only
    assert unit.post(f"/tai-khoan/ma-truy-cap/{token_id}/thu-hoi", data={"csrf_token": unit_csrf}).status_code == 404

    other = app.test_client()
    _, other_csrf = login(other, "admin-ha-nam")
    assert "Chưa có mã truy cập nào." in other.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    assert other.post(f"/tai-khoan/ma-truy-cap/{token_id}/thu-hoi", data={"csrf_token": other_csrf}).status_code == 404
    assert app.test_client().get("/api/campaigns", headers=_bearer(token)).status_code == 200
    assert admin.post(f"/tai-khoan/ma-truy-cap/{token_id}/thu-hoi", data={"csrf_token": csrf}).status_code == 302
    assert app.test_client().get("/api/campaigns", headers=_bearer(token)).status_code == 401
    assert "đã thu hồi" in admin.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    history = admin.get("/nhat-ky").get_data(as_text=True)
    assert "Tạo mã truy cập API" in history and "Thu hồi mã truy cập API" in history


def test_no_one_makes_a_token_for_someone_else_and_a_reset_ends_them(app):
    """Review S2: the admin minted a token for the Director and approved as her. Now a token is made
    by its own account only (the shell's operator excepted), a step taken through one names it in the
    document's history; review S9: a password reset revokes the account's tokens, and a token does not
    work while the account must change its password."""
    engine = app.extensions["cchc_engine"]
    with pytest.raises(ValueError, match="chỉ tạo mã truy cập cho chính tài khoản của mình"):
        create_token(engine, "lanhdao", scope="write", actor="admin", organisation_id="ninh-binh")
    _, own = create_token(engine, "lanhdao", scope="write", actor="lanhdao", organisation_id="ninh-binh")
    admin = app.test_client()
    _, csrf = login(admin, "admin")
    kind = "ke-hoach-dieu-tra-xhh"
    assert admin.post(f"/api/campaigns/{C}/documents/{kind}/steps/trinh-duyet", json={"reason": "trình"},
                      headers={"X-CSRF-Token": csrf}).status_code == 200
    client = app.test_client()
    approved = client.post(f"/api/campaigns/{C}/documents/{kind}/steps/duyet", json={"reason": "duyệt"}, headers=_bearer(own))
    assert approved.status_code == 200, approved.get_json()
    history = admin.get(f"/api/campaigns/{C}/documents/{kind}").get_json()["lich_su"]
    said = {json.dumps(event, ensure_ascii=False) for event in history}
    assert any("duyệt [qua mã truy cập API cchc_" in e and "do lanhdao tạo]" in e for e in said)   # the token's step
    assert any("trình" in e and "qua mã truy cập API" not in e for e in said)                     # the admin's, in person

    leader = next(u for u in users_of(engine, "ninh-binh") if u.username == "lanhdao")
    reset_password(engine, leader.id, "Mat-khau-moi-2027!", "admin")
    assert client.get("/api/campaigns", headers=_bearer(own)).status_code == 401
    with Session(engine) as session:
        assert all(t.revoked_at is not None for t in session.scalars(select(ApiToken).where(ApiToken.user_id == leader.id)))
    _, operator_made = create_token(engine, "lanhdao", operator=True, actor="cli")
    assert client.get("/api/campaigns", headers=_bearer(operator_made)).status_code == 401   # must change first


@pytest.mark.slow
def test_the_cli_makes_a_token_for_the_workspace_database(tmp_path):
    """`cchc token create` prints the token once on stdout (the explanation on stderr); `list` never
    prints it; `revoke` stops it; bad input is a message and exit 2, never a traceback."""
    from service.store.db import make_engine
    from service.store.users import create_user
    url = f"sqlite:///{tmp_path / 'cchc.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "service.cli", "token", *args], capture_output=True, text=True,
                              timeout=300, env=env)
    assert cli("list").returncode == 0                       # migrates the empty database
    engine = make_engine(url)
    create_user(engine, "egov", "mat-khau-dai-du", "Hệ thống quản lý văn bản", "leader", organisation_id="ninh-binh")
    made = cli("create", "EGOV", "--scope", "write", "--expires", "2099-12-31", "--name", "iOffice")
    assert made.returncode == 0 and "chỉ hiện một lần" in made.stderr
    token = made.stdout.strip()
    assert token.startswith("cchc_") and token_user(engine, token) is not None
    listed = cli("list", "egov")
    assert listed.returncode == 0 and token not in listed.stdout and "\twrite\tđang dùng\tiOffice" in listed.stdout
    token_id = listed.stdout.split("\t")[0]
    assert cli("revoke", token_id).returncode == 0 and token_user(engine, token) is None
    for bad in (["create", "khong-co"], ["create", "egov", "--expires", "31/12/2099"], ["create", "egov", "--expires", "2000-01-01"],
                ["revoke", "999"]):
        result = cli(*bad)
        assert result.returncode == 2 and result.stderr.startswith("lỗi: ") and "Traceback" not in result.stderr
    engine.dispose()
