"""The API's OpenAPI 3 description, built from the same pydantic models the API validates with, so a
client generator and the schema tests see exactly what the server accepts."""
from __future__ import annotations

import functools

from data_models import Campaign
from data_models.edits import AppraisalInput, ExplanationInput, SelfAssessmentInput, SurveyInput
from service.domain.lifecycle import ACTIONS
from service.store.users import ROLES

_ERROR = {"type": "object", "properties": {"loi": {"type": "string"}, "chi_tiet": {"type": "array"}}}
_JSON_ERROR = {"application/json": {"schema": _ERROR}}
_COMMON = {"400": {"description": "Yêu cầu không hợp lệ (ví dụ ký tự NUL trong một trường, JSON hỏng)", "content": _JSON_ERROR},
           "401": {"description": "Cần đăng nhập"}, "403": {"description": "Không có quyền"},
           "404": {"description": "Không tìm thấy (hoặc thuộc tỉnh khác)", "content": _JSON_ERROR}}
_INVALID = {"422": {"description": "Dữ liệu không hợp lệ, từng lỗi nêu trường; không có gì được lưu", "content": _JSON_ERROR}}
_STALE = {"412": {"description": "If-Match không khớp: dữ liệu đã được người khác sửa sau khi bạn đọc; không có gì được lưu",
                  "content": _JSON_ERROR}}
_BLOCKED = {"409": {"description": "Thao tác không áp dụng được ở bước hiện tại, phiên bản đã cũ, số đã dùng "
                                   "hoặc văn bản chưa đủ điều kiện (danh sách 'blocking')",
                    "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"loi": {"type": "string"},
                                                         "blocking": {"type": "array", "items": {"type": "string"}}}}}}}}


def _path(*names: str, integer: tuple[str, ...] = ()) -> list[dict]:
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "integer" if n in integer else "string"}}
            for n in names]


_UNIT_QUERY = {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"},
               "description": "Mã đơn vị, cho văn bản của từng đơn vị (báo cáo tự đánh giá, thông báo, giải trình)"}
_IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
             "description": "ETag đã đọc (GET); nếu gửi mà không khớp phiên bản hiện tại thì trả 412"}


def _ok(description: str, etag: bool = False) -> dict:
    response = {"description": description}
    if etag:
        response["headers"] = {"ETag": {"schema": {"type": "string"}, "description": "Phiên bản hiện tại, gửi lại trong If-Match"}}
    return {"200": response}


def _json_body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ref(model) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _unit_edit(summary: str, model) -> dict:
    return {"parameters": _path("id", "unit"),
            "put": {"summary": summary, "parameters": [_IF_MATCH], "requestBody": _json_body(_ref(model)),
                    "responses": {**_ok("Đã lưu", etag=True), **_INVALID, **_STALE, **_COMMON}}}


_ISSUE_BODY = {"type": "object", "properties": {
    "unit": {"type": "string"}, "number": {"type": "integer", "description": "Số do hệ thống văn thư điện tử cấp (nếu có)"},
    "date": {"type": "string", "format": "date"}, "late_reason": {"type": "string"},
    "revision": {"type": "integer", "description": "Phiên bản của văn bản đã đọc; khác thì 409"}}}
_STEP_BODY = {"type": "object", "properties": {
    "unit": {"type": "string"}, "reason": {"type": "string", "description": "Lý do (bắt buộc khi trả lại, thu hồi, hủy số)"},
    "revision": {"type": "integer"},
    "approver": {"type": "string", "description": "Tên đăng nhập của lãnh đạo được trình duyệt (mặc định: người ký "
                                                  "có tên trên văn bản); chỉ lãnh đạo được trình mới duyệt, trả lại"}}}
_VERSION = {"type": "object", "properties": {
    "phien_ban_ban_hanh": {"type": "integer"}, "so_ky_hieu": {"type": "string"}, "ngay": {"type": "string", "format": "date"},
    "pdf_sha256": {"type": "string", "nullable": True,
                   "description": "null ngay sau khi ban hành: PDF được tạo trong hàng đợi (vài giây); "
                                  "tải …/issued.pdf sẽ có ngay"},
    "docx_sha256": {"type": "string"}}}


