"""Login, sessions, CSRF protection and who may see what."""
from __future__ import annotations

import functools
import hmac
import secrets

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, session,
                   url_for)

from service.store.users import ROLES, authenticate, change_password, get_user

bp = Blueprint("security", __name__)
#: Kinds every logged-in user of a campaign may read (the rest: their unit's own documents or staff only).
PUBLIC_KINDS = {"ke-hoach", "huong-dan", "phieu-khao-sat", "quyet-dinh-bo-tieu-chi"}
STAFF = {"admin", "secretariat", "vanthu", "leader"}


def engine():
    return current_app.extensions["cchc_engine"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="Phiên làm việc đã hết hạn hoặc thiếu mã bảo vệ (CSRF); hãy tải lại trang và thử lại.")


@bp.before_app_request
def load_user() -> None:
    user_id = session.get("user_id")
    g.user = get_user(engine(), user_id) if user_id else None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf()


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            if request.path.startswith("/api/"):
                abort(401, description="Cần đăng nhập.")
            return redirect(url_for("security.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def may_read_document(user, kind: str, unit: str | None) -> bool:
    """Staff read everything; a unit user reads public kinds and its own unit's documents;
    an appraiser reads public kinds and the per-unit reports it appraises."""
    if user.role in STAFF:
        return True
    if kind in PUBLIC_KINDS:
        return True
    if user.role == "unit":
        return unit is not None and unit == user.unit_id
    if user.role == "appraiser":
        return unit is not None and kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh")
    return False


def may_see_unit(user, unit_id: str) -> bool:
    return user.role != "unit" or user.unit_id == unit_id


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        user = authenticate(engine(), username, request.form.get("password", ""))
        if user is None:
            error = "Tên đăng nhập hoặc mật khẩu không đúng."
        else:
            session.clear()
            session["user_id"] = user.id
            csrf_token()
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("views.index"))
    return render_template("login.html", error=error, username=username), (400 if error else 200)


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    session.clear()
    flash("Đã đăng xuất.")
    return redirect(url_for("security.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (units change the initial one they were sent)."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        new, again = request.form.get("moi", ""), request.form.get("nhap-lai", "")
        if new != again:
            errors["nhap-lai"] = "nhập lại không khớp với mật khẩu mới"
        else:
            try:
                change_password(engine(), g.user.id, request.form.get("hien-tai", ""), new, g.user.username)
            except ValueError as error:
                field = "hien-tai" if "hiện tại không đúng" in str(error) else "moi"
                errors[field] = str(error)
        if not errors:
            flash("Đã đổi mật khẩu.")
            return redirect(url_for("views.index"))
    return render_template("password.html", errors=errors), (400 if errors else 200)


def role_name(role: str) -> str:
    return ROLES.get(role, role)
