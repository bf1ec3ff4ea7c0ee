"""The province's accounts over the API (issue 15): list them, create one with an initial password
returned once, give one a new initial password, lock or reopen one — the same rules as the accounts
page (``accounts.new_account``, ``reset_account``, ``activate``). The Sở Nội vụ only."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify

from service.store.users import username_key, users_of

from . import access
from .accounts import account, activate, new_account, reset_account
from .api import form_errors, invalid, json_body
from .security import engine, login_required

bp = Blueprint("api_accounts", __name__, url_prefix="/api")
NOT_CREATED = "Dữ liệu không hợp lệ; không có tài khoản nào được tạo."
#: JSON field → the form field the shared rules name.
FIELDS = {"ten_dang_nhap": "ten", "ho_ten": "ho-ten", "vai_tro": "vai-tro", "don_vi": "don-vi", "co_quan": "co-quan",
          "thu": "thu"}


def account_json(user) -> dict:
    return {"ma": user.id, "ten_dang_nhap": user.username, "ho_ten": user.full_name, "vai_tro": user.role,
            "don_vi": user.unit_id, "co_quan": user.agency_id, "thu": user.email, "hoat_dong": bool(user.active),
            "phai_doi_mat_khau": bool(user.must_change_password)}


@bp.route("/accounts")
@login_required
def accounts():
    access.require(g.user.role == "admin")
    return jsonify({"tai_khoan": [account_json(u) for u in users_of(engine(), g.user.organisation_id)]})


@bp.route("/accounts", methods=["POST"])
@login_required
def create():
    access.require(g.user.role == "admin")
    body = json_body()
    if not isinstance(body, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON (ten_dang_nhap, ho_ten, vai_tro …).")
    problems = [(key, "phải là chuỗi ký tự") for key in FIELDS if body.get(key) is not None and not isinstance(body.get(key), str)]
    problems += [(key, "trường không có trong mô tả API") for key in body if key not in FIELDS]
    if problems:
        return invalid(NOT_CREATED, problems)
    errors, password = new_account({form: (body.get(key) or "").strip() for key, form in FIELDS.items()})
    if errors:
        named = {form: key for key, form in FIELDS.items()}
        return form_errors(NOT_CREATED, errors, lambda field: named.get(field, field))
    key = username_key(body["ten_dang_nhap"])
    user = next(u for u in users_of(engine(), g.user.organisation_id) if u.username_key == key)
    return jsonify({**account_json(user), "mat_khau_tam": password,
                    "ghi_chu": "Mật khẩu tạm chỉ hiện một lần; người dùng phải đổi ở lần đăng nhập đầu."}), 201


@bp.route("/accounts/<int:user_id>/password-reset", methods=["POST"])
@login_required
def reset(user_id: int):
    """A new initial password, returned once; the account's sessions end and it must change it."""
    access.require(g.user.role == "admin")
    user = account(user_id)
    password = reset_account(user)
    return jsonify({**account_json(account(user_id)), "mat_khau_tam": password,
                    "ghi_chu": "Mật khẩu tạm chỉ hiện một lần; người dùng phải đổi ở lần đăng nhập đầu."})


@bp.route("/accounts/<int:user_id>/status", methods=["POST"])
@login_required
def status(user_id: int):
    """Lock (``hoat_dong``: false; its sessions end, its API tokens stop working) or reopen an account."""
    access.require(g.user.role == "admin")
    user = account(user_id)
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("hoat_dong"), bool):
        return invalid("Dữ liệu không hợp lệ; tài khoản không đổi.", [("hoat_dong", "phải là true (mở lại) hoặc false (khóa)")])
    activate(user, body["hoat_dong"])
    return jsonify(account_json(account(user_id)))
