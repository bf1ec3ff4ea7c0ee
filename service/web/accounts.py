"""Accounts: the Sở Nội vụ manages its province's accounts (every role; initial passwords shown once
and changed at first log-in; reset; deactivation instead of deletion), the system administrator
creates provinces and their first Sở Nội vụ account."""
from __future__ import annotations

import base64
import csv
import io
import secrets

from flask import Blueprint, abort, flash, g, render_template, request

from service import excel
from service.store.campaigns import ensure_organisation, list_campaigns, organisations
from service.store.sessions import end_all_sessions
from service.store.users import (EMAIL, ROLES, NewAccount, account_problem, create_user, create_users, reset_password,
                                 set_active, username_key, users_of)
from service.vietnamese import ascii_slug

from . import access, cache
from .security import engine, roles_required

bp = Blueprint("accounts", __name__)
#: Roles the Sở Nội vụ gives (the system administrator is made by the system administrator only).
PROVINCE_ROLES = [role for role in ROLES if role != "system"]
#: The largest accounts sheet read (a province's accounts fit in far less).
MAX_SHEET = 5 * 1024 * 1024
#: Accounts one import may make: each initial password is hashed (scrypt, ~0,1 s), so 500 hold a worker
#: under a minute; a province lists more in several files.
MAX_ACCOUNT_ROWS = 500


def initial_password() -> str:
    return secrets.token_urlsafe(9)


def accounts_csv(accounts: list[tuple[str, str, str, str]]) -> str:
    """The new accounts as a CSV data URL (the passwords are shown once and never stored in clear)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Tên đăng nhập", "Mật khẩu ban đầu", "Họ tên", "Đơn vị"])
    writer.writerows([[("'" + cell) if cell.startswith(excel.FORMULA_START) else cell for cell in row] for row in accounts])
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(("\ufeff" + buffer.getvalue()).encode("utf-8")).decode()


def _latest_campaign():
    """The province's newest campaign (its units and agencies are the choices), or None."""
    rows = list_campaigns(engine(), g.user.organisation_id)
    return cache.campaign(rows[0][0])[0] if rows else None


def account(user_id: int):
    """One account of the caller's province; 404 for another province's or none."""
    user = next((u for u in users_of(engine(), g.user.organisation_id) if u.id == user_id), None)
    if user is None:
        access.not_found("tài khoản này")
    return user


def _page(errors=None, created=None, values=None, bulk=None):
    campaign = _latest_campaign()
    return render_template("accounts.html", users=users_of(engine(), g.user.organisation_id), roles=ROLES,
                           province_roles=PROVINCE_ROLES, campaign=campaign, errors=errors or {}, created=created,
                           values=values or {}, bulk=bulk or [], bulk_csv=accounts_csv(bulk) if bulk else ""), \
        (400 if errors else 200)


@bp.route("/tai-khoan", methods=["GET", "POST"])
@roles_required("admin")
def index():
    """The province's accounts; POST creates one with an initial password shown once."""
    if request.method == "GET":
        return _page()
    values = {k: request.form.get(k, "").strip() for k in ("ten", "ho-ten", "vai-tro", "don-vi", "co-quan", "thu")}
    errors, password = new_account(values)
    if errors:
        return _page(errors, values=values)
    return _page(created=(values["ten"], password, "tạo tài khoản"))


