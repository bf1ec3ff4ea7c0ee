"""The whole yearly cycle in Chromium (issues 14 and 24): a province whose 2026 campaign is finished —
five units, four sở and a phường — makes its 2027 campaign with "Tạo năm sau", adds a sở that is
evaluated for the first time (from the units sheet, with its account: it lands on its own home page),
and every step after that is taken in the browser by the person whose step it is, each with an
account the Sở Nội vụ created in the workspace (one by one and from a sheet), each changing the
initial password at first log-in. Each submission goes to the leader of the issuing agency (the
Sở's for its acts, the UBND's for the province's); the Sở Nội vụ registers the certificates and links
each leader to the person they sign as; the letters to the units are signed, sealed and sent as a
list. The plan and the council are edited; the Tờ trình, the Kế hoạch (numbered by the UBND's
office) and the Hướng dẫn go through approval and issue; the units are told the self-assessment
opened, score and send their reports; the appraising agency and the Sở Nội vụ score round 1; the
letter asking for explanations is issued from the per-unit list; the unit explains; round 2; the
survey is entered; the Tổ Thư ký records the meeting; results are computed; every kind renders (the
per-unit kinds for one unit) with no error page; the Biên bản, the Tờ trình and the Quyết định công bố
are issued; the unit reads its published result. The workspace's clock moves through 2027 as the
steps do. Screenshots of every role's home page go to out/screenshots/cycle-*.png.
"""
import datetime as dt
import json
import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from fixtures import FIXTURES_DIR
from service.documents import KINDS
from service.store.campaigns import ensure_organisation, save_campaign
from service.store.users import create_user
from service.web import create_app
from tests.test_browser import CHROMIUM, FLAGS, SHOTS, browser, pytestmark  # noqa: F401  (the shared browser)

ORG = "ninh-binh"
OLD, NEW = "ninh-binh-2026", "ninh-binh-2027"
UNITS = {"sxd": "Sở Xây dựng", "stp": "Sở Tư pháp", "syt": "Sở Y tế", "sct": "Sở Công Thương",
         "phuong-tam-diep": "Ủy ban nhân dân phường Tam Điệp"}
#: The sở evaluated for the first time in 2027, added by the Sở Nội vụ from the units sheet.
NEW_UNIT = ("sngv", "Sở Ngoại vụ", "songoaivu")
EVERY_UNIT = {**UNITS, NEW_UNIT[0]: NEW_UNIT[1]}
ADMIN_PASSWORD = "Snv-ninh-binh-2027"
NEW_PASSWORD = "Mat-khau-moi-2027"
#: The workspace's clock (Asia/Ho_Chi_Minh 09:00 of the day the walk is at).
CLOCK = {"day": dt.date(2027, 1, 5)}


def _small_2026() -> dict:
    """Ninh Bình's finished 2026 campaign kept to three units (their scores, survey and last results)."""
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    for group in data["groups"]:
        group["units"] = [u for u in group["units"] if u["id"] in UNITS]
    for key in ("assessments", "survey_answers", "previous_results"):
        data[key] = [row for row in data[key] if row["unit"] in UNITS]
    return data


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The province's CA (trusted by the workspace) and the certificates the walk registers: the Phó
    Giám đốc who signs the letters, and the Sở Nội vụ's seal. {name: (.p12 path, .cer path)}."""
    from service.signing.demo_pki import DEMO_PASSWORD, issue, load_or_make_ca
    folder = tmp_path_factory.mktemp("ky-so")
    ca, ca_path = load_or_make_ca(folder)
    out = {"ca": ca_path}
    for key, name in (("pgd", "Lê Văn Hùng"), ("snv", "Sở Nội vụ")):
        party = issue(ca, name, "Sở Nội vụ tỉnh Ninh Bình")
        (folder / f"{key}.p12").write_bytes(party.p12(DEMO_PASSWORD))
        (folder / f"{key}.cer").write_bytes(party.pem)
        out[key] = (str(folder / f"{key}.p12"), str(folder / f"{key}.cer"))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory, pki):
    folder = tmp_path_factory.mktemp("cycle")
    app = create_app(f"sqlite:///{folder / 'cchc.sqlite3'}", secret_key="cycle-test")
    app.config["CCHC_TRUST_BUNDLE"] = pki["ca"]
    app.config["CCHC_NOW"] = lambda: dt.datetime.combine(CLOCK["day"], dt.time(2, 0), tzinfo=dt.timezone.utc)
    engine = app.extensions["cchc_engine"]
    ensure_organisation(engine, ORG, "Tỉnh Ninh Bình")
    save_campaign(engine, _small_2026(), "test", ORG)
    create_user(engine, "snv", ADMIN_PASSWORD, "Phòng Cải cách hành chính, Sở Nội vụ", "admin", organisation_id=ORG,
                campaign_id=OLD)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    engine.dispose()