_REGISTER_ENTRY = {"type": "object", "required": ["ma", "so", "ky_hieu", "ngay", "trang_thai"], "properties": {
    "ma": {"type": "integer"}, "co_quan": {"type": "string"}, "so_dang_ky": {"type": "string"}, "nam": {"type": "integer"},
    "so": {"type": "integer"}, "ky_hieu": {"type": "string"}, "so_ky_hieu": {"type": "string"},
    "ngay": {"type": "string", "format": "date"}, "loai": {"type": "string"},
    "chien_dich": {"type": "string", "nullable": True}, "don_vi": {"type": "string", "nullable": True},
    "nguoi_cap": {"type": "string"}, "trang_thai": {"type": "string", "enum": ["da-cap", "da-huy"]},
    "ly_do_huy": {"type": "string", "nullable": True}}}
_ACCOUNT = {"type": "object", "required": ["ma", "ten_dang_nhap", "ho_ten", "vai_tro"], "properties": {
    "ma": {"type": "integer"}, "ten_dang_nhap": {"type": "string"}, "ho_ten": {"type": "string"},
    "vai_tro": {"type": "string"}, "don_vi": {"type": "string", "nullable": True},
    "co_quan": {"type": "string", "nullable": True}, "thu": {"type": "string", "nullable": True},
    "hoat_dong": {"type": "boolean"}, "phai_doi_mat_khau": {"type": "boolean"}}}
_DOSSIER = {"type": "object", "required": ["so", "trang_thai", "phan_tram"], "properties": {
    "so": {"type": "integer"}, "trang_thai": {"type": "string", "enum": ["cho", "dang-chay", "xong", "loi"]},
    "trang_thai_doc": {"type": "string"}, "da_xong": {"type": "integer"}, "tong_so": {"type": "integer"},
    "phan_tram": {"type": "integer", "minimum": 0, "maximum": 100}, "lan_chay": {"type": "integer"},
    "thong_bao": {"type": "string", "nullable": True}, "tao_luc": {"type": "string", "format": "date-time"},
    "xong_luc": {"type": "string", "format": "date-time", "nullable": True},
    "kich_thuoc": {"type": "integer", "nullable": True}, "sha256": {"type": "string", "nullable": True},
    "tai_ve": {"type": "string", "nullable": True}}}


_FILE = {"type": "object", "required": ["sha256", "ten", "loai", "kich_thuoc", "tai_ve"], "properties": {
    "sha256": {"type": "string"}, "ten": {"type": "string"}, "loai": {"type": "string"},
    "kich_thuoc": {"type": "integer"}, "tai_ve": {"type": "string"}}}
_INVALID_FILE = {"422": {"description": "Tệp không được nhận (loại, kích thước, nội dung, dung lượng của đơn vị); "
                                        "không có gì được lưu", "content": _JSON_ERROR}}
_TEMPLATE = {"type": "object", "required": ["loai", "ten", "lop", "ma_mau"], "properties": {
    "loai": {"type": "string"}, "ten": {"type": "string"},
    "lop": {"type": "string", "enum": ["chien-dich", "tinh", "mac-dinh"]}, "ma_mau": {"type": "string"}}}
_XLSX = {"200": {"description": "Bảng tính", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}}}


def _upload_body(description: str, extra: dict | None = None) -> dict:
    return {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["tep"],
        "properties": {"tep": {"type": "string", "format": "binary", "description": description}, **(extra or {})}}}}}


