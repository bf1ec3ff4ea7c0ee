"""The workspace over HTTP (Flask test client) on SQLite and PostgreSQL: login, cookies, CSRF, the
dashboard, who may read which document, the JSON API's validation, errors in Vietnamese."""
import io
import html
import json
import re

import pytest

import docx

from fixtures import FIXTURES_DIR
from service.web.demo import DEMO_PASSWORD
from tests.conftest import close_app, login


def test_login_cookies_and_csrf(app):
    client = app.test_client()
    assert client.get("/chien-dich").status_code == 302
    page = client.get("/dang-nhap").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page
    response = client.post("/dang-nhap", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 400 and "mã bảo vệ (CSRF)" in response.get_data(as_text=True)
    response, _ = login(client, "admin", "sai-mat-khau")
    assert response.status_code == 400 and "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert 'value="admin"' in response.get_data(as_text=True)          # what was typed is kept
    response, _ = login(client, "admin")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_dashboard_shows_units_statuses_and_documents(app):
    client = app.test_client()
    login(client, "admin")
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    assert "Đánh giá, xác định Chỉ số cải cách hành chính năm 2026 tỉnh Ninh Bình" in page
    assert page.count('<tr data-don-vi=') == 50 and "đã thẩm định lần 1" in page
    assert "Quyết định phê duyệt và công bố Chỉ số CCHC" in page and "31/10/2026" in page
    results = client.get("/chien-dich/ninh-binh-2026/ket-qua").get_data(as_text=True)
    from data_models import load_campaign
    from service.domain.scoring import compute_campaign
    from service.vietnamese import format_number
    seventh = compute_campaign(load_campaign(FIXTURES_DIR / "ninh-binh-2026")).groups["so-ban-nganh"][6]
    assert format_number(seventh.index, 2) in results and seventh.unit_name in results and "Xếp loại" in results
    # walk finding 8: Sở Xây dựng is still at round 1: shown with its step, not ranked; the maximum explains the index
    assert 'id="ket-qua-tam-thoi"' in results and "<th>Điểm tối đa</th>" in results
    sxd = re.search(r'<tr class="pending" data-buoc="([^"]+)"><td class="num">—</td><td>Sở Xây dựng</td>', results)
    assert sxd and sxd.group(1) == "đã thẩm định lần 1"
    charts = re.findall(r'<img src="([^"]+\.png)" alt="Biểu đồ Chỉ số CCHC năm 2026: ([^"]+)"', results)
    assert [name for _, name in charts] == ["các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"]
    chart = client.get(charts[0][0])
    assert chart.status_code == 200 and chart.mimetype == "image/png" and chart.data.startswith(b"\x89PNG")
    assert client.get("/chien-dich/ha-nam-2023").status_code == 404          # another province's campaign
    other = app.test_client()
    login(other, "admin-ha-nam")
    assert "chưa nộp" in other.get("/chien-dich/ha-nam-2023").get_data(as_text=True)


def test_documents_download_and_unit_access(app):
    client = app.test_client()
    login(client, "soxaydung")
    own = client.get("/chien-dich/ninh-binh-2026/van-ban/bao-cao-tu-danh-gia/sxd.docx")
    assert own.status_code == 200 and own.mimetype.endswith("wordprocessingml.document")
    text = " ".join(p.text for p in docx.Document(io.BytesIO(own.data)).paragraphs)
    assert "Sở Xây dựng báo cáo kết quả tự đánh giá" in text
    other = client.get("/chien-dich/ninh-binh-2026/van-ban/bao-cao-tu-danh-gia/snv.pdf")
    assert other.status_code == 403 and "không có quyền" in other.get_data(as_text=True)
    assert client.get("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-cong-bo.pdf").status_code == 403
    assert client.get("/chien-dich/ninh-binh-2026/ket-qua").status_code == 403
    assert client.get("/api/campaigns/ninh-binh-2026").status_code == 403
    plan = client.get("/chien-dich/ninh-binh-2026/van-ban/ke-hoach.pdf")
    assert plan.status_code == 200 and plan.data.startswith(b"%PDF-")
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    assert page.count('<tr data-don-vi=') == 1                                # only its own unit


def test_api_validates_and_keeps_stored_data(app):
    client = app.test_client()
    _, token = login(client, "admin")
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    data["assessments"][0]["scores"][0]["self_score"] = 50
    response = client.put("/api/campaigns/ninh-binh-2026", json=data, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    body = response.get_json()
    assert body["loi"].startswith("Dữ liệu không hợp lệ")
    assert {"truong": "assessments[0].scores[0].self_score",
            "thong_bao": "điểm 50 vượt điểm tối đa 1 của tiêu chí 1.1.1"} in body["chi_tiet"]
    results = client.get("/api/campaigns/ninh-binh-2026/results").get_json()
    assert results["so-ban-nganh"][0]["xep_hang"] == 1                     # stored data unchanged and usable
    assert client.put("/api/campaigns/ninh-binh-2026", data="{không phải json", content_type="application/json",
                      headers={"X-CSRF-Token": token}).status_code == 400
    assert client.put("/api/campaigns/ninh-binh-2026", json=data).status_code == 400           # no CSRF header
    assert client.get("/api/khong-co").get_json() == {"loi": "Không tìm thấy trang hoặc dữ liệu yêu cầu."}
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/campaigns/{id}/results" in spec["paths"]


def test_openapi_describes_every_api_route_and_method(app):
    """Generated from the route table: a route added without its description fails here."""
    import re
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    names = {"campaign_id": "id", "unit_id": "unit", "version_id": "version", "job_id": "job", "entry_id": "entry",
             "user_id": "user"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        documented = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + names.get(m[1], m[1]) + "}", rule.rule)
        variants = [documented.replace(".{fmt}", f".{fmt}") for fmt in ("pdf", "docx")] if "{fmt}" in documented else [documented]
        for path in variants:
            assert path in paths, path
            assert {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}} <= set(paths[path]), path


def test_an_app_made_again_builds_the_same_links(app, demo_database):
    """The URL builders are shared by the apps of a process (``_BuiltOnceRule``): a second app builds
    every route's link exactly as werkzeug's own rules do, converters and defaults included."""
    from werkzeug.routing import IntegerConverter, Map, Rule
    from service.web import create_app
    again = create_app(demo_database, testing=True, secret_key="test-secret")
    try:
        plain = Map([Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods)
                     for r in app.url_map.iter_rules()], converters=app.url_map.converters)
        ours, theirs = again.url_map.bind("localhost"), plain.bind("localhost")
        built = 0
        for rule in again.url_map.iter_rules():
            values = {name: 17562 if isinstance(c, IntegerConverter) else "ninh-binh-2026"
                      for name, c in rule._converters.items()}
            values["trang"] = 2                                      # an unknown argument: the query string
            assert ours.build(rule.endpoint, values) == theirs.build(rule.endpoint, values), rule.rule
            built += 1
        assert built == len(list(app.url_map.iter_rules())) > 100
        assert ours.build("views.dashboard", {"campaign_id": "ninh-binh-2026", "trang": 2}) == \
            "/chien-dich/ninh-binh-2026?trang=2"
        assert ours.build("accounts.history", {"user_id": 7}) == "/tai-khoan/7/lich-su"
    finally:
        close_app(again)


