"""Log-in, sessions, CSRF and the response headers.

Flask-Login loads the account of a request from a server-side session record (the cookie carries only
a random token), so a log-out or a password change ends the session everywhere. Log-in is throttled
per name (in the database: every worker sees it) and per address (Flask-Limiter), takes the same time
for unknown names, ignores the case of the name, and only ever redirects to a path of this site.
Accounts made with an initial password change it before anything else.
"""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
import unicodedata
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user

from service.store.api_tokens import token_user
from . import known_devices
from service.store.lifecycle import acting_through
from service.store.password_policy import minimum_length
from service.store.sessions import SessionPolicy, end_all_sessions, end_session, session_user, start_session
from service.store.users import ROLES, LoginPolicy, authenticate, change_password, username_key
from service.vietnamese.dates import VIETNAM

from .errors import SessionExpired

bp = Blueprint("security", __name__)
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
#: Kinds every account of a campaign's province may read (the rest: own unit's documents, staff).
PUBLIC_KINDS = {"ke-hoach", "huong-dan", "phieu-khao-sat", "quyet-dinh-bo-tieu-chi"}
STAFF = {"admin", "secretariat", "vanthu", "leader"}
#: Pages an account that must change its password may still open.
OPEN_WHILE_CHANGING = {"security.password", "security.logout", "static"}


def engine():
    return current_app.extensions["cchc_engine"]


# ------------------------------------------------------------------------------- sessions
@login_manager.user_loader
def _load(token: str):
    user = session_user(engine(), token, current_app.config["CCHC_SESSION_POLICY"])
    if user is not None:
        user.get_id = lambda: token      # Flask-Login keeps the session token, not the account id
    return user


def _begin(user) -> None:
    """Start a server-side session for ``user`` in a fresh cookie (no fixation)."""
    session.clear()
    token = start_session(engine(), user.id, request.remote_addr or "")
    user.get_id = lambda: token
    login_user(user)
    session.permanent = True
    csrf_token()


def current_session_token() -> str | None:
    return session.get("_user_id")


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None          # the server-side record is the protection
    limiter.init_app(app)
    app.config.setdefault("CCHC_SESSION_POLICY", SessionPolicy.from_environment())
    app.config.setdefault("CCHC_LOGIN_POLICY", LoginPolicy.from_environment())
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["CCHC_SESSION_POLICY"].maximum
    app.after_request(security_headers)


# ------------------------------------------------------------------------------- CSRF
def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """The token sent (form field or X-CSRF-Token) equals the session's, compared as bytes: any
    text, however odd, is a refusal and never an error."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    stored = session.get("csrf", "")
    if not sent or not stored or not hmac.compare_digest(sent.encode("utf-8", "replace"), stored.encode("utf-8")):
        if request.form and not request.path.startswith("/api/") and request.endpoint not in ("security.login",
                                                                                               "security.logout"):
            raise SessionExpired()
        abort(400, description="Phiên làm việc đã hết hạn hoặc thiếu mã bảo vệ (CSRF); hãy tải lại trang và thử lại.")


@login_manager.request_loader
def bearer_user(req):
    """Flask-Login's loader for a request without a session: the account an ``Authorization: Bearer``
    token acts as, on the API only. A token is not ambient authority, so it needs no CSRF token; a
    read token may only read."""
    header = req.headers.get("Authorization", "")
    if not header.lower().startswith("bearer ") or not req.path.startswith("/api/"):
        return None
    found = token_user(engine(), header[7:].strip())
    if found is None:
        abort(401, description="Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
    if found.scope != "write" and req.method not in ("GET", "HEAD", "OPTIONS"):
        abort(403, description="Mã truy cập API này chỉ được đọc (phạm vi «read»); cần mã phạm vi «write» để ghi.")
    g.api_token = True
    g.token_label = found.label
    return found.user


@bp.before_app_request
def load_user() -> None:
    g.user = current_user if current_user.is_authenticated else None
    acting_through.set(g.get("token_label", ""))     # per request: a thread serves many
    if g.get("api_token"):
        return                                       # a machine client: no CSRF, no password to change
    if request.blueprint == "survey_public":
        return                                       # a respondent: no session; the form's own signed token
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf()
    if g.user is not None and g.user.must_change_password and request.endpoint not in OPEN_WHILE_CHANGING:
        if request.path.startswith("/api/"):
            abort(403, description="Cần đổi mật khẩu ban đầu trước khi dùng hệ thống.")
        flash("Tài khoản đang dùng mật khẩu ban đầu: hãy đổi mật khẩu trước khi làm việc.")
        return redirect(url_for("security.password"))


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            if request.path.startswith("/api/"):
                abort(401, description="Cần đăng nhập.")
            return redirect(url_for("security.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def roles_required(*roles: str):
    """``login_required`` plus: only these roles (403 for the rest)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return login_required(wrapped)
    return decorate


