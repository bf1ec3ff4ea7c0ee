"""Pages: campaigns, a campaign's dashboard, results, document preview and download."""
from __future__ import annotations

import datetime as dt

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for

from data_models import InvalidCampaign

from service.documents import KINDS, available, compose
from service.documents.drafting import plan_deadlines
from service.domain.status import unit_status
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_html, render_pdf
from service.store.campaigns import audit_trail, list_campaigns
from service.store.issuing import TYPES as ISSUABLE
from service.store.issuing import issue_document, issued_version, issued_versions
from service.store.register import register_entries, vietnam_today, void_number
from service.vietnamese import format_citation_date, format_number

from . import cache
from .security import engine, login_required, may_read_document, may_see_unit, role_name

bp = Blueprint("views", __name__)
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


@bp.app_context_processor
def helpers():
    return {"two": lambda v: format_number(v, 2), "role_name": role_name, "pts": points_text,
            "date_vn": lambda d: format_citation_date(d.year, d.month, d.day) if d else ""}


def points_text(value) -> str:
    """A score as a Vietnamese reader writes it: 0,75 · 2 · 1,5 (no trailing zeros)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


@bp.route("/")
@login_required
def index():
    return redirect(url_for("views.campaigns"))


@bp.route("/chien-dich")
@login_required
def campaigns():
    return render_template("campaigns.html", campaigns=list_campaigns(engine()))


@bp.route("/chien-dich/<campaign_id>")
@login_required
def dashboard(campaign_id: str):
    campaign, _ = cache.campaign(campaign_id)
    units = [(group, unit, unit_status(campaign, unit.id)) for group in campaign.groups for unit in group.units
             if may_see_unit(g.user, unit.id)]
    kinds = [k for k in KINDS.values() if not k.per_unit and available(campaign, k) and may_read_document(g.user, k.key, None)]
    per_unit = [k for k in KINDS.values() if k.per_unit]
    deadlines = plan_deadlines(campaign)
    versions = [v for v in issued_versions(engine(), campaign_id) if may_read_document(g.user, v.kind, v.unit_key or None)]
    return render_template("dashboard.html", campaign=campaign, units=units, kinds=kinds, per_unit=per_unit,
                           deadlines=deadlines, today=dt.date.today(), versions=versions, issuable=ISSUABLE,
                           issued={(v.kind, v.unit_key) for v in versions}, may_issue=g.user.role in ISSUERS)


@bp.route("/chien-dich/<campaign_id>/ket-qua")
@login_required
def results(campaign_id: str):
    cache.forbid_units()
    campaign, ranked = cache.results(campaign_id)
    return render_template("results.html", campaign=campaign, results=ranked)


@bp.route("/chien-dich/<campaign_id>/ket-qua/bieu-do/<group_id>.png")
@login_required
def results_chart(campaign_id: str, group_id: str):
    """The index of every unit of a group as bars coloured by class (the chart of the Báo cáo kết quả)."""
    from service.documents import charts
    cache.forbid_units()
    campaign, ranked = cache.results(campaign_id)
    if group_id not in ranked.groups:
        abort(404)
    _, digest = cache.campaign(campaign_id)
    group = next(g for g in campaign.groups if g.id == group_id)
    rows = ranked.groups[group_id]
    bands = [band.name for band in campaign.classification.bands] if campaign.classification else []
    png = cache.remember(("chart", digest, group_id), lambda: charts.index_bar_chart(
        [r.unit_name for r in rows], [r.index for r in rows], [r.band or "" for r in rows], bands,
        f"Chỉ số CCHC năm {campaign.year}: {group.name}"))
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


def rendered(campaign_id: str, kind: str, unit: str | None, fmt: str) -> bytes | str:
    if kind not in KINDS:
        abort(404, description=f"Không có loại văn bản {kind!r}.")
    if not may_read_document(g.user, kind, unit):
        abort(403)
    campaign, digest = cache.campaign(campaign_id)

    def make():
        try:
            document = compose(campaign, kind, unit)
        except ValueError as error:
            abort(422, description=str(error))
        return {"html": render_html, "docx": render_docx, "pdf": render_pdf}[fmt](document)
    return cache.remember(("document", digest, kind, unit, fmt), make)


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>.<fmt>")
@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/<unit>.<fmt>")
@login_required
def document(campaign_id: str, kind: str, fmt: str, unit: str | None = None):
    if fmt not in ("html", "docx", "pdf"):
        abort(404)
    content = rendered(campaign_id, kind, unit, fmt)
    if fmt == "html":
        return content
    name = f"{kind}-{unit}.{fmt}" if unit else f"{kind}.{fmt}"
    return send_file(io.BytesIO(content), mimetype=MIME[fmt], as_attachment=True, download_name=name)


ISSUERS = {"vanthu", "admin"}


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/ban-hanh", methods=["POST"])
@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/<unit>/ban-hanh", methods=["POST"])
@login_required
def issue(campaign_id: str, kind: str, unit: str | None = None):
    """The văn thư issues a document: a register number (or the e-office number and date it records)."""
    if g.user.role not in ISSUERS:
        abort(403)
    number, day = request.form.get("so", "").strip(), request.form.get("ngay", "").strip()
    try:
        external_number = int(number) if number else None
        external_date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        abort(400, description="Số phải là số nguyên; ngày theo dạng năm-tháng-ngày (ví dụ 2026-12-14).")
    try:
        issued = issue_document(engine(), campaign_id, kind, unit, g.user.username,
                                external_number=external_number, external_date=external_date)
    except InvalidCampaign as error:
        abort(422, description="; ".join(str(p) for p in error.problems))
    except ValueError as error:
        abort(422, description=str(error))
    flash(f"Đã ban hành: {issued.number_line}, ngày {issued.issued_on:%d/%m/%Y}.")
    return redirect(url_for("views.dashboard", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>.<fmt>")
@login_required
def issued_file(campaign_id: str, version_id: int, fmt: str):
    version = issued_version(engine(), version_id)
    if version is None or version.campaign_id != campaign_id or fmt not in ("docx", "pdf"):
        abort(404)
    if not may_read_document(g.user, version.kind, version.unit_key or None):
        abort(403)
    name = f"{version.kind}-{version.unit_key}" if version.unit_key else version.kind
    return send_file(io.BytesIO(getattr(version, fmt)), mimetype=MIME[fmt], as_attachment=True,
                     download_name=f"{name}-ban-chinh-thuc.{fmt}")


@bp.route("/nhat-ky")
@login_required
def audit():
    """The audit trail (admin only): who changed which campaign, number or document, when."""
    if g.user.role != "admin":
        abort(403)
    entries = list(reversed(audit_trail(engine())))[:500]
    return render_template("audit.html", entries=entries)


@bp.route("/so-dang-ky")
@bp.route("/so-dang-ky/<int:year>")
@login_required
def register(year: int | None = None):
    """Sổ đăng ký văn bản đi of a year (văn thư, admin, leader)."""
    if g.user.role not in ISSUERS | {"leader"}:
        abort(403)
    year = year or vietnam_today().year
    return render_template("register.html", year=year, entries=register_entries(engine(), year),
                           may_void=g.user.role in ISSUERS)


@bp.route("/so-dang-ky/huy/<int:entry_id>", methods=["POST"])
@login_required
def void(entry_id: int):
    """Void a number with a reason; it stays in the register and is never reused."""
    if g.user.role not in ISSUERS:
        abort(403)
    try:
        void_number(engine(), entry_id, request.form.get("ly_do", ""), g.user.username)
    except ValueError as error:
        abort(422, description=str(error))
    flash("Đã hủy số văn bản; số này không được cấp lại.")
    return redirect(url_for("views.register"))