def test_huge_payload_is_refused(app):
    client = app.test_client()
    _, token = login(client, "admin")
    response = client.put("/api/campaigns/ninh-binh-2026", data=b"x" * (21 * 1024 * 1024),
                          content_type="application/json", headers={"X-CSRF-Token": token})
    assert response.status_code == 413 and "quá lớn" in response.get_json()["loi"]


NEW_KINDS = ["giay-moi-hop-to-thu-ky", "quyet-dinh-quy-che", "cong-van-chan-chinh", "ke-hoach-dieu-tra-xhh",
             "thong-bao-tham-dinh-lan-2/sxd", "thong-bao-ket-qua-chi-so/sxd"]


def test_the_new_kinds_open_in_the_workspace_and_a_unit_reads_its_result_only_once_published(app):
    """Issue 13's kinds have their page, preview and files; a unit reads its round-2 letter once issued
    (never the draft, walk U22), not another unit's, and its result letter (index, rank) only after
    the publication decision is issued."""
    base = "/chien-dich/ninh-binh-2026/van-ban/"
    staff = app.test_client()
    login(staff, "admin")
    dashboard = staff.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    for path in NEW_KINDS:
        page = staff.get(f"{base}{path}.html")
        assert page.status_code == 200 and 'id="kiem-tra-soan-thao"' in page.get_data(as_text=True), path
        assert staff.get(f"{base}{path}.pdf").data.startswith(b"%PDF-"), path
        assert f"{base}{path}.html" in dashboard, path
    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"{base}thong-bao-tham-dinh-lan-2/sxd.docx").status_code == 403       # the office's draft
    assert unit.get(f"{base}thong-bao-ket-qua-chi-so/sxd.pdf").status_code == 403          # not published yet
    assert f"{base}thong-bao-ket-qua-chi-so/sxd.html" not in unit.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    assert unit.get(f"{base}cong-van-chan-chinh.pdf").status_code == 403
    # once the letters are issued and the decision is (their states are what these read) the letters open
    import service.web.access as access_module
    original, original_issued = access_module.results_published, access_module.issued
    access_module.results_published = lambda campaign_id: True
    access_module.issued = lambda campaign, kind, unit=None: True
    try:
        own = unit.get(f"{base}thong-bao-tham-dinh-lan-2/sxd.docx")
        assert own.status_code == 200
        assert "Kết quả thẩm định lần 2" in " ".join(p.text for p in docx.Document(io.BytesIO(own.data)).paragraphs)
        assert unit.get(f"{base}thong-bao-tham-dinh-lan-2/snv.docx").status_code == 403
        opened = unit.get(f"{base}thong-bao-ket-qua-chi-so/sxd.docx")
        assert opened.status_code == 200
        assert "xếp hạng" in " ".join(p.text for p in docx.Document(io.BytesIO(opened.data)).paragraphs)
    finally:
        access_module.results_published, access_module.issued = original, original_issued