# ------------------------------------------------------------------------------- log-in
def safe_next(target: str | None) -> str | None:
    """A same-site path to go to after log-in, or None: whitespace and control characters removed
    first (browsers drop them, turning '/\\t/evil' into '//evil'), then only a path with no scheme,
    no host and no backslash is accepted."""
    if not target:
        return None
    cleaned = "".join(c for c in target if not (c.isspace() or unicodedata.category(c).startswith("C")))
    parts = urlsplit(cleaned)
    if (parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//")
            or "\\" in cleaned):
        return None
    return cleaned


def _login_key() -> str:
    return (request.form.get("username") or "").strip().lower()[:64] or get_remote_address()


def _per_address_limit() -> str:
    return current_app.config.get("CCHC_LOGIN_LIMIT_PER_ADDRESS", "120 per minute")


def wait_text(until: dt.datetime) -> str:
    """'thử lại sau 14:32 (khoảng 45 giây)' in Vietnam's time."""
    seconds = max(1, int((until - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 1)
    span = f"{seconds} giây" if seconds < 120 else f"{round(seconds / 60)} phút"
    return f"thử lại sau {until.astimezone(VIETNAM):%H:%M:%S} (khoảng {span})"


def _from_known_device() -> bool:
    return known_devices.is_known(username_key(request.form.get("username", "")))


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(_per_address_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302,
               exempt_when=_from_known_device,
               error_message="Quá nhiều lần đăng nhập không thành công từ địa chỉ này.")
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        result = authenticate(engine(), username, request.form.get("password", ""),
                              policy=current_app.config["CCHC_LOGIN_POLICY"], known_device=_from_known_device())
        if result.user is not None:
            return known_devices.remember(_logged_in(result.user), result.user.username_key)
        if result.wait_until is not None:
            error = (f"Tài khoản này đã đăng nhập sai nhiều lần; {wait_text(result.wait_until)}. Trên máy bạn vẫn "
                     "thường đăng nhập, mật khẩu đúng vẫn vào được.")
        else:
            error = "Tên đăng nhập hoặc mật khẩu không đúng."
        username = username[:64]
    status = 429 if error and "thử lại sau" in error else (400 if error else 200)
    return render_template("login.html", error=error, username=username), status


def _logged_in(user):
    """Where a successful log-in goes: the password change first, else the page asked for."""
    _begin(user)
    if user.must_change_password:
        return redirect(url_for("security.password"))
    target = safe_next(request.args.get("next"))
    kept = [(name[4:], value) for name, value in request.form.items(multi=True) if name.startswith("giu:")]
    if kept and target:        # a form refused for an expired session: send it on from here
        return current_app.make_response(render_template("resume.html", fields=kept, target=target, logged_in=True,
                                                         lost_files=[]))
    return redirect(target or url_for("views.index"))


def too_many_requests(error):
    """429: on the log-in page a Vietnamese message saying when to try again; JSON on the API."""
    limit = limiter.current_limit
    until = dt.datetime.fromtimestamp(limit.reset_at, dt.timezone.utc) if limit else dt.datetime.now(dt.timezone.utc)
    message = f"{error.description} Vui lòng {wait_text(until)}."
    if request.path.startswith("/api/"):
        response = jsonify({"loi": message})
    else:
        response = current_app.make_response((render_template("login.html", error=message,
                                                               username=request.form.get("username", "")[:64]), 429))
    response.status_code = 429
    response.headers["Retry-After"] = str(max(1, int((until - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 1))
    return response


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    token = current_session_token()
    if token:
        end_session(engine(), token)
    logout_user()
    session.clear()
    flash("Đã đăng xuất.")
    return redirect(url_for("security.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password: every session of the account ends (other devices are logged out),
    and this one starts afresh."""
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
            end_all_sessions(engine(), g.user.id)
            g.user.must_change_password = False
            _begin(g.user)
            flash("Đã đổi mật khẩu; các phiên đăng nhập khác của tài khoản đã kết thúc.")
            return redirect(url_for("views.index"))
    return render_template("password.html", errors=errors, least=minimum_length(g.user.role)), (400 if errors else 200)


def role_name(role: str) -> str:
    return ROLES.get(role, role)


# ------------------------------------------------------------------------------- headers
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_headers(response):
    """CSP without inline script, no framing, no type sniffing, no referrer to other sites; HSTS
    when served over HTTPS (behind a reverse proxy: CCHC_PROXY_HOPS)."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if g.get("user") is not None:
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response
