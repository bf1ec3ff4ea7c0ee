"""The lifecycle of documents and units, as users and machine clients meet it (issue 10), on SQLite and
PostgreSQL: frozen documents never drift, steps in order with their history, stale saves refused
without loss, the documents API with its ETags, deadlines closing a unit's steps, results waiting for
final appraisals."""
import datetime as dt
import io
import html
import re

import docx

from service.store.campaigns import Change, load_stored_campaign, stored_campaign_hash, update_campaign
from service.store.issuing import issued_version
from service.store.lifecycle import state_of
from tests.conftest import _token, issue_through_the_form, login, sign_through_the_form

C = "ninh-binh-2026"
DOC = f"/chien-dich/{C}/van-ban"


def _client(app, username):
    client = app.test_client()
    _, token = login(client, username)
    return client, token


def _lines(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])


def _form(page: str, index: int = -1) -> dict:
    import lxml.html
    return dict(lxml.html.fromstring(page).forms[index].form_values())


def test_an_issued_document_is_frozen_and_the_new_draft_is_apart(app):
    """Finding 4: after a plan edit, every link of the issued Hướng dẫn still serves what was issued;
    the draft from the new data is marked DỰ THẢO and its differences are listed."""
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    admin, token = _client(app, "admin")
    unit, _ = _client(app, "soxaydung")
    issued_pdf, issued_docx = admin.get(f"{DOC}/huong-dan.pdf").data, admin.get(f"{DOC}/huong-dan.docx").data
    assert "31/10/2026" in _lines(issued_docx)
    data = admin.get(f"/api/campaigns/{C}").get_json()                      # the plan's deadline moves a day
    task = next(t for t in data["plan"]["tasks"]["items"] if t.get("deadline") == "2026-10-31")
    task["deadline"], task["time"] = "2026-10-30", task["time"].replace("31/10/2026", "30/10/2026")
    data["reporting"]["deadline"] = "2026-10-30"
    assert admin.put(f"/api/campaigns/{C}", json=data, headers={"X-CSRF-Token": token}).status_code == 200
    assert admin.get(f"{DOC}/huong-dan.pdf").data == issued_pdf                 # frozen: the same bytes
    assert admin.get(f"{DOC}/huong-dan.docx").data == issued_docx
    assert unit.get(f"{DOC}/huong-dan.docx").data == issued_docx                 # for every reader
    content = unit.get(f"{DOC}/huong-dan.html?noi-dung=1").get_data(as_text=True)
    assert "31/10/2026" in content and "DỰ THẢO" not in content
    draft = _lines(admin.get(f"{DOC}/huong-dan.docx?ban=du-thao").data)
    assert "30/10/2026" in draft
    draft_docx = docx.Document(io.BytesIO(admin.get(f"{DOC}/huong-dan.docx?ban=du-thao").data))
    assert "DỰ THẢO" in draft_docx.sections[0].header._element.xml                 # the watermark, in the page header
    page = admin.get(f"{DOC}/huong-dan.html").get_data(as_text=True)
    assert "Dữ liệu hiện tại khác bản đã ban hành" in page and "30/10/2026" in page
    dashboard = admin.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert "cần văn bản đính chính hoặc thay thế" in dashboard