def test_the_results_say_the_index_comes_from_the_unrounded_total(app):
    """Walk U30: '85,63/98,00 → 87,37' puzzles a reader (85,63 ÷ 98 = 87,38): the page says the index is
    computed from the unrounded total, shown on the rounded one (85,625)."""
    client = app.test_client()
    login(client, "admin")
    page = client.get("/chien-dich/ninh-binh-2026/ket-qua").get_data(as_text=True)
    assert "chỉ số tính từ tổng điểm chưa làm tròn" in page
    shown = re.findall(r'<td class="num" title="Tổng điểm chưa làm tròn: (\d+,\d{3,4})">(\d+,\d\d)</td>', page)
    assert shown
    for exact, rounded in shown:
        assert round(float(exact.replace(",", ".")), 2) == float(rounded.replace(",", "."))


def test_results_of_a_campaign_nobody_has_finished_are_all_pending(app):
    """Walk finding 8 on a fresh clone: no unit is ranked or classed, no chart is drawn, no error."""
    client = app.test_client()
    _, token = login(client, "admin")
    assert client.post("/chien-dich/ninh-binh-2026/nhan-ban", data={"csrf_token": token}).status_code == 302
    page = client.get("/chien-dich/ninh-binh-2027/ket-qua")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "50 đơn vị chưa có kết quả thẩm định cuối cùng" in text
    assert text.count('class="pending"') == 50 and "<figure>" not in text
    assert client.get("/chien-dich/ninh-binh-2027/ket-qua/bieu-do/so-ban-nganh.png").status_code == 404


def test_a_unit_is_told_what_to_do_next(app):
    """Walk finding 18: the unit's home page says its next step with the deadline that applies."""
    from service.domain.status import lowered
    from data_models import load_campaign
    unit = app.test_client()
    login(unit, "soxaydung")
    page = unit.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>', page, re.S).group(0)
    count = len(lowered(load_campaign(FIXTURES_DIR / "ninh-binh-2026").assessment("sxd")))
    assert f"{count} tiêu chí được thẩm định thấp hơn điểm tự đánh giá" in box
    assert "/chien-dich/ninh-binh-2026/don-vi/sxd/giai-trinh" in box
    admin = app.test_client()
    login(admin, "admin")
    assert 'id="viec-can-lam"' not in admin.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    # on the fresh clone of next year, the same unit is asked to self-assess before the plan's deadline
    _, token = login(admin, "admin")
    assert admin.post("/chien-dich/ninh-binh-2026/nhan-ban", data={"csrf_token": token}).status_code == 302
    page = unit.get("/chien-dich/ninh-binh-2027").get_data(as_text=True)
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>', page, re.S).group(0)
    assert "gửi Báo cáo tự đánh giá trước hết ngày <strong>31/10/2027</strong>" in box


