"""The Sở Nội vụ's data pages on SQLite and PostgreSQL: Excel imports (all or nothing), units and
accounts in bulk from .xlsx and .csv, survey entry by hand, next year's campaign."""
import html
import io
import json
import re

import docx
from openpyxl import Workbook

from service.domain.scoring import compute_campaign
from service.excel import UNIT_HEADINGS
from service.store.campaigns import audit_trail, load_stored_campaign, stored_campaign_hash
from tests.conftest import login

CID = "ninh-binh-2026"
DATA = f"/chien-dich/{CID}/du-lieu"


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _errors(page: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r"<li>([^<]+)</li>", page)]


def test_units_and_accounts_from_csv_and_xlsx(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    assert "Đơn vị và tài khoản" in client.get(DATA).get_data(as_text=True)
    template = client.get(f"{DATA}/mau-don-vi.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"

    csv_text = ";".join(UNIT_HEADINGS) + "\n" + "\n".join([
        "ubnd-xa;xa-gia-tuong;Ủy ban nhân dân xã Gia Tường;UBND;Gia Tường;Chủ tịch;Phạm Văn Hòa;giatuong;Văn phòng UBND xã Gia Tường",
        "ubnd-xa;xa-gia-hung;Ủy ban nhân dân xã Gia Hưng;UBND;Gia Hưng;Phó Chủ tịch;Lê Thị Lan;;"])
    response = client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(csv_text.encode("utf-8-sig")), "xa.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tài khoản mới" in page
    password = re.search(r"<td>giatuong</td><td><code>([^<]+)</code>", page).group(1)
    campaign = load_stored_campaign(engine, CID)
    assert campaign.unit("xa-gia-tuong").name == "Ủy ban nhân dân xã Gia Tường"
    assert campaign.agency("xa-gia-tuong").header_lines == ["ỦY BAN NHÂN DÂN", "XÃ GIA TƯỜNG"]
    assert campaign.unit("xa-gia-hung").signature.authority == "TM"
    assert len(campaign.units()) == 52

    unit = app.test_client()
    response, _ = login(unit, "GiaTuong", password)             # the name in any case
    assert response.status_code == 302 and response.headers["Location"].endswith("/doi-mat-khau")
    first = unit.get(f"/chien-dich/{CID}")                      # nothing else before the initial password is changed
    assert first.status_code == 302 and first.headers["Location"].endswith("/doi-mat-khau")
    assert unit.get(f"/api/campaigns/{CID}/results").status_code == 403
    forced = unit.get("/doi-mat-khau").get_data(as_text=True)
    assert "mật khẩu ban đầu do Sở Nội vụ cấp" in forced                        # walk U29: why the page appears
    own = re.search(r'name="csrf_token" value="([^"]+)"', forced).group(1)
    wrong = unit.post("/doi-mat-khau", data={"csrf_token": own, "hien-tai": "sai", "moi": "giatuong-2026", "nhap-lai": "giatuong-2026"})
    assert wrong.status_code == 400 and "mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    short = unit.post("/doi-mat-khau", data={"csrf_token": own, "hien-tai": password, "moi": "ngan", "nhap-lai": "ngan"})
    assert short.status_code == 400 and "ít nhất 8 ký tự" in short.get_data(as_text=True)
    assert unit.post("/doi-mat-khau", data={"csrf_token": own, "hien-tai": password, "moi": "lua-vang-que-nha",
                                             "nhap-lai": "lua-vang-que-nha"}).status_code == 302
    assert login(app.test_client(), "giatuong", password)[0].status_code == 400
    assert login(app.test_client(), "giatuong", "lua-vang-que-nha")[0].status_code == 302
    dashboard = unit.get(f"/chien-dich/{CID}").get_data(as_text=True)
    assert dashboard.count('<tr data-don-vi=') == 1 and "Ủy ban nhân dân xã Gia Tường" in dashboard and "chưa nộp" in dashboard
    assert unit.get(f"/chien-dich/{CID}/don-vi/xa-gia-tuong/tu-danh-gia").status_code == 200

    before = stored_campaign_hash(engine, CID)
    bad = _xlsx([UNIT_HEADINGS,
                 ["ubnd-xa", "xa-yen-mo", "Ủy ban nhân dân xã Yên Mô", "UBND", "Yên Mô", "Chủ tịch", None, "giatuong", "X"],
                 ["nhom-la", "Xa Kim Son", "Ủy ban nhân dân xã Kim Sơn", "UBND", "Kim Sơn", "Chủ tịch", "Đỗ Văn An", None, None]])
    response = client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(bad), "xa.xlsx")},
                           content_type="multipart/form-data")
    problems = _errors(response.get_data(as_text=True))
    assert response.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert any(p.startswith("Sheet!G2: thiếu họ tên người ký") for p in problems), problems
    assert problems[-1] == "Không có thay đổi nào được lưu."
    taken = _xlsx([UNIT_HEADINGS, ["ubnd-xa", "xa-yen-mo", "Ủy ban nhân dân xã Yên Mô", "UBND", "Yên Mô", "Chủ tịch",
                                   "Vũ Văn Bình", "giatuong", "Văn phòng"]])
    response = client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(taken), "xa.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Sheet, dòng 2: tên đăng nhập 'giatuong' đã có" in _errors(response.get_data(as_text=True))
    assert stored_campaign_hash(engine, CID) == before
    response = client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(b"MZ"), "xa.exe")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "tệp 'xa.exe': chỉ nhận .xlsx hoặc .csv" in _errors(response.get_data(as_text=True))
    lower = _xlsx([UNIT_HEADINGS, ["ubnd-xa", "xa-yen-mo", "Ủy ban nhân dân xã Yên Mô", "ubnd", "Yên Mô", "Chủ tịch",
                                   "Vũ Văn Bình", None, None]])
    response = client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(lower), "xa.xlsx")},
                           content_type="multipart/form-data")
    problems = _errors(response.get_data(as_text=True))        # the cell, not 'agencies[51].abbreviation'
    assert response.status_code == 400 and problems[0].startswith("Sheet!D2: chữ viết tắt phải bắt đầu bằng chữ in hoa"), problems
    assert not any("agencies[" in p for p in problems) and stored_campaign_hash(engine, CID) == before


