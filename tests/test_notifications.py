"""Notifications (issue 14, item 6): stored for the workspace — a document issued awaits the leaders'
signature, a letter reaches its unit, a returned report tells the unit why — and e-mailed through the
SMTP server the environment names (here a real one, aiosmtpd on loopback, started by the test); off
when no server is configured, and a server that is down never undoes the action."""
import re

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlalchemy.orm import Session

from service.store.models import User
from service.store.notifications import unread
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, f"{message['Subject']}\n{message.get_content()}"))
        return "250 OK"


@pytest.fixture()
def smtp(monkeypatch):
    import socket
    with socket.socket() as probe:                    # a free port on loopback for this test's server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CCHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CCHC_SMTP_PORT", str(port))
    monkeypatch.setenv("CCHC_SMTP_FROM", "cchc@snv.ninhbinh.gov.vn")
    yield inbox
    controller.stop()


def _address(engine, username, email):
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.username == username).values(email=email))


def test_an_issued_document_reaches_the_leader_in_the_app_and_by_mail(app, smtp):
    engine = app.extensions["cchc_engine"]
    _address(engine, "lanhdao", "lanhdao@ninhbinh.gov.vn")
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    asked, waiting = unread(engine, "lanhdao")[::-1]     # oldest first: submitted to her, then issued for her signature
    assert asked.text == "Hướng dẫn tự đánh giá, chấm điểm: admin trình lãnh đạo duyệt («Kính trình»)."
    assert waiting.text.startswith("Hướng dẫn tự đánh giá, chấm điểm đã ban hành (")
    waiting = [waiting]
    assert waiting[0].text.endswith("chờ Đinh Thị Thu Hà ký số.") and waiting[0].link == f"/chien-dich/{C}/van-ban/huong-dan.html"
    (_, asking), (recipients, content) = smtp.messages
    assert recipients == ["lanhdao@ninhbinh.gov.vn"] and "chờ Đinh Thị Thu Hà ký số" in content
    for other in ("pgd-snv", "lanhdao-ubnd", "pct-ubnd"):          # only the person the signature block names
        assert [n.text for n in unread(engine, other) if "ký số" in n.text] == []
    leader = app.test_client()
    login(leader, "lanhdao")
    page = leader.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert re.search(r'id="thong-bao">Thông báo \(2\)</a>', page)
    listing = leader.get("/thong-bao").get_data(as_text=True)
    assert "Mới:" in listing and f'href="/chien-dich/{C}/van-ban/huong-dan.html"' in listing
    assert unread(engine, "lanhdao") == [] and 'id="thong-bao">Thông báo</a>' in leader.get(f"/chien-dich/{C}").get_data(as_text=True)
    told = [n.text for n in unread(engine, "soxaydung")]           # a unit hears the step opened, not the signing
    assert len(told) == 1 and "bước tự đánh giá, chấm điểm đã mở" in told[0] and "ký số" not in told[0]


def test_a_returned_report_tells_the_unit_why(app, smtp):
    from service.store.campaigns import Change, update_campaign
    engine = app.extensions["cchc_engine"]
    _address(engine, "soxaydung", "vanphong@sxd.ninhbinh.gov.vn")

    def not_appraised(data):                          # a report is returned only before round 1
        sxd = next(a for a in data["assessments"] if a["unit"] == "sxd")
        for score in sxd["scores"]:
            for key in ("round1", "remark", "response", "round2", "added_evidence"):
                score.pop(key, None)
        return [Change(f"{C}/sxd", None, "chưa thẩm định")]
    update_campaign(engine, C, not_appraised, "test")
    admin = app.test_client()
    _, token = login(admin, "admin")
    response = admin.post(f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia/tra-lai",
                          data={"csrf_token": token, "ly-do": "Thiếu tài liệu kiểm chứng tiêu chí 2.1.1"})
    assert response.status_code == 302
    (note,) = unread(engine, "soxaydung")
    assert "bị Sở Nội vụ trả lại để sửa: Thiếu tài liệu kiểm chứng tiêu chí 2.1.1." in note.text
    assert [m[0] for m in smtp.messages] == [["vanphong@sxd.ninhbinh.gov.vn"]]


def test_without_smtp_or_with_it_down_the_action_stands(app, monkeypatch):
    engine = app.extensions["cchc_engine"]
    _address(engine, "lanhdao", "lanhdao@ninhbinh.gov.vn")
    monkeypatch.setenv("CCHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CCHC_SMTP_PORT", "9")                               # nothing listens there
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302   # issued all the same
    assert len(unread(engine, "lanhdao")) == 2          # asked to approve, then to sign


def test_an_address_is_checked_where_the_account_is_made(app):
    admin = app.test_client()
    _, token = login(admin, "admin")
    page = admin.post("/tai-khoan", data={"csrf_token": token, "ten": "tudinh", "ho-ten": "Sở Tư pháp",
                                          "vai-tro": "appraiser", "co-quan": "stp", "thu": "khong co @ dau"})
    assert page.status_code == 400 and "địa chỉ thư" in page.get_data(as_text=True)


def test_units_are_reminded_once_before_their_step_closes(app, smtp):
    """The 'about to close' job: on 29/10/2026 the deadline of 31/10 is two days away for a unit that
    has not sent its report; it is told in the app and by mail, once a day however often the job runs;
    a unit that sent its report is not."""
    import datetime as dt
    from service.store.campaigns import Change, update_campaign
    from service.store.notifications import remind_deadlines
    engine = app.extensions["cchc_engine"]
    _address(engine, "soxaydung", "vanphong@sxd.ninhbinh.gov.vn")

    def not_sent(data):
        sxd = next(a for a in data["assessments"] if a["unit"] == "sxd")
        sxd.pop("report")
        for score in sxd["scores"]:
            for key in ("round1", "remark", "response", "round2", "added_evidence"):
                score.pop(key, None)
        return [Change(f"{C}/sxd", None, "chưa gửi")]
    update_campaign(engine, C, not_sent, "test")
    day = dt.date(2026, 10, 29)
    assert remind_deadlines(engine, day, 3) == 1
    assert remind_deadlines(engine, day, 3) == 0                          # not twice on one day
    (note,) = unread(engine, "soxaydung")
    assert note.text.endswith("còn 2 ngày để gửi Báo cáo tự đánh giá (hạn 31/10/2026).")
    assert note.link == f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia"
    assert [m[0] for m in smtp.messages] == [["vanphong@sxd.ninhbinh.gov.vn"]] and "nhắc hạn" in smtp.messages[0][1]
    assert remind_deadlines(engine, dt.date(2026, 10, 20), 3) == 0        # 11 days ahead: not yet


def test_the_guidance_opens_the_self_assessment_for_every_unit(app):
    """A step that opens is announced (walk finding, issue 14 item 6): issuing the Hướng dẫn tells
    every unit account that the self-assessment is open, with the reporting deadline."""
    engine = app.extensions["cchc_engine"]
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    (note,) = unread(engine, "soxaydung")
    assert note.text.startswith("Hướng dẫn tự đánh giá, chấm điểm đã ban hành (01/HD-SNV, ngày ")
    assert note.text.endswith("bước tự đánh giá, chấm điểm đã mở; hạn gửi Báo cáo tự đánh giá 31/10/2026.")
    assert note.link == f"/chien-dich/{C}"
    assert unread(engine, "thamdinh") == []                              # appraisers wait for the reports