def test_steps_in_order_with_their_history(app):
    leader, leader_token = _client(app, "lanhdao")
    admin, admin_token = _client(app, "admin")
    vanthu, vanthu_token = _client(app, "vanthu")
    assert leader.post(f"{DOC}/to-trinh-ket-qua/buoc/trinh-duyet", data={"csrf_token": leader_token}).status_code == 403
    early = vanthu.post(f"{DOC}/to-trinh-hoi-dong/ban-hanh", data={"csrf_token": vanthu_token, "xac-nhan": "1"})
    assert early.status_code == 409 and "chưa được lãnh đạo duyệt" in early.get_data(as_text=True)
    page = admin.get(f"{DOC}/to-trinh-hoi-dong.html").get_data(as_text=True)
    revision = re.search(r'name="phien-ban" value="(\d+)"', page)[1]
    assert admin.post(f"{DOC}/to-trinh-hoi-dong/buoc/trinh-duyet",
                      data={"csrf_token": admin_token, "ly-do": "Kính trình", "phien-ban": revision}).status_code == 302
    assert admin.post(f"{DOC}/to-trinh-hoi-dong/buoc/duyet", data={"csrf_token": admin_token}).status_code == 403
    stale = leader.post(f"{DOC}/to-trinh-hoi-dong/buoc/duyet", data={"csrf_token": leader_token, "phien-ban": revision})
    assert stale.status_code == 409 and "người khác chuyển sang bước" in stale.get_data(as_text=True)
    no_reason = leader.post(f"{DOC}/to-trinh-hoi-dong/buoc/tra-lai", data={"csrf_token": leader_token})
    assert no_reason.status_code == 409 and "phải ghi lý do" in no_reason.get_data(as_text=True)
    leader.post(f"{DOC}/to-trinh-hoi-dong/buoc/tra-lai", data={"csrf_token": leader_token, "ly-do": "Bổ sung thành phần Tổ Thư ký"})
    assert state_of(app.extensions["cchc_engine"], C, "to-trinh-hoi-dong", None).state == "tra-lai"
    admin.post(f"{DOC}/to-trinh-hoi-dong/buoc/trinh-duyet", data={"csrf_token": admin_token})
    leader.post(f"{DOC}/to-trinh-hoi-dong/buoc/duyet", data={"csrf_token": leader_token})
    unconfirmed = vanthu.post(f"{DOC}/to-trinh-hoi-dong/ban-hanh", data={"csrf_token": vanthu_token})
    assert unconfirmed.status_code == 400 and "xác nhận" in unconfirmed.get_data(as_text=True)
    assert vanthu.post(f"{DOC}/to-trinh-hoi-dong/ban-hanh", data={"csrf_token": vanthu_token, "xac-nhan": "1"}).status_code == 302
    history = admin.get(f"{DOC}/to-trinh-hoi-dong.html").get_data(as_text=True)
    history = history[history.index('id="lich-su"'):]
    assert [step for step in re.findall(r"<td>([^<]+ → [^<]+)</td>", history)] == [
        "Dự thảo → Chờ lãnh đạo duyệt", "Chờ lãnh đạo duyệt → Bị trả lại", "Bị trả lại → Chờ lãnh đạo duyệt",
        "Chờ lãnh đạo duyệt → Đã duyệt", "Đã duyệt → Đã ban hành"]
    assert "Bổ sung thành phần Tổ Thư ký" in history and "Đinh Thị Thu Hà, Giám đốc Sở Nội vụ" in history


def test_withdrawn_and_replaced_documents(app, signers):
    engine = app.extensions["cchc_engine"]
    assert issue_through_the_form(app, C, "to-trinh-ke-hoach").status_code == 302
    old = issued_version(engine, state_of(engine, C, "to-trinh-ke-hoach", None).current_version_id)
    assert sign_through_the_form(app, C, old.id, signers["lanhdao"]).status_code == 302
    admin, token = _client(app, "admin")
    refused = admin.post(f"{DOC}/to-trinh-ke-hoach/buoc/thay-the", data={"csrf_token": token})
    assert refused.status_code == 409 and "phải ghi lý do" in refused.get_data(as_text=True)
    assert admin.post(f"{DOC}/to-trinh-ke-hoach/buoc/thay-the",
                      data={"csrf_token": token, "ly-do": "Sai tên Kế hoạch dẫn chiếu"}).status_code == 302
    assert state_of(engine, C, "to-trinh-ke-hoach", None).state == "du-thao"
    assert sign_through_the_form(app, C, old.id, signers["lanhdao"]).status_code == 422    # no longer in force
    assert issue_through_the_form(app, C, "to-trinh-ke-hoach").status_code == 302
    new = issued_version(engine, state_of(engine, C, "to-trinh-ke-hoach", None).current_version_id)
    assert new.number_line == "Số: 02/TTr-SNV" and issued_version(engine, old.id).status == "bi-thay-the"
    assert f"Văn bản này thay thế Tờ trình số 01/TTr-SNV ngày {old.issued_on:%d/%m/%Y} (Sai tên Kế hoạch dẫn chiếu)." in _lines(new.docx)
    vanthu, vanthu_token = _client(app, "vanthu")
    blind = vanthu.post(f"{DOC}/to-trinh-ke-hoach/buoc/thu-hoi", data={"csrf_token": vanthu_token, "ly-do": "Ban hành nhầm"})
    assert blind.status_code == 400
    assert vanthu.post(f"{DOC}/to-trinh-ke-hoach/buoc/thu-hoi",
                       data={"csrf_token": vanthu_token, "ly-do": "Ban hành nhầm", "xac-nhan": "1"}).status_code == 302
    assert state_of(engine, C, "to-trinh-ke-hoach", None).state == "thu-hoi"
    assert issued_version(engine, new.id).status == "thu-hoi"


