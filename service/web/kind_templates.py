"""The Sở Nội vụ's template pages: every kind's template with where it comes from, the editor beside a
live preview of the campaign's real document, the variables, the versions of the campaign's and the
province's layer (see, compare, restore, back to the default), one template's file down and up, and
the province's whole folder as a zip. Admin of the campaign's province only."""
from __future__ import annotations

import difflib
import io
import zipfile

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, send_file, url_for

from data_models import Campaign
from service.documents import KINDS, compose
from service.documents.wording import contexts_seen
from service.documents.kind_templates import KINDS_DIR, EXTENSION, PHRASES, TemplateError, default_template, variables
from service.render.pdf_writer import render_html
from service.safe_files import BrokenArchive, UnsafeFile, ZipLimits, check_zip
from service.store.campaigns import campaign_owner
from service.store.templates import (CAMPAIGN, DEFAULT, LAYER_NAMES, PROVINCE, history, in_force, save, texts,
                                     version)
from service.template_checks import MAX_TEMPLATE_BYTES, InvalidTemplate, problems_with, read_template_file, \
    template_kinds

from . import access, cache
from .documents import DRAFT_MARK
from .security import engine, login_required

bp = Blueprint("templates_editor", __name__)
GUIDE = "HUONG-DAN.md"
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def admin_campaign(campaign_id: str) -> Campaign:
    campaign, _ = cache.campaign(campaign_id)             # 404 for another province
    access.require(g.user.role == "admin")
    return campaign


def template_kind(kind: str) -> str:
    if kind not in template_kinds():
        access.not_found(f"mẫu văn bản {kind!r}")
    return kind


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else "Cụm từ dùng chung"


def templates_in_force(campaign_id: str):
    from sqlalchemy.orm import Session
    with Session(engine()) as session:
        return in_force(session, g.user.organisation_id, campaign_id)


@bp.route("/chien-dich/<campaign_id>/mau-van-ban")
@login_required
def index(campaign_id: str):
    campaign = admin_campaign(campaign_id)
    return render_template("kind_templates.html", campaign=campaign, rows=_rows(templates_in_force(campaign_id)), errors=[])


# ---------------------------------------------------------------------------- one kind: editor
def _units(campaign: Campaign, kind: str) -> list:
    if kind not in KINDS or not KINDS[kind].per_unit:
        return []
    return [u for u in campaign.units() if KINDS[kind].applies(campaign, u.id)]


def _editor(campaign: Campaign, kind: str, text: str | None = None, errors: list[str] | None = None,
            layer: str = CAMPAIGN, status: int = 200):
    templates = templates_in_force(campaign.id)
    current = templates[kind]
    units = _units(campaign, kind)
    unit = request.values.get("don-vi") or (units[0].id if units else None)
    versions = {CAMPAIGN: history(engine(), g.user.organisation_id, campaign.id, kind),
                PROVINCE: history(engine(), g.user.organisation_id, None, kind)}
    return render_template("kind_template.html", campaign=campaign, kind=kind, label=kind_label(kind), current=current,
                           layer_names=LAYER_NAMES, text=current.text if text is None else text, errors=errors or [],
                           layer=layer, variables=variables(kind) if kind != PHRASES else (), versions=versions,
                           units=units, unit=unit, guide=_guide(), max_kb=MAX_TEMPLATE_BYTES // 1000,
                           here=_values_here(campaign, kind, unit), example_text=example_text), status


def _values_here(campaign: Campaign, kind: str, unit: str | None) -> dict:
    """The variables' values in this campaign (walk U15: the fixture's 2026 showed in 2027), read from
    the context the kind's template is given when its document is composed; {} when it cannot be."""
    if kind not in KINDS:
        return {}
    with contexts_seen() as seen:
        try:
            compose(campaign, kind, unit, texts(templates_in_force(campaign.id)))
        except Exception:                       # noqa: BLE001 — a draft the data cannot make: the examples stay
            return {}
    return next((context for seen_kind, context in seen if seen_kind == kind), {})