def test_the_office_lands_on_what_waits_for_it(app):
    """Walk U27: a leader, the văn thư and the drafter land on the campaigns list with 'Việc cần làm'
    across campaigns (a submission for the leader it went to, nothing for another leader), not a bare list."""
    from tests.conftest import approve, approver_of
    admin = app.test_client()
    _, token = login(admin, "admin")
    where = "/chien-dich/ninh-binh-2026/van-ban/huong-dan"
    assert admin.post(f"{where}/buoc/trinh-duyet", data={"csrf_token": token, "ly-do": "Kính trình"}).status_code == 302
    leader = approver_of(app, "ninh-binh-2026", "huong-dan")
    boss = app.test_client()
    login(boss, leader)
    landing = boss.get("/", follow_redirects=True).get_data(as_text=True)
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>', landing, re.S).group(0)
    assert "1 văn bản chờ lãnh đạo duyệt:" in box and f"{where}.html" in box and "Hướng dẫn" in box
    assert re.search(r"ninh-binh-2026\">[^<]+</a></td><td class=\"num\">1</td>", landing)
    approve(app, "ninh-binh-2026", "quyet-dinh-hoi-dong")
    clerk = app.test_client()
    login(clerk, "vanthu")
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>',
                    clerk.get("/", follow_redirects=True).get_data(as_text=True), re.S).group(0)
    assert "1 văn bản đã duyệt, chờ cấp số ban hành:" in box and "quyet-dinh-hoi-dong" in box
    unit = app.test_client()
    login(unit, "soxaydung")
    assert "Chờ bước của bạn" not in unit.get("/chien-dich").get_data(as_text=True)


def test_the_units_list_counts_each_step_and_filters(app):
    """Walk finding 21: progress by status across all units; the list filtered by status, group and a
    name typed with or without tones; a hostile query is just text."""
    client = app.test_client()
    login(client, "admin")
    base = "/chien-dich/ninh-binh-2026"
    page = client.get(base).get_data(as_text=True)
    assert "hoàn thành: 49" in page and "đã thẩm định lần 1: 1" in page
    only = client.get(base, query_string={"tinh-trang": "đã thẩm định lần 1"}).get_data(as_text=True)
    assert re.findall(r'<tr data-don-vi="([^"]+)"', only) == ["sxd"]
    assert "/chien-dich/ninh-binh-2026/don-vi.xlsx?tinh-trang=" in only            # the export keeps the filter
    found = client.get(base, query_string={"tim": "so xay dung"}).get_data(as_text=True)
    assert re.findall(r'<tr data-don-vi="([^"]+)"', found) == ["sxd"]
    xa = client.get(base, query_string={"nhom": "ubnd-xa", "tim": "PHƯỜNG"}).get_data(as_text=True)
    from service.vietnamese.collation import search_key
    names = re.findall(r'<tr data-don-vi="[^"]+"><td[^>]*>([^<]+)', xa)
    assert len(names) > 5 and all("phuong" in search_key(n) and "xã" in n or "phường" in n for n in names)
    hostile = client.get(base, query_string={"tim": "<script>&\x01" * 50})
    assert hostile.status_code == 200 and "<script>&" not in hostile.get_data(as_text=True)
    nul = client.get(base, query_string={"tim": "<script>&\x00"})                # review S11: refused at the door
    assert nul.status_code == 400 and "«tim» chứa ký tự NUL" in html.unescape(nul.get_data(as_text=True))


