"""The drafting forms on SQLite and PostgreSQL: a form sent back unchanged changes nothing (it shows
the data faithfully); an edit reaches the generated document; a bad edit is refused next to its field."""
import html
import io
import re

import docx
import lxml.html

from service.store.campaigns import audit_trail, load_stored_campaign, stored_campaign_hash
from tests.conftest import login

CID = "ninh-binh-2026"


def _form(page: str, index: int = -1) -> dict:
    """What a browser would send for the page's form as it stands."""
    form = lxml.html.fromstring(page).forms[index]
    return dict(form.form_values())


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _error(page: str, name: str) -> str:
    found = lxml.html.fromstring(page).xpath(f'//*[@id="loi-{name}"]')
    return found[0].text_content() if found else ""


def test_document_form_round_trip_edit_and_refusal(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    assert "Quyết định thành lập Hội đồng" in client.get(f"/chien-dich/{CID}/soan-thao").get_data(as_text=True)
    url = f"/chien-dich/{CID}/soan-thao/van-ban/quyet-dinh-hoi-dong"
    page = client.get(url).get_data(as_text=True)
    before = stored_campaign_hash(engine, CID)
    response = client.post(url, data=_form(page))
    assert response.status_code == 302 and stored_campaign_hash(engine, CID) == before   # nothing lost or reshaped

    form = _form(page)
    form["ky-ho-ten"] = ""
    basis = form["can-cu"].splitlines()
    form["can-cu"] = "\n".join(basis[:-1] + ["Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 & <các văn bản khác>;",
                                             basis[-1]])
    response = client.post(url, data=form)
    page2 = response.get_data(as_text=True)
    assert response.status_code == 400 and "không được để trống" in _error(page2, "ky-ho-ten")
    assert "&amp; &lt;các văn bản khác&gt;" in page2 and stored_campaign_hash(engine, CID) == before

    form["ky-ho-ten"] = "Nguyễn Cao Sơn"
    form["thang"] = "11"
    assert client.post(url, data=form).status_code == 302
    text = _text(client.get(f"/chien-dich/{CID}/van-ban/quyet-dinh-hoi-dong.docx").data)
    assert "Nguyễn Cao Sơn" in text and "tháng 11 năm 2026" in text
    assert "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 & <các văn bản khác>;" in text
    assert audit_trail(engine, f"{CID}/van-ban/quyet-dinh-hoi-dong")[-1].actor == "admin"

    issued = client.get(f"/chien-dich/{CID}/soan-thao/ke-hoach").get_data(as_text=True)
    assert '<fieldset disabled class="chi-xem">' in issued and "Lưu dự thảo" not in issued   # walk U26: read only
    assert "<legend>Dự thảo</legend>" not in issued and "xem văn bản đã ban hành" in issued
    opening = html.unescape(re.search(r'<textarea id="mo-dau"[^>]*>(.*?)</textarea>', issued, re.S).group(1))
    assert opening.startswith("Thực hiện Kế hoạch số 210/KH-UBND ngày 30/12/2025 của Ủy ban nhân dân tỉnh Ninh Bình")
    assert "{ref:" not in issued and "{year}" not in issued               # as printed, not the drafter's markers
    response = client.post(f"/chien-dich/{CID}/soan-thao/ke-hoach", data=_form(issued))
    assert response.status_code == 400 and "đã ban hành" in response.get_data(as_text=True)
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    assert unit.get(url).status_code == 403
    assert unit.post(url, data={**form, "csrf_token": unit_token}).status_code == 403


def _next_years_plan(app):
    """(the Sở Nội vụ's client, the plan editor's URL, its page) on the 2027 campaign cloned from 2026."""
    client = app.test_client()
    _, token = login(client, "admin")
    assert client.post(f"/chien-dich/{CID}/nhan-ban", data={"csrf_token": token}).status_code == 302
    url = "/chien-dich/ninh-binh-2027/soan-thao/ke-hoach"
    return client, url, client.get(url).get_data(as_text=True)


def test_plan_form_on_next_years_draft(app):
    engine = app.extensions["cchc_engine"]
    client, url, page = _next_years_plan(app)
    before = stored_campaign_hash(engine, "ninh-binh-2027")
    assert client.post(url, data=_form(page)).status_code == 302
    assert stored_campaign_hash(engine, "ninh-binh-2027") == before

    form = _form(page)
    deadline_row = next(k[:-4] for k, v in form.items() if k.endswith("-han") and v == "31/10/2027")
    last_row = max((k[:-4] for k, v in form.items() if k.endswith("-han") and v), key=lambda k: int(k.split("-")[1]))
    impossible = {**form, f"{last_row}-han": "31/02/2027"}          # a user mistake must never erase the stored date
    response = client.post(url, data=impossible)
    assert response.status_code == 400 and "không tồn tại" in _error(response.get_data(as_text=True), f"{last_row}-han")
    assert 'value="31/02/2027"' in response.get_data(as_text=True)
    assert stored_campaign_hash(engine, "ninh-binh-2027") == before
    form[f"{deadline_row}-han"] = "30/10/2027"
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "không có trong bảng nhiệm vụ" in _error(response.get_data(as_text=True), "han-bao-cao")
    form["han-bao-cao"] = "30/10/2027"
    form[f"{deadline_row}-thoi-gian"] = "Hạn cuối 30/10/2027"
    good = next(k for k, v in form.items() if k.startswith("xl-") and k.endswith("-ten") and v == "Tốt")
    form[good.replace("-ten", "-tu")] = "86"
    paragraph = next(k for k in form if k.startswith("muc-"))
    form[paragraph] += "\nCác cơ quan, đơn vị bố trí cán bộ đầu mối theo dõi, cập nhật tài liệu kiểm chứng."
    response = client.post(url, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    campaign = load_stored_campaign(engine, "ninh-binh-2027")
    assert campaign.reporting.deadline.isoformat() == "2027-10-30"
    text = _text(client.get("/chien-dich/ninh-binh-2027/van-ban/ke-hoach.docx").data)
    assert "Hạn cuối 30/10/2027" in text and "bố trí cán bộ đầu mối theo dõi" in text
    assert "- Đơn vị Tốt: Từ 86 đến dưới 95 điểm;" in text and "- Đơn vị Khá: Từ 75 đến dưới 86 điểm;" in text
    guidance = _text(client.get("/chien-dich/ninh-binh-2027/van-ban/huong-dan.docx").data)
    assert "30/10/2027" in guidance or "30 tháng 10 năm 2027" in guidance


def test_council_form(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    url = f"/chien-dich/{CID}/soan-thao/hoi-dong"
    page = client.get(url).get_data(as_text=True)
    before = stored_campaign_hash(engine, CID)
    assert client.post(url, data=_form(page)).status_code == 302 and stored_campaign_hash(engine, CID) == before
    campaign = load_stored_campaign(engine, CID)
    form = _form(page)
    n = len(campaign.council)
    form.update({f"tv-{n}-ho-ten": "Hoàng Minh Đức", f"tv-{n}-chuc-vu": "Phó Giám đốc Sở Tài chính",
                 f"tv-{n}-co-quan": "stc", f"tv-{n}-vai-tro": "Ủy viên", f"tv-{n}-to-chuc": "council"})
    form[f"tv-{n + 1}-ho-ten"] = "Lê Văn Hai"
    form[f"tv-{n + 1}-chuc-vu"] = "Phó Chủ tịch Ủy ban nhân dân tỉnh"
    form[f"tv-{n + 1}-co-quan"] = "ubnd-tinh"
    form[f"tv-{n + 1}-vai-tro"] = "Chủ tịch"
    response = client.post(url, data=form)
    assert response.status_code == 400 and "đúng một Chủ tịch" in response.get_data(as_text=True)
    assert stored_campaign_hash(engine, CID) == before
    for key in [k for k in form if k.startswith(f"tv-{n + 1}-")]:
        del form[key]
    odd = client.post(url, data={**form, f"tv-{n}-danh-xung": "Cô"})
    assert odd.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert 'id="loi-tv-%d-danh-xung"' % n in odd.get_data(as_text=True)
    assert client.post(url, data={**form, f"tv-{n}-danh-xung": "Ông"}).status_code == 302
    council = load_stored_campaign(engine, CID).council
    assert council[-1].name == "Hoàng Minh Đức" and council[-1].id == "hoang-minh-duc" and council[-1].salutation == "Ông"
    text = _text(client.get(f"/chien-dich/{CID}/van-ban/quyet-dinh-hoi-dong.docx").data)
    assert "Hoàng Minh Đức" in text
    invitation = _text(client.get(f"/chien-dich/{CID}/van-ban/giay-moi-hop-hoi-dong.docx").data)
    assert "- Ông Hoàng Minh Đức, Phó Giám đốc Sở Tài chính" in invitation          # N4: the salutation typed


def test_plan_editor_helps_a_drafter(app):
    """Walk finding 24: the placeholders are explained with what they print in this campaign, the
    month the task table proposes is shown on next year's draft, and several tasks are added in one save."""
    engine = app.extensions["cchc_engine"]
    client, url, page = _next_years_plan(app)
    help_ = lxml.html.fromstring(page).xpath('//*[@id="truong-thay-the"]')[0].text_content()
    assert "{ref:kh-210}" in help_ and "Kế hoạch số 210/KH-UBND ngày 30/12/2025 của Ủy ban nhân dân tỉnh Ninh Bình" in help_
    assert "{year}" in help_ and "2027" in help_
    assert lxml.html.fromstring(page).xpath('//*[@id="thang-goi-y"]')[0].text_content() == "tháng 3/2027"
    form = _form(page)
    before = len(load_stored_campaign(engine, "ninh-binh-2027").plan.tasks.items)
    empty = sorted((k for k, v in form.items() if k.endswith("-noi-dung") and not v), key=lambda k: int(k.split("-")[1]))
    assert len(empty) == 3
    form[empty[0]] = "Tập huấn nghiệp vụ tự đánh giá cho cán bộ đầu mối"
    form[empty[0].replace("-noi-dung", "-thoi-gian")] = "Tháng 5/2027"
    form[empty[1]] = "Kiểm tra công tác cải cách hành chính tại một số đơn vị"
    form[empty[1].replace("-noi-dung", "-thoi-gian")] = "Tháng 6-8/2027"
    for row in empty[:2]:
        form[row.replace("-noi-dung", "-chu-tri")] = "Sở Nội vụ"
    response = client.post(url, data=form)
    assert response.status_code == 302, [e.text_content() for e in lxml.html.fromstring(
        response.get_data(as_text=True)).xpath('//*[@role="alert"]')]
    tasks = load_stored_campaign(engine, "ninh-binh-2027").plan.tasks.items
    assert len(tasks) == before + 2 and tasks[-1].content == ["Kiểm tra công tác cải cách hành chính tại một số đơn vị"]
