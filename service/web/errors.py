"""Errors in Vietnamese: JSON for the API, a page for people; never a bare 500."""
from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {400: "Yêu cầu không hợp lệ.", 401: "Cần đăng nhập.", 403: "Bạn không có quyền truy cập nội dung này.",
            404: "Không tìm thấy trang hoặc dữ liệu yêu cầu.", 405: "Phương thức không được hỗ trợ.",
            413: "Tệp hoặc dữ liệu gửi lên quá lớn (tối đa 20 MB).", 422: "Dữ liệu không hợp lệ."}


def _response(code: int, message: str, problems=None):
    if request.path.startswith("/api/"):
        body = {"loi": message}
        if problems:
            body["chi_tiet"] = problems
        return jsonify(body), code
    return render_template("error.html", code=code, message=message, problems=problems or []), code


def register(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        description = error.description if error.description and not error.description.startswith(("The ", "You ")) else None
        return _response(error.code or 400, description or MESSAGES.get(error.code, "Lỗi."))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("lỗi không lường trước", exc_info=error)
        return _response(InternalServerError.code, "Hệ thống gặp lỗi không lường trước; dữ liệu đã lưu không bị ảnh hưởng. "
                                                   "Vui lòng thử lại hoặc báo quản trị.")