class Person:
    """One person's browser (own cookies), logged in once for the whole walk."""

    def __init__(self, browser, server, username, password, *, first_time=True):
        self.server, self.username = server, username
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        self.page = self.context.new_page()
        self.asked: list[str] = []                         # the confirmations the pages asked (walk U31)
        self.page.on("dialog", lambda dialog: (self.asked.append(dialog.message), dialog.accept()))
        self.page.goto(f"{server}/dang-nhap")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        if first_time:                                      # the initial password must be changed at once
            assert self.page.get_by_role("heading", level=1).inner_text() == "Đổi mật khẩu"
            self.page.get_by_label("Mật khẩu hiện tại").fill(password)
            self.page.locator("#moi").fill(NEW_PASSWORD)
            self.page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
            self.page.get_by_role("button", name="Đổi mật khẩu").click()
            assert "Đổi mật khẩu" != self.page.get_by_role("heading", level=1).first.inner_text()

    def go(self, path: str):
        self.page.goto(self.server + path)
        assert not self.page.title().startswith("Lỗi"), self.page.inner_text("main")[:500]
        return self.page

    def home(self, shot: str):
        page = self.go(f"/chien-dich/{NEW}")
        page.screenshot(path=str(SHOTS / f"cycle-{shot}.png"), full_page=True)
        return page

    def flash(self) -> str:
        return self.page.locator(".flash").first.inner_text()


def _step(person: Person, kind: str, button: str, comment: str | None = None, unit: str | None = None) -> str:
    page = person.go(f"/chien-dich/{NEW}/van-ban/{kind}" + (f"/{unit}" if unit else "") + ".html")
    if comment:
        page.get_by_label("Ý kiến gửi lãnh đạo (nếu có)").fill(comment)
    page.get_by_role("button", name=button, exact=True).click()
    return page.locator("#buoc").inner_text()


def _issue(vanthu: Person, kind: str, number: int | None = None, day: str | None = None) -> str:
    page = vanthu.go(f"/chien-dich/{NEW}/van-ban/{kind}.html")
    if number is not None:
        page.get_by_label("Số do Văn phòng cấp").fill(str(number))
        page.get_by_label("Ngày", exact=True).fill(day)
    page.get_by_label("Tôi xác nhận ban hành (cấp số không làm lại được)").check()
    page.locator("#ban-hanh").get_by_role("button", name="Ban hành").click()
    assert page.locator("#buoc").inner_text() == "Đã ban hành", page.inner_text("main")[:800]
    return page.locator(".flash").first.inner_text()


def _through_approval(admin, leader, vanthu, kind, number=None, day=None) -> str:
    assert _step(admin, kind, "Trình lãnh đạo duyệt", "Kính trình lãnh đạo Sở xem xét") == "Chờ lãnh đạo duyệt"
    assert _step(leader, kind, "Duyệt") == "Đã duyệt"
    return _issue(vanthu, kind, number, day)


