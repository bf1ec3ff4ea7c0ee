"""The whole yearly cycle in Chromium (issue 14's "done when"): a province whose 2026 campaign is
finished — three units, two sở and a phường — makes its 2027 campaign with "Tạo năm sau", and every
step after that is taken in the browser by the person whose step it is, each with an account the Sở
Nội vụ created in the workspace (one by one and from a sheet), each changing the initial password at
first log-in. The plan and the council are edited; the Tờ trình, the Kế hoạch (numbered by the UBND's
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
from werkzeug.serving import make_server

from fixtures import FIXTURES_DIR
from service.documents import KINDS
from service.store.campaigns import ensure_organisation, save_campaign
from service.store.users import create_user
from service.web import create_app
from tests.test_browser import CHROMIUM, FLAGS, SHOTS, browser, pytestmark  # noqa: F401  (the shared browser)

ORG = "ninh-binh"
OLD, NEW = "ninh-binh-2026", "ninh-binh-2027"
UNITS = {"sxd": "Sở Xây dựng", "stp": "Sở Tư pháp", "phuong-tam-diep": "Ủy ban nhân dân phường Tam Điệp"}
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
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cycle")
    app = create_app(f"sqlite:///{folder / 'cchc.sqlite3'}", secret_key="cycle-test")
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
        self.page.goto(f"{server}/dang-nhap")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        if first_time:                                      # the initial password must be changed at once
            assert self.page.get_by_role("heading", level=1).inner_text() == "Đổi mật khẩu"
            self.page.get_by_label("Mật khẩu hiện tại").fill(password)
            self.page.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill(NEW_PASSWORD)
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


def _letters_in_bulk(admin: Person, leader: Person, vanthu: Person, kind: str, names: list[str]) -> None:
    """Letters to units through the per-unit list: the Sở Nội vụ submits the chosen ones, the leader
    approves everything shown, the văn thư issues them."""
    path = f"/chien-dich/{NEW}/van-ban/{kind}/hang-loat"
    page = admin.go(path)
    for name in names:
        page.get_by_label(f"Chọn {name}", exact=True).check()
    page.get_by_role("button", name="Trình lãnh đạo duyệt các văn bản đã chọn").click()
    assert f"Kết quả thực hiện ({len(names)}/{len(names)} văn bản)" in page.inner_text("main"), page.inner_text("main")[:800]
    page = leader.go(path)
    page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
    page.get_by_role("button", name="Duyệt các văn bản đã chọn").click()
    assert f"Kết quả thực hiện ({len(names)}/{len(names)} văn bản)" in page.inner_text("main"), page.inner_text("main")[:800]
    page = vanthu.go(path + "?tinh-trang=Đã+duyệt")
    page.get_by_label("Chọn tất cả các đơn vị đang hiện").check()
    page.get_by_label("Tôi xác nhận ban hành các văn bản đã chọn (cấp số không làm lại được)").check()
    page.get_by_role("button", name="Ban hành (cấp số) các văn bản đã chọn").click()
    assert f"Kết quả thực hiện ({len(names)}/{len(names)} văn bản)" in page.inner_text("main"), page.inner_text("main")[:800]


def _create_accounts(admin: Person, tmp_path) -> dict[str, str]:
    """The Sở Nội vụ makes every account of the walk: three one by one, five from a sheet; returns
    username → initial password as the page shows them (once)."""
    passwords = {}
    page = admin.go("/tai-khoan")
    for username, name, role in [("gd-snv", "Giám đốc Sở Nội vụ", "Lãnh đạo"), ("vt-snv", "Văn thư Sở Nội vụ", "Văn thư"),
                                 ("ttk", "Tổ Thư ký Hội đồng thẩm định", "Tổ Thư ký")]:
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Họ tên (hoặc tên bộ phận)").fill(name)
        page.get_by_label("Vai trò").select_option(label=role)
        page.get_by_role("button", name="Tạo tài khoản").click()
        codes = page.locator(".flash code")
        assert codes.nth(0).inner_text() == username
        passwords[username] = codes.nth(1).inner_text()
    sheet = tmp_path / "tai-khoan.csv"
    sheet.write_text("Tên đăng nhập,Họ tên,Vai trò,Mã đơn vị,Mã cơ quan thẩm định,Thư điện tử\n"
                     "sxd,Văn phòng Sở Xây dựng,Đơn vị,sxd,,\n"
                     "stp,Văn phòng Sở Tư pháp,Đơn vị,stp,,\n"
                     "tamdiep,Văn phòng UBND phường Tam Điệp,Đơn vị,phuong-tam-diep,,\n"
                     "td-khcn,Phòng thẩm định Sở Khoa học và Công nghệ,Cơ quan thẩm định,,skhcn,\n", encoding="utf-8")
    page.get_by_label("Tệp danh sách").set_input_files(str(sheet))
    page.get_by_role("button", name="Nhập tài khoản").click()
    rows = page.locator("#tai-khoan-moi table tr")
    assert rows.count() == 5
    for i in range(1, 5):
        cells = rows.nth(i).locator("td")
        passwords[cells.nth(0).inner_text()] = cells.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / "cycle-tai-khoan-moi.png"), full_page=True)
    return passwords


def _self_assess(unit: Person, unit_id: str, number: int, weak: bool = False) -> int:
    """The unit scores every criterion at its maximum (``weak``: every other one at 0) from its
    home page and sends the report."""
    page = unit.home(f"don-vi-{unit_id}")
    todo = page.locator("#viec-can-lam").inner_text()
    assert "Tự đánh giá, chấm điểm và gửi Báo cáo tự đánh giá trước hết ngày 31/10/2027" in todo, todo
    page.locator("#viec-can-lam").get_by_role("link", name="Mở bảng tự đánh giá").click()
    boxes = page.locator("input[name^='diem-'][data-max]")
    count = boxes.count()
    for i in range(count):
        box = boxes.nth(i)
        box.fill("0" if weak and i % 2 else box.get_attribute("data-max").replace(".", ","))
    page.get_by_label("Số báo cáo").fill(str(number))
    page.get_by_label("Ngày báo cáo").fill(CLOCK["day"].strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Nộp báo cáo").click()
    assert "Đã nộp báo cáo tự đánh giá" in page.inner_text("main"), page.inner_text("main")[:600]
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


def test_the_2027_cycle_in_the_browser(server, browser, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = Person(browser, server, "snv", ADMIN_PASSWORD, first_time=False)

    # — January 2027: next year's campaign from this year's, and the people who will work in it
    page = admin.go(f"/chien-dich/{OLD}/du-lieu")
    page.get_by_role("button", name="Tạo chiến dịch năm 2027").click()
    assert page.url.endswith(f"/chien-dich/{NEW}") or "2027" in page.inner_text("main")
    passwords = _create_accounts(admin, tmp_path)
    leader = Person(browser, server, "gd-snv", passwords["gd-snv"])
    vanthu = Person(browser, server, "vt-snv", passwords["vt-snv"])
    secretariat = Person(browser, server, "ttk", passwords["ttk"])

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
    assert "130/KH-UBND" in _through_approval(admin, leader, vanthu, "ke-hoach", 130, "12/03/2027")
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
    assert "3 văn bản đã ban hành, chờ lãnh đạo ký số: " in todo and "Hướng dẫn tự đánh giá, chấm điểm" in todo

    # — October: the units, told the step opened, score and send their reports; the phường is late,
    # is reminded by the công văn đôn đốc, and sends a weak report
    CLOCK["day"] = dt.date(2027, 10, 20)
    units = {}
    for n, (unit_id, username) in enumerate([("sxd", "sxd"), ("stp", "stp"), ("phuong-tam-diep", "tamdiep")]):
        units[unit_id] = Person(browser, server, username, passwords[username])
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
    assert "3 đơn vị chờ thẩm định lần 1" in queue and "Sở Xây dựng" in queue
    assert "mở thẩm định lần 1" in appraiser.go("/thong-bao").inner_text("main")
    own = _round1(appraiser, "sxd")
    lowered = own[0]
    page = appraiser.go(f"/chien-dich/{NEW}/don-vi/sxd/tham-dinh")
    page.get_by_label(f"Điểm thẩm định lần 1 {lowered}", exact=True).fill("0")
    page.get_by_label(f"Nhận xét {lowered}", exact=True).fill("Chưa có tài liệu kiểm chứng việc triển khai.")
    page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert appraiser.flash().startswith("Đã lưu")
    for unit_id in ("stp", "phuong-tam-diep"):
        _round1(appraiser, unit_id)
    for unit_id in UNITS:
        _round1(admin, unit_id)
    page = admin.home("so-noi-vu-tham-dinh")
    progress = page.locator("#tien-do").inner_text()
    assert "đã thẩm định lần 1: 1" in progress and "hoàn thành: 2" in progress, progress

    # — the letter asking Sở Xây dựng to explain, from the per-unit list
    _letters_in_bulk(admin, leader, vanthu, "cong-van-ket-qua-tham-dinh", ["Sở Xây dựng"])
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
    _letters_in_bulk(admin, leader, vanthu, "thong-bao-tham-dinh-lan-2", ["Sở Xây dựng"])

    # — the survey, entered by the Sở Nội vụ for each unit
    for unit_id in UNITS:
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
    assert all(name in ranking for name in UNITS.values()) and "chưa có kết quả" not in ranking.lower()
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
    assert "/QĐ-UBND" in _through_approval(admin, leader, vanthu, "quyet-dinh-cong-bo", 2890, "15/12/2027")
    CLOCK["day"] = dt.date(2027, 12, 17)
    _letters_in_bulk(admin, leader, vanthu, "thong-bao-ket-qua-chi-so", list(UNITS.values()))
    page = sxd.home("don-vi-ket-qua")
    todo = page.locator("#viec-can-lam")
    assert "Kết quả Chỉ số CCHC năm 2027 đã công bố" in todo.inner_text()
    todo.get_by_role("link", name="xem kết quả, xếp hạng và bảng điểm của đơn vị").click()
    result = page.inner_text("main")
    assert "Thông báo kết quả Chỉ số CCHC của đơn vị: Sở Xây dựng" in result
    assert page.locator("#buoc").inner_text() == "Đã ban hành" and re.search(r"Số: \d+/TB-SNV", result)
    assert "Tải lên bản đã ký" not in result                     # the Sở Nội vụ's letter: not the unit's to sign
    page.screenshot(path=str(SHOTS / "cycle-don-vi-doc-ket-qua.png"), full_page=True)
    admin.home("so-noi-vu")
    for person in [admin, leader, vanthu, secretariat, appraiser, *units.values()]:
        person.context.close()
