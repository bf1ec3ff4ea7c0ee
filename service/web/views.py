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

from . import access, cache
from .security import engine, login_required, role_name, roles_required

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
    return redirect(url_for("accounts.provinces" if g.user.role == "system" else "views.campaigns"))


@bp.route("/chien-dich")
@login_required
def campaigns():
    return render_template("campaigns.html", campaigns=visible_campaigns())


def visible_campaigns() -> list[tuple[str, int, str]]:
    """The user's province's campaigns (for a unit account: those that have its unit)."""
    if g.user.role == "system":
        return []
    rows = list_campaigns(engine(), g.user.organisation_id)
    if g.user.role == "unit":
        rows = [row for row in rows if access.has_unit(cache.campaign(row[0])[0], g.user.unit_id)]
    return rows


@bp.route("/chien-dich/<campaign_id>")
@login_required
def dashboard(campaign_id: str):
    campaign, _ = cache.campaign(campaign_id)
    units = [(group, unit, unit_status(campaign, unit.id)) for group in campaign.groups for unit in group.units
             if access.may_see_unit(campaign, unit.id)]
    kinds = [k for k in KINDS.values() if not k.per_unit and available(campaign, k)
             and access.may_read_document(campaign, k.key, None)]
    per_unit = [k for k in KINDS.values() if k.per_unit]
    deadlines = plan_deadlines(campaign)
    versions = [v for v in issued_versions(engine(), campaign_id)
                if access.may_read_document(campaign, v.kind, v.unit_key or None)]
    return render_template("dashboard.html", campaign=campaign, units=units, kinds=kinds, per_unit=per_unit,
                           deadlines=deadlines, today=dt.date.today(), versions=versions, issuable=ISSUABLE,
                           issued={(v.kind, v.unit_key) for v in versions}, may_issue=g.user.role in ISSUERS)


@bp.route("/chien-dich/<campaign_id>/ket-qua")
@login_required
def results(campaign_id: str):
    campaign, ranked = cache.results(campaign_id)
    access.require(access.may_read_results(published(campaign_id)))
    return render_template("results.html", campaign=campaign, results=ranked)


@bp.route("/chien-dich/<campaign_id>/ket-qua/bieu-do/<group_id>.png")
@login_required
def results_chart(campaign_id: str, group_id: str):
    """The index of every unit of a group as bars coloured by class (the chart of the Báo cáo kết quả)."""
    from service.documents import charts
    campaign, ranked = cache.results(campaign_id)
    access.require(access.may_read_results(published(campaign_id)))
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


def published(campaign_id: str) -> bool:
    """Whether the publication decision (QĐ công bố) of the campaign has been issued."""
    return any(v.kind == "quyet-dinh-cong-bo" for v in issued_versions(engine(), campaign_id))


def rendered(campaign_id: str, kind: str, unit: str | None, fmt: str) -> bytes | str:
    campaign, digest = cache.campaign(campaign_id)
    if kind not in KINDS:
        abort(404, description=f"Không có loại văn bản {kind!r}.")
    if unit is not None and not access.has_unit(campaign, unit):
        access.not_found(f"đơn vị {unit!r}")
    access.require(access.may_read_document(campaign, kind, unit))

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
    cache.campaign(campaign_id)
    access.require(g.user.role in ISSUERS)
    number, day = request.form.get("so", "").strip(), request.form.get("ngay", "").strip()
    try:
        external_number = int(number) if number else None
        external_date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        abort(400, description="Số phải là số nguyên; ngày theo dạng năm-tháng-ngày (ví dụ 2026-12-14).")
    try:
        issued = issue_document(engine(), campaign_id, kind, unit, g.user.username,
                                external_number=external_number, external_date=external_date,
                                organisation=g.user.organisation_id)
    except InvalidCampaign as error:
        abort(422, description="; ".join(str(p) for p in error.problems))
    except ValueError as error:
        abort(422, description=str(error))
    flash(f"Đã ban hành: {issued.number_line}, ngày {issued.issued_on:%d/%m/%Y}.")
    return redirect(url_for("views.dashboard", campaign_id=campaign_id))


@bp.route("/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>.<fmt>")
@login_required
def issued_file(campaign_id: str, version_id: int, fmt: str):
    campaign, _ = cache.campaign(campaign_id)
    version = issued_version(engine(), version_id)
    if version is None or version.campaign_id != campaign_id or fmt not in ("docx", "pdf"):
        access.not_found("bản ban hành này")
    access.require(access.may_read_document(campaign, version.kind, version.unit_key or None))
    name = f"{version.kind}-{version.unit_key}" if version.unit_key else version.kind
    return send_file(io.BytesIO(getattr(version, fmt)), mimetype=MIME[fmt], as_attachment=True,
                     download_name=f"{name}-ban-chinh-thuc.{fmt}")


@bp.route("/nhat-ky")
@roles_required("admin")
def audit():
    """The audit trail of the province (admin only): who changed which campaign, number or document, when."""
    entries = list(reversed(audit_trail(engine(), organisation_id=g.user.organisation_id)))[:500]
    return render_template("audit.html", entries=entries)


@bp.route("/so-dang-ky")
@bp.route("/so-dang-ky/<int:year>")
@roles_required("vanthu", "admin", "leader")
def register(year: int | None = None):
    """Sổ đăng ký văn bản đi of the province for a year (văn thư, admin, leader)."""
    year = year or vietnam_today().year
    if not 2000 <= year <= 2200:
        access.not_found(f"sổ đăng ký năm {year}")
    return render_template("register.html", year=year,
                           entries=register_entries(engine(), year, g.user.organisation_id),
                           may_void=g.user.role in ISSUERS)


@bp.route("/so-dang-ky/huy/<int:entry_id>", methods=["POST"])
@roles_required(*ISSUERS)
def void(entry_id: int):
    """Void a number with a reason; it stays in the register and is never reused."""
    try:
        void_number(engine(), entry_id, request.form.get("ly_do", ""), g.user.username,
                    organisation=g.user.organisation_id)
    except LookupError:
        access.not_found("số văn bản này")
    except ValueError as error:
        abort(422, description=str(error))
    flash("Đã hủy số văn bản; số này không được cấp lại.")
    return redirect(url_for("views.register"))
