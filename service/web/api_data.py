"""Imports and exports over the API (issue 15), the data page's and the lists' own code: an Excel import
(criteria, one unit's scores, survey results, last year's index) or the units with their accounts, all
or nothing, problems named; the units list, the units template and the year's register as .xlsx.
The campaign itself goes in and out as campaign.json through GET/PUT /api/campaigns/{id}."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from data_models import InvalidCampaign
from service import excel
from service.editing.organisation import unit_problem_cells

from . import access, cache, views
from .admin import IMPORTS, import_excel, import_units_file, units_template
from .api import invalid
from .security import login_required

bp = Blueprint("api_data", __name__, url_prefix="/api")
UNITS = "don-vi"
NOTHING_STORED = "Không có thay đổi nào được lưu."


def _refused(problems: list[str]):
    return invalid(f"Tệp không nhập được. {NOTHING_STORED}", [("tep", p) for p in problems])


@bp.route("/campaigns/<campaign_id>/imports/<kind>", methods=["POST"])
@login_required
def import_file(campaign_id: str, kind: str):
    """multipart: 'tep' (.xlsx; the units also .csv), and 'nhom' (criteria of one group) or 'don_vi'
    (one unit's scores) where the import needs it. The Sở Nội vụ only."""
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")
    if kind not in IMPORTS and kind != UNITS:
        access.not_found(f"loại dữ liệu nhập {kind!r}")
    upload = request.files.get("tep")
    if upload is None or not upload.filename:
        return _refused(["chưa gửi tệp (multipart, trường 'tep')"])
    merged: dict = {}
    try:
        if kind == UNITS:
            rows, changes, accounts = import_units_file(campaign_id, upload.filename, upload.read(), merged)
        else:
            changes = import_excel(campaign_id, kind, upload.filename, upload.read(), request.form.get("nhom") or None,
                                   request.form.get("don_vi") or None)
            rows, accounts = None, []
    except excel.SheetError as error:
        return _refused(error.problems)
    except InvalidCampaign as error:
        problems = unit_problem_cells(merged.get("data", {}), merged.get("rows", []), error.problems) \
            if kind == UNITS else [str(p) for p in error.problems]
        return _refused(problems)
    except ValueError as error:
        return _refused([str(error)])
    body = {"ket_qua": "đã nhập" if changes else "tệp không làm thay đổi dữ liệu", "so_thay_doi": len(changes)}
    if kind == UNITS:
        body.update({"so_don_vi": len(rows), "tai_khoan": [
            {"ten_dang_nhap": login, "mat_khau_tam": password, "ho_ten": name, "don_vi": unit}
            for login, password, name, unit in accounts],
            "ghi_chu": "Mật khẩu tạm chỉ hiện một lần; người dùng phải đổi ở lần đăng nhập đầu."})
    return jsonify(body)


@bp.route("/campaigns/<campaign_id>/exports/don-vi.xlsx")
@login_required
def units_list(campaign_id: str):
    """The units the caller sees, with their step and report (filters as the dashboard: ?tinh-trang=…)."""
    return views.units_sheet(campaign_id)


@bp.route("/campaigns/<campaign_id>/exports/mau-don-vi.xlsx")
@login_required
def units_sheet_template(campaign_id: str):
    """The units workbook to fill in for the units import (the Sở Nội vụ)."""
    return units_template(campaign_id)


@bp.route("/register/<int:year>.xlsx")
@login_required
def register_sheet(year: int):
    return views.register_sheet(year)