def _letters_in_bulk(admin: Person, leader: Person, vanthu: Person, kind: str, names: list[str],
                     pki: dict | None = None) -> None:
    """Letters to units through the per-unit list: the Sở Nội vụ submits the chosen ones (to the
    leader who signs them), the leader approves everything shown, the văn thư issues them; with
    ``pki``, the leader signs them all with one .p12 opening, the văn thư seals and sends them."""
    path = f"/chien-dich/{NEW}/van-ban/{kind}/hang-loat"
    page = admin.go(path)
    for name in names:
        page.get_by_label(f"Chọn {name}", exact=True).check()
    page.get_by_role("button", name="Trình lãnh đạo duyệt các văn bản đã chọn").click()
    _all_done(page, len(names))
    page = leader.go(path)
    page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
    page.get_by_role("button", name="Duyệt các văn bản đã chọn").click()
    _all_done(page, len(names))
    page = vanthu.go(path + "?tinh-trang=Đã+duyệt")
    page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
    page.get_by_label("Tôi xác nhận ban hành (cấp số) hoặc phát hành các văn bản đã chọn (không làm lại được)").check()
    page.get_by_role("button", name="Ban hành (cấp số) các văn bản đã chọn").click()
    _all_done(page, len(names))
    if pki is None:
        return
    from fixtures import SIGNING_DIR
    from service.signing.demo_pki import DEMO_PASSWORD
    for person, p12, image, button in ((leader, pki["pgd"][0], "chu-ky-mau.png", "Ký số các văn bản đã chọn"),
                                       (vanthu, pki["snv"][0], "con-dau-mau.png",
                                        "Đóng dấu số (chữ ký số của cơ quan) các văn bản đã chọn")):
        page = person.go(path)
        page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
        page.get_by_label("Tệp .p12").set_input_files(p12)
        page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
        page.locator("input[name='anh']").set_input_files(str(SIGNING_DIR / image))
        page.get_by_label("Tôi xác nhận ký số các văn bản đã chọn").check()
        page.get_by_role("button", name=button).click()
        _all_done(page, len(names))
        page.screenshot(path=str(SHOTS / f"cycle-hang-loat-{person.username}.png"), full_page=True)
    page = vanthu.go(path)
    page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
    page.get_by_label("Tôi xác nhận ban hành (cấp số) hoặc phát hành các văn bản đã chọn (không làm lại được)").check()
    page.get_by_role("button", name="Phát hành tới Nơi nhận các văn bản đã chọn").click()
    _all_done(page, len(names))
    assert f"Đã phát hành: {len(names)}" in vanthu.go(path).locator("#tien-do").inner_text()


def _all_done(page, count: int) -> None:
    """The page's script has sent every chosen letter: its bar is full and every row succeeded."""
    page.locator("#tien-trinh span", has_text="Đã xong").wait_for(timeout=120_000)
    assert page.locator("#tien-trinh progress").evaluate("bar => [bar.value, bar.max]") == [count, count]
    results = page.locator("#ket-qua-thuc-hien").inner_text()
    assert f"Kết quả thực hiện ({count}/{count} văn bản)" in results, results[:800]


def _create_accounts(admin: Person, tmp_path) -> dict[str, str]:
    """The Sở Nội vụ makes every account of the walk: three one by one, the rest from a sheet (the
    leaders with the agency whose acts they approve); returns username → initial password as the page
    shows them (once)."""
    passwords = {}
    page = admin.go("/tai-khoan")
    for username, name, role, agency in [("gd-snv", "Giám đốc Sở Nội vụ", "Lãnh đạo", "Sở Nội vụ"),
                                         ("vt-snv", "Văn thư Sở Nội vụ", "Văn thư", None),
                                         ("ttk", "Tổ Thư ký Hội đồng thẩm định", "Tổ Thư ký", None)]:
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Họ tên (hoặc tên bộ phận)").fill(name)
        page.get_by_label("Vai trò").select_option(label=role)
        if agency:
            page.locator("select[name='co-quan']").select_option(label=agency)
        page.get_by_role("button", name="Tạo tài khoản").click()
        codes = page.locator(".flash code")
        assert codes.nth(0).inner_text() == username, page.inner_text("main")[:600]
        passwords[username] = codes.nth(1).inner_text()
    sheet = tmp_path / "tai-khoan.csv"
    sheet.write_text("Tên đăng nhập,Họ tên,Vai trò,Mã đơn vị,Mã cơ quan thẩm định,Thư điện tử\n"
                     "sxd,Văn phòng Sở Xây dựng,Đơn vị,sxd,,\n"
                     "stp,Văn phòng Sở Tư pháp,Đơn vị,stp,,\n"
                     "syt,Văn phòng Sở Y tế,Đơn vị,syt,,\n"
                     "sct,Văn phòng Sở Công Thương,Đơn vị,sct,,\n"
                     "tamdiep,Văn phòng UBND phường Tam Điệp,Đơn vị,phuong-tam-diep,,\n"
                     "td-khcn,Phòng thẩm định Sở Khoa học và Công nghệ,Cơ quan thẩm định,,skhcn,\n"
                     "pgd-snv,Phó Giám đốc Sở Nội vụ,Lãnh đạo,,snv,\n"
                     "ct-ubnd,Chủ tịch UBND tỉnh,Lãnh đạo,,ubnd-tinh,\n", encoding="utf-8")
    page.get_by_label("Tệp danh sách").set_input_files(str(sheet))
    page.get_by_role("button", name="Nhập tài khoản").click()
    rows = page.locator("#tai-khoan-moi table tr")
    expect(rows).to_have_count(9)                  # count() does not wait: the answer page may still be loading
    assert rows.count() == 9, page.inner_text("main")[:800]
    for i in range(1, 9):
        cells = rows.nth(i).locator("td")
        passwords[cells.nth(0).inner_text()] = cells.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / "cycle-tai-khoan-moi.png"), full_page=True)
    return passwords