def _more_paths() -> dict:
    """Evidence, survey answers, templates, imports and exports, accounts' reset and lock."""
    return {
        **{f"/api/campaigns/{{id}}/units/{{unit}}/{name}": {
            "parameters": _path("id", "unit"),
            "post": {"summary": summary, "requestBody": _json_body({"type": "object", "required": required,
                                                                     "properties": properties}),
                     "responses": {**_ok("Đã lưu"), "400": {"description": "Không phải JSON", "content": _JSON_ERROR},
                                   **_INVALID, **_COMMON}}}
           for name, summary, required, properties in (
               ("return", "Trả lại báo cáo tự đánh giá đã nộp (trước khi thẩm định) để đơn vị sửa, nộp lại; bản đã "
                          "ban hành của báo cáo bị thu hồi", ["ly_do"], {"ly_do": {"type": "string"}}),
               ("extension", "Gia hạn bước hiện tại của đơn vị sau khi quá hạn, đến một ngày, có lý do",
                ["den_ngay", "ly_do"], {"den_ngay": {"type": "string", "format": "date"}, "ly_do": {"type": "string"}}),
               ("ranking", "Không xếp hạng đơn vị năm nay (có lý do), hoặc xếp hạng lại", ["khong_xep_hang"],
                {"khong_xep_hang": {"type": "boolean"}, "ly_do": {"type": "string"}}))},
        "/api/notifications": {
            "get": {"summary": "Thông báo của tài khoản, mới nhất trước (đọc ở đây không đánh dấu đã đọc)",
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"thong_bao": {"type": "array", "items": {
                            "type": "object", "properties": {
                                "ma": {"type": "integer"}, "noi_dung": {"type": "string"},
                                "lien_ket": {"type": "string", "nullable": True},
                                "chien_dich": {"type": "string", "nullable": True},
                                "luc": {"type": "string", "nullable": True}, "da_doc": {"type": "boolean"}}}}}}}}},
                                  **_COMMON}}},
        "/api/notifications/read": {
            "post": {"summary": "Đánh dấu mọi thông báo của tài khoản là đã đọc", "responses": {**_ok("OK"), **_COMMON}}},
        "/api/audit": {
            "get": {"summary": "Nhật ký thay đổi của tỉnh, mới nhất trước (Sở Nội vụ; lọc ?nguoi=, ?tim=)",
                    "parameters": [{"name": "nguoi", "in": "query", "required": False, "schema": {"type": "string"}},
                                   {"name": "tim", "in": "query", "required": False, "schema": {"type": "string"}}],
                    "responses": {**_ok("OK"), **_COMMON}}},
        "/api/campaigns/{id}/next-year": {
            "parameters": _path("id"),
            "post": {"summary": "Tạo chiến dịch năm sau từ chiến dịch này (giữ tổ chức, bộ tiêu chí, mẫu văn bản riêng)",
                     "requestBody": _json_body({"type": "object", "properties": {
                         "chep_ket_qua_tam": {"type": "boolean", "description": "chép kết quả tạm thời sang"}}}),
                     "responses": {"201": {"description": "Đã tạo", "content": {"application/json": {"schema": {
                         "type": "object", "properties": {"chien_dich": {"type": "string"}, "nam": {"type": "integer"},
                                                          "ghi_chu": {"type": "array", "items": {"type": "string"}}}}}}},
                                   "409": {"description": "Chiến dịch năm sau đã có", "content": _JSON_ERROR},
                                   "400": {"description": "Không phải JSON", "content": _JSON_ERROR},
                                   **_INVALID, **_COMMON}}},
        "/api/campaigns/{id}/units/{unit}/evidence": {
            "parameters": _path("id", "unit"),
            "get": {"summary": "Tài liệu kiểm chứng của đơn vị mà tài khoản được xem (cơ quan thẩm định: các tệp "
                               "trích ở tiêu chí mình thẩm định)",
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"don_vi": {"type": "string"},
                                                         "tep": {"type": "array", "items": _FILE}}}}}}, **_COMMON}},
            "post": {"summary": "Tải lên một tệp tài liệu kiểm chứng (PDF, DOCX, XLSX, PNG, JPG); trích tệp ở tiêu chí "
                                "bằng 'sha256' trả về (evidence[].file của self-assessment)",
                     "requestBody": _upload_body("Tệp tài liệu kiểm chứng"),
                     "responses": {"201": {"description": "Đã lưu", "content": {"application/json": {"schema": _FILE}}},
                                   "200": {"description": "Đơn vị đã có đúng tệp này",
                                           "content": {"application/json": {"schema": _FILE}}},
                                   **_INVALID_FILE, **_COMMON}}},
        "/api/campaigns/{id}/units/{unit}/evidence/{digest}": {
            "parameters": _path("id", "unit", "digest"),
            "get": {"summary": "Tải một tệp tài liệu kiểm chứng (theo SHA-256)", "responses": {**_ok("Tệp"), **_COMMON}}},
        "/api/campaigns/{id}/units/{unit}/survey": {
            "parameters": _path("id", "unit"),
            "get": {"summary": "Kết quả điều tra xã hội học của đơn vị: từng nhóm đối tượng, tiêu chí, giá trị trả lời, "
                               "số phiếu (Sở Nội vụ, lãnh đạo)", "responses": {**_ok("OK"), **_COMMON}},
            "put": {"summary": "Nhập kết quả khảo sát của các nhóm đối tượng gửi lên (nhóm không gửi giữ nguyên; "
                               "forms 0 xóa kết quả của nhóm)", "requestBody": _json_body(_ref(SurveyInput)),
                    "responses": {**_ok("Đã lưu"), **_INVALID, **_COMMON}}},
        "/api/campaigns/{id}/versions/{version}/edxml": {
            "parameters": _path("id", "version", integer=("version",)),
            "get": {"summary": "Gói edXML (QCVN 102:2016/BTTTT) của một bản ban hành: nơi nhận theo mã định danh điện tử, "
                               "tệp PDF đính kèm (Sở Nội vụ, văn thư)",
                    "responses": {"200": {"description": "edXML", "content": {"application/xml": {"schema": {"type": "string"}}}},
                                  **_COMMON}}},
        "/api/edxml/status": {
            "post": {"summary": "Ghi thông điệp trạng thái edXML (01–06, 13, 15, 16) hệ thống quản lý văn bản gửi về, vào "
                                "văn bản đã ban hành mà nó nói tới",
                     "requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}},
                     "responses": {"201": {"description": "Đã ghi"}, "200": {"description": "Đã có"}, **_COMMON}}},
        "/api/campaigns/{id}/survey/progress": {
            "parameters": _path("id"),
            "get": {"summary": "Tiến độ thu phiếu điều tra xã hội học trên hệ thống: từng đơn vị, nhóm đối tượng, "
                               "chỉ tiêu, số phiếu đã nhận, số mã phiếu đã tạo và đã dùng (cán bộ của tỉnh)",
                    "responses": {**_ok("OK"), **_COMMON}}},
        "/api/campaigns/{id}/templates": {
            "parameters": _path("id"),
            "get": {"summary": "Mẫu văn bản đang dùng của từng loại và lớp của nó (chiến dịch, tỉnh, mặc định)",
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"mau": {"type": "array", "items": _TEMPLATE}}}}}}, **_COMMON}}},
        "/api/campaigns/{id}/templates/{kind}": {
            "parameters": _path("id", "kind"),
            "get": {"summary": "Nội dung mẫu đang dùng và các phiên bản đã lưu", "responses": {**_ok("OK"), **_COMMON}},
            "put": {"summary": "Lưu phiên bản mới của mẫu cho chiến dịch hoặc cả tỉnh sau mọi kiểm tra; noi_dung null: "
                               "về mẫu của lớp dưới",
                    "requestBody": _json_body({"type": "object", "required": ["noi_dung"], "properties": {
                        "noi_dung": {"type": "string", "nullable": True},
                        "lop": {"type": "string", "enum": ["chien-dich", "tinh"]}, "ghi_chu": {"type": "string"}}}),
                    "responses": {"200": {"description": "Đã lưu", "content": {"application/json": {"schema": {
                        "allOf": [_TEMPLATE, {"type": "object", "properties": {"phien_ban_moi": {"type": "integer"}}}]}}}},
                                  **_INVALID, **_COMMON}}},
        "/api/campaigns/{id}/imports/{kind}": {
            "parameters": [*_path("id"), {"name": "kind", "in": "path", "required": True, "schema": {
                "type": "string", "enum": ["tieu-chi", "diem-don-vi", "khao-sat", "nam-truoc", "don-vi"]},
                "description": "tieu-chi, diem-don-vi, khao-sat, nam-truoc (.xlsx); don-vi: đơn vị và tài khoản (.xlsx, .csv)"}],
            "post": {"summary": "Nhập dữ liệu từ bảng tính, tất cả hoặc không gì cả; đơn vị: kèm tài khoản, mật khẩu tạm "
                                "trả về một lần",
                     "requestBody": _upload_body("Bảng tính", {
                         "nhom": {"type": "string", "description": "nhóm đơn vị (bộ tiêu chí)"},
                         "don_vi": {"type": "string", "description": "đơn vị (bảng điểm)"}}),
                     "responses": {**_ok("Đã nhập (hoặc tệp không làm thay đổi dữ liệu)"),
                                   "422": {"description": "Tệp không nhập được, từng lỗi nêu dòng, cột; không có gì được lưu",
                                           "content": _JSON_ERROR}, **_COMMON}}},
        "/api/campaigns/{id}/exports/don-vi.xlsx": {
            "parameters": _path("id"),
            "get": {"summary": "Danh sách đơn vị tài khoản được xem, bước hiện tại, báo cáo tự đánh giá",
                    "responses": {**_XLSX, **_COMMON}}},
        "/api/campaigns/{id}/exports/mau-don-vi.xlsx": {
            "parameters": _path("id"),
            "get": {"summary": "Bảng tính mẫu để nhập đơn vị và tài khoản", "responses": {**_XLSX, **_COMMON}}},
        "/api/register/{year}.xlsx": {
            "parameters": _path("year", integer=("year",)),
            "get": {"summary": "Sổ đăng ký văn bản đi của một năm, bảng tính", "responses": {**_XLSX, **_COMMON}}},
        "/api/accounts/{user}/password-reset": {
            "parameters": _path("user", integer=("user",)),
            "post": {"summary": "Đặt lại mật khẩu tạm (trả về một lần); các phiên đăng nhập của tài khoản kết thúc",
                     "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                         "allOf": [_ACCOUNT, {"type": "object", "properties": {"mat_khau_tam": {"type": "string"},
                                                                                "ghi_chu": {"type": "string"}}}]}}}},
                                   **_COMMON}}},
        "/api/accounts/{user}/status": {
            "parameters": _path("user", integer=("user",)),
            "post": {"summary": "Khóa (hoat_dong false: phiên đăng nhập kết thúc, mã truy cập API ngừng) hoặc mở lại tài "
                                "khoản; không tự khóa tài khoản đang dùng",
                     "requestBody": _json_body({"type": "object", "required": ["hoat_dong"],
                                                "properties": {"hoat_dong": {"type": "boolean"}}}),
                     "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": _ACCOUNT}}},
                                   "400": {"description": "Không phải JSON", "content": _JSON_ERROR},
                                   **_INVALID, **_COMMON}}},
    }