def test_register_and_audit_read_as_words_names_and_vietnam_time(app):
    """Walk finding 15: the register names the agency, the unit and the person; the audit log shows
    Vietnam time, Vietnamese actions and names, values without JSON braces, and filters."""
    import datetime as dt
    from tests.conftest import issue_through_the_form
    from service.store.campaigns import audit_trail
    from service.web.readable import vn_time
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    client = app.test_client()
    login(client, "admin")
    register = client.get(f"/so-dang-ky/{dt.date.today().year}").get_data(as_text=True)
    row = re.search(r"<tr><td>([^<]+)</td><td>Chung</td>.*?HD-SNV.*?</tr>", register, re.S)
    assert row and row.group(1) == "Sở Nội vụ" and "<td>Văn thư Sở Nội vụ</td>" in row.group(0)
    assert "Hướng dẫn tự đánh giá, chấm điểm" in row.group(0) and "<td>snv</td>" not in register
    audit = client.get("/nhat-ky").get_data(as_text=True)
    engine = app.extensions["cchc_engine"]
    newest = audit_trail(engine, organisation_id="ninh-binh")[-1]
    assert vn_time(newest.at) in audit and "Cấp số văn bản" in audit and "Văn bản: Duyệt" in audit
    assert '{"' not in audit and "cap-so</td>" not in audit
    only = client.get("/nhat-ky", query_string={"nguoi": "lanhdao"}).get_data(as_text=True)
    rows = re.findall(r"<tr><td class=\"num\">[^<]+</td><td>([^<]+)</td>", only)
    assert rows and len(set(rows)) == 1
    assert vn_time(dt.datetime(2026, 11, 28, 1, 47)) == "28/11/2026 08:47"

    # walk U13: objects and values in words, no paths, steps, nulls or hashes; pages of 50 rows
    unit = app.test_client()
    _, token = login(unit, "soxaydung")
    from service.store.campaigns import Change, update_campaign

    def reopen(data):
        next(a for a in data["assessments"] if a["unit"] == "sxd").pop("report")
        return [Change("ninh-binh-2026/sxd/mo-lai", "đã nộp", None)]
    update_campaign(engine, "ninh-binh-2026", reopen, "test")
    form = unit.get("/chien-dich/ninh-binh-2026/don-vi/sxd/tu-danh-gia").get_data(as_text=True)
    code = re.findall(r'name="diem-([0-9.]+)"', form)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert unit.post("/chien-dich/ninh-binh-2026/don-vi/sxd/tu-danh-gia", data={
        **fields, "csrf_token": token, f"diem-{code}": "0,5", f"tm-{code}": "Đã sửa", "hanh-dong": "luu"}).status_code == 302
    text = html.unescape(client.get("/nhat-ky").get_data(as_text=True))
    table = re.search(r'<table id="nhat-ky">(.*?)</table>', text, re.S)[1]
    assert f"Sở Xây dựng, tiêu chí {code}: điểm tự chấm" in table and f"Sở Xây dựng, tiêu chí {code}: thuyết minh" in table
    assert "Hướng dẫn tự đánh giá, chấm điểm" in table and "Cấp số văn bản" in table
    for raw in ("self_score", "explanation", "campaign/ninh-binh-2026", "ninh-binh-2026/sxd/", "null", "van-ban:", "sha256"):
        assert raw not in table, raw
    assert table.count("<tr>") <= 51
    update_campaign(engine, "ninh-binh-2026",                             # 60 audit rows: a second page
                    lambda data: [Change("ninh-binh-2026/han-bao-cao", n, n + 1) for n in range(60)], "test")
    first = client.get("/nhat-ky").get_data(as_text=True)
    assert "Trang 1/" in first and "Trang sau" in first and "trang=2" in first
    assert "Trang 2/" in client.get("/nhat-ky", query_string={"trang": 2}).get_data(as_text=True)


