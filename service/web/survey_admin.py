"""The Sở Nội vụ's side of the survey collected in the workspace: open it from the plan's sample (a
quota per unit and respondent group, the days it is open), follow it live, make one-time codes to print
as QR on the paper phiếu or send by Zalo/e-mail, carry the collected forms into the units' survey
tallies (audited, so the index and every document follow), and export the raw answers."""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for

from service import excel
from service.domain.survey import planned_quotas
from service.domain.survey_forms import questions, respondent_names
from service.editing.forms import parse_typed_date
from service.store import survey_collection as store

from . import access, background, cache
from .clock import today
from .security import STAFF, engine, login_required
from .views import XLSX

bp = Blueprint("survey_admin", __name__)


def _campaign(campaign_id: str, *, write: bool = False):
    campaign, _ = cache.campaign(campaign_id)            # 404 for another province's campaign
    access.require(g.user.role == "admin" if write else g.user.role in STAFF)
    return campaign


def quota_lines(campaign) -> list[dict]:
    """One line of the opening form per unit group and respondent group: its field, names and the
    plan's forms per unit."""
    planned = planned_quotas(campaign)
    lines = []
    for unit_group in campaign.groups:
        for respondent in campaign.criteria_for(unit_group.id).respondent_groups:
            units = [u.id for u in unit_group.units if (u.id, respondent.id) in planned]
            if units:
                lines.append({"field": f"so-phieu-{unit_group.id}-{respondent.id}", "unit_ids": units,
                              "group": respondent.id, "units": unit_group.name, "respondents": respondent.name,
                              "count": len(units), "default": planned[(units[0], respondent.id)]})
    return lines


def planned_days(campaign, day: dt.date) -> tuple[dt.date, dt.date]:
    """(opening, closing) from the plan's task that carries the survey ('Tháng 9-11/2026': 01/09 to
    30/11), not before today; else today and four weeks on."""
    from service.domain.calendar import task_producing, task_window
    task = task_producing(campaign, "phieu-khao-sat") or task_producing(campaign, "ke-hoach-dieu-tra-xhh")
    window = task_window(task, campaign.year) if task else None
    if window is None or window.last is None or window.last < day:
        return day, day + dt.timedelta(days=28)
    return max(window.first or day, day), window.last


def _public(path: str) -> str:
    return request.host_url.rstrip("/") + path


def _code_url(code: str) -> str:
    """The address a one-time code's QR holds."""
    return _public(url_for("survey_public.by_code_form", code=code))


def _opened_survey(campaign_id: str):
    """The campaign's survey, or 404 when it is not opened yet."""
    return store.survey_of(engine(), campaign_id) or abort(404, description="Chưa mở khảo sát.")


@bp.route("/chien-dich/<campaign_id>/dieu-tra", methods=["GET", "POST"])
@login_required
def page(campaign_id: str):
    campaign = _campaign(campaign_id, write=request.method == "POST")
    survey = store.survey_of(engine(), campaign_id)
    errors = {}
    if request.method == "POST" and survey is None:
        errors, opened = _open(campaign)
        if opened:
            flash("Đã mở khảo sát: mỗi đơn vị, mỗi nhóm đối tượng có đường dẫn riêng; có thể tạo mã phiếu để in QR.")
            return redirect(url_for("survey_admin.page", campaign_id=campaign_id))
    elif request.method == "POST":
        abort(409, description="Khảo sát của chiến dịch này đã mở.")
    day = today()
    if survey is None:
        first, last = planned_days(campaign, day)
        return render_template("survey_admin.html", campaign=campaign, survey=None, lines=quota_lines(campaign),
                               errors=errors, form=request.form if request.method == "POST" else {},
                               default_open=first, default_close=last, from_plan=first != day), 400 if errors else 200
    return _running(campaign, survey)


def _running(campaign, survey, status: int = 200, **extra):
    """The page of an opened survey: its days, progress, links and codes, the tools."""
    day = today()
    rows = _progress(campaign, survey)
    return render_template("survey_admin.html", campaign=campaign, survey=survey, rows=rows, today=day,
                           open_problem=store.is_open(survey, day), public=_public, totals=_totals(rows),
                           payees=len(store.payees_of(engine(), survey.id)) if survey.pays_per_form else None,
                           import_problems=extra.get("import_problems", []), imported=extra.get("imported")), status


