"""The Sở Nội vụ's data pages: Excel imports (criteria, unit scores, survey, last year's results),
units and their accounts in bulk, survey entry by hand, and next year's campaign cloned from this one."""
from __future__ import annotations

import io
import json
import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_models import InvalidCampaign, parse_campaign
from service import excel
from service.editing.clone import clone_for_next_year, cloned_id, results_are_final
from service.editing.organisation import merge_units, unit_problem_cells
from service.domain.survey import forms_against_plan
from service.editing.survey import apply_survey, survey_grids
from service.merge import merge_criteria, merge_previous, merge_scores, merge_survey
from service.store.campaigns import Change, store_campaign, stored_campaign_text, update_campaign
from service.store.models import User
from service.store.templates import copy_to as copy_templates
from service.store.users import NewAccount, create_users, username_key, username_problem

from . import access, background, cache
from .accounts import accounts_csv
from .editing import form_value, run_edit
from .security import engine, login_required

bp = Blueprint("admin", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORTS = {"tieu-chi": "Bộ tiêu chí", "diem-don-vi": "Bảng điểm của một đơn vị", "khao-sat": "Kết quả điều tra xã hội học",
           "nam-truoc": "Chỉ số, xếp hạng năm trước"}


def _admin_only(campaign_id: str) -> None:
    """The campaign must exist for this user (404 otherwise, other provinces included); then admin only."""
    cache.campaign(campaign_id)
    access.require(g.user.role == "admin")


def _data_page(campaign_id: str, errors: dict[str, list[str]] | None = None, accounts=None, notes=None):
    campaign, _ = cache.campaign(campaign_id)
    return render_template("data.html", campaign=campaign, imports=IMPORTS, errors=errors or {},
                           accounts=accounts or [], notes=notes or [], results_final=results_are_final(campaign),
                           next_campaign=_existing(cloned_id(campaign)),
                           accounts_csv=accounts_csv(accounts) if accounts else ""), (400 if errors else 200)


def _existing(campaign_id: str) -> str | None:
    """``campaign_id`` when a campaign of that id is stored (next year's already made), else None."""
    try:
        stored_campaign_text(engine(), campaign_id)
    except KeyError:
        return None
    return campaign_id


@bp.route("/chien-dich/<campaign_id>/du-lieu")
@login_required
def data(campaign_id: str):
    _admin_only(campaign_id)
    return _data_page(campaign_id)


def _upload(name: str) -> tuple[str, bytes]:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        raise excel.SheetError(["chưa chọn tệp"])
    return upload.filename, upload.read()


@bp.route("/chien-dich/<campaign_id>/du-lieu/nhap", methods=["POST"])
@login_required
def import_sheet(campaign_id: str):
    """One Excel import, merged into the campaign and validated as a whole: all or nothing."""
    _admin_only(campaign_id)
    kind = request.form.get("loai", "")
    if kind not in IMPORTS:
        abort(400, description="Loại dữ liệu nhập không hợp lệ.")
    try:
        filename, content = _upload("tep")
        changes = import_excel(campaign_id, kind, filename, content, request.form.get("nhom") or None,
                               request.form.get("don_vi") or None)
    except excel.SheetError as error:
        return _data_page(campaign_id, {kind: error.problems + ["Không có thay đổi nào được lưu."]})
    except InvalidCampaign as error:
        return _data_page(campaign_id, {kind: [str(p) for p in error.problems] + ["Không có thay đổi nào được lưu."]})
    except ValueError as error:
        return _data_page(campaign_id, {kind: [str(error), "Không có thay đổi nào được lưu."]})
    flash(f"Đã nhập {IMPORTS[kind].lower()} từ {filename}." if changes else "Tệp không làm thay đổi dữ liệu.")
    return redirect(url_for("admin.data", campaign_id=campaign_id))


def import_excel(campaign_id: str, kind: str, filename: str, content: bytes, group: str | None = None,
                 unit: str | None = None) -> list[Change]:
    """One Excel import (``kind`` of IMPORTS) merged into the campaign and validated as a whole, all or
    nothing (the page and the API): the changes; SheetError, InvalidCampaign or ValueError say why not."""
    if not filename.lower().endswith(".xlsx"):
        raise excel.SheetError([f"tệp {filename!r}: chỉ nhận bảng tính .xlsx"])
    if kind == "tieu-chi":
        rows, target = excel.read_criteria(content), group
    elif kind == "diem-don-vi":
        rows, target = excel.read_unit_scores(content), unit
    elif kind == "khao-sat":
        rows, target = excel.read_survey(content), None
    else:
        rows, target = excel.read_previous_results(content), None

    def edit(data: dict) -> list[Change]:
        before = json.dumps(data, sort_keys=True)
        {"tieu-chi": lambda: merge_criteria(data, rows, target), "diem-don-vi": lambda: merge_scores(data, rows, target),
         "khao-sat": lambda: merge_survey(data, rows), "nam-truoc": lambda: merge_previous(data, rows)}[kind]()
        changed = json.dumps(data, sort_keys=True) != before
        return [Change(f"{campaign_id}/nhap-excel/{kind}", None, {"tep": filename, "dong": len(rows)})] if changed else []
    _, changes = update_campaign(engine(), campaign_id, edit, g.user.username, action="nhap-excel")
    background.after_edit(campaign_id)
    return changes


@bp.route("/chien-dich/<campaign_id>/du-lieu/mau-don-vi.xlsx")
@login_required
def units_template(campaign_id: str):
    _admin_only(campaign_id)
    campaign, _ = cache.campaign(campaign_id)
    return send_file(io.BytesIO(excel.write_units_template(campaign)), mimetype=XLSX, as_attachment=True,
                     download_name=f"don-vi-{campaign_id}.xlsx")


@bp.route("/chien-dich/<campaign_id>/du-lieu/don-vi", methods=["POST"])
@login_required
def import_units(campaign_id: str):
    """Units and their accounts from .xlsx/.csv: the campaign first (validated), then the accounts;
    a taken login name stops everything before anything is stored."""
    _admin_only(campaign_id)
    merged: dict = {}
    try:
        filename, content = _upload("tep")
        rows, changes, accounts = import_units_file(campaign_id, filename, content, merged)
    except excel.SheetError as error:
        return _data_page(campaign_id, {"don-vi": error.problems + ["Không có thay đổi nào được lưu."]})
    except InvalidCampaign as error:
        return _data_page(campaign_id, {"don-vi": unit_problem_cells(merged.get("data", {}), merged.get("rows", []),
                                                                     error.problems)
                                        + ["Không có thay đổi nào được lưu."]})
    named = unit_changes(changes)
    flash(f"Đã nhập {len(rows)} đơn vị ({len(changes)} thay đổi), tạo {len(accounts)} tài khoản."
          + (" Thay đổi: " + "; ".join(named) + "." if named else ""))
    return _data_page(campaign_id, accounts=accounts)


#: How a units sheet's changes are named to the clerk.
UNIT_FIELDS = {"name": "tên", "signature": "người ký, thẩm quyền ký", "agency": "cơ quan"}


def unit_changes(changes) -> list[str]:
    """Each unit the import added or changed, and what changed (walk U3: '5 thay đổi' named none)."""
    out = []
    for change in changes:
        if "/don-vi/" not in change.target:
            continue
        new = change.new or {}
        if change.old is None:
            out.append(f"{new.get('name', '')}: thêm mới")
            continue
        fields = [label for key, label in UNIT_FIELDS.items() if (change.old or {}).get(key) != new.get(key)]
        out.append(f"{new.get('name', '')}: {', '.join(fields) or 'sửa'}")
    return out


def import_units_file(campaign_id: str, filename: str, content: bytes, merged: dict):
    """Units and their accounts from .xlsx/.csv (the page and the API): the campaign first (validated),
    then the accounts; a taken login name stops everything before anything is stored. Returns (rows,
    changes, accounts as (login, initial password, name, unit name)); ``merged`` gets the data and rows
    tried, to name the cells of an InvalidCampaign."""
    rows = excel.read_units(content, filename)
    merged["rows"] = rows
    wanted = [r for r in rows if r["Tên đăng nhập"]]
    keys = [username_key(r["Tên đăng nhập"]) for r in wanted]
    named = [(r, username_problem(r["Tên đăng nhập"])) for r in wanted]
    problems = [f"{r['row']}: {problem}" for r, problem in named if problem]
    with Session(engine()) as session:
        taken = set(session.scalars(select(User.username_key).where(User.username_key.in_([k for k in keys if k]))))
    problems += [f"{r['row']}: tên đăng nhập {r['Tên đăng nhập']!r} đã có" for r, k in zip(wanted, keys) if k in taken]
    problems += [f"{r['row']}: tên đăng nhập {r['Tên đăng nhập']!r} có hai lần trong bảng"
                 for i, (r, k) in enumerate(zip(wanted, keys)) if k and k in keys[:i]]
    if problems:
        raise excel.SheetError(problems)

    def edit(data: dict) -> list[Change]:
        merged["data"] = data
        changes, row_problems = merge_units(data, rows, campaign_id)
        if row_problems:
            raise excel.SheetError(row_problems)
        return changes
    _, changes = update_campaign(engine(), campaign_id, edit, g.user.username, action="nhap-don-vi")
    background.after_edit(campaign_id)
    made = [NewAccount(row["Tên đăng nhập"], secrets.token_urlsafe(9), row["Họ tên người dùng"], "unit",
                       organisation_id=g.user.organisation_id, campaign_id=campaign_id, unit_id=row["Mã đơn vị"],
                       must_change_password=True) for row in wanted]
    create_users(engine(), made, g.user.username)                    # all or none, checked above
    return rows, changes, [(a.username, a.password, a.full_name, row["Tên đơn vị"]) for a, row in zip(made, wanted)]


@bp.route("/chien-dich/<campaign_id>/khao-sat/<unit_id>", methods=["GET", "POST"])
@login_required
def survey(campaign_id: str, unit_id: str):
    """Survey results of one unit, typed from the tally sheets."""
    _admin_only(campaign_id)
    campaign, unit = cache.campaign_unit(campaign_id, unit_id)
    errors, values = {}, None
    if request.method == "POST":
        values = dict(request.form.items())
        errors, changes = run_edit(campaign_id, lambda data: apply_survey(data, campaign_id, unit_id, values), "nhap-khao-sat")
        if not errors:
            flash(f"Đã lưu kết quả khảo sát ({len(changes)} nhóm đối tượng thay đổi).")
            return redirect(url_for("admin.survey", campaign_id=campaign_id, unit_id=unit_id))
        campaign, _ = cache.campaign(campaign_id)
    stored = {a.respondent_group: a for a in campaign.survey_answers if a.unit == unit_id}
    return render_template("survey.html", campaign=campaign, unit=unit, grids=survey_grids(campaign, unit_id),
                           stored=stored, errors=errors, value=form_value(values),
                           over_plan=[g for g in forms_against_plan(campaign) if g.over]), (400 if errors else 200)


class CloneRefused(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def next_year_campaign(campaign_id: str, copy_provisional_results: bool) -> tuple[dict, list[str]]:
    """Next year's campaign from this one, stored with the campaign's own templates (the page and the
    API): (its data, notes of what was carried over); CloneRefused when it exists or does not validate."""
    campaign, _ = cache.campaign(campaign_id)
    data, notes = clone_for_next_year(campaign, json.loads(stored_campaign_text(engine(), campaign_id)),
                                      copy_provisional_results=copy_provisional_results)
    try:
        stored_campaign_text(engine(), data["id"])
        raise CloneRefused([f"Chiến dịch {data['id']!r} đã có; không tạo lại."])
    except KeyError:
        pass
    try:
        new = parse_campaign(data)
    except InvalidCampaign as error:
        raise CloneRefused([str(p) for p in error.problems]) from None
    with Session(engine()) as session, session.begin():          # the campaign and its own templates, together
        store_campaign(session, new, g.user.username, g.user.organisation_id)
        kept = copy_templates(session, g.user.organisation_id, campaign_id, new.id, g.user.username)
    if kept:
        notes.append(f"Giữ {kept} mẫu văn bản riêng của chiến dịch này.")
    return data, notes


@bp.route("/chien-dich/<campaign_id>/nhan-ban", methods=["POST"])
@login_required
def clone(campaign_id: str):
    """Next year's campaign from this one; refused when it exists already."""
    _admin_only(campaign_id)
    try:
        data, notes = next_year_campaign(campaign_id, request.form.get("chep-ket-qua-tam") == "co")
    except CloneRefused as error:
        return _data_page(campaign_id, {"nhan-ban": error.problems})
    flash(f"Đã tạo chiến dịch năm {data['year']}: " + " ".join(notes))
    background.after_edit(data["id"])              # its drafts typeset before the first reader asks (walk U32)
    return redirect(url_for("views.dashboard", campaign_id=data["id"]))