def test_two_tabs_never_overwrite_each_other(app):
    """Finding 8: the second of two stale saves is refused (409), what it typed kept, the first kept."""
    engine = app.extensions["cchc_engine"]

    def reopen(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == "sxd")
        assessment.pop("report")
        return [Change(f"{C}/sxd/mo-lai", "đã nộp", None)]
    update_campaign(engine, C, reopen, "test")
    unit, token = _client(app, "soxaydung")
    url = f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia"
    page = unit.get(url).get_data(as_text=True)
    codes = re.findall(r'name="diem-([0-9.]+)"', page)
    tab_a, tab_b = _form(page), _form(page)
    tab_a.update({f"diem-{codes[0]}": "0", f"tm-{codes[0]}": "Sửa ở thẻ A", "hanh-dong": "luu"})
    tab_b.update({f"diem-{codes[1]}": "0", f"tm-{codes[1]}": "Sửa ở thẻ B", "hanh-dong": "luu"})
    assert unit.post(url, data=tab_a).status_code == 302
    before = stored_campaign_hash(engine, C)
    refused = unit.post(url, data=tab_b)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "đã được sửa và lưu sau khi bạn mở trang" in body and "Sửa ở thẻ B" in body
    changes = html.unescape(re.search(r'<div class="error" id="thay-doi-moi">(.*?)</div>', body, re.S)[1])   # walk U12
    assert "Đã lưu sau khi bạn mở trang" in changes and "chính bạn (ở thẻ hoặc cửa sổ khác)" in changes
    assert f"Sở Xây dựng, tiêu chí {codes[0]}: thuyết minh" in changes and "«Sửa ở thẻ A»" in changes
    assert f"tiêu chí {codes[0]}: điểm tự chấm" in changes
    for raw in ("explanation", "self_score", "null", "mo-lai", "người khác:"):     # no internals, nothing older
        assert raw not in changes, raw
    assert html.unescape(body).count("vẫn được giữ nguyên") == 1
    assert stored_campaign_hash(engine, C) == before
    rows = {s.code: s for s in load_stored_campaign(engine, C).assessment("sxd").scores}
    assert rows[codes[0]].explanation == "Sửa ở thẻ A" and rows[codes[1]].explanation != "Sửa ở thẻ B"
    other, _ = _client(app, "admin")                      # another unit's save does not conflict with this one
    snv = other.get(f"/chien-dich/{C}/don-vi/snv/tu-danh-gia").get_data(as_text=True)
    assert re.search(r'name="phien-ban" value="([^"]+)"', snv)[1] != re.search(r'name="phien-ban" value="([^"]+)"', page)[1]

    admin, _ = _client(app, "admin")
    plan = admin.get(f"/chien-dich/{C}/soan-thao/hoi-dong").get_data(as_text=True)
    first, second = _form(plan), _form(plan)
    name = next(k for k, v in first.items() if k.endswith("-ten") and v)
    first[name] += " (A)"
    second[name] += " (B)"
    assert admin.post(f"/chien-dich/{C}/soan-thao/hoi-dong", data=first).status_code == 302
    assert admin.post(f"/chien-dich/{C}/soan-thao/hoi-dong", data=second).status_code == 409


