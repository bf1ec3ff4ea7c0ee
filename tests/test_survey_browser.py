"""A respondent answers the survey in Debian's Chromium: on a 390 px phone with JavaScript off (a
form from a link, every option a large target, the page no wider than the phone, a missed question
named and the other answers kept) and on a desktop by a code typed on the code page."""
import datetime as dt
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from service.store import survey_collection
from service.web import create_app
from service.web.demo import seed_demo
from tests.test_browser import CHROMIUM, FLAGS, SHOTS

pytestmark = [pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Chromium của Debian chưa được cài"),
              pytest.mark.slow]


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey-web")
    app = create_app(f"sqlite:///{folder / 'cchc.sqlite3'}", secret_key="survey-browser-test")
    engine = app.extensions["cchc_engine"]
    seed_demo(engine)
    survey = survey_collection.open_survey(engine, "ninh-binh", "ninh-binh-2026", dt.date(2000, 1, 1),
                                           dt.date(2100, 1, 1), {("sxd", "lanh-dao-phong"): 40, ("stp", "nguoi-dan"): 40},
                                           False, "admin")
    links = {(q.unit_id, q.group_id): q.link for q in survey_collection.quotas_of(engine, survey)}
    code = survey_collection.make_codes(engine, survey, "stp", "nguoi-dan", 1)[0]
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield {"base": f"http://127.0.0.1:{http.server_port}", "links": links, "code": code, "engine": engine, "survey": survey}
    http.shutdown()
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def test_a_phone_without_javascript_answers_by_link(opened, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(opened["base"] + f"/ks/lien-ket/{opened['links'][('sxd', 'lanh-dao-phong')]}")
    assert "Phiếu khảo sát ý kiến về Sở Xây dựng" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    options = page.locator("label.option")
    assert options.first.bounding_box()["height"] >= 40                      # a finger's target
    questions = page.locator("fieldset")
    for n in range(1, questions.count()):                                     # the first question left out
        questions.nth(n).locator("label.option").nth(3).click()
    page.get_by_role("button", name="Gửi phiếu").click()
    assert "còn 1 câu chưa trả lời" in page.inner_text("#loi")
    assert page.locator("input[type=radio]:checked").count() == questions.count() - 1
    page.screenshot(path=str(SHOTS / "khao-sat-dien-thoai.png"), full_page=False)
    questions.first.locator("label.option").nth(2).click()
    page.get_by_role("button", name="Gửi phiếu").click()
    assert "Xin cảm ơn ông (bà)!" in page.inner_text("h1")
    assert context.cookies() == []                                            # nothing kept on the phone either
    forms = survey_collection.answered_forms(opened["engine"], opened["survey"])[("sxd", "lanh-dao-phong")]
    assert len(forms) == 1 and sorted(set(forms[0].values())) == ["3", "4"]
    context.close()


def test_a_desktop_answers_by_the_code_on_the_paper_form(opened, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page.goto(opened["base"] + "/ks")
    page.get_by_label("Mã phiếu").fill(opened["code"].lower())
    page.get_by_role("button", name="Mở phiếu").click()
    assert "Sở Tư pháp" in page.inner_text("h1") and "Người dân, tổ chức" in page.inner_text("main")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label.option").first.click()
    page.get_by_role("button", name="Gửi phiếu").click()
    assert "Xin cảm ơn ông (bà)!" in page.inner_text("h1")
    page.goto(opened["base"] + f"/ks/{opened['code']}")
    assert "Mã phiếu đã được dùng" in page.inner_text("h1")
    page.close()
