"""Who may do what, generated from the route table: every rule and method of the app × anonymous,
every role of Ninh Bình, the system administrator, another province's Sở Nội vụ and a unit of another
province with the same unit id — on SQLite and PostgreSQL. A route without a line in RULES fails the
test, so a new route cannot be forgotten.

Outcome classes, not business results: an actor 'allowed' gets anything but 401/403/404 or the log-in
redirect; a refused actor gets 403 (its province, not its role) or 404 (another province: the campaign
does not exist for it); nobody ever gets a 500."""
import json
import re

import pytest

from service.store.campaigns import update_campaign
from service.store.api_tokens import create_token
from service.store.evidence import store_evidence_file
from service.store.issuing import issued_versions
from service.store.register import register_entries
from service.store.users import create_user
from service.web.demo import DEMO_PASSWORD
from tests.conftest import blank_pdf, issue_through_the_form, login, sign_through_the_form

C = "ninh-binh-2026"
STAFF = {"admin", "leader", "leader_ubnd", "vanthu", "secretariat"}
PROVINCE = STAFF | {"appraiser", "unit"}
EVERYONE = PROVINCE | {"system", "other_admin", "other_unit"}
ACCOUNTS = {"admin": "admin", "leader": "lanhdao", "leader_ubnd": "pct-ubnd", "vanthu": "vanthu", "secretariat": "thuky", "appraiser": "thamdinh",
            "unit": "soxaydung", "system": "quantri", "other_admin": "admin-ha-nam", "other_unit": "sxd-hanam"}
PUBLIC = "public"   # no log-in needed