def test_excel_imports_are_all_or_nothing(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    before = stored_campaign_hash(engine, CID)
    previous = _xlsx([["Mã đơn vị", "Chỉ số (%)", "Xếp hạng"], ["snv", "91,5", 2], ["khong-co", 80, 9]])
    response = client.post(f"{DATA}/nhap", data={"csrf_token": token, "loai": "nam-truoc",
                                                 "tep": (io.BytesIO(previous), "nam-truoc.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert any("previous_results" in p and "khong-co" in p for p in _errors(response.get_data(as_text=True)))
    previous = _xlsx([["Mã đơn vị", "Chỉ số (%)", "Xếp hạng"], ["snv", "91,5", 2]])
    response = client.post(f"{DATA}/nhap", data={"csrf_token": token, "loai": "nam-truoc",
                                                 "tep": (io.BytesIO(previous), "nam-truoc.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = load_stored_campaign(engine, CID)
    assert next(p for p in stored.previous_results if p.unit == "snv").index == 91.5
    assert audit_trail(engine, f"{CID}/nhap-excel/nam-truoc")[-1].actor == "admin"
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    assert unit.get(DATA).status_code == 403
    assert unit.post(f"{DATA}/nhap", data={"csrf_token": unit_token, "loai": "nam-truoc"}).status_code == 403


def test_survey_entry_by_hand(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    url = f"/chien-dich/{CID}/khao-sat/sxd"
    page = client.get(url).get_data(as_text=True)
    assert "Kết quả điều tra xã hội học: Sở Xây dựng" in page and "Rất hài lòng" in page
    form = {k: v for k, v in re.findall(r'name="((?:phieu|ks)-[^"]+)" value="([^"]*)"', page)}
    group = next(k for k in form if k.startswith("phieu-")).removeprefix("phieu-")
    before = compute_campaign(load_stored_campaign(engine, CID))
    first = next(k for k in form if k.startswith(f"ks-{group}-"))
    bad = {**form, "csrf_token": token, first: "nhiều"}
    response = client.post(url, data=bad)
    assert response.status_code == 400 and "phải là số nguyên" in response.get_data(as_text=True)
    assert 'value="nhiều"' in response.get_data(as_text=True)
    over = {**form, "csrf_token": token, f"phieu-{group}": "1"}
    response = client.post(url, data=over)
    assert response.status_code == 400 and "nhiều hơn số phiếu 1" in response.get_data(as_text=True)
    leaves = sorted({k.split("-")[-2] for k in form if k.startswith(f"ks-{group}-")})
    answers = {f"ks-{group}-{code}-{v}": "0" for code in leaves for v in "123"}
    answers.update({f"ks-{group}-{code}-4": "10" for code in leaves})
    response = client.post(url, data={**form, **answers, "csrf_token": token, f"phieu-{group}": "10"})
    assert response.status_code == 302
    after = compute_campaign(load_stored_campaign(engine, CID))
    old = next(r for rows in before.groups.values() for r in rows if r.unit_id == "sxd")
    new = next(r for rows in after.groups.values() for r in rows if r.unit_id == "sxd")
    assert new.survey_points > old.survey_points          # every form "Rất hài lòng" now
    assert 'id="vuot-ke-hoach"' not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={**form, **answers, "csrf_token": token, f"phieu-{group}": "5000"})
    assert response.status_code == 302                    # stored: the count may be right and the plan wrong
    page = client.get(url).get_data(as_text=True)
    assert 'id="vuot-ke-hoach"' in page and "kế hoạch phát ra" in page


def test_next_year_campaign(app):
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    assert 'id="chep-ket-qua-tam"' in client.get(f"/chien-dich/{CID}/du-lieu").get_data(as_text=True)   # not published yet
    response = client.post(f"/chien-dich/{CID}/nhan-ban", data={"csrf_token": token, "chep-ket-qua-tam": "co"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/chien-dich/ninh-binh-2027")
    new = load_stored_campaign(engine, "ninh-binh-2027")
    old = load_stored_campaign(engine, CID)
    assert new.year == 2027 and new.name.endswith("năm 2027 tỉnh Ninh Bình")
    assert new.plan.header.number is None and new.plan.header.date.year == 2027
    assert [t.deadline.isoformat() for t in new.plan.tasks.items if t.deadline] == ["2027-10-31", "2027-11-20", "2027-12-15"]
    assert new.assessments == [] and len(new.units()) == len(old.units()) and new.council == old.council
    results = compute_campaign(old)
    first = results.groups[old.groups[0].id][0]
    previous = next(p for p in new.previous_results if p.unit == first.unit_id)
    assert previous.rank == 1 and abs(previous.index - first.index) < 0.01
    page = client.get("/chien-dich/ninh-binh-2027").get_data(as_text=True)
    assert page.count(">chưa nộp</span>") == 50 and "chưa nộp: 50" in page
    plan = client.get("/chien-dich/ninh-binh-2027/van-ban/ke-hoach.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(plan.data)).paragraphs)
    assert "Chỉ số cải cách hành chính năm 2027" in text
    data_page = client.get(f"/chien-dich/{CID}/du-lieu").get_data(as_text=True)
    assert 'id="da-co-nam-sau"' in data_page and "/chien-dich/ninh-binh-2027" in data_page   # not offered twice
    again = client.post(f"/chien-dich/{CID}/nhan-ban", data={"csrf_token": token})
    assert again.status_code == 400 and "Chiến dịch 'ninh-binh-2027' đã có; không tạo lại." in _errors(again.get_data(as_text=True))
    assert json.loads(audit_trail(engine, "campaign/ninh-binh-2027")[-1].old_value) == {"sha256": None}


def test_the_secretariat_records_the_councils_meeting_and_the_minutes_follow(app):
    """Issue 14 (walk finding 3): a cloned campaign has no meeting; the Tổ Thư ký records it in the
    workspace — errors at their fields, nothing stored on a refusal — and the Biên bản renders from it."""
    engine = app.extensions["cchc_engine"]
    admin = app.test_client()
    _, token = login(admin, "admin")
    assert admin.post(f"/chien-dich/{CID}/nhan-ban", data={"csrf_token": token}).status_code == 302
    new = "ninh-binh-2027"
    assert load_stored_campaign(engine, new).meeting is None
    clerk = app.test_client()
    _, clerk_token = login(clerk, "thuky")
    url = f"/chien-dich/{new}/soan-thao/cuoc-hop"
    page = clerk.get(url).get_data(as_text=True)
    assert "Cuộc họp Hội đồng thẩm định" in page
    version = re.search(r'name="phien-ban" value="([^"]*)"', page)
    council = load_stored_campaign(engine, new).council
    form = {"csrf_token": clerk_token, "ngay": "31/02/2027", "bat-dau": "25:00", "ket-thuc": "11:30",
            "dia-diem": "Phòng họp số 2, trụ sở Sở Nội vụ", "chu-tri": "khong-co", "thu-ky": "tk",
            "ket-luan": "Hội đồng thống nhất kết quả thẩm định.",
            **{f"co-mat-{m.id}": "1" for m in council[:5]}}
    if version:
        form["phien-ban"] = version.group(1)
    before = stored_campaign_hash(engine, new)
    refused = clerk.post(url, data=form)
    errors = [html.unescape(e) for e in re.findall(r'class="field-error" id="loi-[^"]+" role="alert">([^<]+)<',
                                                    refused.get_data(as_text=True))]
    assert refused.status_code == 400 and stored_campaign_hash(engine, new) == before
    assert any("31/02/2027" in e or "không tồn tại" in e for e in errors), errors
    assert any("giờ không hợp lệ" in e for e in errors) and any("chọn một thành viên" in e for e in errors)
    form.update({"ngay": "18/11/2027", "bat-dau": "8h", "chu-tri": "ct"})
    saved = clerk.post(url, data=form)
    assert saved.status_code == 302, _errors(saved.get_data(as_text=True))
    meeting = load_stored_campaign(engine, new).meeting
    assert (meeting.start.isoformat(), meeting.end.isoformat()) == ("2027-11-18T08:00:00", "2027-11-18T11:30:00")
    assert meeting.present == [m.id for m in council[:5]] and meeting.header.number is None
    minutes = admin.get(f"/chien-dich/{new}/van-ban/bien-ban.docx")
    text = " ".join(p.text for p in docx.Document(io.BytesIO(minutes.data)).paragraphs)
    assert minutes.status_code == 200 and "08 giờ 00 phút, ngày 18 tháng 11 năm 2027" in text
    assert "Hội đồng thống nhất kết quả thẩm định." in text
    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(url).status_code == 403


def test_the_units_template_round_trips_every_column(app):
    """Walk U3: the workspace's own template, one row added and sent back, changes that row only —
    Sở Xây dựng keeps 'KT. Giám đốc' — and the message names what changed; an older sheet without
    the authority columns keeps the units' authority; a bad authority is refused with its cell."""
    from openpyxl import load_workbook
    engine = app.extensions["cchc_engine"]
    client = app.test_client()
    _, token = login(client, "admin")
    sheet = load_workbook(io.BytesIO(client.get(f"{DATA}/mau-don-vi.xlsx").data))
    rows = [[cell.value for cell in row] for row in sheet.active.iter_rows()]
    heading = next(i for i, row in enumerate(rows) if row[:2] == UNIT_HEADINGS[:2])
    assert rows[heading] == UNIT_HEADINGS and sheet.active.title == "Đơn vị"
    sxd = next(row for row in rows if row[1] == "sxd")
    assert sxd[9:11] == ["KT", "Giám đốc"]
    added = ["so-ban-nganh", "sngv", "Sở Ngoại vụ", "SNGV", "Ninh Bình", "Giám đốc", "Nguyễn Văn An", "", "", "", ""]
    before = load_stored_campaign(engine, CID)

    def send(table, name="don-vi.xlsx"):
        return client.post(f"{DATA}/don-vi", data={"csrf_token": token, "tep": (io.BytesIO(_xlsx(table)), name)},
                           content_type="multipart/form-data").get_data(as_text=True)
    page = html.unescape(send(rows[heading:] + [added]))
    assert "Đã nhập 51 đơn vị (2 thay đổi" in page and "Thay đổi: Sở Ngoại vụ: thêm mới." in page, page[:3000]
    after = load_stored_campaign(engine, CID)
    assert [u.model_dump() for u in before.units()] == [u.model_dump() for u in after.units() if u.id != "sngv"]
    assert after.unit("sxd").signature.authority == "KT" and after.unit("sxd").signature.principal == "Giám đốc"

    old_style = [row[:9] for row in rows[heading:]]                    # a sheet from before the two columns
    unchanged = html.unescape(send(old_style))
    assert "(0 thay đổi" in unchanged, re.findall(r"Đã nhập[^<]*|<li>[^<]*", unchanged)[:5]
    assert load_stored_campaign(engine, CID).unit("sxd").signature.authority == "KT"

    bad = [UNIT_HEADINGS, [*sxd[:9], "KY THAY", ""]]
    page = html.unescape(send(bad))
    assert "thẩm quyền ký 'KY THAY' không có" in page and "Sheet!J2" in page, re.findall(r'<li>[^<]*', page)[:4]
    assert load_stored_campaign(engine, CID).unit("sxd").signature.authority == "KT"


def test_a_documents_edit_link_opens_its_own_editor(app):
    """Walk U29: 'Sửa nội dung (soạn thảo)' on a document opens that document's editor, not the list."""
    client = app.test_client()
    login(client, "admin")
    for kind, editor in (("huong-dan", "/soan-thao/van-ban/huong-dan"), ("ke-hoach", "/soan-thao/ke-hoach"),
                         ("bien-ban", "/soan-thao/cuoc-hop")):
        page = client.get(f"/chien-dich/{CID}/van-ban/{kind}.html").get_data(as_text=True)
        link = re.search(r'<a href="([^"]+)">Sửa nội dung \(soạn thảo\)</a>', page)
        assert link and link.group(1) == f"/chien-dich/{CID}{editor}", (kind, link and link.group(1))
        assert client.get(link.group(1)).status_code == 200
