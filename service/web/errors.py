"""Errors in Vietnamese: JSON for the API, a page for people; never a bare 500 or a traceback.

A form sent with an expired session is not thrown away: the page that says so keeps what was typed
(log in again on that page, then send it on). A database that does not answer is a 503 with
Retry-After, not an error of the application.
"""
from __future__ import annotations

from flask import jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {400: "Yêu cầu không hợp lệ.", 401: "Cần đăng nhập.", 403: "Bạn không có quyền truy cập nội dung này.",
            404: "Không tìm thấy trang hoặc dữ liệu yêu cầu.", 405: "Phương thức không được hỗ trợ.",
            409: "Dữ liệu đã thay đổi hoặc xung đột với dữ liệu đã có.", 412: "Dữ liệu đã được người khác sửa.",
            413: "Dữ liệu gửi lên quá lớn (tối đa 64 MB mỗi lần gửi, 10 MB mỗi tệp).",
            422: "Dữ liệu không hợp lệ.", 429: "Quá nhiều yêu cầu; vui lòng thử lại sau."}
TITLES = {400: "Yêu cầu không hợp lệ", 401: "Cần đăng nhập", 403: "Không có quyền", 404: "Không tìm thấy",
          405: "Không hỗ trợ", 409: "Xung đột dữ liệu", 412: "Dữ liệu đã thay đổi", 413: "Dữ liệu quá lớn",
          422: "Không thực hiện được", 429: "Thử lại sau", 500: "Lỗi hệ thống", 503: "Tạm thời gián đoạn"}
DATABASE_DOWN = "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút. Dữ liệu đã lưu không bị ảnh hưởng."


class SessionExpired(Exception):
    """A form came back without a valid session or CSRF token: what was typed is kept on the page."""


def _response(code: int, message: str, problems=None):
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":   # API, page scripts
        body = {"loi": message}
        if problems:
            body["chi_tiet"] = problems
        response = jsonify(body)
    else:
        response = make_response(render_template("error.html", code=code, title=TITLES.get(code, "Lỗi"), message=message,
                                                 problems=problems or []))
    response.status_code = code
    return response


def kept_fields() -> list[tuple[str, str]]:
    """The typed values of the refused form (no token, no files), to be sent again after log-in."""
    return [(name, value) for name, value in request.form.items(multi=True)
            if name != "csrf_token" and len(name) <= 200][:5000]


def register(app) -> None:
    from .security import too_many_requests

    @app.errorhandler(SessionExpired)
    def session_expired(_error):
        from flask import g
        from .security import safe_next
        files = [name for name, upload in request.files.items(multi=True) if upload and upload.filename]
        return render_template("resume.html", fields=kept_fields(), target=safe_next(request.full_path.rstrip("?")) or "/",
                               logged_in=g.get("user") is not None, lost_files=files), 400

    @app.errorhandler(429)
    def rate_limited(error):
        return too_many_requests(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        description = error.description if error.description and not error.description.startswith(("The ", "You ")) else None
        return _response(error.code or 400, description or MESSAGES.get(error.code, "Lỗi."))

    @app.errorhandler(RecursionError)
    def too_deep(_error):
        return _response(400, "Dữ liệu lồng quá sâu; không xử lý được.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_down(error):
        if isinstance(error, DBAPIError) and not (isinstance(error, OperationalError) or error.connection_invalidated):
            return unexpected(error)
        app.logger.warning("cơ sở dữ liệu không trả lời: %s", str(getattr(error, "orig", error)).splitlines()[0])
        from flask import g
        from flask_login import AnonymousUserMixin
        g.user, g._login_user = None, AnonymousUserMixin()     # the page must not ask the database again
        response = _response(503, DATABASE_DOWN)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("lỗi không lường trước", exc_info=error)
        return _response(InternalServerError.code, "Hệ thống gặp lỗi không lường trước; dữ liệu đã lưu không bị ảnh hưởng. "
                                                   "Vui lòng thử lại hoặc báo quản trị.")