def test_a_file_over_the_limit_is_an_error_at_its_field(app):
    """Finding 10: an 11 MB scan is refused at its own box; the scores typed on the page stay."""
    engine = app.extensions["cchc_engine"]

    def reopen(data):
        next(a for a in data["assessments"] if a["unit"] == "sxd").pop("report")
        return [Change(f"{C}/sxd/mo-lai", "đã nộp", None)]
    update_campaign(engine, C, reopen, "test")
    unit, _ = _client(app, "soxaydung")
    url = f"/chien-dich/{C}/don-vi/sxd/tu-danh-gia"
    page = unit.get(url).get_data(as_text=True)
    code = re.findall(r'name="diem-([0-9.]+)"', page)[0]
    assert 'data-max-bytes="10485760"' in page and "tối đa 10 MB" in page
    before = stored_campaign_hash(engine, C)
    form = {**_form(page), f"diem-{code}": "0,25", "hanh-dong": "luu", f"tl-{code}-1-so": "9/BC", f"tl-{code}-1-ngay": "01/03/2026",
            f"tl-{code}-1-ten": "Bản quét", f"tl-{code}-1-tepmoi": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)), "quet.pdf")}
    response = unit.post(url, data=form, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "lớn hơn 10 MB" in body and 'value="0,25"' in body
    assert stored_campaign_hash(engine, C) == before


def test_documents_api_and_etags(app, signers):
    engine = app.extensions["cchc_engine"]
    admin, token = _client(app, "admin")
    headers = {"X-CSRF-Token": token}
    listing = admin.get(f"/api/campaigns/{C}/documents").get_json()
    assert {"loai": "huong-dan", "ten": "Hướng dẫn tự đánh giá, chấm điểm", "don_vi": None, "buoc": "du-thao",
            "ban_hien_hanh": None} in listing
    assert any(d["loai"] == "bao-cao-tu-danh-gia" and d["don_vi"] == "sxd" for d in listing)
    state = admin.get(f"/api/campaigns/{C}/documents/bao-cao-ket-qua").get_json()
    assert any("Sở Xây dựng (đã thẩm định lần 1)" in reason for reason in state["blocking"])
    assert admin.post(f"/api/campaigns/{C}/documents/huong-dan/issue", json={}, headers=headers).status_code == 403
    vanthu, vanthu_token = _client(app, "vanthu")           # the văn thư gives numbers, not the drafter (walk U24)
    issuing = {"X-CSRF-Token": vanthu_token}
    not_approved = vanthu.post(f"/api/campaigns/{C}/documents/huong-dan/issue", json={}, headers=issuing)
    assert not_approved.status_code == 409 and "chưa được lãnh đạo duyệt" in not_approved.get_json()["loi"]
    assert admin.post(f"/api/campaigns/{C}/documents/huong-dan/steps/trinh-duyet", json={"reason": "Kính trình"},
                      headers=headers).status_code == 200
    leader, leader_token = _client(app, "lanhdao")
    approved = leader.post(f"/api/campaigns/{C}/documents/huong-dan/steps/duyet", json={}, headers={"X-CSRF-Token": leader_token})
    assert approved.status_code == 200 and approved.get_json()["buoc"] == "da-duyet"
    issued = vanthu.post(f"/api/campaigns/{C}/documents/huong-dan/issue", json={}, headers=issuing)
    assert issued.status_code == 201 and issued.get_json()["so_ky_hieu"] == "Số: 01/HD-SNV"
    assert issued.get_json()["pdf_sha256"] is None           # typeset by the job queue after the commit
    frozen = admin.get(f"/api/campaigns/{C}/documents/huong-dan/issued.pdf")     # ... or by its first reader
    import hashlib
    versions = admin.get(f"/api/campaigns/{C}/documents/huong-dan").get_json()["phien_ban_da_ban_hanh"]
    assert frozen.data.startswith(b"%PDF-") and hashlib.sha256(frozen.data).hexdigest() == versions[0]["pdf_sha256"]
    assert admin.get(f"/api/campaigns/{C}/documents/huong-dan/issued.pdf").data == frozen.data
    blocked = admin.post(f"/api/campaigns/{C}/documents/bao-cao-ket-qua/steps/trinh-duyet", json={}, headers=headers)
    assert blocked.status_code == 200
    approve_with = leader.post(f"/api/campaigns/{C}/documents/bao-cao-ket-qua/steps/duyet", json={},
                               headers={"X-CSRF-Token": leader_token})
    assert approve_with.status_code == 200
    not_ready = vanthu.post(f"/api/campaigns/{C}/documents/bao-cao-ket-qua/issue", json={}, headers=issuing)
    assert not_ready.status_code == 409 and any("Sở Xây dựng" in r for r in not_ready.get_json()["blocking"])
    bad = vanthu.post(f"/api/campaigns/{C}/documents/huong-dan/issue", json={"number": "mười"}, headers=issuing)
    assert bad.status_code == 400 and "'number'" in bad.get_json()["loi"]

    got = admin.get(f"/api/campaigns/{C}")
    etag = got.headers["ETag"]
    assert admin.put(f"/api/campaigns/{C}", json=got.get_json(), headers={**headers, "If-Match": etag}).status_code == 200
    before = stored_campaign_hash(engine, C)
    stale = admin.put(f"/api/campaigns/{C}", json=got.get_json(), headers={**headers, "If-Match": '"0000"'})
    assert stale.status_code == 412 and stored_campaign_hash(engine, C) == before
    unit_state = admin.get(f"/api/campaigns/{C}/units/sxd/assessment")
    assert unit_state.get_json()["tinh_trang"] == "đã thẩm định lần 1"
    response = admin.put(f"/api/campaigns/{C}/units/sxd/explanation", headers={**headers, "If-Match": '"cu"'},
                         json={"scores": []})
    assert response.status_code == 412 and stored_campaign_hash(engine, C) == before
    fresh = admin.put(f"/api/campaigns/{C}/units/sxd/explanation", headers={**headers, "If-Match": unit_state.headers["ETag"]},
                      json={"scores": []})
    assert fresh.status_code == 200 and fresh.headers["ETag"]


def test_deadlines_close_a_units_steps(app):
    """Finding 12 and the unit's state machine: with deadlines enforced, an explanation not sent in time
    leaves 'không giải trình' (round 1 final, printed as such); an extension reopens the step."""
    engine = app.extensions["cchc_engine"]

    def enforce(data):
        data["settings"]["deadlines_enforced"] = True
        return [Change(f"{C}/settings", False, True)]
    update_campaign(engine, C, enforce, "test")
    app.config["CCHC_NOW"] = lambda: dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.timezone.utc)
    assert issue_through_the_form(app, C, "cong-van-ket-qua-tham-dinh", "sxd").status_code == 302   # notice of 16/11
    unit, token = _client(app, "soxaydung")
    url = f"/chien-dich/{C}/don-vi/sxd/giai-trinh"
    page = unit.get(url).get_data(as_text=True)
    assert "Hạn gửi giải trình: <strong>23/11/2026</strong>" in page                   # 5 working days
    app.config["CCHC_NOW"] = lambda: dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.timezone.utc)
    page = unit.get(url).get_data(as_text=True)
    assert "không giải trình" in page and "kết quả thẩm định lần 1 là kết quả cuối cùng" in page
    code = next(r.leaf.code for r in __import__("service.editing.assessment", fromlist=["x"]).leaf_rows(
        load_stored_campaign(engine, C), "sxd") if r.lost_points)
    late = unit.post(url, data={"csrf_token": _token(unit.get("/doi-mat-khau")), f"gt-{code}": "Muộn"})
    assert late.status_code == 400 and "Đã hết hạn giải trình" in late.get_data(as_text=True)
    admin, admin_token = _client(app, "admin")
    assert admin.post(f"/chien-dich/{C}/don-vi/sxd/gia-han", data={"csrf_token": admin_token, "gia-han-den": "26/11/2026",
                                                                    "gia-han-ly-do": "Đơn vị bị lỗi hệ thống"}).status_code == 302
    page = unit.get(url).get_data(as_text=True)
    assert "đã thẩm định lần 1" in page and f'name="gt-{code}"' in page
    sent = unit.post(url, data={"csrf_token": _token(unit.get("/doi-mat-khau")), "hanh-dong": "gui", "gt-so": "191",
                                "gt-ngay": "24/11/2026"})
    assert sent.status_code == 302
    report = _lines(unit.get(f"{DOC}/bao-cao-giai-trinh/sxd.docx").data)
    assert "Số: 191/BC-SXD" in report and "- Giải trình của đơn vị: (Đơn vị không có ý kiến giải trình.)" in report
    assert unit.get(url).get_data(as_text=True).count("(thống nhất với kết quả thẩm định)") >= 1