def example_text(value, limit: int = 160) -> str:
    """A value as the table shows it: text as it is, a list as its items, a record as its fields —
    Vietnamese letters as letters (walk U15: 'S\\u1edf N\\u1ed9i v\\u1ee5')."""
    if isinstance(value, dict):
        if "bang" in value:
            rows = value["bang"]
            return f"(bảng, {len(getattr(rows, 'rows', rows))} dòng)"
        if "bieu_do" in value:
            return "(biểu đồ)"
        text = "; ".join(f"{k}: {example_text(v, 60)}" for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        text = "; ".join(example_text(v, 60) for v in value[:5]) + (f" … ({len(value)} mục)" if len(value) > 5 else "")
    elif value is None:
        text = "(không có)"
    elif hasattr(value, "rows"):
        text = f"(bảng, {len(value.rows)} dòng)"
    else:
        text = str(value)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _guide() -> str:
    return (KINDS_DIR / GUIDE).read_text(encoding="utf-8")


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>", methods=["GET", "POST"])
@login_required
def edit(campaign_id: str, kind: str):
    """GET: the editor. POST: save the typed template for the campaign or the province, after every
    check; refused with the reasons and the typed text kept."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    if request.method == "GET":
        return _editor(campaign, kind)
    text = request.form.get("noi-dung", "")
    layer = request.form.get("lop", CAMPAIGN)
    if layer not in (CAMPAIGN, PROVINCE):
        return _editor(campaign, kind, text, ["Trường 'lop': chọn lưu cho chiến dịch hoặc cho cả tỉnh."], status=400)
    return _save(campaign, kind, text, layer, request.form.get("ghi-chu"))


def _save(campaign: Campaign, kind: str, text: str, layer: str, comment: str | None, *, restored: bool = False):
    try:
        saved = save(engine(), g.user.organisation_id, campaign.id if layer == CAMPAIGN else None, kind, text,
                     g.user.username, comment, campaign=campaign)
    except InvalidTemplate as error:
        return _editor(campaign, kind, text, error.problems, layer, status=400)
    where = "chiến dịch này" if layer == CAMPAIGN else "cả tỉnh"
    flash(f"Đã {'khôi phục' if restored else 'lưu'} mẫu «{kind_label(kind)}» cho {where} (phiên bản #{saved.id}).")
    return redirect(url_for("templates_editor.edit", campaign_id=campaign.id, kind=kind))


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>/xem-truoc", methods=["GET", "POST"])
@login_required
def preview(campaign_id: str, kind: str):
    """The campaign's real document worded by the typed (POST) or saved (GET) template, as the iframe
    beside the editor shows it; a template that does not work shows its reasons instead."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    wording = texts(templates_in_force(campaign_id))
    if request.method == "POST":
        wording[kind] = request.form.get("noi-dung", "").replace("\r\n", "\n")
    problems = []
    if request.method == "POST":
        others = {k: v for k, v in wording.items() if k != kind}
        problems = problems_with(campaign, kind, wording[kind], others)
    body = None
    if not problems and kind in KINDS:
        units = _units(campaign, kind)
        unit = request.values.get("don-vi") or (units[0].id if units else None)
        try:
            body = render_html(compose(campaign, kind, unit, wording), DRAFT_MARK, stylesheet=True)
        except (TemplateError, ValueError) as error:
            problems = [str(error)]
    if body is None:
        body = render_template("template_problems.html", problems=problems, kind=kind, phrases=kind == PHRASES)
    response = make_response(body)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>/tai-len", methods=["POST"])
@login_required
def upload(campaign_id: str, kind: str):
    """A template file (.txt, UTF-8) saved like typed text, after the same checks."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    layer = request.form.get("lop", CAMPAIGN)
    upload_file = request.files.get("tep")
    if upload_file is None or not upload_file.filename:
        return _editor(campaign, kind, None, ["Trường 'tep': chọn tệp mẫu (.txt) để tải lên."], status=400)
    try:
        text = read_template_file(upload_file.filename, upload_file.read(MAX_TEMPLATE_BYTES + 1))
    except InvalidTemplate as error:
        return _editor(campaign, kind, None, error.problems, status=400)
    if layer not in (CAMPAIGN, PROVINCE):
        layer = CAMPAIGN
    return _save(campaign, kind, text, layer, f"tải lên tệp {upload_file.filename}")


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>.txt")
@login_required
def download(campaign_id: str, kind: str):
    """The template in force (or one version, ?phien-ban=N) as the file a drafter edits elsewhere."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    text = templates_in_force(campaign_id)[kind].text
    wanted = request.args.get("phien-ban", "")
    if wanted:
        row = _version_of(campaign, kind, wanted)
        text = row.text if row.text is not None else default_template(kind)
    return send_file(io.BytesIO(text.encode("utf-8")), mimetype="text/plain; charset=utf-8", as_attachment=True,
                     download_name=f"{kind}{EXTENSION}")


def _version_of(campaign: Campaign, kind: str, version_id):
    try:
        row = version(engine(), g.user.organisation_id, int(version_id))
    except (TypeError, ValueError):
        row = None
    if row is None or row.kind != kind or row.campaign_id not in (None, campaign.id):
        access.not_found("phiên bản mẫu này")
    return row


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>/phien-ban/<int:template_version>")
@login_required
def show_version(campaign_id: str, kind: str, template_version: int):
    """One saved version: its text and what it changed from the version before it (or the default)."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    row = _version_of(campaign, kind, template_version)
    layer = history(engine(), g.user.organisation_id, row.campaign_id, kind)
    earlier = next((v for v in layer if v.id < row.id), None)
    before = earlier.text if earlier is not None and earlier.text is not None else default_template(kind)
    after = row.text if row.text is not None else default_template(kind)
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), "trước", "sau", lineterm="", n=2))[2:]
    return render_template("template_version.html", campaign=campaign, kind=kind, label=kind_label(kind), row=row,
                           text=after, diff=diff, layer=LAYER_NAMES[CAMPAIGN if row.campaign_id else PROVINCE])


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>/khoi-phuc/<int:template_version>", methods=["POST"])
@login_required
def restore(campaign_id: str, kind: str, template_version: int):
    """A new version of the same layer carrying an earlier one's text (checked again: the data may
    have moved since)."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    row = _version_of(campaign, kind, template_version)
    layer = CAMPAIGN if row.campaign_id else PROVINCE
    if row.text is None:
        return _to_default(campaign, kind, layer, f"khôi phục phiên bản #{row.id}")
    return _save(campaign, kind, row.text, layer, f"khôi phục phiên bản #{row.id}", restored=True)


