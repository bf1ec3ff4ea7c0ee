"""Pages: campaigns, a campaign's dashboard, results, the audit trail and the register (documents'
own pages and files are in ``documents``)."""
from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from service import excel
from service.documents import KINDS, available
from service.domain.calendar import plan_deadlines
from service.domain.issuers import UNIT_LETTERS
from service.domain.lifecycle import IllegalTransition, waiting_for
from service.domain.readiness import pending_units
from service.domain.status import STATUSES, appraisal_queue, next_step, unit_status
from service.vietnamese.collation import search_key
from service.store.campaigns import audit_trail, list_campaigns
from service.store.issuing import issued_version
from service.store.lifecycle import signed_entries, states_of, void_register_entry
from service.store.register import entry_of, register_entries, versions_of_entries
from service.store.notifications import mark_read, recent, unread
from service.store.users import users_of
from service.vietnamese import format_citation_date, format_number

from . import access, cache
from .clock import today
from .edoc import ROLES as ARCHIVISTS, USES
from .documents import DRIFT, dashboard_rows
from .letters import letter_counts
from .readable import action_label, target_text, until_day, value_text, vn_time
from .security import engine, login_required, role_name, roles_required

bp = Blueprint("views", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Audit entries found at most (newest first); the filters narrow them; a page shows PER_PAGE.
SHOWN = 500
PER_PAGE = 50
ISSUERS = {"vanthu", "admin"}


@bp.app_context_processor
def helpers():
    return {"two": lambda v: format_number(v, 2), "role_name": role_name, "pts": points_text,
            "four": lambda v: points_text(round(v, 4)),      # an unrounded total, as a reader checks the index
            "date_vn": lambda d: format_citation_date(d.year, d.month, d.day) if d else "",
            "unread_count": lambda: len(unread(engine(), g.user.username)) if g.get("user") is not None else 0,
            "vn_time": vn_time, "until_day": until_day, "action_label": action_label, "value_text": value_text,
            "target_text": lambda target: target_text(target, _unit_names, KIND_LABELS),
            "opened_now": lambda: dt.datetime.now(dt.timezone.utc).isoformat()}


KIND_LABELS = {key: kind.label for key, kind in KINDS.items()}


def _unit_names(campaign_id: str) -> dict[str, str] | None:
    """Unit id → name in one of the user's campaigns (None: no such campaign for this user); looked
    up once per campaign and request, not once per audit row."""
    from werkzeug.exceptions import HTTPException
    known = g.setdefault("unit_names", {})
    if campaign_id not in known:
        try:
            campaign = cache.campaign(campaign_id)[0] if cache.IDENTIFIER.fullmatch(campaign_id or "") else None
        except HTTPException:
            campaign = None
        known[campaign_id] = {u.id: u.name for u in campaign.units()} if campaign is not None else None
    return known[campaign_id]


def points_text(value) -> str:
    """A score as a Vietnamese reader writes it: 0,75 · 2 · 1,5 (no trailing zeros)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


@bp.route("/")
@login_required
def index():
    """The system administrator's provinces; a unit in one campaign goes straight to it (a unit has
    one campaign a year); everyone else to the list of the province's campaigns."""
    if g.user.role == "system":
        return redirect(url_for("accounts.provinces"))
    if g.user.role == "unit":
        rows = visible_campaigns()
        if len(rows) == 1 or (rows and rows[0][1] > max(year for _, year, _ in rows[1:])):
            return redirect(url_for("views.dashboard", campaign_id=rows[0][0]))
    return redirect(url_for("views.campaigns"))


@bp.route("/chien-dich")
@login_required
def campaigns():
    """The province's campaigns; for the office's staff each with what waits for their own step, so a
    leader, văn thư or thư ký lands on their work, not on a bare list (walk U27)."""
    rows = visible_campaigns()
    office = g.user.role in STAFF_WITH_STEPS
    waiting = {cid: _waiting(cid) for cid, _, _ in rows} if office else {}
    names = {cid: {u.id: u.name for u in cache.campaign(cid)[0].units()} for cid, steps in waiting.items()
             if any(unit for _, keys in steps for _, unit in keys)}
    counts = {cid: sum(len(keys) for _, keys in steps) for cid, steps in waiting.items()}
    return render_template("campaigns.html", campaigns=rows, waiting=waiting, unit_names=names, office=office, counts=counts,
                           kind_labels={k: kind.label for k, kind in KINDS.items()})