def test_results_wait_for_final_appraisals_or_a_recorded_exclusion(app):
    """Finding 6: the results report lists the units not final; excluding one with a reason (it leaves
    the ranking) clears it."""
    admin, token = _client(app, "admin")
    state = admin.get(f"/api/campaigns/{C}/documents/bao-cao-ket-qua").get_json()
    assert any("Sở Xây dựng" in r for r in state["blocking"])
    refused = admin.post(f"/chien-dich/{C}/don-vi/sxd/xep-hang", data={"csrf_token": token, "loai": "1"})
    assert refused.status_code == 422 and "cần ghi lý do" in refused.get_data(as_text=True)
    assert admin.post(f"/chien-dich/{C}/don-vi/sxd/xep-hang",
                      data={"csrf_token": token, "loai": "1", "loai-ly-do": "Sáp nhập giữa năm"}).status_code == 302
    state = admin.get(f"/api/campaigns/{C}/documents/bao-cao-ket-qua").get_json()
    assert not any("đơn vị chưa có kết quả" in r for r in state["blocking"])
    results = admin.get(f"/api/campaigns/{C}/results").get_json()
    assert "sxd" not in [r["don_vi"] for rows in results.values() for r in rows]
    dashboard = admin.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert "Không xếp hạng: Sáp nhập giữa năm" in dashboard