@functools.cache
def spec() -> dict:
    """The OpenAPI document served at /api/openapi.json; made once a process (the models' JSON schemas
    take a second to build), never changed by its readers."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "CCHC Docs API", "version": "0.4.0",
                 "description": "Dữ liệu chiến dịch đánh giá Chỉ số CCHC và văn bản của chiến dịch. Xác thực: mã truy cập "
                                "API (tiêu đề Authorization: Bearer <mã>, tạo bằng 'cchc token create' hoặc trang Tài "
                                "khoản → Mã truy cập API; mã «read» chỉ đọc), hoặc phiên đăng nhập (yêu cầu ghi cần "
                                "tiêu đề X-CSRF-Token). Mỗi tài khoản chỉ thấy chiến dịch của tỉnh mình (chiến dịch "
                                "tỉnh khác trả 404)."},
        "paths": {
            "/api/campaigns": {"get": {"summary": "Danh sách chiến dịch", "responses": {**_ok("OK"), **_COMMON}}},
            "/api/campaigns/{id}": {
                "parameters": _path("id"),
                "get": {"summary": "Toàn bộ dữ liệu chiến dịch (GET rồi PUT lại cùng nội dung thì không đổi gì)",
                        "responses": {**_ok("campaign.json", etag=True), **_COMMON}},
                "put": {"summary": "Thay dữ liệu chiến dịch (kiểm tra toàn bộ trước khi lưu)", "parameters": [_IF_MATCH],
                        "requestBody": _json_body(_ref(Campaign)),
                        "responses": {**_ok("Đã lưu", etag=True), **_INVALID, **_STALE, **_COMMON}}},
            "/api/campaigns/{id}/results": {
                "parameters": _path("id"),
                "get": {"summary": "Kết quả: điểm, chỉ số, xếp hạng, xếp loại", "responses": {**_ok("OK"), **_COMMON}}},
            "/api/campaigns/{id}/units/{unit}/assessment": {
                "parameters": _path("id", "unit"),
                "get": {"summary": "Đánh giá của một đơn vị như đã lưu, kèm tình trạng (chưa nộp … hoàn thành)",
                        "responses": {**_ok("OK", etag=True), **_COMMON}}},
            "/api/campaigns/{id}/units/{unit}/self-assessment": _unit_edit(
                "Đơn vị tự chấm điểm, thuyết minh, tài liệu kiểm chứng; nộp báo cáo", SelfAssessmentInput),
            "/api/campaigns/{id}/units/{unit}/appraisal": _unit_edit(
                "Cơ quan thẩm định chấm lần 1, nhận xét, lần 2 (chỉ tiêu chí được phân công)", AppraisalInput),
            "/api/campaigns/{id}/units/{unit}/explanation": _unit_edit(
                "Đơn vị giải trình các tiêu chí bị trừ điểm", ExplanationInput),
            "/api/campaigns/{id}/documents": {
                "parameters": _path("id"),
                "get": {"summary": "Mọi văn bản của chiến dịch mà tài khoản được xem: loại, đơn vị, bước hiện tại",
                        "responses": {**_ok("OK"), **_COMMON}}},
            "/api/campaigns/{id}/documents/{kind}": {
                "parameters": [*_path("id", "kind"), _UNIT_QUERY],
                "get": {"summary": "Một văn bản: bước, lịch sử, các bản đã ban hành, lỗi soạn thảo ('soan_thao': quy_tac, noi_dung) "
                                   "và lý do chưa ban hành được ('blocking', gồm cả lỗi soạn thảo)",
                        "responses": {**_ok("OK"), **_COMMON}}},
            "/api/campaigns/{id}/documents/{kind}/issue": {
                "parameters": _path("id", "kind"),
                "post": {"summary": "Ban hành văn bản đã duyệt: cấp số (hoặc ghi số của hệ thống văn thư), đóng băng DOCX/PDF",
                         "requestBody": _json_body(_ISSUE_BODY),
                         "responses": {"201": {"description": "Đã ban hành",
                                               "content": {"application/json": {"schema": _VERSION}}},
                                       **_BLOCKED, **_INVALID, **_COMMON}}},
            "/api/campaigns/{id}/documents/{kind}/steps/{action}": {
                "parameters": [*_path("id", "kind"),
                               {"name": "action", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": [a for a in ACTIONS if a != "ban-hanh"]}}],
                "post": {"summary": "Một bước của vòng đời văn bản (trình, duyệt, trả lại, thu hồi, hủy số …)",
                         "requestBody": _json_body(_STEP_BODY),
                         "responses": {**_ok("Bước mới của văn bản"), **_BLOCKED, **_INVALID, **_COMMON}}},
            **{f"/api/campaigns/{{id}}/documents/{{kind}}/issued.{fmt}": {
                "parameters": [*_path("id", "kind"), _UNIT_QUERY],
                "get": {"summary": f"Tệp {fmt.upper()} đã ban hành (bản đóng băng; PDF là bản ký cuối cùng); 404 khi chưa ban hành",
                        "responses": {**_ok("Tệp"), **_COMMON}}} for fmt in ("pdf", "docx")},
            **{f"/api/campaigns/{{id}}/documents/{{kind}}/draft.{fmt}": {
                "parameters": [*_path("id", "kind"), _UNIT_QUERY],
                "get": {"summary": f"Tệp {fmt.upper()} dự thảo từ dữ liệu hiện tại (đóng dấu DỰ THẢO); 422 khi dữ liệu "
                                   "chưa đủ để lập văn bản",
                        "responses": {**_ok("Tệp"), **_INVALID, **_COMMON}}} for fmt in ("pdf", "docx")},
            "/api/campaigns/{id}/versions/{version}/signed": {
                "parameters": _path("id", "version", integer=("version",)),
                "post": {"summary": "Gửi bản PDF đã ký số ở nơi khác (thân yêu cầu application/pdf hoặc trường 'tep'): "
                                    "kiểm tra như trên trang rồi lưu làm bản cuối cùng",
                         "requestBody": {"required": True, "content": {
                             "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                             "multipart/form-data": {"schema": {"type": "object", "properties": {
                                 "tep": {"type": "string", "format": "binary"}}}}}},
                         "responses": {**_ok("Đã lưu bản đã ký, kèm kết quả kiểm tra chữ ký"),
                                       "422": {"description": "Tệp không nhận được (không phải bản đã ban hành, chữ ký "
                                                              "hỏng, người ký không đúng …); không có gì thay đổi",
                                               "content": _JSON_ERROR}, **_COMMON}}},
            "/api/campaigns/{id}/versions/{version}/signatures": {
                "parameters": _path("id", "version", integer=("version",)),
                "get": {"summary": "Kiểm tra chữ ký số của bản cuối cùng", "responses": {**_ok("OK"), **_COMMON}}},
            "/api/campaigns/{id}/dossiers": {
                "parameters": _path("id"),
                "post": {"summary": "Bắt đầu tạo hồ sơ tổng hợp (mọi văn bản, DOCX và PDF, một tệp ZIP) ở chế độ nền; "
                                    "đang có một hồ sơ chưa xong thì trả về hồ sơ đó (200)",
                         "responses": {"202": {"description": "Đã nhận; theo dõi ở địa chỉ trong tiêu đề Location",
                                               "content": {"application/json": {"schema": _DOSSIER}}},
                                       **_ok("Hồ sơ đang tạo"), **_COMMON}}},
            "/api/campaigns/{id}/dossiers/{job}": {
                "parameters": _path("id", "job", integer=("job",)),
                "get": {"summary": "Tiến độ của hồ sơ tổng hợp; khi xong, 'tai_ve' là địa chỉ tải tệp ZIP",
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": _DOSSIER}}},
                                      **_COMMON}}},
            "/api/register/{year}": {
                "parameters": _path("year", integer=("year",)),
                "get": {"summary": "Sổ đăng ký văn bản đi của tỉnh trong một năm (văn thư, Sở Nội vụ, lãnh đạo)",
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                            "type": "object", "required": ["nam", "so_van_ban"],
                            "properties": {"nam": {"type": "integer"},
                                           "so_van_ban": {"type": "array", "items": _REGISTER_ENTRY}}}}}},
                                      **_COMMON}}},
            "/api/register/entries/{entry}/void": {
                "parameters": _path("entry", integer=("entry",)),
                "post": {"summary": "Hủy một số văn bản, có lý do (số vẫn ở trong sổ, không cấp lại; văn bản chưa ký "
                                    "mang số đó trở về dự thảo)",
                         "requestBody": _json_body({"type": "object", "required": ["ly_do", "xac_nhan"], "properties": {
                             "ly_do": {"type": "string"}, "xac_nhan": {"type": "boolean", "enum": [True]}}}),
                         "responses": {"200": {"description": "Đã hủy số", "content": {"application/json": {"schema": {
                             "type": "object", "properties": {"ket_qua": {"type": "string"},
                                                              "van_ban": {"type": "string", "nullable": True},
                                                              "so": _REGISTER_ENTRY}}}}},
                                       "400": {"description": "Chưa xác nhận, hoặc không phải JSON", "content": _JSON_ERROR},
                                       **_INVALID, **_COMMON}}},
            "/api/accounts": {
                "get": {"summary": "Các tài khoản của tỉnh (Sở Nội vụ)",
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"tai_khoan": {"type": "array", "items": _ACCOUNT}}}}}},
                                      **_COMMON}},
                "post": {"summary": "Tạo tài khoản của tỉnh; mật khẩu tạm trả về một lần, đổi ở lần đăng nhập đầu",
                         "requestBody": _json_body({"type": "object", "required": ["ten_dang_nhap", "ho_ten", "vai_tro"],
                                                    "properties": {
                             "ten_dang_nhap": {"type": "string"}, "ho_ten": {"type": "string"},
                             "vai_tro": {"type": "string", "enum": [r for r in ROLES if r != "system"]},
                             "don_vi": {"type": "string", "description": "đơn vị (vai trò unit)"},
                             "co_quan": {"type": "string", "description": "cơ quan thẩm định (vai trò appraiser)"},
                             "thu": {"type": "string", "description": "địa chỉ thư điện tử"}}}),
                         "responses": {"201": {"description": "Đã tạo", "content": {"application/json": {"schema": {
                             "allOf": [_ACCOUNT, {"type": "object", "properties": {"mat_khau_tam": {"type": "string"},
                                                                                    "ghi_chu": {"type": "string"}}}]}}}},
                                       "400": {"description": "Không phải JSON", "content": _JSON_ERROR},
                                       **_INVALID, **_COMMON}}},
            **_more_paths(),
            "/api/verify": {"post": {"summary": "Kiểm tra chữ ký số của một tệp PDF (trường 'tep', multipart)",
                                     "responses": {**_ok("Kết quả kiểm tra"), "422": {"description": "Tệp không phải PDF"},
                                                   **_COMMON}}},
        },
        "security": [{"maTruyCap": []}, {"phienDangNhap": []}],
        "components": {"schemas": {m.__name__: m.model_json_schema(ref_template="#/components/schemas/{model}")
                                   for m in (Campaign, SelfAssessmentInput, AppraisalInput, ExplanationInput, SurveyInput)},
                       "securitySchemes": {
                           "maTruyCap": {"type": "http", "scheme": "bearer",
                                         "description": "Mã truy cập API của một tài khoản (cchc token create)"},
                           "phienDangNhap": {"type": "apiKey", "in": "cookie", "name": "session",
                                             "description": "Phiên đăng nhập của trình duyệt (ghi: thêm X-CSRF-Token)"}}},
    }