def _open(campaign) -> tuple[dict[str, str], bool]:
    """Open the survey from the form: dates, paying per form, a quota per unit for each group (the plan's
    by default); every problem named by its field, nothing stored then."""
    errors, dates = {}, {}
    for name, label in (("mo", "ngày mở"), ("dong", "ngày đóng")):
        try:
            dates[name] = parse_typed_date(request.form.get(name, ""))
        except ValueError as error:
            errors[name] = f"{label}: {error}"
    if not errors and dates["dong"] < dates["mo"]:
        errors["dong"] = "ngày đóng phải từ ngày mở trở đi"
    quotas: dict[tuple[str, str], int] = {}
    for line in quota_lines(campaign):
        name = line["field"]
        raw = request.form.get(name, "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100000:
            errors[name] = f"{line['respondents']} ({line['units']}): số phiếu mỗi đơn vị phải là số nguyên từ 0 đến 100 000"
        elif int(raw) > 0:
            quotas.update({(unit, line["group"]): int(raw) for unit in line["unit_ids"]})
    if errors:
        return errors, False
    if not quotas:
        return {"": "chưa có nhóm đối tượng nào có số phiếu lớn hơn 0"}, False
    store.open_survey(engine(), g.user.organisation_id, campaign.id, dates["mo"], dates["dong"], quotas,
                      request.form.get("tra-thu-lao") == "1", g.user.username)
    return {}, True


def _progress(campaign, survey) -> list[dict]:
    codes = store.codes_count(engine(), survey.id)
    names = {u.id: u.name for u in campaign.units()}
    groups = respondent_names(campaign)
    order = {u.id: n for n, u in enumerate(campaign.units())}
    rows = []
    for quota in sorted(store.quotas_of(engine(), survey.id), key=lambda q: (order.get(q.unit_id, 0), q.group_id)):
        made, used = codes.get((quota.unit_id, quota.group_id), (0, 0))
        rows.append({"unit": quota.unit_id, "unit_name": names.get(quota.unit_id, quota.unit_id), "group": quota.group_id,
                     "group_name": groups.get(quota.group_id, quota.group_id), "quota": quota.quota,
                     "received": quota.received, "codes": made, "codes_used": used, "link": quota.link})
    return rows


def _totals(rows: list[dict]) -> dict[str, tuple[int, int]]:
    """Respondent group's name → (forms received, quota) over every unit."""
    out: dict[str, tuple[int, int]] = {}
    for row in rows:
        received, quota = out.get(row["group_name"], (0, 0))
        out[row["group_name"]] = (received + row["received"], quota + row["quota"])
    return out


@bp.route("/chien-dich/<campaign_id>/dieu-tra/ma-phieu", methods=["POST"])
@login_required
def codes(campaign_id: str):
    """One-time codes for a unit and group, as a sheet to print (code, the URL its QR holds)."""
    campaign = _campaign(campaign_id, write=True)
    survey = _opened_survey(campaign_id)
    unit, group = request.form.get("don-vi", ""), request.form.get("nhom", "")
    raw = request.form.get("so-ma", "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= store.MOST_CODES_AT_ONCE:
        abort(400, description=f"Số mã phải là số nguyên từ 1 đến {store.MOST_CODES_AT_ONCE}.")
    try:
        made = store.make_codes(engine(), survey.id, unit, group, int(raw))
    except ValueError as error:
        abort(400, description=f"Không tạo được mã: {error}.")
    name = campaign.unit(unit).name
    group_name = respondent_names(campaign).get(group, group)
    if request.form.get("dang") == "tem":                     # an A4 sheet of QR labels to print
        from service.render.qr_labels import label_sheet
        enter = _public(url_for("survey_public.enter_code"))
        pdf = label_sheet([(_code_url(code), f"{code[:5]} {code[5:]}",
                            f"{name} · {group_name} · quét mã QR, hoặc vào {enter} và gõ mã") for code in made],
                          f"Mã phiếu khảo sát dùng một lần — {name} — {group_name} ({len(made)} mã)")
        return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"{campaign_id}-tem-qr-{unit}-{group}.pdf")
    rows = [[n, code, _code_url(code)] for n, code in enumerate(made, 1)]
    data = excel.write_list(f"Mã phiếu khảo sát — {name} — {group}", ["TT", "Mã phiếu", "Đường dẫn (in thành mã QR)"],
                            rows, {1: 6, 2: 16, 3: 60})
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"{campaign_id}-ma-phieu-{unit}-{group}.xlsx")