def test_an_appraiser_sees_its_queue(app):
    """Issue 14, item 3: the appraiser's home page lists the units waiting for its round 1 or round 2,
    counted from its own criteria (none in the finished demo; one once a score of its scope is missing)."""
    import copy
    import datetime as dt
    from data_models import parse_campaign
    from service.domain.status import appraisal_queue
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    day = dt.date(2026, 11, 28)
    assert appraisal_queue(parse_campaign(data), "skhcn", day) == {"lan-1": [], "lan-2": []}
    changed = copy.deepcopy(data)
    sxd = next(a for a in changed["assessments"] if a["unit"] == "sxd")
    criteria = parse_campaign(data).criteria_for("so-ban-nganh")
    own = [code for code, (agency, _) in criteria.appraisers().items() if agency == "skhcn"]
    score = next(s for s in sxd["scores"] if s["code"] in own and s.get("round1") is not None
                 and not (s.get("round1") < s.get("self_score", 0)))
    score.pop("round1")
    assert appraisal_queue(parse_campaign(changed), "skhcn", day)["lan-1"] == ["sxd"]
    assert appraisal_queue(parse_campaign(changed), "stp", day)["lan-1"] == []           # not its criteria
    client = app.test_client()
    login(client, "thamdinh")
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>', page, re.S).group(0)
    assert "Không có đơn vị nào đang chờ thẩm định các tiêu chí của cơ quan." in box
    from service.store.campaigns import Change, update_campaign

    def unscore(stored):
        target = next(a for a in stored["assessments"] if a["unit"] == "sxd")
        next(s for s in target["scores"] if s["code"] == score["code"]).pop("round1")
        return [Change("ninh-binh-2026/sxd/tham-dinh", None, "bỏ điểm")]
    update_campaign(app.extensions["cchc_engine"], "ninh-binh-2026", unscore, "test")
    page = client.get("/chien-dich/ninh-binh-2026").get_data(as_text=True)
    box = re.search(r'<div class="flash" id="viec-can-lam".*?</div>', page, re.S).group(0)
    assert "1 đơn vị chờ thẩm định lần 1:" in box and "/chien-dich/ninh-binh-2026/don-vi/sxd/tham-dinh" in box


def test_the_units_list_and_the_register_go_to_excel(app):
    """Issue 14, item 3: the lists a clerk files — the units as filtered (a unit account gets only its
    own), and the register with names — download as .xlsx that opens in openpyxl."""
    import datetime as dt
    from openpyxl import load_workbook
    from tests.conftest import issue_through_the_form
    client = app.test_client()
    login(client, "admin")
    sheet = client.get("/chien-dich/ninh-binh-2026/don-vi.xlsx", query_string={"nhom": "ubnd-xa"})
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert sheet.status_code == 200 and rows[1] == ("Nhóm", "Đơn vị", "Tình trạng", "Báo cáo tự đánh giá (số, ngày)")
    assert len(rows) == 2 + 30 and all(r[0] == "Ủy ban nhân dân các xã, phường" for r in rows[2:])
    unit = app.test_client()
    login(unit, "soxaydung")
    own = list(load_workbook(io.BytesIO(unit.get("/chien-dich/ninh-binh-2026/don-vi.xlsx").data)).active.iter_rows(values_only=True))
    assert [r[1] for r in own[2:]] == ["Sở Xây dựng"]
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    register = client.get(f"/so-dang-ky/{dt.date.today().year}.xlsx")
    lines = list(load_workbook(io.BytesIO(register.data)).active.iter_rows(values_only=True))
    assert any(r[0] == "Sở Nội vụ" and r[1].endswith("/HD-SNV") and r[5] == "Văn thư Sở Nội vụ" for r in lines[2:])
    # issue 27: the register carries ND30 Phụ lục VI's fields of each issued document
    assert list(lines[1][7:]) == ["Tên loại và trích yếu nội dung", "Người ký", "Chức vụ người ký", "Nơi nhận",
                                  "Đơn vị soạn thảo", "Số lượng bản", "Số trang", "Mã định danh văn bản"]
    guide = next(r for r in lines[2:] if r[1].endswith("/HD-SNV"))
    assert guide[7].startswith("Hướng dẫn ") and "Chỉ số cải cách hành chính" in guide[7]
    assert guide[8] and "GIÁM ĐỐC" in guide[9] and "Các cơ quan, đơn vị được đánh giá" in guide[10] and guide[11] == "CCHC"
    assert int(guide[12]) > 1 and int(guide[13]) >= 1 and guide[14].startswith("000.DT.02.NB,")
    assert unit.get(f"/so-dang-ky/{dt.date.today().year}.xlsx").status_code == 403


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_a_units_report_date_is_written_dd_mm_yyyy(app):
    """Walk U30: the form said 'ngày 8/12/2026'."""
    client = app.test_client()
    login(client, "soxaydung")
    page = client.get("/chien-dich/ninh-binh-2026/don-vi/sxd/tu-danh-gia").get_data(as_text=True)
    assert re.search(r"Báo cáo số \d+, ngày \d{2}/\d{2}/\d{4}", page)
    from data_models.document import PartialDate
    from service.web import day_month_year
    assert day_month_year(PartialDate(year=2026, month=12, day=8)) == "08/12/2026"
    assert day_month_year(PartialDate(year=2026, month=3)) == "tháng 03/2026"
