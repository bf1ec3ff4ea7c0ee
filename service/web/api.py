"""JSON API: campaigns (read, replace — validated by the pydantic models), results, and its OpenAPI 3 document."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from data_models import Campaign, InvalidCampaign
from service.store.campaigns import list_campaigns, save_campaign

from . import cache
from .security import engine, login_required

bp = Blueprint("api", __name__, url_prefix="/api")


def _unit_json(result) -> dict:
    return {"don_vi": result.unit_id, "ten": result.unit_name, "tu_danh_gia": str(result.self_points),
            "tham_dinh": str(result.appraised_points), "dtxhh": str(result.survey_points), "thuong": str(result.bonus),
            "tru": str(result.deduction), "tong_diem": str(result.total), "diem_toi_da": str(result.maximum),
            "chi_so": str(result.index), "xep_hang": result.rank, "xep_loai": result.band}


@bp.route("/campaigns")
@login_required
def campaigns():
    return jsonify([{"id": cid, "nam": year, "ten": name} for cid, year, name in list_campaigns(engine())])


@bp.route("/campaigns/<campaign_id>")
@login_required
def campaign(campaign_id: str):
    cache.forbid_units()
    value, _ = cache.campaign(campaign_id)
    return jsonify(value.model_dump(mode="json"))


@bp.route("/campaigns/<campaign_id>", methods=["PUT"])
@login_required
def replace_campaign(campaign_id: str):
    if g.user.role != "admin":
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="Nội dung phải là một đối tượng JSON (campaign.json).")
    if data.get("id") != campaign_id:
        abort(422, description=f"Trường 'id' phải là {campaign_id!r}.")
    try:
        save_campaign(engine(), data, g.user.username)
    except InvalidCampaign as error:
        return jsonify({"loi": "Dữ liệu không hợp lệ; không có thay đổi nào được lưu.",
                        "chi_tiet": [{"truong": p.path, "thong_bao": p.message} for p in error.problems]}), 422
    return jsonify({"ket_qua": "đã lưu"}), 200


@bp.route("/campaigns/<campaign_id>/results")
@login_required
def results(campaign_id: str):
    cache.forbid_units()
    _, ranked = cache.results(campaign_id)
    return jsonify({group: [_unit_json(r) for r in rows] for group, rows in ranked.groups.items()})


@bp.route("/openapi.json")
def openapi():
    error = {"type": "object", "properties": {"loi": {"type": "string"}, "chi_tiet": {"type": "array"}}}
    responses = {"401": {"description": "Cần đăng nhập"}, "403": {"description": "Không có quyền"},
                 "404": {"description": "Không tìm thấy", "content": {"application/json": {"schema": error}}}}
    return jsonify({
        "openapi": "3.0.3",
        "info": {"title": "CCHC Docs API", "version": "0.1.0",
                 "description": "Dữ liệu chiến dịch đánh giá Chỉ số CCHC; xác thực bằng phiên đăng nhập; "
                                "yêu cầu ghi cần tiêu đề X-CSRF-Token."},
        "paths": {
            "/api/campaigns": {"get": {"summary": "Danh sách chiến dịch", "responses": {"200": {"description": "OK"}, **responses}}},
            "/api/campaigns/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"summary": "Toàn bộ dữ liệu chiến dịch", "responses": {"200": {"description": "campaign.json"}, **responses}},
                "put": {"summary": "Thay dữ liệu chiến dịch (kiểm tra toàn bộ trước khi lưu)",
                        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Campaign"}}}},
                        "responses": {"200": {"description": "Đã lưu"},
                                      "422": {"description": "Dữ liệu không hợp lệ, từng lỗi nêu trường",
                                              "content": {"application/json": {"schema": error}}}, **responses}}},
            "/api/campaigns/{id}/results": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"summary": "Kết quả: điểm, chỉ số, xếp hạng, xếp loại", "responses": {"200": {"description": "OK"}, **responses}}},
        },
        "components": {"schemas": {"Campaign": Campaign.model_json_schema(ref_template="#/components/schemas/{model}")}},
    })