@bp.route("/chien-dich/<campaign_id>/mau-van-ban/<kind>/mac-dinh", methods=["POST"])
@login_required
def to_default(campaign_id: str, kind: str):
    """The layer stops having its own template: the one below (the province's, the default) words it."""
    campaign = admin_campaign(campaign_id)
    kind = template_kind(kind)
    layer = request.form.get("lop", CAMPAIGN)
    if layer not in (CAMPAIGN, PROVINCE):
        access.not_found("lớp mẫu này")
    return _to_default(campaign, kind, layer, "bỏ mẫu riêng")


def _to_default(campaign: Campaign, kind: str, layer: str, comment: str):
    save(engine(), g.user.organisation_id, campaign.id if layer == CAMPAIGN else None, kind, None, g.user.username, comment)
    flash(f"Mẫu «{kind_label(kind)}» của {'chiến dịch' if layer == CAMPAIGN else 'tỉnh'} đã bỏ: dùng mẫu lớp dưới.")
    return redirect(url_for("templates_editor.edit", campaign_id=campaign.id, kind=kind))


# ---------------------------------------------------------------------------- the province's folder
@bp.route("/chien-dich/<campaign_id>/mau-van-ban-tinh.zip")
@login_required
def province_folder(campaign_id: str):
    """Every template of the province's layer (or the default where it has none), one file per kind."""
    campaign = admin_campaign(campaign_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, template in templates_in_force(None).items():
            archive.writestr(f"{kind}{EXTENSION}", template.text)
    name = f"mau-van-ban-{campaign_owner(engine(), campaign.id)[1]}.zip"
    return send_file(io.BytesIO(buffer.getvalue()), mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/chien-dich/<campaign_id>/mau-van-ban-tinh", methods=["POST"])
@login_required
def province_upload(campaign_id: str):
    """A folder of templates (zip of <kind>.txt) for the province: every file checked against this
    campaign's data first; one bad file and nothing is saved."""
    campaign = admin_campaign(campaign_id)
    upload_file = request.files.get("tep")
    if upload_file is None or not upload_file.filename:
        return _index_with(campaign, ["Trường 'tep': chọn tệp .zip các mẫu để tải lên."])
    try:
        members = _zip_members(upload_file.read(MAX_FOLDER_BYTES + 1), upload_file.filename)
    except UnsafeFile as error:
        return _index_with(campaign, [str(error)])
    incoming, problems = {}, []
    for name, data in members.items():
        kind = name.rsplit("/", 1)[-1].removesuffix(EXTENSION)
        if not name.endswith(EXTENSION) or kind not in template_kinds():
            problems.append(f"{name}: không phải mẫu của loại văn bản nào")
            continue
        try:
            incoming[kind] = read_template_file(name, data)
        except InvalidTemplate as error:
            problems += error.problems
    current = texts(templates_in_force(None))
    wording = {**current, **incoming}
    for kind, text in incoming.items():
        problems += [f"{kind}{EXTENSION}: {p}" for p in
                     problems_with(campaign, kind, text, {k: v for k, v in wording.items() if k != kind})]
    if problems or not incoming:
        return _index_with(campaign, problems or ["Tệp .zip không có mẫu nào."])
    changed = 0
    for kind, text in incoming.items():
        if templates_in_force(None)[kind].text != text:
            save(engine(), g.user.organisation_id, None, kind, text, g.user.username, f"tải lên {upload_file.filename}")
            changed += 1
    flash(f"Đã lưu {changed} mẫu cho cả tỉnh từ {upload_file.filename} ({len(incoming) - changed} mẫu không đổi).")
    return redirect(url_for("templates_editor.index", campaign_id=campaign.id))


MAX_FOLDER_BYTES = MAX_TEMPLATE_BYTES * 20


def _zip_members(data: bytes, name: str) -> dict[str, bytes]:
    """The files of an uploaded folder, bounded before and while they are read."""
    if len(data) > MAX_FOLDER_BYTES:
        raise UnsafeFile(f"tệp {name!r} quá {MAX_FOLDER_BYTES // 1_000_000} MB")
    try:
        archive = check_zip(data, name, ZipLimits(total=MAX_FOLDER_BYTES, members=len(template_kinds()) + 10))
    except BrokenArchive:
        raise UnsafeFile(f"tệp {name!r} không phải tệp .zip (nén thư mục các mẫu .txt rồi tải lên)") from None
    out = {}
    for member in archive.infolist():
        if member.is_dir() or member.filename.rsplit("/", 1)[-1].startswith("."):
            continue
        with archive.open(member) as stream:
            out[member.filename] = stream.read(MAX_TEMPLATE_BYTES + 1)
    return out


def _rows(templates) -> list[dict]:
    return [{"kind": kind, "label": kind_label(kind), "layer": LAYER_NAMES[t.layer], "own": t.layer != DEFAULT}
            for kind, t in templates.items()]


def _index_with(campaign: Campaign, problems: list[str]):
    return render_template("kind_templates.html", campaign=campaign, rows=_rows(templates_in_force(campaign.id)),
                           errors=problems), 400