def _add_new_unit(admin: Person, tmp_path) -> str:
    """Sở Ngoại vụ, evaluated for the first time, added with its account from the units sheet; its
    initial password."""
    unit_id, name, username = NEW_UNIT
    sheet = tmp_path / "don-vi.csv"
    sheet.write_text("Mã nhóm,Mã đơn vị,Tên đơn vị,Chữ viết tắt,Địa danh,Chức vụ người ký,Họ tên người ký,"
                     "Tên đăng nhập,Họ tên người dùng\n"
                     f"so-ban-nganh,{unit_id},{name},SNGV,Ninh Bình,Giám đốc,Nguyễn Văn An,{username},"
                     "Văn phòng Sở Ngoại vụ\n", encoding="utf-8")
    page = admin.go(f"/chien-dich/{NEW}/du-lieu")
    page.get_by_label("Tệp danh sách đơn vị").set_input_files(str(sheet))
    page.get_by_role("button", name="Nhập đơn vị").click()
    assert "Đã nhập 1 đơn vị" in admin.flash(), page.inner_text("main")[:800]
    return page.locator("table tr", has_text=username).locator("td").nth(1).inner_text()


def _signatures(admin: Person, pki: dict) -> None:
    """The Sở Nội vụ registers the Phó Giám đốc's and the Sở's certificates and links each leader's
    account to the person they sign as (the Giám đốc is also the council's vice-chair)."""
    page = admin.go(f"/chien-dich/{NEW}/chu-ky-so")
    for owner, certificate in (("Lê Văn Hùng", pki["pgd"][1]), ("Sở Nội vụ", pki["snv"][1])):
        form = page.locator("form", has=page.get_by_role("button", name="Đăng ký"))
        form.locator("select[name='nguoi']").select_option(label=owner)
        form.locator("input[name='tep']").set_input_files(certificate)
        form.get_by_role("button", name="Đăng ký").click()
        assert "Đã đăng ký" in admin.flash(), page.inner_text("main")[:800]
    for person, account in (("Lê Văn Hùng", "Phó Giám đốc Sở Nội vụ (pgd-snv)"),
                            ("Đinh Thị Thu Hà", "Giám đốc Sở Nội vụ (gd-snv)")):
        page.get_by_label(f"Tài khoản ký của {person}").select_option(label=account)
        page.get_by_label(f"Tài khoản ký của {person}").locator("xpath=..").get_by_role("button", name="Gắn").click()
        assert admin.flash().startswith("Đã"), page.inner_text("main")[:800]
    page.screenshot(path=str(SHOTS / "cycle-chu-ky-so.png"), full_page=True)