#: The roles whose steps the lifecycle awaits (approve, sign, number, seal, send, resubmit).
STAFF_WITH_STEPS = ("leader", "vanthu", "secretariat", "admin")


def _waiting(campaign_id: str, states=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(what to do, [(kind, unit)]) of a campaign's documents waiting for this user's step."""
    states = states_of(engine(), campaign_id) if states is None else states
    return waiting_for(g.user.role, {key: state.state for key, state in states.items()
                                     if concerns_user(campaign_id, key, state)})


def visible_campaigns() -> list[tuple[str, int, str]]:
    """The user's province's campaigns (for a unit account: those that have its unit)."""
    if g.user.role == "system":
        return []
    rows = list_campaigns(engine(), g.user.organisation_id)
    if g.user.role == "unit":             # a campaign without the unit (a unit added this year) is not shown
        rows = [row for row in rows if cache.has_unit(row[0], g.user.unit_id)]
    return rows


#: A unit left out of this year's ranking with its reason (walk U6: not "chưa nộp").
EXCLUDED = "không xếp hạng"


def _units_shown(campaign):
    """The units the user sees, with their step, filtered as the request asks (status, group, a name
    typed with or without tones), and the counts by step across all of them."""
    day = today()
    excluded = campaign.excluded_units()
    units = [(group, unit, EXCLUDED if unit.id in excluded else unit_status(campaign, unit.id, day))
             for group in campaign.groups for unit in group.units if access.may_see_unit(campaign, unit.id)]
    counts = {status: sum(1 for _, _, s in units if s == status) for status in [*STATUSES, EXCLUDED]}
    wanted = {"tinh-trang": request.args.get("tinh-trang", ""), "nhom": request.args.get("nhom", ""),
              "tim": request.args.get("tim", "").strip()[:100]}
    folded = search_key(wanted["tim"]) if wanted["tim"] else None
    shown = [(group, unit, status) for group, unit, status in units
             if (not wanted["tinh-trang"] or status == wanted["tinh-trang"])
             and (not wanted["nhom"] or group.id == wanted["nhom"])
             and (folded is None or folded in search_key(unit.name))]
    return shown, len(units), counts, wanted


@bp.route("/chien-dich/<campaign_id>/don-vi.xlsx")
@login_required
def units_sheet(campaign_id: str):
    """The units list as filtered on the dashboard, to Excel: group, unit, step, self-assessment report."""
    campaign, _ = cache.campaign(campaign_id)
    shown, _, _, _ = _units_shown(campaign)
    rows = []
    for group, unit, status in shown:
        report = campaign.assessment(unit.id).report if campaign.assessment(unit.id) else None
        rows.append([group.name, unit.name, status,
                     f"{report.number}, {report.date.day:02d}/{report.date.month:02d}/{report.date.year}"
                     if report is not None and report.number and report.date.complete else ""])
    data = excel.write_list(f"Đơn vị — {campaign.name}", ["Nhóm", "Đơn vị", "Tình trạng", "Báo cáo tự đánh giá (số, ngày)"],
                            rows, {1: 30, 2: 50, 3: 20, 4: 28})
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"{campaign.id}-don-vi.xlsx")


@bp.route("/chien-dich/<campaign_id>")
@login_required
def dashboard(campaign_id: str):
    campaign, digest = cache.campaign(campaign_id)
    day = today()
    # progress across all units, then the list filtered by status, group and a name (walk finding 21)
    shown, all_units, counts, wanted = _units_shown(campaign)
    kinds = [k for k in KINDS.values() if not k.per_unit and available(campaign, k)
             and access.may_read_document(campaign, k.key, None)]
    per_unit = [k for k in KINDS.values() if k.per_unit]
    states = states_of(engine(), campaign_id)
    unit_states = {key: state.label for key, state in states.items() if key[1]}
    own = g.user.unit_id if g.user.role == "unit" and access.has_unit(campaign, g.user.unit_id) else None
    todo = next_step(campaign, own, day) if own else None
    queue = appraisal_queue(campaign, g.user.agency_id, day) if g.user.role == "appraiser" else None
    letters = [(KINDS[key], letter_counts(campaign, key, states)) for key in UNIT_LETTERS] \
        if g.user.role in ("admin", "leader", "vanthu") else []
    waiting = _waiting(campaign_id, states)
    return render_template("dashboard.html", campaign=campaign, units=shown, letters=letters, all_units=all_units,
                           waiting=waiting, kind_labels={k: kind.label for k, kind in KINDS.items()},
                           counts=counts,
                           wanted=wanted, filters={k: v for k, v in wanted.items() if v},
                           documents=dashboard_rows(campaign, digest, kinds),
                           per_unit=per_unit, unit_states=unit_states, deadlines=plan_deadlines(campaign), today=day,
                           drift_message=DRIFT, excluded={e.unit: e.reason for e in campaign.exclusions},
                           may_read=lambda kind, unit: access.may_read_document(campaign, kind, unit),
                           todo=todo, own=own, queue=queue, unit_names={u.id: u.name for u in campaign.units()}, published=access.results_published(campaign_id) if own else False)


def concerns_user(campaign_id: str, key: tuple[str, str], state) -> bool:
    """Whether a document waiting for a leader's or the secretary's step waits for this person: a
    submission for the leader it was submitted to, a signature for the people its block names."""
    if g.user.role not in ("leader", "secretariat"):
        return True
    if state.state == "trinh-duyet":
        return state.approver_id in (None, g.user.id)
    if state.state == "da-ban-hanh":
        awaited = g.setdefault("signatures_awaited", {})
        if campaign_id not in awaited:
            from service.store.issuing import signatures_awaited
            awaited[campaign_id] = signatures_awaited(engine(), campaign_id)
        person = access.signing_person()
        return person is not None and person in awaited[campaign_id].get(key, set())
    return True


def _pending(campaign) -> dict[str, str]:
    """Unit → its step, for the units whose appraisal is not final: the results page and its charts
    show them apart, neither ranked nor classed (walk finding 8)."""
    return pending_units(campaign, today())


def _publication(campaign_id: str):
    """The issued QĐ công bố's version (its number and date), or None while results are provisional."""
    state = states_of(engine(), campaign_id).get(("quyet-dinh-cong-bo", ""))
    if state is None or not state.official or not state.current_version_id:
        return None
    return issued_version(engine(), state.current_version_id, with_pdf=False)


@bp.route("/chien-dich/<campaign_id>/ket-qua")
@login_required
def results(campaign_id: str):
    campaign, ranked = cache.results(campaign_id)
    access.require(access.may_read_results(access.results_published(campaign_id)))
    pending = _pending(campaign)
    previous = {p.unit: p for p in campaign.previous_results}
    names = {unit.id: unit.name for unit in campaign.units()}
    excluded = [(names.get(e.unit, e.unit), e.reason) for e in campaign.exclusions]
    return render_template("results.html", campaign=campaign, results=ranked, pending=pending, previous=previous,
                           publication=_publication(campaign_id), excluded=excluded)


@bp.route("/chien-dich/<campaign_id>/ket-qua/bieu-do/<group_id>.png")
@login_required
def results_chart(campaign_id: str, group_id: str):
    """The index of every unit of a group as bars coloured by class (the chart of the Báo cáo kết quả)."""
    from service.documents import charts
    from service.documents.kind_templates import phrase
    campaign, ranked = cache.results(campaign_id)
    access.require(access.may_read_results(access.results_published(campaign_id)))
    if group_id not in ranked.groups:
        abort(404)
    _, digest = cache.campaign(campaign_id)
    group = next(g for g in campaign.groups if g.id == group_id)
    pending = _pending(campaign)
    rows = [r for r in ranked.groups[group_id] if r.unit_id not in pending]
    if not rows:
        access.not_found("biểu đồ (chưa đơn vị nào của nhóm có kết quả thẩm định cuối cùng)")
    bands = [band.name for band in campaign.classification.bands] if campaign.classification else []
    png = cache.remember(("chart", digest, group_id, tuple(sorted(pending))), lambda: charts.index_bar_chart(
        [r.unit_name for r in rows], [r.index for r in rows], [r.band or "" for r in rows], bands,
        f"Chỉ số CCHC năm {campaign.year}: {group.name}", phrase("truc-chi-so")))
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


@bp.route("/thong-bao")
@login_required
def notifications():
    """The person's notifications, newest first; opening the list marks them read."""
    items = recent(engine(), g.user.username)
    mark_read(engine(), g.user.username)
    return render_template("notifications.html", items=items)


@bp.route("/nhat-ky")
@roles_required("admin")
def audit():
    """The audit trail of the province (admin only): who changed which campaign, number or document, when."""
    people = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    wanted = {"nguoi": request.args.get("nguoi", ""), "tim": request.args.get("tim", "").strip()[:100]}
    entries = audit_entries(wanted["nguoi"], wanted["tim"])
    page = max(1, min(request.args.get("trang", 1, type=int), (len(entries) - 1) // PER_PAGE + 1))
    return render_template("audit.html", entries=entries[(page - 1) * PER_PAGE:page * PER_PAGE], people=people,
                           wanted=wanted, shown=SHOWN, page=page, pages=(len(entries) - 1) // PER_PAGE + 1,
                           total=len(entries))


def audit_entries(actor: str, wanted: str) -> list:
    """The province's audit trail, newest first, of one person and matching a search (tones or not),
    at most SHOWN entries (the page and the API)."""
    folded = search_key(wanted) if wanted else None
    return [e for e in reversed(audit_trail(engine(), organisation_id=g.user.organisation_id))
            if (not actor or e.actor == actor)
            and (folded is None or folded in search_key(f"{e.target} {action_label(e.action)}"))][:SHOWN]


def _archives(year: int, entries) -> list[tuple[str, str]]:
    """(id, name) of the campaigns whose archive package the register page offers: the year's, and
    any that numbered a document in it."""
    numbered = {e.campaign_id for e in entries if e.campaign_id}
    return [(cid, name) for cid, campaign_year, name in list_campaigns(engine(), g.user.organisation_id)
            if campaign_year == year or cid in numbered]


@bp.route("/so-dang-ky")
@bp.route("/so-dang-ky/<int:year>")
@roles_required("vanthu", "admin", "leader")
def register(year: int | None = None):
    """Sổ đăng ký văn bản đi of the province for a year (văn thư, admin, leader)."""
    year = year or today().year
    if not 2000 <= year <= 2200:
        access.not_found(f"sổ đăng ký năm {year}")
    entries = register_entries(engine(), year, g.user.organisation_id)
    names = _register_names(entries)
    people = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    return render_template("register.html", year=year, kinds={k: v.label for k, v in KINDS.items()}, entries=entries,
                           may_void=g.user.role in ISSUERS, name_of=lambda e, key: names.get((e.campaign_id, key), key),
                           people=people, signed=signed_entries(engine(), [e.id for e in entries]),
                           archives=_archives(year, entries) if g.user.role in ARCHIVISTS else [],
                           uses=USES)


@bp.route("/so-dang-ky/<int:year>.xlsx")
@roles_required("vanthu", "admin", "leader")
def register_sheet(year: int):
    """The year's register to Excel, as the page shows it (names, not ids)."""
    if not 2000 <= year <= 2200:
        access.not_found(f"sổ đăng ký năm {year}")
    entries = register_entries(engine(), year, g.user.organisation_id)
    names = _register_names(entries)
    people = {u.username: u.full_name for u in users_of(engine(), g.user.organisation_id)}
    kinds = {k: v.label for k, v in KINDS.items()}
    versions = versions_of_entries(engine(), [e.id for e in entries])
    rows = [[names.get((e.campaign_id, e.agency), e.agency), f"{e.number:02d}/{e.symbol}", e.issued_on.strftime("%d/%m/%Y"),
             kinds.get(e.kind, e.kind), names.get((e.campaign_id, e.unit_id), e.unit_id or "") if e.unit_id else "",
             people.get(e.issued_by, e.issued_by), f"Đã hủy: {e.void_reason}" if e.status == "voided" else "Đã cấp",
             *phu_luc_vi(e, versions.get(e.id), names)] for e in entries]
    data = excel.write_list(f"Sổ đăng ký văn bản đi năm {year}",
                            ["Cơ quan", "Số, ký hiệu", "Ngày", "Văn bản", "Đơn vị", "Người cấp", "Tình trạng",
                             *PHU_LUC_VI], rows,
                            {1: 36, 2: 22, 3: 12, 4: 50, 5: 36, 6: 24, 7: 30, 8: 60, 9: 24, 10: 30, 11: 60, 12: 14,
                             13: 10, 14: 10, 15: 40})
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"so-dang-ky-{year}.xlsx")


#: The register's columns from ND30 Phụ lục VI beyond the number and date (as we read it): the
#: document's type and subject, its signer and post, where it went, who drafted it, copies, pages,
#: and its identity on the document exchange axis.
PHU_LUC_VI = ["Tên loại và trích yếu nội dung", "Người ký", "Chức vụ người ký", "Nơi nhận", "Đơn vị soạn thảo",
              "Số lượng bản", "Số trang", "Mã định danh văn bản"]


def phu_luc_vi(entry, version, names: dict) -> list:
    """The Phụ lục VI cells of one register entry (blank for a number the e-office gave and an entry
    issued before these fields were kept)."""
    import json

    from pypdf import PdfReader
    if version is None or not version.register_fields:
        return [""] * len(PHU_LUC_VI)
    fields = json.loads(version.register_fields)
    pdf = version.signed_pdf or version.pdf
    if pdf is None:                                          # not yet typeset by the queue: now
        from service.store.issuing import issued_version
        pdf = issued_version(engine(), version.id).pdf
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages) if pdf else ""
    except Exception:                                        # noqa: BLE001 — a page count is not worth a 500
        pages = ""
    identity = ""
    try:
        campaign, _ = cache.campaign(entry.campaign_id)
        code = campaign.edoc_codes.get(campaign.agency(entry.agency).name)
        if code:
            from service.interop.edxml import document_id
            identity = document_id(code, entry.issued_on, f"{entry.number:02d}/{entry.symbol}")
    except Exception:                                        # noqa: BLE001 — a campaign since removed
        pass
    return [f"{fields['ten_loai']} {fields['trich_yeu']}".strip(), fields["nguoi_ky"], fields["chuc_vu"],
            "; ".join(fields["noi_nhan"]), fields["don_vi_soan_thao"], fields["so_ban"], pages, identity]


def _register_names(entries) -> dict:
    """(campaign, agency or unit id) → its name, for the campaigns the entries belong to."""
    names: dict = {}
    for campaign_id in {e.campaign_id for e in entries if e.campaign_id}:
        try:
            campaign, _ = cache.campaign(campaign_id)
        except Exception:                                    # a campaign since removed: ids stay readable
            continue
        names.update({(campaign_id, a.id): a.name for a in campaign.agencies})
        names.update({(campaign_id, u.id): u.name for u in campaign.units()})
    return names


@bp.route("/so-dang-ky/huy/<int:entry_id>", methods=["POST"])
@roles_required(*ISSUERS)
def void(entry_id: int):
    """Void a number with a reason; it stays in the register and is never reused. An unsigned document
    carrying it goes back to draft (to be issued again under a new number); a signed one only after a
    replacement has been issued."""
    try:
        entry_of(engine(), entry_id, g.user.organisation_id)
    except LookupError:
        access.not_found("số văn bản này")
    if request.form.get("xac-nhan") != "1":
        abort(400, description="Hãy đánh dấu xác nhận trước khi hủy số (không làm lại được).")
    try:
        outcome = void_register_entry(engine(), entry_id, request.form.get("ly_do", ""), g.user.username,
                                      g.user.organisation_id)
    except LookupError:
        access.not_found("số văn bản này")
    except (IllegalTransition, ValueError) as error:
        abort(422, description=str(error))
    flash("Đã hủy số văn bản; số này không được cấp lại." + (f" {outcome[0].upper()}{outcome[1:]}." if outcome else ""))
    return redirect(url_for("views.register"))