def new_account(values: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """Create an account of the user's province from the form's values ('ten', 'ho-ten', 'vai-tro',
    'don-vi', 'co-quan', 'thu'): (errors by field, none when created; the initial password, shown
    once). The page and the API both come here."""
    errors: dict[str, str] = {}
    role = values["vai-tro"]
    if role not in PROVINCE_ROLES:
        errors["vai-tro"] = "chọn vai trò"
    if not values["ho-ten"]:
        errors["ho-ten"] = "không được để trống"
    campaign = _latest_campaign()
    if role == "unit" and not (campaign and access.has_unit(campaign, values["don-vi"])):
        errors["don-vi"] = "chọn đơn vị của tài khoản"
    if role == "appraiser" and not (campaign and any(a.id == values["co-quan"] for a in campaign.agencies)):
        errors["co-quan"] = "chọn cơ quan thẩm định"
    if role == "leader" and not (campaign and any(a.id == values["co-quan"] for a in campaign.agencies)):
        errors["co-quan"] = "chọn cơ quan của lãnh đạo (văn bản của cơ quan này được trình lãnh đạo duyệt)"
    if values["thu"] and not EMAIL.fullmatch(values["thu"]):
        errors["thu"] = f"địa chỉ thư {values['thu']!r} không hợp lệ (ví dụ: ten@ninhbinh.gov.vn)"
    password = initial_password()
    if not errors:
        try:
            create_user(engine(), values["ten"], password, values["ho-ten"], role, organisation_id=g.user.organisation_id,
                        campaign_id=campaign.id if campaign else None, unit_id=values["don-vi"] if role == "unit" else None,
                        agency_id=values["co-quan"] if role in ("appraiser", "leader") else None, must_change_password=True,
                        email=values["thu"] or None,
                        actor=g.user.username)
        except ValueError as error:
            errors["ten"] = str(error)
    return errors, (None if errors else password)


@bp.route("/tai-khoan/nhap", methods=["POST"])
@roles_required("admin")
def bulk():
    """Accounts of every role from a sheet (.xlsx or .csv), all or none: every problem named by its
    cell before any account is made; the initial passwords shown once, with a CSV to hand them out."""
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return _page({"tep": "chọn tệp .xlsx hoặc .csv danh sách tài khoản"})
    content = upload.read(MAX_SHEET + 1)
    if len(content) > MAX_SHEET:
        return _page({"tep": f"tệp lớn quá {MAX_SHEET // 1048576} MB: danh sách tài khoản không cần lớn vậy"})
    try:
        rows = excel.read_accounts(content, upload.filename)
    except excel.SheetError as error:
        return _page({"tep": "; ".join(error.problems[:20])})
    if len(rows) > MAX_ACCOUNT_ROWS:                  # review S17: each initial password costs 0,1 s to hash
        return _page({"tep": f"tệp có {len(rows)} tài khoản; mỗi lần nhập tối đa {MAX_ACCOUNT_ROWS} tài khoản: "
                             "chia danh sách thành nhiều tệp. Chưa tạo tài khoản nào."})
    campaign = _latest_campaign()
    units = {u.id for u in campaign.units()} if campaign else set()
    agencies = {a.id for a in campaign.agencies} if campaign else set()
    by_name = {name.casefold(): key for key, name in ROLES.items() if key != "system"}
    taken = {username_key(u.username) for u in users_of(engine(), None)}
    problems, accounts = [], []
    for row in rows:
        cells = row["cells"]
        role = by_name.get(row["Vai trò"].casefold(), row["Vai trò"] if row["Vai trò"] in PROVINCE_ROLES else None)
        key = username_key(row["Tên đăng nhập"])
        if role is None:
            problems.append(f"{cells['Vai trò']}: vai trò {row['Vai trò']!r} không có ({', '.join(ROLES[r] for r in PROVINCE_ROLES)})")
        if key is None or key in taken:
            problems.append(f"{cells['Tên đăng nhập']}: tên đăng nhập {row['Tên đăng nhập']!r} "
                            + ("không hợp lệ" if key is None else "đã có"))
        taken.add(key)
        if role == "unit" and row["Mã đơn vị"] not in units:
            problems.append(f"{cells['Mã đơn vị']}: không có đơn vị {row['Mã đơn vị']!r} trong chiến dịch mới nhất")
        if role in ("appraiser", "leader") and row["Mã cơ quan thẩm định"] not in agencies:
            problems.append(f"{cells['Mã cơ quan thẩm định']}: không có cơ quan {row['Mã cơ quan thẩm định']!r}"
                            + (" (cơ quan của lãnh đạo)" if role == "leader" else ""))
        account = NewAccount(row["Tên đăng nhập"], initial_password(), row["Họ tên"], role or "unit",
                             organisation_id=g.user.organisation_id, campaign_id=campaign.id if campaign else None,
                             unit_id=row["Mã đơn vị"] if role == "unit" else None,
                             agency_id=row["Mã cơ quan thẩm định"] if role in ("appraiser", "leader") else None,
                             must_change_password=True, email=row["Thư điện tử"] or None)
        problem = account_problem(account) if role is not None and key is not None else None
        if problem:                                     # the same rules as the creation, before anything is made
            where = cells["Thư điện tử"] if "thư" in problem else cells["Tên đăng nhập"]
            problems.append(f"{where}: {problem}")
        accounts.append(account)
    if problems:
        return _page({"tep": "; ".join(problems[:20]) + (f" (và {len(problems) - 20} lỗi khác)" if len(problems) > 20 else "")
                      + ". Chưa tạo tài khoản nào."})
    try:
        create_users(engine(), accounts, g.user.username)           # all or none
    except ValueError as error:
        return _page({"tep": f"{error}. Chưa tạo tài khoản nào."})
    return _page(bulk=[(a.username, a.password, a.full_name, ROLES[a.role]) for a in accounts])


@bp.route("/tai-khoan/<int:user_id>/lich-su")
@roles_required("admin")
def history(user_id: int):
    """One account's history: what was done to it (created, reset, locked) and what it did, newest
    first, in Vietnam time (issue 14, item 2)."""
    from service.store.campaigns import audit_trail
    user = account(user_id)
    entries = [e for e in reversed(audit_trail(engine(), organisation_id=g.user.organisation_id))
               if e.actor == user.username or e.target == f"user/{user.username}"][:500]
    people = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    return render_template("account_history.html", account=user, entries=entries, people=people, roles=ROLES)


@bp.route("/tai-khoan/<int:user_id>/dat-lai-mat-khau", methods=["POST"])
@roles_required("admin")
def reset(user_id: int):
    """A new initial password (shown once); the account's sessions end and it must change it."""
    user = account(user_id)
    return _page(created=(user.username, reset_account(user), "đặt lại mật khẩu"))


def reset_account(user) -> str:
    """Give ``user`` a new initial password (returned, to show once) and end its sessions (page and API)."""
    password = initial_password()
    reset_password(engine(), user.id, password, g.user.username)
    end_all_sessions(engine(), user.id)
    return password


@bp.route("/tai-khoan/<int:user_id>/trang-thai", methods=["POST"])
@roles_required("admin")
def activation(user_id: int):
    """Deactivate (its sessions end at once) or reactivate an account; never one's own."""
    user = account(user_id)
    active = request.form.get("mo") == "1"
    activate(user, active)
    flash(f"Đã {'mở lại' if active else 'khóa'} tài khoản {user.username}.")
    return _page()


def activate(user, active: bool) -> None:
    """Lock (its sessions end at once; its API tokens stop working) or reopen an account; never one's own."""
    if user.id == g.user.id:
        abort(422, description="Không tự khóa tài khoản đang dùng.")
    set_active(engine(), user.id, active, g.user.username)
    if not active:
        end_all_sessions(engine(), user.id)


@bp.route("/he-thong", methods=["GET", "POST"])
@roles_required("system")
def provinces():
    """The system administrator: provinces and, for a new one, its first Sở Nội vụ account."""
    created = None
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "").strip() for k in ("tinh", "ten", "ho-ten")}
    if request.method == "POST":
        province = values["tinh"]
        organisation = ascii_slug(province)[:64]
        if not organisation:
            errors["tinh"] = "nhập tên tỉnh, thành phố"
        elif any(o.id == organisation for o in organisations(engine())):
            errors["tinh"] = f"đã có {province}"
        if not values["ho-ten"]:
            errors["ho-ten"] = "không được để trống"
        password = initial_password()
        if not errors:
            try:
                create_user(engine(), values["ten"], password, values["ho-ten"], "admin", organisation_id=organisation,
                            must_change_password=True, actor=g.user.username)
                ensure_organisation(engine(), organisation, province if province.lower().startswith(("tỉnh", "thành phố"))
                                    else f"tỉnh {province}")
                created = (values["ten"], password, f"tài khoản Sở Nội vụ đầu tiên của {province}")
            except ValueError as error:
                errors["ten"] = str(error)
    return render_template("provinces.html", provinces=organisations(engine()), users=users_of(engine(), None),
                           errors=errors, created=created, values=values), (400 if errors else 200)