def test_lists_show_documents_numbered_outside_and_forms_as_they_are(app):
    """A plan issued outside the system shows its number and date in the lists; the survey form is a
    form, never a 'draft' waiting to be issued."""
    import lxml.html
    admin, _ = _client(app, "admin")
    for url in (f"/chien-dich/{C}", f"/chien-dich/{C}/soan-thao"):
        page = lxml.html.fromstring(admin.get(url).get_data(as_text=True))
        rows = {r.xpath("string(td[1])").strip(): r.text_content() for r in page.xpath("//table//tr[td]")}
        plan = next(text for name, text in rows.items() if name.startswith("Kế hoạch"))
        assert "Đã ban hành ngoài hệ thống" in plan
        if url.endswith(C):
            assert "Số: 125/KH-UBND, ngày 10/03/2026" in plan
            survey = next(text for name, text in rows.items() if name.startswith("Phiếu khảo sát"))
            assert "Biểu mẫu (không ban hành)" in survey and "Dự thảo" not in survey


def test_each_office_role_is_shown_what_waits_for_it():
    """The home page's 'Việc cần làm' of the leader, the văn thư and the drafters (issue 14 item 3):
    from the documents' states, what waits for that role's step; a unit's own report, issued by the
    unit, never waits for the office; the signed minutes (no seal) wait to be sent, not sealed."""
    from service.domain.lifecycle import waiting_for
    states = {("huong-dan", ""): "trinh-duyet", ("to-trinh-ket-qua", ""): "da-duyet", ("ke-hoach", ""): "da-ban-hanh",
              ("bien-ban", ""): "da-ky", ("quyet-dinh-hoi-dong", ""): "da-ky", ("bao-cao-tu-danh-gia", "sxd"): "da-ban-hanh",
              ("cong-van-ket-qua-tham-dinh", "sxd"): "da-dong-dau", ("to-trinh-hoi-dong", ""): "tra-lai"}
    assert waiting_for("leader", states) == [("chờ lãnh đạo duyệt", [("huong-dan", "")]),
                                             ("đã ban hành, chờ lãnh đạo ký số", [("ke-hoach", "")])]
    assert waiting_for("vanthu", states) == [("đã duyệt, chờ cấp số ban hành", [("to-trinh-ket-qua", "")]),
                                             ("đã ký, chờ đóng dấu số", [("quyet-dinh-hoi-dong", "")]),
                                             ("chờ phát hành tới Nơi nhận", [("bien-ban", ""),
                                                                              ("cong-van-ket-qua-tham-dinh", "sxd")])]
    assert waiting_for("admin", states) == [("bị lãnh đạo trả lại, cần sửa và trình lại", [("to-trinh-hoi-dong", "")])]
    assert waiting_for("secretariat", states) == [] and waiting_for("unit", states) == []
    assert waiting_for("secretariat", {("bien-ban", ""): "tra-lai"}) == [
        ("bị lãnh đạo trả lại, cần sửa và trình lại", [("bien-ban", "")])]


