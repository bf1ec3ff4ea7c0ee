"""Review S7: a fresh account's password change accepted 12345678, password, aaaaaaaa, its own name,
the published demo password, eight spaces and '12345678<tab>'. Each is refused now with its reason
in Vietnamese, the account keeps its old password; a leader needs 12 characters."""
import pytest

from service.store.password_policy import password_problem
from service.store.users import create_user
from tests.conftest import login


@pytest.mark.parametrize("password, reason", [
    ("12345678", "quá phổ biến"), ("password", "quá phổ biến"), ("aaaaaaaa", "lặp lại"),
    ("ab-moi-ab", None), ("ngoc-lan-01", None), ("cchc-demo-2026", "quá phổ biến"), ("        ", "khoảng trắng"),
    ("12345678\t", "ký tự điều khiển"), ("abababab", "lặp lại"), ("98765432", "liên tiếp"), ("lmnopqrs", "liên tiếp"),
    ("MatKhau123", "quá phổ biến"), ("ngắn", "ít nhất 8"),
])
def test_the_rules(password, reason):
    problem = password_problem(password, username="hn-moi", role="unit")
    assert (problem is None) if reason is None else (problem is not None and reason in problem), problem
    assert "tên đăng nhập" in password_problem("x-hn-moi-2027", username="hn-moi", role="unit")
    assert "ít nhất 12" in password_problem("ngoc-lan-01", username="lanhdao", role="leader")
    assert password_problem("hoa-sen-ngoc-lan", username="lanhdao", role="leader") is None


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_the_password_page_refuses_the_review_cases(app):
    engine = app.extensions["cchc_engine"]
    create_user(engine, "hn-moi", "Ban-dau-ngau-nhien-7", "Người mới", "unit", organisation_id="ninh-binh",
                unit_id="sxd", must_change_password=True)
    client = app.test_client()
    _, token = login(client, "hn-moi", "Ban-dau-ngau-nhien-7")
    page = client.get("/doi-mat-khau").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    for new in ("12345678", "password", "aaaaaaaa", "hn-moi-1234", "cchc-demo-2026", " " * 8, "12345678\t"):
        response = client.post("/doi-mat-khau", data={"csrf_token": token, "hien-tai": "Ban-dau-ngau-nhien-7",
                                                       "moi": new, "nhap-lai": new})
        assert response.status_code == 400, new
    assert login(app.test_client(), "hn-moi", "Ban-dau-ngau-nhien-7")[0].status_code == 302      # unchanged
    done = client.post("/doi-mat-khau", data={"csrf_token": token, "hien-tai": "Ban-dau-ngau-nhien-7",
                                              "moi": "hoa-sen-ven-ho", "nhap-lai": "hoa-sen-ven-ho"})
    assert done.status_code == 302
