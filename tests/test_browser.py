"""The workspace in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no
browser download): log in as a person would, read the dashboard, see a unit user's narrower view.
Screenshots go to out/screenshots/ for a human to look at."""
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service.web import create_app
from service.web.demo import DEMO_PASSWORD, seed_demo

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                reason="Chromium của Debian chưa được cài (tools/setup.sh cài gói chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    app = create_app(f"sqlite:///{folder / 'cchc.sqlite3'}", secret_key="browser-test")
    seed_demo(app.extensions["cchc_engine"])
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    app.extensions["cchc_engine"].dispose()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _login(page, server, username, password=DEMO_PASSWORD):
    page.goto(f"{server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_reads_the_dashboard(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    _login(page, server, "admin", "mat-khau-sai")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert page.get_by_label("Tên đăng nhập").input_value() == "admin"          # nothing typed is lost
    page.screenshot(path=str(SHOTS / "dang-nhap-loi.png"))
    _login(page, server, "admin")
    page.get_by_role("link", name="Đánh giá, xác định Chỉ số cải cách hành chính năm 2026 tỉnh Ninh Bình").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("tỉnh Ninh Bình")
    assert page.locator(".status").count() == 50
    assert "{" not in page.inner_text("main")                                   # placeholders are always filled
    assert page.get_by_text("công bố Chỉ số cải cách hành chính năm 2026", exact=False).first.is_visible()
    assert page.get_by_text("Quyết định phê duyệt và công bố Chỉ số CCHC").is_visible()
    page.screenshot(path=str(SHOTS / "bang-dieu-khien.png"), full_page=False)
    page.get_by_role("link", name="Xem kết quả xếp hạng").click()
    assert page.locator("table").first.locator("tr").count() == 21               # heading + 20 sở
    page.screenshot(path=str(SHOTS / "ket-qua.png"))
    with page.expect_download() as download:
        page.goto(f"{server}/chien-dich/ninh-binh-2026")
        page.locator("a[href$='/quyet-dinh-cong-bo.docx']").click()
    assert download.value.suggested_filename == "quyet-dinh-cong-bo.docx"
    page.close()


def test_unit_user_sees_only_its_unit(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    _login(page, server, "soxaydung")
    page.goto(f"{server}/chien-dich/ninh-binh-2026")
    assert page.locator(".status").count() == 1
    assert page.get_by_text("Sở Xây dựng", exact=True).is_visible()
    assert page.get_by_role("link", name="Xem kết quả xếp hạng").count() == 0
    response = page.goto(f"{server}/chien-dich/ninh-binh-2026/ket-qua")
    assert response.status == 403 and "không có quyền" in page.content()
    page.screenshot(path=str(SHOTS / "don-vi-khong-co-quyen.png"))
    page.close()
