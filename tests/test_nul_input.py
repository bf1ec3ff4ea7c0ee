"""Review S11: a NUL character reached PostgreSQL (which refuses it in text) through a step's reason,
an account's name, a token's note and a province's name, and came back as a 500. It is now refused at
the door of every request with the field named, on both databases, and nothing is stored."""
from service.store.api_tokens import tokens_of
from service.store.campaigns import audit_trail
from service.store.users import users_of
from tests.conftest import login

C = "ninh-binh-2026"


def _said(response) -> str:
    return response.get_json()["loi"] if response.is_json else response.get_data(as_text=True)


def test_a_nul_anywhere_is_refused_with_its_field_named(app):
    engine = app.extensions["cchc_engine"]
    admin = app.test_client()
    _, csrf = login(admin, "admin")
    accounts_before = len(users_of(engine, "ninh-binh"))
    step = admin.post(f"/api/campaigns/{C}/documents/to-trinh-ket-qua/steps/trinh-duyet", json={"reason": "a\u0000"},
                      headers={"X-CSRF-Token": csrf})
    assert step.status_code == 400 and "«reason» chứa ký tự NUL" in _said(step)
    account = admin.post("/api/accounts", json={"ten": "moi-1", "ho_ten": "a\u0000", "vai_tro": "vanthu"},
                         headers={"X-CSRF-Token": csrf})
    assert account.status_code == 400 and "«ho_ten» chứa ký tự NUL" in _said(account)
    nested = admin.post("/api/accounts", json={"x": [{"y": "b\u0000"}]}, headers={"X-CSRF-Token": csrf})
    assert nested.status_code == 400 and "«x[0].y»" in _said(nested)
    token = admin.post("/tai-khoan/ma-truy-cap", data={"csrf_token": csrf, "pham-vi": "read", "ghi-chu": "x\x00y"})
    assert token.status_code == 400 and "«ghi-chu» chứa ký tự NUL" in _said(token)
    query = admin.get(f"/chien-dich/{C}/van-ban?tim=a%00b")
    assert query.status_code == 400 and "«tim»" in _said(query)
    system = app.test_client()
    _, system_csrf = login(system, "quantri")
    province = system.post("/he-thong", data={"csrf_token": system_csrf, "tinh": "Tỉnh\x00X", "ten": "snv-x", "ho-ten": "X"})
    assert province.status_code == 400 and "«tinh» chứa ký tự NUL" in _said(province)
    assert len(users_of(engine, "ninh-binh")) == accounts_before and tokens_of(engine, "ninh-binh") == []
    assert not [e for e in audit_trail(engine, "ninh-binh") if "\x00" in (e.new_value or "")]


def test_a_form_part_without_a_name_is_no_server_error(app):
    """Found by the fuzzer after the door check came: a multipart part with no name reached it as None."""
    admin = app.test_client()
    _, csrf = login(admin, "admin")
    body = (b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + csrf.encode() +
            b'\r\n--b\r\nContent-Disposition: form-data\r\n\r\ny\r\n--b--\r\n')
    response = admin.post(f"/api/campaigns/{C}/units/sxd/evidence", data=body, headers={"X-CSRF-Token": csrf},
                          content_type="multipart/form-data; boundary=b")
    assert response.status_code in (400, 403, 422), response.get_data(as_text=True)[:300]