def test_a_refused_issue_keeps_what_the_vanthu_typed(app):
    """Walk finding 13: a UBND document sent without its date comes back on its own page with the
    reason at the top and the number typed still in its box — not a bare error page."""
    from tests.conftest import approve
    approve(app, "ninh-binh-2026", "quyet-dinh-hoi-dong")
    client = app.test_client()
    _, token = login(client, "vanthu")
    response = client.post("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-hoi-dong/ban-hanh",
                           data={"csrf_token": token, "so": "2150", "ngay": "", "ly-do-tre": "Chờ ý kiến", "xac-nhan": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 409, 422) and "Chưa ban hành" in page and 'id="ban-hanh"' in page
    assert 'name="so" size="6" inputmode="numeric" value="2150"' in page and 'value="Chờ ý kiến"' in page
    assert state_of(app.extensions["cchc_engine"], "ninh-binh-2026", "quyet-dinh-hoi-dong", None).state == "da-duyet"


def test_a_document_the_data_cannot_make_says_why_and_offers_no_step(app):
    """Walk U17: with no unit 'Yếu' there is no công văn chấn chỉnh to make: the page says so in words
    (no framed error page, no 'không phát hiện lỗi'), offers no 'Trình', and a forged step is refused."""
    engine = app.extensions["cchc_engine"]

    def gentle(data):
        data["classification"]["bands"][-2]["min"] = 1        # 'Trung bình' from 1 %: nobody is 'Yếu'
        return [Change(f"{C}/classification", 70, 1)]
    update_campaign(engine, C, gentle, "test")
    admin, token = _client(app, "admin")
    page = admin.get(f"{DOC}/cong-van-chan-chinh.html").get_data(as_text=True)
    assert "Chưa dựng được văn bản này từ dữ liệu hiện có:" in page and "không có đơn vị xếp loại thấp nhất" in page
    assert "<iframe" not in page and "không phát hiện lỗi" not in page and "Trình lãnh đạo duyệt" not in page
    forged = admin.post(f"{DOC}/cong-van-chan-chinh/buoc/trinh-duyet", data={"csrf_token": token})
    assert forged.status_code == 422 and "chưa dựng được văn bản" in forged.get_data(as_text=True)
    assert state_of(engine, C, "cong-van-chan-chinh", None).state == "du-thao"