# rule → method → [(label, path arguments, allowed actors)]; arguments default to SAMPLE below.
RULES = {
    "/": {"GET": [("", {}, EVERYONE)]},
    "/dang-nhap": {"GET": [("", {}, PUBLIC)], "POST": [("", {}, PUBLIC)]},
    "/dang-xuat": {"POST": [("", {}, EVERYONE)]},
    "/doi-mat-khau": {"GET": [("", {}, EVERYONE)], "POST": [("", {}, EVERYONE)]},
    "/static/<path:filename>": {"GET": [("", {"filename": "forms.js"}, PUBLIC)]},
    "/api/openapi.json": {"GET": [("", {}, PUBLIC)]},
    "/chien-dich": {"GET": [("", {}, EVERYONE)]},
    "/api/campaigns": {"GET": [("", {}, EVERYONE)]},
    "/api/verify": {"POST": [("", {}, EVERYONE)]},
    "/nhat-ky": {"GET": [("", {}, {"admin", "other_admin"})]},
    "/thong-bao": {"GET": [("", {}, EVERYONE)]},
    "/so-dang-ky": {"GET": [("", {}, {"admin", "vanthu", "leader", "other_admin"})]},
    "/so-dang-ky/<int:year>": {"GET": [("", {}, {"admin", "vanthu", "leader", "other_admin"})]},
    "/so-dang-ky/huy/<int:entry_id>": {"POST": [("", {}, {"admin", "vanthu"})]},
    "/so-dang-ky/<int:year>.xlsx": {"GET": [("", {}, {"admin", "vanthu", "leader", "other_admin"})]},
    "/chien-dich/<campaign_id>/don-vi.xlsx": {"GET": [("", {}, PROVINCE)]},
    "/tai-khoan": {"GET": [("", {}, {"admin", "other_admin"})], "POST": [("", {}, {"admin", "other_admin"})]},
    "/tai-khoan/<int:user_id>/dat-lai-mat-khau": {"POST": [("", {}, {"admin"})]},
    "/tai-khoan/<int:user_id>/lich-su": {"GET": [("", {}, {"admin"})]},
    "/tai-khoan/nhap": {"POST": [("", {}, {"admin", "other_admin"})]},
    "/tai-khoan/ma-truy-cap": {"GET": [("", {}, EVERYONE - {"system"})], "POST": [("", {}, EVERYONE - {"system"})]},
    "/tai-khoan/ma-truy-cap/<int:token_id>/thu-hoi": {"POST": [("", {}, {"admin"})]},
    "/tai-khoan/<int:user_id>/trang-thai": {"POST": [("", {}, {"admin"})]},
    "/tai-khoan/ky-tu-xa/xac-nhan": {"POST": [("", {}, {"leader", "leader_ubnd", "vanthu", "secretariat"})]},
    "/he-thong": {"GET": [("", {}, {"system"})], "POST": [("", {}, {"system"})]},
    "/chien-dich/<campaign_id>": {"GET": [("", {}, PROVINCE)]},
    "/chien-dich/<campaign_id>/ket-qua": {"GET": [("before publication", {}, STAFF)]},
    "/chien-dich/<campaign_id>/ket-qua/bieu-do/<group_id>.png": {"GET": [("", {}, STAFF)]},
    "/api/campaigns/<campaign_id>": {"GET": [("", {}, STAFF)], "PUT": [("", {}, {"admin"})]},
    "/api/campaigns/<campaign_id>/results": {"GET": [("", {}, STAFF)]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/self-assessment": {"PUT": [
        ("own", {"unit_id": "sxd"}, {"admin", "unit"}), ("other", {"unit_id": "snv"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/explanation": {"PUT": [
        ("own", {"unit_id": "sxd"}, {"admin", "unit"}), ("other", {"unit_id": "snv"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/appraisal": {"PUT": [("", {"unit_id": "sxd"}, {"admin", "appraiser"})]},
    "/chien-dich/<campaign_id>/van-ban/<kind>.<fmt>": {"GET": [
        ("public kind", {"kind": "ke-hoach"}, PROVINCE),
        ("staff kind", {"kind": "quyet-dinh-cong-bo"}, STAFF)]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/<unit>.<fmt>": {"GET": [
        ("own unit", {"kind": "bao-cao-tu-danh-gia", "unit": "sxd"}, PROVINCE),
        ("appraised unit", {"kind": "bao-cao-tu-danh-gia", "unit": "snv"}, STAFF | {"appraiser"}),
        ("letter to a unit", {"kind": "cong-van-ket-qua-tham-dinh", "unit": "snv"}, STAFF)]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/ban-hanh": {"POST": [("", {"kind": "to-trinh-ke-hoach"}, {"vanthu"})]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/buoc/<action>": {"POST": [
        ("submit", {"kind": "to-trinh-hoi-dong", "action": "trinh-duyet"}, {"admin"}),
        # authority: the Sở's act goes to the Sở's director, the province's to the UBND's vice-chair it names
        ("authority: the Sở's act", {"kind": "to-trinh-ke-hoach", "action": "duyet"}, {"leader"}),
        ("authority: the UBND's act", {"kind": "quyet-dinh-hoi-dong", "action": "tra-lai"}, {"leader_ubnd"})]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/<unit>/buoc/<action>": {"POST": [
        ("submit", {"kind": "cong-van-ket-qua-tham-dinh", "unit": "snv", "action": "trinh-duyet"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/documents": {"GET": [("", {}, PROVINCE)]},
    "/api/campaigns/<campaign_id>/documents/<kind>": {"GET": [
        ("public kind", {"kind": "ke-hoach"}, PROVINCE), ("staff kind", {"kind": "quyet-dinh-cong-bo"}, STAFF)]},
    "/api/campaigns/<campaign_id>/documents/<kind>/issued.<fmt>": {"GET": [("public kind", {"kind": "huong-dan"}, PROVINCE)]},
    "/api/campaigns/<campaign_id>/documents/<kind>/issue": {"POST": [("", {"kind": "to-trinh-ket-qua"}, {"vanthu"})]},
    "/api/campaigns/<campaign_id>/documents/<kind>/steps/<action>": {"POST": [
        ("submit", {"kind": "to-trinh-ket-qua", "action": "trinh-duyet"}, {"admin"}),
        ("authority: the UBND's act", {"kind": "quyet-dinh-hoi-dong", "action": "duyet"}, {"leader_ubnd"}),
        ("authority: the Sở's act", {"kind": "to-trinh-ke-hoach", "action": "tra-lai"}, {"leader"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/assessment": {"GET": [
        ("own", {"unit_id": "sxd"}, STAFF | {"unit"}), ("other", {"unit_id": "snv"}, STAFF)]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/gia-han": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/xep-hang": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/chien-dich/<campaign_id>/chu-ky-so": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/chu-ky-so/chung-thu": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/chu-ky-so/tai-khoan": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/chu-ky-so/tu-xa": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/hang-loat": {
        "GET": [("", {"kind": "cong-van-ket-qua-tham-dinh"}, {"admin", "leader", "vanthu"})],
        "POST": [("", {"kind": "cong-van-ket-qua-tham-dinh"}, {"admin", "leader", "vanthu"})]},
    "/chien-dich/<campaign_id>/van-ban/<kind>/<unit>/ban-hanh": {"POST": [
        ("", {"kind": "cong-van-ket-qua-tham-dinh", "unit": "snv"}, {"vanthu"})]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>.<fmt>": {"GET": [("public kind", {}, PROVINCE)]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/da-ky.pdf": {"GET": [("public kind", {}, PROVINCE)]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/ky-so": {"POST": [
        ("authority: only the people the signature block names, and the văn thư", {}, {"leader", "vanthu"})]},
    "/api/campaigns/<campaign_id>/versions/<int:version_id>/signatures": {"GET": [("public kind", {}, PROVINCE)]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/chu-ky": {"GET": [("public kind", {}, PROVINCE)]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/tu-danh-gia": {
        "GET": [("own", {"unit_id": "sxd"}, STAFF | {"unit"}), ("other", {"unit_id": "snv"}, STAFF)],
        "POST": [("own", {"unit_id": "sxd"}, {"admin", "unit"}), ("other", {"unit_id": "snv"}, {"admin"})]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/tu-danh-gia/tra-lai": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/giai-trinh": {
        "GET": [("own", {"unit_id": "sxd"}, STAFF | {"unit"}), ("other", {"unit_id": "snv"}, STAFF)],
        "POST": [("own", {"unit_id": "sxd"}, {"admin", "unit"}), ("other", {"unit_id": "snv"}, {"admin"})]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/tham-dinh": {
        "GET": [("", {"unit_id": "sxd"}, {"admin", "appraiser"})], "POST": [("", {"unit_id": "sxd"}, {"admin", "appraiser"})]},
    "/chien-dich/<campaign_id>/don-vi/<unit_id>/tai-lieu/<digest>": {"GET": [
        ("cited on the appraiser's criterion", {"unit_id": "sxd", "digest": "cited"}, STAFF | {"unit", "appraiser"}),
        ("not cited on it", {"unit_id": "sxd", "digest": "uncited"}, STAFF | {"unit"})]},
    "/chien-dich/<campaign_id>/du-lieu": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/du-lieu/nhap": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/du-lieu/don-vi": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/du-lieu/mau-don-vi.xlsx": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/khao-sat/<unit_id>": {"GET": [("", {"unit_id": "sxd"}, {"admin"})],
                                                     "POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/chien-dich/<campaign_id>/nhan-ban": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/soan-thao": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/soan-thao/ke-hoach": {"GET": [("", {}, {"admin"})], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/soan-thao/hoi-dong": {"GET": [("", {}, {"admin"})], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/soan-thao/cuoc-hop": {"GET": [("", {}, {"admin", "secretariat"})],
                                                     "POST": [("", {}, {"admin", "secretariat"})]},
    "/chien-dich/<campaign_id>/soan-thao/van-ban/<kind>": {"GET": [("", {"kind": "huong-dan"}, {"admin"})],
                                                            "POST": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>": {"GET": [("", {"kind": "huong-dan"}, {"admin"})],
                                                     "POST": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>/xem-truoc": {"GET": [("", {"kind": "huong-dan"}, {"admin"})],
                                                               "POST": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>/tai-len": {"POST": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>.txt": {"GET": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>/phien-ban/<int:template_version>": {"GET": [
        ("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>/khoi-phuc/<int:template_version>": {"POST": [
        ("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban/<kind>/mac-dinh": {"POST": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban-tinh.zip": {"GET": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/mau-van-ban-tinh": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/ho-so-tong-hop": {"GET": [("", {}, STAFF)], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/ho-so-tong-hop/<int:job_id>.zip": {"GET": [("", {}, STAFF)]},
    "/api/campaigns/<campaign_id>/dossiers": {"POST": [("", {}, {"admin"})]},
    "/api/accounts": {"GET": [("", {}, {"admin", "other_admin"})], "POST": [("", {}, {"admin", "other_admin"})]},
    "/api/register/<int:year>": {"GET": [("", {}, {"admin", "vanthu", "leader", "other_admin"})]},
    "/api/register/entries/<int:entry_id>/void": {"POST": [("", {}, {"admin", "vanthu"})]},
    "/api/campaigns/<campaign_id>/dossiers/<int:job_id>": {"GET": [("", {}, STAFF)]},
    "/api/accounts/<int:user_id>/password-reset": {"POST": [("", {}, {"admin"})]},
    "/api/accounts/<int:user_id>/status": {"POST": [("", {}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/evidence": {
        "GET": [("own", {"unit_id": "sxd"}, STAFF | {"unit", "appraiser"}),
                ("other", {"unit_id": "snv"}, STAFF | {"appraiser"})],
        "POST": [("own", {"unit_id": "sxd"}, {"admin", "unit"}), ("other", {"unit_id": "snv"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/evidence/<digest>": {"GET": [
        ("cited on the appraiser's criterion", {"unit_id": "sxd", "digest": "cited"}, STAFF | {"unit", "appraiser"}),
        ("not cited on it", {"unit_id": "sxd", "digest": "uncited"}, STAFF | {"unit"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/survey": {"GET": [("", {"unit_id": "sxd"}, STAFF)],
                                                            "PUT": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/templates": {"GET": [("", {}, {"admin"})]},
    "/api/campaigns/<campaign_id>/templates/<kind>": {"GET": [("", {"kind": "huong-dan"}, {"admin"})],
                                                      "PUT": [("", {"kind": "huong-dan"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/imports/<kind>": {"POST": [("", {"kind": "khao-sat"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/exports/don-vi.xlsx": {"GET": [("", {}, PROVINCE)]},
    "/api/campaigns/<campaign_id>/exports/mau-don-vi.xlsx": {"GET": [("", {}, {"admin"})]},
    "/api/register/<int:year>.xlsx": {"GET": [("", {}, {"admin", "vanthu", "leader", "other_admin"})]},
    "/api/campaigns/<campaign_id>/documents/<kind>/draft.<fmt>": {"GET": [
        ("public kind", {"kind": "ke-hoach"}, PROVINCE), ("staff kind", {"kind": "quyet-dinh-cong-bo"}, STAFF)]},
    "/api/notifications": {"GET": [("", {}, EVERYONE)]},
    "/api/notifications/read": {"POST": [("", {}, EVERYONE)]},
    "/api/audit": {"GET": [("", {}, {"admin", "other_admin"})]},
    "/api/campaigns/<campaign_id>/next-year": {"POST": [("", {}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/return": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/extension": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/api/campaigns/<campaign_id>/units/<unit_id>/ranking": {"POST": [("", {"unit_id": "sxd"}, {"admin"})]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/edxml": {"GET": [("", {}, {"admin", "vanthu"})]},
    "/chien-dich/<campaign_id>/ban-chinh-thuc/<int:version_id>/trang-thai": {"POST": [("", {}, {"admin", "vanthu"})]},
    "/api/campaigns/<campaign_id>/versions/<int:version_id>/edxml": {"GET": [("", {}, {"admin", "vanthu"})]},
    "/api/edxml/status": {"POST": [("", {}, {"admin", "vanthu", "other_admin"})]},
    "/chien-dich/<campaign_id>/ma-dinh-danh": {"GET": [("", {}, {"admin"})], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/luu-tru.zip": {"GET": [("", {}, {"admin", "vanthu"})]},
    "/ks": {"GET": [("", {}, PUBLIC)]},
    "/ks/<code>": {"GET": [("", {}, PUBLIC)], "POST": [("", {}, PUBLIC)]},
    "/ks/lien-ket/<link>": {"GET": [("", {}, PUBLIC)], "POST": [("", {}, PUBLIC)]},
    "/ks/thu-lao/<int:survey_id>": {"POST": [("", {}, PUBLIC)]},
    "/chien-dich/<campaign_id>/dieu-tra": {"GET": [("", {}, STAFF)], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/dieu-tra/ma-phieu": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/dieu-tra/cap-nhat": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/dieu-tra/dong": {"POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/dieu-tra/tra-loi.xlsx": {"GET": [("", {}, STAFF)]},
    "/chien-dich/<campaign_id>/dieu-tra/nhap-phieu": {"GET": [("", {}, {"admin"})], "POST": [("", {}, {"admin"})]},
    "/chien-dich/<campaign_id>/dieu-tra/nhap-tep": {"POST": [("", {}, {"admin"})]},
    "/api/campaigns/<campaign_id>/survey/progress": {"GET": [("", {}, STAFF)]},
    "/api/campaigns/<campaign_id>/versions/<int:version_id>/signed": {"POST": [
        ("authority: only the people the signature block names, and the văn thư", {}, {"leader", "vanthu"})]},
}


@pytest.fixture()
def world(app, signers):
    """The demo plus what the routes need to exist: an issued public document and its register entry,
    a unit account of Hà Nam with Ninh Bình's unit id, evidence files of Sở Xây dựng (one cited on a
    criterion Sở KH&CN appraises, one not)."""
    engine = app.extensions["cchc_engine"]
    create_user(engine, "sxd-hanam", DEMO_PASSWORD, "Sở Xây dựng Hà Nam", "unit", organisation_id="ha-nam",
                campaign_id="ha-nam-2023", unit_id="sxd")
    spare = create_user(engine, "du-phong", DEMO_PASSWORD, "Tài khoản dự phòng", "vanthu", organisation_id="ninh-binh")
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    from service.store.lifecycle import take_step
    for kind in ("to-trinh-ke-hoach", "quyet-dinh-hoi-dong"):     # submitted to the leader each names
        take_step(engine, C, kind, None, "trinh-duyet", "admin", "admin", organisation="ninh-binh")
    version = next(v for v in issued_versions(engine, C) if v.kind == "huong-dan")
    assert sign_through_the_form(app, C, version.id, signers["lanhdao"]).status_code == 302
    entry = next(e for e in register_entries(engine, version.issued_on.year, "ninh-binh") if e.kind == "huong-dan")
    png = (__import__("fixtures").SIGNING_DIR / "chu-ky-mau.png").read_bytes()
    cited = store_evidence_file(engine, C, "sxd", "bang-chung.png", png, "soxaydung", "ninh-binh")
    uncited = store_evidence_file(engine, C, "sxd", "khac.pdf", blank_pdf(), "soxaydung", "ninh-binh")

    def cite(data):
        score = next(s for a in data["assessments"] if a["unit"] == "sxd" for s in a["scores"] if s["code"] == "1.3.1")
        score["evidence"][0]["file"] = cited
        return [__import__("service.store.campaigns", fromlist=["Change"]).Change("sxd/1.3.1", None, cited)]
    update_campaign(engine, C, cite, "test")
    from service.documents.kind_templates import default_template
    from service.store.templates import save as save_template
    template = save_template(engine, "ninh-binh", C, "huong-dan", default_template("huong-dan").replace(
        "Bảo đảm việc", "Nhằm bảo đảm việc"), "admin", "thử")
    import datetime as dt
    from service.store import survey_collection
    survey_id = survey_collection.open_survey(engine, "ninh-binh", C, dt.date(2000, 1, 1), dt.date(2100, 1, 1),
                                              {("sxd", "lanh-dao-phong"): 5}, True, "admin")
    link = survey_collection.quotas_of(engine, survey_id)[0].link
    code = survey_collection.make_codes(engine, survey_id, "sxd", "lanh-dao-phong", 1)[0]
    return {"campaign_id": C, "template_version": template.id, "survey_id": survey_id, "link": link, "code": code, "unit_id": "sxd", "unit": "sxd", "kind": "ke-hoach", "fmt": "pdf",
            "group_id": "so-ban-nganh", "year": version.issued_on.year, "version_id": version.id,
            "entry_id": entry.id, "digest": {"cited": cited, "uncited": uncited}, "filename": "forms.js",
            "user_id": spare, "token_id": create_token(engine, "du-phong", operator=True, actor="test")[0], "job_id": _finished_dossier(engine)}


def _finished_dossier(engine) -> int:
    """A dossier of Ninh Bình already made (its ZIP is what the download route serves)."""
    from service.jobs.tasks import DOSSIER
    from service.store import jobs
    job_id = jobs.create_job(engine, DOSSIER, "ninh-binh", C, "admin")
    jobs.start_job(engine, job_id)
    jobs.finish_job(engine, job_id, b"PK\x05\x06" + bytes(18))
    return job_id


def _url(rule: str, args: dict) -> str:
    """The rule with its arguments filled in."""
    def value(match):
        name = match.group(1).split(":")[-1]
        return str(args[name])
    return re.sub(r"<([^>]+)>", value, rule)


def _anonymous_token(client) -> str:
    """A visitor's CSRF token (from the log-in page), so that refusals test log-in, not CSRF."""
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True))[1]


def _clients(app):
    anon = app.test_client()
    clients = {"anon": (anon, _anonymous_token(anon))}
    for actor, username in ACCOUNTS.items():
        client = app.test_client()
        response, token = login(client, username)
        assert response.status_code == 302, username
        clients[actor] = (client, token)
    return clients


def _request(client, token, method, url, campaign_json):
    if method == "GET":
        return client.get(url)
    if method == "PUT":
        body = campaign_json if url.endswith(C) else {}
        return client.put(url, json=body, headers={"X-CSRF-Token": token or ""})
    if url.startswith("/api/campaigns/"):
        return client.post(url, json={}, headers={"X-CSRF-Token": token or ""})
    return client.post(url, data={"csrf_token": token or ""})


def _refused(actor: str, response, url: str) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return actor == "anon" and response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


for _methods in RULES.values():
    for _cases in _methods.values():
        for _n, (_label, _args, _allowed) in enumerate(_cases):
            if _allowed != PUBLIC and "leader" in _allowed and not _label.startswith("authority"):
                _cases[_n] = (_label, _args, set(_allowed) | {"leader_ubnd"})


def test_every_route_has_its_line(app):
    rules = {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}
    listed = {(rule, method) for rule, methods in RULES.items() for method in methods}
    assert rules - listed == set(), "route chưa có trong bảng quyền RULES của test_access.py"
    assert listed - rules == set(), "bảng quyền RULES có route không còn tồn tại"


@pytest.mark.slow
def test_route_table_access_matrix(app, world):
    campaign_json = app.test_client()
    _, token = login(campaign_json, "admin")
    body = campaign_json.get(f"/api/campaigns/{C}").get_json()
    clients = _clients(app)
    failures = []
    for rule, methods in RULES.items():
        for method, cases in methods.items():
            for label, overrides, allowed in cases:
                args = {**world, **overrides, "digest": world["digest"][overrides.get("digest", "cited")]}
                url = _url(rule, args)
                for actor in ["anon", *ACCOUNTS]:
                    client, token = clients[actor]
                    if rule == "/dang-xuat":           # logging out needs a session of its own
                        client = app.test_client()
                        token = login(client, ACCOUNTS[actor])[1] if actor != "anon" else _anonymous_token(client)
                    response = _request(client, token, method, url, body)
                    should = allowed == PUBLIC or actor in allowed
                    refused = _refused(actor, response, url)
                    if response.status_code >= 500:
                        failures.append(f"{actor} {method} {url} ({label}): {response.status_code}")
                    elif should == refused:
                        failures.append(f"{actor} {method} {url} ({label}): {response.status_code}, "
                                        f"muốn {'được phép' if should else 'bị từ chối'}")
                    elif refused and actor.startswith("other") and "<campaign_id>" in rule and response.status_code != 404:
                        failures.append(f"{actor} {method} {url}: {response.status_code}, muốn 404 (tỉnh khác)")
    assert failures == [], "\n".join(failures)


def test_other_province_cannot_write_or_see(app, world):
    """The attack of the security run: a Ninh Bình unit and appraiser write into Hà Nam 2023 (H2)."""
    engine = app.extensions["cchc_engine"]
    before = app.test_client()
    login(before, "admin-ha-nam")
    stored = before.get("/api/campaigns/ha-nam-2023").get_json()
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    response = unit.put("/api/campaigns/ha-nam-2023/units/sxd/explanation", headers={"X-CSRF-Token": unit_token},
                        json={"scores": [{"code": "1.1.2", "response": "Giải trình giả mạo từ tài khoản Ninh Bình"}]})
    assert response.status_code == 404
    appraiser = app.test_client()
    _, appraiser_token = login(appraiser, "thamdinh")
    response = appraiser.put("/api/campaigns/ha-nam-2023/units/snv/appraisal", headers={"X-CSRF-Token": appraiser_token},
                             json={"scores": [{"code": "1.3.1", "round1": "0", "remark": "Chấm bởi tỉnh khác"}]})
    assert response.status_code == 404
    assert before.get("/api/campaigns/ha-nam-2023").get_json() == stored
    assert [c["id"] for c in unit.get("/api/campaigns").get_json()] == [C]
    assert "ha-nam-2023" not in unit.get("/chien-dich").get_data(as_text=True)
    assert unit.get("/chien-dich/ha-nam-2023/van-ban/bao-cao-tu-danh-gia/sxd.pdf").status_code == 404
    other_unit = app.test_client()
    login(other_unit, "sxd-hanam")
    assert other_unit.get(f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia").status_code == 404
    assert other_unit.get(f"/chien-dich/{C}/don-vi/sxd/tai-lieu/{world['digest']['cited']}").status_code == 404
    assert other_unit.get("/chien-dich/ha-nam-2023/don-vi/sxd/tu-danh-gia").status_code == 200
    assert audit_actors(engine, "ha-nam-2023") <= {"demo"}


def audit_actors(engine, campaign_id):
    from service.store.campaigns import audit_trail
    return {entry.actor for entry in audit_trail(engine) if campaign_id in entry.target}


def test_register_sequences_are_per_province(app):
    """Two provinces' Sở Nội vụ (both 'snv') each start at 01 (L13)."""
    from service.store.register import issue_number
    engine = app.extensions["cchc_engine"]
    first = issue_number(engine, organisation="ninh-binh", agency="snv", symbol="HD-SNV", kind="huong-dan", issued_by="a")
    second = issue_number(engine, organisation="ha-nam", agency="snv", symbol="HD-SNV", kind="huong-dan", issued_by="b")
    assert (first.number, second.number) == (1, 1)
    assert [e.number for e in register_entries(engine, first.year, "ha-nam")] == [1]


def test_appraiser_reads_only_its_scope(app, world):
    client = app.test_client()
    login(client, "thamdinh")
    dashboard = client.get(f"/chien-dich/{C}").get_data(as_text=True)
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.web.access import appraised_units
    campaign = load_campaign(FIXTURES_DIR / C)
    mine = appraised_units(campaign, "skhcn")
    assert 0 < len(mine) < len(campaign.units()) or len(mine) == len(campaign.units())
    for unit in campaign.units():
        shown = f">{unit.name}<" in dashboard
        assert shown == (unit.id in mine), unit.id
    assert client.get(f"/api/campaigns/{C}").status_code == 403
    assert client.get(f"/api/campaigns/{C}/results").status_code == 403


def test_campaign_round_trip_through_the_api_keeps_appraisal_working(app):
    """M7: GET → PUT unchanged stores the same campaign, and an appraisal save still works."""
    client = app.test_client()
    _, token = login(client, "admin")
    body = client.get(f"/api/campaigns/{C}").get_json()
    assert client.put(f"/api/campaigns/{C}", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    assert client.get(f"/api/campaigns/{C}").get_json() == body
    assert isinstance(next(s for a in body["assessments"] for s in a["scores"] if "self_score" in s)["self_score"],
                      (int, float))
    appraiser = app.test_client()
    _, atoken = login(appraiser, "thamdinh")
    response = appraiser.put(f"/api/campaigns/{C}/units/sxd/appraisal", headers={"X-CSRF-Token": atoken},
                             json={"scores": [{"code": "1.3.1", "round1": "1.5", "remark": "Thiếu tài liệu kiểm chứng"}]})
    assert response.status_code == 200, response.get_json()
    assert json.dumps(body)  # JSON all the way