@bp.route("/chien-dich/<campaign_id>/dieu-tra/cap-nhat", methods=["POST"])
@login_required
def carry(campaign_id: str):
    """The collected forms into each unit's survey tally for its groups with forms (audited per group)."""
    from service.editing.survey_carry import carry_tallies
    _campaign(campaign_id, write=True)
    _opened_survey(campaign_id)
    carried = carry_tallies(engine(), campaign_id, g.user.username)
    cache.forget_units()
    background.after_edit(campaign_id)
    if carried.problems:
        flash("Chưa cập nhật được: " + " | ".join(carried.problems))
    else:
        flash(f"Đã cập nhật kết quả khảo sát vào chỉ số: {carried.units} đơn vị, {carried.groups} nhóm đối tượng thay đổi.")
    return redirect(url_for("survey_admin.page", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/dieu-tra/dong", methods=["POST"])
@login_required
def close(campaign_id: str):
    """Close the survey now, or move its closing day."""
    _campaign(campaign_id, write=True)
    survey = _opened_survey(campaign_id)
    if request.form.get("dong-ngay") == "1":
        store.change_survey(engine(), survey.id, closed=True)
        flash("Đã đóng khảo sát: không nhận thêm phiếu.")
    else:
        try:
            day = parse_typed_date(request.form.get("ngay-dong", ""))
        except ValueError as error:
            abort(400, description=f"Ngày đóng: {error}.")
        if day < survey.opens_on:
            abort(400, description="Ngày đóng phải từ ngày mở trở đi.")
        store.change_survey(engine(), survey.id, closes_on=day, closed=False)
        flash(f"Khảo sát nhận phiếu đến hết ngày {day:%d/%m/%Y}.")
    return redirect(url_for("survey_admin.page", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/dieu-tra/tra-loi.xlsx")
@login_required
def answers_sheet(campaign_id: str):
    """Every collected form, one row each (unit, group, channel, one column per question), in no order
    that says when it came."""
    campaign = _campaign(campaign_id)
    survey = _opened_survey(campaign_id)
    forms = store.answered_forms(engine(), survey.id)
    codes = sorted({code for answered in forms.values() for a in answered for code in a},
                   key=lambda c: [int(p) if p.isdigit() else p for p in c.split(".")])
    rows = [[campaign.unit(unit).name, group, *[answers.get(code, "") for code in codes]]
            for (unit, group), answered in sorted(forms.items()) for answers in answered]
    data = excel.write_list(f"Phiếu khảo sát đã nhận — {campaign.name}", ["Đơn vị", "Nhóm đối tượng", *codes], rows)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"{campaign_id}-phieu-khao-sat.xlsx")


@bp.route("/api/campaigns/<campaign_id>/survey/progress")
@login_required
def progress_api(campaign_id: str):
    """Forms received against the quota, per unit and group, for the Sở Nội vụ's other systems."""
    campaign = _campaign(campaign_id)
    survey = store.survey_of(engine(), campaign_id)
    if survey is None:
        return jsonify({"mo": False, "don_vi": []})
    return jsonify({"mo": store.is_open(survey, today()) is None, "ngay_mo": survey.opens_on.isoformat(),
                    "ngay_dong": survey.closes_on.isoformat(),
                    "don_vi": [{"don_vi": r["unit"], "nhom": r["group"], "chi_tieu": r["quota"], "da_nhan": r["received"],
                                "ma_da_tao": r["codes"], "ma_da_dung": r["codes_used"]}
                               for r in _progress(campaign, survey)]})


#: One paper form in this many is entered twice (the sample that measures the entry's errors).
DOUBLE_ENTRY_EVERY = 10


def _signed_answers(answers: dict[str, str], token: str) -> str:
    """The first entry of a sample form, carried to its second entry and signed (not stored)."""
    import json
    from .survey_public import signed
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    return text + "\n" + signed(f"lan-dau|{token}|{text}")


def _first_entry(signed: str, token: str) -> dict[str, str] | None:
    import hmac
    import json
    text, _, _ = signed.rpartition("\n")
    try:
        answers = json.loads(text) if text else None
    except ValueError:
        return None
    return answers if isinstance(answers, dict) and hmac.compare_digest(_signed_answers(answers, token), signed) else None


@bp.route("/chien-dich/<campaign_id>/dieu-tra/nhap-phieu", methods=["GET", "POST"])
@login_required
def paper(campaign_id: str):
    """Paper forms typed by a clerk with the keyboard alone, one screen per form: the answers as digits,
    Enter saves and opens the next; one form in ``DOUBLE_ENTRY_EVERY`` is asked again and the two entries
    compared (the error rate on the survey's page)."""
    import secrets
    from service.domain.survey_forms import differing, typed_answers
    from .survey_public import _token_valid, form_token
    campaign = _campaign(campaign_id, write=True)
    survey = _opened_survey(campaign_id)
    quotas = {(q.unit_id, q.group_id): q for q in store.quotas_of(engine(), survey.id)}
    unit, group = request.values.get("don-vi", ""), request.values.get("nhom", "")
    if "|" in request.args.get("chon", ""):                  # the list's choice wins over the hidden fields
        unit, group = request.args["chon"].split("|", 1)
    context = {"campaign": campaign, "survey": survey, "quotas": quotas,
               "groups": respondent_names(campaign),
               "names": {u.id: u.name for u in campaign.units()}, "unit": unit, "group": group}
    if (unit, group) not in quotas:
        return render_template("survey_paper.html", chosen=False, **context)
    quota = quotas[(unit, group)]
    target = store.Target(survey, unit, group, quota.quota, quota.received)
    asked = questions(campaign, unit, group)
    context.update(chosen=True, questions=asked, quota=quota, typed="", problem=None, second=None, differ=None)
    if request.method == "GET":
        return render_template("survey_paper.html", token=form_token(target), **context)
    token = request.form.get("phieu", "")
    if not _token_valid(target, token):
        abort(400, description="Trang nhập phiếu đã cũ: mở lại trang rồi nhập phiếu này.")
    typed = request.form.get("tra-loi", "")
    answers, problem = typed_answers(asked, typed)
    if problem:
        return render_template("survey_paper.html", token=token, **{**context, "typed": typed, "problem": problem,
                                                                    "second": request.form.get("lan-dau")}), 422
    first = _first_entry(request.form.get("lan-dau", ""), token) if request.form.get("lan-dau") else None
    if first is None and not request.form.get("lan-cuoi") and secrets.randbelow(DOUBLE_ENTRY_EVERY) == 0:
        return render_template("survey_paper.html", token=token,
                               **{**context, "second": _signed_answers(answers, token)})      # enter it again
    if first is not None:
        differ = differing(asked, first, answers)
        store.count_double_entry(engine(), survey.id, bool(differ))
        if differ:                               # look at the paper, type it a last time
            return render_template("survey_paper.html", token=token, **{**context, "differ": differ}), 409
    try:
        store.take_form(engine(), survey.id, unit, group, answers, "giay", today(), form_token=token)
    except store.NotTaken as refused:
        return render_template("survey_paper.html", token=form_token(target),
                               **{**context, "problem": str(refused)}), 409
    background.after_survey_form(campaign_id)
    flash(f"Đã lưu phiếu giấy ({quota.received + 1}/{quota.quota}).")
    return redirect(url_for("survey_admin.paper", campaign_id=campaign_id, **{"don-vi": unit, "nhom": group}))


@bp.route("/chien-dich/<campaign_id>/dieu-tra/nhap-tep", methods=["POST"])
@login_required
def import_export(campaign_id: str):
    """Forms collected with LimeSurvey or KoboToolbox (their export, .xlsx or .csv) for one unit and
    group: every row read first — a row that cannot be read names its row and question and nothing is
    taken —, then each counted like a form of the workspace (a row imported before counts once)."""
    from service.survey_import import read_forms
    campaign = _campaign(campaign_id, write=True)
    survey = _opened_survey(campaign_id)
    unit, _, group = request.form.get("chon", "").partition("|")
    upload = request.files.get("tep")
    if (unit, group) not in {(q.unit_id, q.group_id) for q in store.quotas_of(engine(), survey.id)}:
        return _running(campaign, survey, 400, import_problems=["Chọn đơn vị và nhóm đối tượng của tệp."])
    if upload is None or not upload.filename:
        return _running(campaign, survey, 400, import_problems=["Chưa chọn tệp xuất từ LimeSurvey hoặc KoboToolbox."])
    try:
        headings, rows = excel.export_table(upload.read(), upload.filename)     # the request is bounded (MAX_UPLOAD)
    except excel.SheetError as error:
        return _running(campaign, survey, 400, import_problems=[f"Tệp {upload.filename}: {p}" for p in error.problems])
    asked = questions(campaign, unit, group)
    forms, problems = read_forms(headings, rows, asked, f"{survey.id}|{unit}|{group}")
    if problems:
        more = [f"và {len(problems) - 20} lỗi khác"] if len(problems) > 20 else []
        return _running(campaign, survey, 400, import_problems=[f"Tệp {upload.filename}: {p}" for p in problems[:20]] + more)
    taken = again = full = 0
    day = today()
    for form in forms:
        try:
            store.take_form(engine(), survey.id, unit, group, form.answers, "nhap-tep", day, form_token=form.identity)
            taken += 1
        except store.NotTaken as refused:
            if refused.reason == "da-gui":
                again += 1
            elif refused.reason == "du-phieu":
                full += 1
            else:
                return _running(campaign, survey, 409, import_problems=[str(refused)])
    if taken:
        background.after_survey_form(campaign_id)
    return _running(campaign, survey, imported=(upload.filename, taken, again, full))