def _self_assess(unit: Person, unit_id: str, number: int, weak: bool = False) -> int:
    """The unit scores every criterion at its maximum (``weak``: every other one at 0) from its
    home page and sends the report."""
    page = unit.home(f"don-vi-{unit_id}")
    todo = page.locator("#viec-can-lam").inner_text()
    assert "Tự đánh giá, chấm điểm và gửi Báo cáo tự đánh giá trước hết ngày 31/10/2027" in todo, todo
    page.locator("#viec-can-lam").get_by_role("link", name="Mở bảng tự đánh giá").click()
    page.wait_for_url("**/tu-danh-gia")
    page.wait_for_load_state()                     # count() does not wait: all the boxes, not those loaded so far
    boxes = page.locator("input[name^='diem-'][data-max]")
    count = boxes.count()
    for i in range(count):
        box = boxes.nth(i)
        box.fill("0" if weak and i % 2 else box.get_attribute("data-max").replace(".", ","))
    page.get_by_label("Số báo cáo").fill(str(number))
    page.get_by_label("Ngày báo cáo").fill(CLOCK["day"].strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Nộp báo cáo").click()
    assert "Đã nộp báo cáo tự đánh giá" in page.inner_text("main"), page.inner_text("main")[:600]
    assert unit.asked[-1].startswith("Nộp báo cáo tự đánh giá? Sau khi nộp")
    return count


def _self_score(page, code: str) -> str:
    """The unit's own score of a criterion, as the appraisal table shows it."""
    return page.locator(f"[id='tc-{code}'] td").nth(3).inner_text().strip()


def _round1(person: Person, unit_id: str, lowered: str | None = None) -> list[str]:
    """Round 1 of the criteria ``person`` appraises that are still empty, at the unit's own score,
    except ``lowered`` (half of it, with a remark)."""
    page = person.go(f"/chien-dich/{NEW}/don-vi/{unit_id}/tham-dinh")
    labels = page.locator("input[aria-label^='Điểm thẩm định lần 1']").evaluate_all(
        "nodes => nodes.filter(n => !n.value).map(n => n.getAttribute('aria-label'))")
    codes = [label.removeprefix("Điểm thẩm định lần 1 ") for label in labels]
    for code in codes:
        page.get_by_label(f"Điểm thẩm định lần 1 {code}", exact=True).fill(_self_score(page, code))
    if lowered is not None:
        page.get_by_label(f"Điểm thẩm định lần 1 {lowered}", exact=True).fill("0")
        page.get_by_label(f"Nhận xét {lowered}", exact=True).fill("Chưa có tài liệu kiểm chứng việc triển khai.")
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert person.flash().startswith("Đã lưu"), page.inner_text("main")[:600]
    return codes


def test_the_2027_cycle_in_the_browser(server, browser, tmp_path, pki):
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = Person(browser, server, "snv", ADMIN_PASSWORD, first_time=False)

    # — January 2027: next year's campaign from this year's, and the people who will work in it
    page = admin.go(f"/chien-dich/{OLD}/du-lieu")
    page.get_by_role("button", name="Tạo chiến dịch năm 2027").click()
    assert page.url.endswith(f"/chien-dich/{NEW}") or "2027" in page.inner_text("main")
    passwords = _create_accounts(admin, tmp_path)
    passwords[NEW_UNIT[2]] = _add_new_unit(admin, tmp_path)
    _signatures(admin, pki)
    leader = Person(browser, server, "gd-snv", passwords["gd-snv"])
    deputy = Person(browser, server, "pgd-snv", passwords["pgd-snv"])
    chairman = Person(browser, server, "ct-ubnd", passwords["ct-ubnd"])
    vanthu = Person(browser, server, "vt-snv", passwords["vt-snv"])
    secretariat = Person(browser, server, "ttk", passwords["ttk"])
    newcomer = Person(browser, server, NEW_UNIT[2], passwords[NEW_UNIT[2]])     # walk U1: straight to its home page
    assert newcomer.page.url.endswith(f"/chien-dich/{NEW}"), newcomer.page.url
    assert NEW_UNIT[1] in newcomer.page.inner_text("main")

    # — the plan and the council edited; the Tờ trình, the Kế hoạch and the Hướng dẫn issued
    CLOCK["day"] = dt.date(2027, 3, 8)
    page = admin.go(f"/chien-dich/{NEW}/soan-thao/ke-hoach")
    lead = page.locator("input[name$='-phoi-hop']").first
    lead.fill("Các sở, ban, ngành; UBND các xã, phường")
    page.get_by_role("button", name="Lưu dự thảo").click()
    assert admin.flash() == "Đã lưu dự thảo.", page.inner_text("main")[:800]
    page = admin.go(f"/chien-dich/{NEW}/soan-thao/hoi-dong")
    title = page.locator("input[name$='-chuc-vu']").first
    title.fill(title.input_value() + ", Trưởng ban Chỉ đạo cải cách hành chính tỉnh")
    page.get_by_role("button", name="Lưu thành phần").click()
    assert admin.flash() == "Đã lưu dự thảo."
    assert "Trưởng ban Chỉ đạo cải cách hành chính tỉnh" in admin.go(
        f"/chien-dich/{NEW}/van-ban/quyet-dinh-hoi-dong.html?noi-dung=1").inner_text("body")
    assert "Các sở, ban, ngành; UBND các xã, phường" in admin.go(
        f"/chien-dich/{NEW}/van-ban/ke-hoach.html?noi-dung=1").inner_text("body")
    assert "01/TTr-SNV" in _through_approval(admin, leader, vanthu, "to-trinh-ke-hoach")
    CLOCK["day"] = dt.date(2027, 3, 12)
    assert _step(admin, "ke-hoach", "Trình lãnh đạo duyệt") == "Chờ lãnh đạo duyệt"     # the UBND's act: its leader
    page = leader.go(f"/chien-dich/{NEW}/van-ban/ke-hoach.html")                       # walk U2: not the Sở's
    assert page.get_by_role("button", name="Duyệt", exact=True).count() == 0
    assert "Đã trình lãnh đạo duyệt: Chủ tịch UBND tỉnh" in page.inner_text("main"), page.inner_text("main")[:900]
    assert _step(chairman, "ke-hoach", "Duyệt") == "Đã duyệt"
    assert "130/KH-UBND" in _issue(vanthu, "ke-hoach", 130, "12/03/2027")
    CLOCK["day"] = dt.date(2027, 4, 10)            # the Hướng dẫn, each person finding it on their home page
    assert _step(admin, "huong-dan", "Trình lãnh đạo duyệt") == "Chờ lãnh đạo duyệt"
    todo = leader.home("lanh-dao-cho-duyet").locator("#viec-can-lam")
    assert "1 văn bản chờ lãnh đạo duyệt: Hướng dẫn tự đánh giá, chấm điểm" in todo.inner_text()
    todo.get_by_role("link", name="Hướng dẫn tự đánh giá, chấm điểm").click()
    leader.page.get_by_role("button", name="Duyệt", exact=True).click()
    assert leader.page.locator("#buoc").inner_text() == "Đã duyệt"
    todo = vanthu.home("van-thu-cho-ban-hanh").locator("#viec-can-lam")
    assert "1 văn bản đã duyệt, chờ cấp số ban hành: Hướng dẫn tự đánh giá, chấm điểm" in todo.inner_text()
    assert "HD-SNV" in _issue(vanthu, "huong-dan")
    todo = leader.home("lanh-dao").locator("#viec-can-lam").inner_text()       # signing is the lifecycle test's
    assert "văn bản đã ban hành, chờ lãnh đạo ký số: " in todo and "Hướng dẫn tự đánh giá, chấm điểm" in todo
    assert "Kế hoạch triển khai" not in todo, todo                 # signed at the UBND: not hers to sign

    # — October: the units, told the step opened, score and send their reports; the phường is late,
    # is reminded by the công văn đôn đốc, and sends a weak report
    CLOCK["day"] = dt.date(2027, 10, 20)
    units = {}
    accounts = [("sxd", "sxd"), ("stp", "stp"), ("syt", "syt"), ("sct", "sct"), ("phuong-tam-diep", "tamdiep")]
    for n, (unit_id, username) in enumerate(accounts + [NEW_UNIT[::2]]):
        units[unit_id] = newcomer if unit_id == NEW_UNIT[0] else Person(browser, server, username, passwords[username])
        notices = units[unit_id].go("/thong-bao").inner_text("main")
        assert "bước tự đánh giá, chấm điểm đã mở; hạn gửi Báo cáo tự đánh giá 31/10/2027" in notices
        if unit_id != "phuong-tam-diep":
            assert _self_assess(units[unit_id], unit_id, 210 + n) > 20
    CLOCK["day"] = dt.date(2027, 11, 1)
    page = admin.go(f"/chien-dich/{NEW}")
    page.get_by_role("row", name=re.compile("Công văn đôn đốc")).get_by_role("link", name="Mở văn bản").click()
    reminder = admin.go(f"/chien-dich/{NEW}/van-ban/cong-van-don-doc.html?noi-dung=1").inner_text("body")
    assert "phường Tam Điệp" in reminder and "Sở Xây dựng" not in reminder
    CLOCK["day"] = dt.date(2027, 11, 3)
    assert _self_assess(units["phuong-tam-diep"], "phuong-tam-diep", 88, weak=True) > 20

    # — November: round 1 by the appraising agency (its criteria) and the Sở Nội vụ (the rest)
    CLOCK["day"] = dt.date(2027, 11, 2)
    appraiser = Person(browser, server, "td-khcn", passwords["td-khcn"])
    page = appraiser.home("co-quan-tham-dinh")
    queue = page.locator("#viec-can-lam").inner_text()
    assert "6 đơn vị chờ thẩm định lần 1" in queue and "Sở Xây dựng" in queue and NEW_UNIT[1] in queue, queue
    assert "mở thẩm định lần 1" in appraiser.go("/thong-bao").inner_text("main")
    own = _round1(appraiser, "sxd")
    lowered = own[0]
    page = appraiser.go(f"/chien-dich/{NEW}/don-vi/sxd/tham-dinh")
    page.get_by_label(f"Điểm thẩm định lần 1 {lowered}", exact=True).fill("0")
    page.get_by_label(f"Nhận xét {lowered}", exact=True).fill("Chưa có tài liệu kiểm chứng việc triển khai.")
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert appraiser.flash().startswith("Đã lưu")
    for unit_id in EVERY_UNIT:
        if unit_id != "sxd":
            _round1(appraiser, unit_id)
    for unit_id in EVERY_UNIT:
        _round1(admin, unit_id)
    page = admin.home("so-noi-vu-tham-dinh")
    progress = page.locator("#tien-do").inner_text()
    assert "đã thẩm định lần 1: 1" in progress and "hoàn thành: 5" in progress, progress

    # — the letter asking Sở Xây dựng to explain, from the per-unit list
    _letters_in_bulk(admin, deputy, vanthu, "cong-van-ket-qua-tham-dinh", ["Sở Xây dựng"])
    vanthu.home("van-thu")

    # — the unit explains; round 2 of the explained criterion
    CLOCK["day"] = dt.date(2027, 11, 8)
    sxd = units["sxd"]
    assert "Công văn thông báo kết quả thẩm định" in sxd.go("/thong-bao").inner_text("main")
    page = sxd.home("don-vi-giai-trinh")
    assert "1 tiêu chí được thẩm định thấp hơn điểm tự đánh giá" in page.locator("#viec-can-lam").inner_text()
    page.locator("#viec-can-lam").get_by_role("link", name="Mở bảng giải trình").click()
    page.get_by_label(f"Giải trình {lowered}", exact=True).fill("Đơn vị đã ban hành Kế hoạch số 15/KH-SXD; gửi kèm bản chụp.")
    page.get_by_label("Số báo cáo (phần số, ví dụ 45)").fill("230")
    page.get_by_label("Ngày báo cáo giải trình").fill("08/11/2027")
    page.get_by_role("button", name="Gửi báo cáo giải trình").click()
    assert "Đã gửi báo cáo giải trình" in page.inner_text("main"), page.inner_text("main")[:600]
    CLOCK["day"] = dt.date(2027, 11, 12)
    page = appraiser.go(f"/chien-dich/{NEW}/don-vi/sxd/tham-dinh")
    page.get_by_label(f"Điểm thẩm định lần 2 {lowered}", exact=True).fill(_self_score(page, lowered))
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert appraiser.flash().startswith("Đã lưu"), page.inner_text("main")[:600]
    _letters_in_bulk(admin, deputy, vanthu, "thong-bao-tham-dinh-lan-2", ["Sở Xây dựng"])

    # — the survey, entered by the Sở Nội vụ for each unit
    for unit_id in EVERY_UNIT:
        page = admin.go(f"/chien-dich/{NEW}/khao-sat/{unit_id}")
        for box in page.locator("input[name^='phieu-']").all():
            box.fill("10")
        for box in page.locator("input[name^='ks-']").all():
            value = box.get_attribute("name").rsplit("-", 1)[1]
            box.fill({"1": "0", "2": "1", "3": "4", "4": "5"}.get(value, "0"))
        page.get_by_role("button", name="Lưu kết quả khảo sát").click()
        assert admin.flash().startswith("Đã lưu"), page.inner_text("main")[:800]

    # — the Tổ Thư ký records the council's meeting
    CLOCK["day"] = dt.date(2027, 11, 18)
    page = secretariat.home("to-thu-ky")
    page.locator("#viec-can-lam").get_by_role("link", name="mở trang cuộc họp").click()
    page.get_by_label("Ngày họp (dd/mm/yyyy)").fill("18/11/2027")
    page.get_by_label("Bắt đầu (giờ:phút)").fill("08:00")
    page.get_by_label("Kết thúc").fill("11:00")
    page.get_by_label("Địa điểm").fill("Phòng họp số 2, Sở Nội vụ tỉnh Ninh Bình")
    page.locator("select[name='chu-tri']").select_option(index=1)
    page.locator("select[name='thu-ky']").select_option(index=page.locator("select[name='thu-ky'] option").count() - 1)
    for box in page.locator("input[name^='co-mat-']").all():
        box.check()
    page.locator("textarea[name='ket-luan']").fill("Hội đồng thống nhất kết quả thẩm định của các cơ quan được phân công.")
    page.get_by_role("button", name="Lưu cuộc họp").click()
    assert secretariat.flash() == "Đã lưu dự thảo.", page.inner_text("main")[:800]

    # — results computed; every kind renders, the per-unit ones for Sở Xây dựng
    CLOCK["day"] = dt.date(2027, 12, 8)
    page = admin.go(f"/chien-dich/{NEW}/ket-qua")
    ranking = page.inner_text("main")
    assert all(name in ranking for name in EVERY_UNIT.values()) and "chưa có kết quả" not in ranking.lower()
    page.screenshot(path=str(SHOTS / "cycle-ket-qua.png"), full_page=True)
    listed = set(re.findall(rf"/chien-dich/{NEW}/van-ban/([a-z0-9-]+)\.html", admin.go(f"/chien-dich/{NEW}").content()))
    missing = {k for k, kind in KINDS.items() if not kind.per_unit} - listed
    assert missing == set(), f"loại văn bản không có trên trang chính: {missing}"
    for key, kind in KINDS.items():
        path = f"/chien-dich/{NEW}/van-ban/{key}" + ("/sxd" if kind.per_unit else "")
        admin.go(path + ".html")
        body = admin.go(path + ".html?noi-dung=1").inner_text("body")
        assert len(body) > 200, (key, body[:300])
        pdf = admin.context.request.get(server + path + ".pdf")
        assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-", key

    # — the Biên bản, the Tờ trình and the Quyết định công bố issued; the unit reads its result
    assert "/BB-" in _through_approval(secretariat, leader, vanthu, "bien-ban")
    assert "TTr-SNV" in _through_approval(admin, leader, vanthu, "to-trinh-ket-qua")
    CLOCK["day"] = dt.date(2027, 12, 15)
    assert "/QĐ-UBND" in _through_approval(admin, chairman, vanthu, "quyet-dinh-cong-bo", 2890, "15/12/2027")
    CLOCK["day"] = dt.date(2027, 12, 17)
    _letters_in_bulk(admin, deputy, vanthu, "thong-bao-ket-qua-chi-so", list(EVERY_UNIT.values()), pki)
    page = sxd.home("don-vi-ket-qua")
    todo = page.locator("#viec-can-lam")
    assert "Kết quả Chỉ số CCHC năm 2027 đã công bố" in todo.inner_text()
    todo.get_by_role("link", name="xem kết quả, xếp hạng và bảng điểm của đơn vị").click()
    result = page.inner_text("main")
    assert "Thông báo kết quả Chỉ số CCHC của đơn vị: Sở Xây dựng" in result
    assert page.locator("#buoc").inner_text() == "Đã phát hành" and re.search(r"Số: \d+/TB-SNV", result)
    assert "Tải lên bản đã ký" not in result                     # the Sở Nội vụ's letter: not the unit's to sign
    page.screenshot(path=str(SHOTS / "cycle-don-vi-doc-ket-qua.png"), full_page=True)
    admin.home("so-noi-vu")
    for person in [admin, leader, deputy, chairman, vanthu, secretariat, appraiser, *units.values()]:
        person.context.close()
