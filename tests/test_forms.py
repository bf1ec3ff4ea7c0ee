"""The scoring forms over HTTP on SQLite and PostgreSQL: a unit enters its self-assessment with
evidence and submits; the appraising agency scores only its criteria; the unit explains; round 2.
Errors come back next to the field with what was typed, and nothing stored changes."""
import io
import json
import re

import docx
import pytest

from data_models import Campaign
from service.domain.status import unit_status
from service.editing.assessment import leaf_rows
from service.store.notifications import unread
from service.store.campaigns import Change, audit_trail, load_stored_campaign, stored_campaign_hash, update_campaign
from tests.conftest import blank_pdf, login

CID = "ninh-binh-2026"
SELF = f"/chien-dich/{CID}/don-vi/sxd/tu-danh-gia"
APPRAISE = f"/chien-dich/{CID}/don-vi/sxd/tham-dinh"
EXPLAIN = f"/chien-dich/{CID}/don-vi/sxd/giai-trinh"
PDF = blank_pdf()


@pytest.fixture()
def fresh_unit(app):
    """Sở Xây dựng has not started its self-assessment (the fixture campaign is a finished one)."""
    engine = app.extensions["cchc_engine"]

    def drop(data):
        old = next(a for a in data["assessments"] if a["unit"] == "sxd")
        data["assessments"].remove(old)
        return [Change(f"{CID}/sxd", "có", None)]
    update_campaign(engine, CID, drop, "test")
    return engine


def _field_error(page: str, name: str) -> str:
    match = re.search(rf'id="loi-{re.escape(name)}" role="alert">([^<]+)<', page)
    return match.group(1) if match else ""


def _full_form(engine, token) -> dict:
    campaign = load_stored_campaign(engine, CID)
    rows = leaf_rows(campaign, "sxd")
    form = {"csrf_token": token}
    for row in rows:
        form[f"diem-{row.leaf.code}"] = str(row.leaf.max_points).replace(".", ",")
    return form, rows


def test_self_assessment_draft_errors_evidence_and_submission(app, fresh_unit):
    engine = fresh_unit
    client = app.test_client()
    _, token = login(client, "soxaydung")
    page = client.get(SELF).get_data(as_text=True)
    assert "Báo cáo tự đánh giá: Sở Xây dựng" in page and "chưa nộp" in page
    assert 'aria-label="Điểm tự chấm 1.1.1"' in page

    form, rows = _full_form(engine, token)
    first, second = rows[0].leaf, rows[1].leaf
    before = stored_campaign_hash(engine, CID)
    bad = {**form, f"diem-{first.code}": "99", f"diem-{second.code}": "một", f"tm-{first.code}": "Giữ nguyên & <đúng>",
           f"tl-{first.code}-0-so": "12/BC-SXD", f"tl-{first.code}-0-ngay": "2026-02-30", "hanh-dong": "luu"}
    response = client.post(SELF, data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert "vượt điểm tối đa" in _field_error(page, f"diem-{first.code}")
    assert "điểm phải là số" in _field_error(page, f"diem-{second.code}")
    assert "không tồn tại" in _field_error(page, f"tl-{first.code}-0-ngay")
    assert "Giữ nguyên &amp; &lt;đúng&gt;" in page and 'value="một"' in page   # typed text kept, escaped

    upload = {**form, f"tl-{first.code}-0-so": "12/BC-SXD", f"tl-{first.code}-0-ngay": "2026-03-05",
              f"tl-{first.code}-0-ten": "Báo cáo kết quả thực hiện kế hoạch CCHC quý I", "hanh-dong": "luu",
              f"tl-{first.code}-0-tepmoi": (io.BytesIO(PDF), "bao-cao-quy-1.pdf"),
              f"diem-{second.code}": "0,5"}
    response = client.post(SELF, data=upload, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = load_stored_campaign(engine, CID).assessment("sxd")
    row = next(s for s in stored.scores if s.code == first.code)
    assert row.self_score == first.max_points and row.evidence[0].number == "12/BC-SXD"
    assert str(row.evidence[0].date) == "2026-03-05" and len(row.evidence[0].file) == 64
    assert next(s for s in stored.scores if s.code == second.code).self_score == 0.5
    assert unit_status(load_stored_campaign(engine, CID), "sxd") == "chưa nộp"
    file = client.get(f"/chien-dich/{CID}/don-vi/sxd/tai-lieu/{row.evidence[0].file}")
    assert file.status_code == 200 and file.data == PDF
    trail = [e for e in audit_trail(engine, f"{CID}/sxd/{second.code}/self_score")]
    assert trail[-1].actor == "soxaydung" and json.loads(trail[-1].new_value) == 0.5

    fake = {**form, f"tl-{first.code}-1-so": "1/X", f"tl-{first.code}-1-ngay": "2026-03-05", "hanh-dong": "luu",
            f"tl-{first.code}-1-ten": "Ảnh", f"tl-{first.code}-1-tepmoi": (io.BytesIO(b"MZ\x90\x00"), "anh.pdf")}
    response = client.post(SELF, data=fake, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "nội dung không phải PDF" in _field_error(response.get_data(as_text=True), f"tl-{first.code}-1-tep")

    future = client.post(SELF, data={**form, "hanh-dong": "nop", "bc-so": "214", "bc-ngay": "29/10/2099"})
    assert future.status_code == 400 and "sau hôm nay" in _field_error(future.get_data(as_text=True), "bc-ngay")  # U19
    response = client.post(SELF, data={**form, f"diem-{first.code}": "", "hanh-dong": "nop"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "chưa tự chấm" in _field_error(page, f"diem-{first.code}")
    assert "không được để trống" in _field_error(page, "bc-so")
    evidence_kept = {f"tl-{first.code}-0-{k}": v for k, v in
                     (("so", "12/BC-SXD"), ("ngay", "2026-03-05"), ("ten", "Báo cáo kết quả thực hiện kế hoạch CCHC quý I"),
                      ("tep", row.evidence[0].file))}
    response = client.post(SELF, data={**form, **evidence_kept, "hanh-dong": "nop", "bc-so": "214", "bc-ngay": "2026-10-29"})
    assert response.status_code == 302
    campaign = load_stored_campaign(engine, CID)
    assert unit_status(campaign, "sxd") == "đã nộp" and campaign.assessment("sxd").report.number == 214
    report = client.get(f"/chien-dich/{CID}/van-ban/bao-cao-tu-danh-gia/sxd.docx")
    document = docx.Document(io.BytesIO(report.data))
    header = "\n".join(c.text for r in document.tables[0].rows for c in r.cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Số: 214/BC-SXD" in header and "ngày 29 tháng 10 năm 2026" in header
    assert "Kèm theo Báo cáo số 214/BC-SXD ngày 29 tháng 10 năm 2026 của Sở Xây dựng" in text
    locked = client.post(SELF, data={**form, "hanh-dong": "luu"})
    assert locked.status_code == 400 and "đã nộp" in locked.get_data(as_text=True)

    admin = app.test_client()
    _, admin_token = login(admin, "admin")
    assert "Trả lại báo cáo cho đơn vị" in admin.get(SELF).get_data(as_text=True)
    assert client.post(f"{SELF}/tra-lai", data={"csrf_token": token, "ly-do": "x"}).status_code == 403
    empty = admin.post(f"{SELF}/tra-lai", data={"csrf_token": admin_token, "ly-do": " "})
    assert empty.status_code == 422 and "cần ghi lý do trả lại" in empty.get_data(as_text=True)
    assert admin.post(f"{SELF}/tra-lai", data={"csrf_token": admin_token, "ly-do": "Thiếu tài liệu tiêu chí 1.1.1"}).status_code == 302
    campaign = load_stored_campaign(engine, CID)
    assert unit_status(campaign, "sxd") == "chưa nộp" and campaign.assessment("sxd").report is None
    assert next(s for s in campaign.assessment("sxd").scores if s.code == first.code).evidence[0].number == "12/BC-SXD"
    assert json.loads(audit_trail(engine, f"{CID}/sxd/tra-lai")[-1].new_value) == {"ly_do": "Thiếu tài liệu tiêu chí 1.1.1"}


def test_unit_cannot_touch_another_unit(app, fresh_unit):
    client = app.test_client()
    _, token = login(client, "soxaydung")
    assert client.get(f"/chien-dich/{CID}/don-vi/snv/tu-danh-gia").status_code == 403
    before = stored_campaign_hash(fresh_unit, CID)
    response = client.post(f"/chien-dich/{CID}/don-vi/snv/tu-danh-gia", data={"csrf_token": token, "diem-1.1.1": "0"})
    assert response.status_code == 403 and stored_campaign_hash(fresh_unit, CID) == before
    assert client.get(APPRAISE).status_code == 403
    snv_file = f"/chien-dich/{CID}/don-vi/snv/tai-lieu/{'0' * 64}"
    assert client.get(snv_file).status_code == 403


def _submit_all(client, engine, token):
    form, rows = _full_form(engine, token)
    response = client.post(SELF, data={**form, "hanh-dong": "nop", "bc-so": "214", "bc-ngay": "2026-10-29"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return rows


def test_appraisal_rounds_limited_to_the_agency_and_the_explanation(app, fresh_unit):
    engine = fresh_unit
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    appraiser = app.test_client()
    _, token = login(appraiser, "thamdinh")
    assert "chưa nộp báo cáo" in appraiser.get(APPRAISE).get_data(as_text=True)
    rows = _submit_all(unit, engine, unit_token)
    (opened,) = unread(engine, "thamdinh")                      # round 1 opens for the appraising agency
    assert opened.text.startswith("Sở Xây dựng đã gửi báo cáo tự đánh giá, chấm điểm (214/BC-SXD, ngày 29/10/2026)")
    assert opened.text.endswith("mở thẩm định lần 1 của cơ quan.") and opened.link == APPRAISE

    page = appraiser.get(APPRAISE).get_data(as_text=True)
    campaign: Campaign = load_stored_campaign(engine, CID)
    own = leaf_rows(campaign, "sxd", "skhcn")
    others = [r for r in rows if r.appraiser != "skhcn"]
    assert own and others and "Sở Khoa học và Công nghệ" in page
    assert all(f'name="v1-{r.leaf.code}"' in page for r in own)
    assert not any(f'name="v1-{r.leaf.code}"' in page for r in others)

    before = stored_campaign_hash(engine, CID)
    response = appraiser.post(APPRAISE, data={"csrf_token": token, f"v1-{others[0].leaf.code}": "0"})
    assert response.status_code == 403 and stored_campaign_hash(engine, CID) == before

    lowered = own[0].leaf
    form = {"csrf_token": token, **{f"v1-{r.leaf.code}": str(r.leaf.max_points) for r in own}}
    form[f"v1-{lowered.code}"] = "0"
    response = appraiser.post(APPRAISE, data=form)
    assert response.status_code == 400
    assert "phải ghi nhận xét" in _field_error(response.get_data(as_text=True), f"nx-{lowered.code}")
    assert stored_campaign_hash(engine, CID) == before
    form[f"nx-{lowered.code}"] = "Chưa có văn bản chứng minh việc triển khai."
    assert appraiser.post(APPRAISE, data=form).status_code == 302
    trail = audit_trail(engine, f"{CID}/sxd/{lowered.code}/round1")
    assert trail[-1].actor == "thamdinh" and json.loads(trail[-1].new_value) == 0

    admin = app.test_client()
    _, admin_token = login(admin, "admin")
    rest = {"csrf_token": admin_token, **{f"v1-{r.leaf.code}": str(r.leaf.max_points) for r in others}}
    assert admin.post(APPRAISE, data=rest).status_code == 302
    late = admin.post(f"{SELF}/tra-lai", data={"csrf_token": admin_token, "ly-do": "Muộn"})
    assert late.status_code == 422 and "đã được thẩm định" in late.get_data(as_text=True)
    assert unit_status(load_stored_campaign(engine, CID), "sxd") == "đã thẩm định lần 1"
    dashboard = admin.get(f"/chien-dich/{CID}").get_data(as_text=True)
    assert re.search(r"Sở Xây dựng</td><td>[^<]+</td>\s*<td><span class=\"status[^\"]*\">đã thẩm định lần 1", dashboard)

    page = unit.get(EXPLAIN).get_data(as_text=True)
    assert "Chưa có văn bản chứng minh việc triển khai." in page and f'name="gt-{lowered.code}"' in page
    response = unit.post(EXPLAIN, data={"csrf_token": unit_token, f"gt-{lowered.code}": "Đơn vị bổ sung Quyết định số 15/QĐ-SXD.",
                                        f"bs-{lowered.code}-0-so": "15/QĐ-SXD", f"bs-{lowered.code}-0-ngay": "2026-11-02",
                                        f"bs-{lowered.code}-0-ten": "Quyết định ban hành quy chế"})
    assert response.status_code == 302
    assert unit_status(load_stored_campaign(engine, CID), "sxd") == "đã thẩm định lần 1"     # a draft: not sent yet
    early = appraiser.post(APPRAISE, data={**form, f"v2-{lowered.code}": str(lowered.max_points)})
    assert early.status_code == 400 and "sau khi đơn vị gửi báo cáo giải trình" in _field_error(
        early.get_data(as_text=True), f"v2-{lowered.code}")
    early = unit.post(EXPLAIN, data={"csrf_token": unit_token, "hanh-dong": "gui", "gt-so": "220", "gt-ngay": "01/10/2026"})
    assert early.status_code == 400 and "trước ngày Báo cáo tự đánh giá 29/10/2026" in _field_error(   # walk U19
        early.get_data(as_text=True), "gt-ngay")
    backwards = unit.post(EXPLAIN, data={"csrf_token": unit_token, "hanh-dong": "gui", "gt-so": "190", "gt-ngay": "13/11/2026"})
    assert backwards.status_code == 400 and "số 190 ngày 13/11/2026 đứng trước số 214 ngày 29/10/2026" in _field_error(
        backwards.get_data(as_text=True), "gt-so")                          # D16: the report was 214 of 29/10
    assert "assessments[" not in backwards.get_data(as_text=True)          # its twin at the report is not repeated raw
    sent = unit.post(EXPLAIN, data={"csrf_token": unit_token, "hanh-dong": "gui", "gt-so": "220", "gt-ngay": "13/11/2026"})
    assert sent.status_code == 302
    assert unread(engine, "thamdinh")[0].text.endswith("mở thẩm định lần 2 các tiêu chí đơn vị giải trình của cơ quan.")
    campaign = load_stored_campaign(engine, CID)
    assert unit_status(campaign, "sxd") == "đã giải trình" and campaign.assessment("sxd").explanation_report.number == 220
    closed = unit.post(EXPLAIN, data={"csrf_token": unit_token, f"gt-{lowered.code}": "Sửa sau khi gửi"})
    assert closed.status_code == 400 and "đã gửi báo cáo giải trình" in closed.get_data(as_text=True)
    relowered = appraiser.post(APPRAISE, data={**form, f"v1-{lowered.code}": "0,25"})      # round 1 is final now
    assert relowered.status_code == 400 and "đã chốt" in _field_error(relowered.get_data(as_text=True), f"v1-{lowered.code}")
    response = appraiser.post(APPRAISE, data={**form, f"v2-{lowered.code}": str(lowered.max_points)})
    assert response.status_code == 302
    campaign = load_stored_campaign(engine, CID)
    assert unit_status(campaign, "sxd") == "hoàn thành"
    explanation = admin.get(f"/chien-dich/{CID}/van-ban/bao-cao-giai-trinh/sxd.docx")   # the frozen report the unit sent
    sent_report = docx.Document(io.BytesIO(explanation.data))
    text = "\n".join([p.text for p in sent_report.paragraphs] +
                     [c.text for t in sent_report.tables for r in t.rows for c in r.cells]).replace("\u00a0", " ")
    assert "Đơn vị bổ sung Quyết định số 15/QĐ-SXD." in text and "15/QĐ-SXD" in text and "Số: 220/BC-SXD" in text
    assert "Sở Xây dựng kính đề nghị Hội đồng thẩm định xem xét" in text


def test_json_api_does_the_same_edits(app, fresh_unit, monkeypatch):
    """The API's self-assessment, appraisal and explanation: the same checks as the forms, errors
    named by their JSON path, nothing stored on an error."""
    engine = fresh_unit
    sent = []
    monkeypatch.setattr("service.web.background.send", lambda celery, task, args, countdown=None: sent.append((task, args)))
    unit = app.test_client()
    _, token = login(unit, "soxaydung")
    headers = {"X-CSRF-Token": token}
    url = f"/api/campaigns/{CID}/units/sxd"
    rows = leaf_rows(load_stored_campaign(engine, CID), "sxd")
    before = stored_campaign_hash(engine, CID)
    bad = unit.put(f"{url}/self-assessment", headers=headers, json={"scores": [{"code": rows[0].leaf.code, "self_score": "99"}]})
    assert bad.status_code == 422 and stored_campaign_hash(engine, CID) == before
    assert bad.get_json()["chi_tiet"][0]["truong"] == "scores[0].self_score"
    assert "vượt điểm tối đa" in bad.get_json()["chi_tiet"][0]["thong_bao"]
    typed = unit.put(f"{url}/self-assessment", headers=headers, json={"scores": [{"code": rows[0].leaf.code, "self_score": "nhiều"}]})
    assert typed.status_code == 422 and typed.get_json()["chi_tiet"][0]["truong"] == "scores[0].self_score"
    unknown = unit.put(f"{url}/self-assessment", headers=headers, json={"scores": [{"code": "99.9", "self_score": 1}]})
    assert unknown.status_code == 422 and "99.9" in unknown.get_json()["loi"]
    early = unit.put(f"{url}/self-assessment", headers=headers,
                     json={"scores": [{"code": rows[0].leaf.code, "self_score": 0.5}], "submit": {"number": 214, "date": "2026-10-29"}})
    assert early.status_code == 422 and any(p["truong"] == f"scores[code={rows[1].leaf.code}].self_score"
                                                 for p in early.get_json()["chi_tiet"])
    body = {"scores": [{"code": r.leaf.code, "self_score": float(r.leaf.max_points),
                        "evidence": [{"number": "12/BC-SXD", "date": "2026-03-05", "title": "Báo cáo quý I"}]} for r in rows],
            "submit": {"number": 214, "date": "2026-10-29"}}
    saved = unit.put(f"{url}/self-assessment", headers=headers, json=body)
    assert saved.status_code == 200, saved.get_json()
    assert ("cchc.issued_pdfs", [CID]) in sent         # the report it sent is frozen; its PDF is the queue's
    assert saved.headers["ETag"]
    assert unit_status(load_stored_campaign(engine, CID), "sxd") == "đã nộp"
    assert unit.put(f"/api/campaigns/{CID}/units/snv/self-assessment", headers=headers, json=body).status_code == 403

    appraiser = app.test_client()
    _, atoken = login(appraiser, "thamdinh")
    own = [r for r in rows if r.appraiser == "skhcn"]
    other = [r for r in rows if r.appraiser != "skhcn"][0]
    refused = appraiser.put(f"{url}/appraisal", headers={"X-CSRF-Token": atoken},
                            json={"scores": [{"code": other.leaf.code, "round1": 0}]})
    assert refused.status_code == 403
    missing_remark = appraiser.put(f"{url}/appraisal", headers={"X-CSRF-Token": atoken},
                                   json={"scores": [{"code": own[0].leaf.code, "round1": 0}]})
    assert missing_remark.status_code == 422
    assert missing_remark.get_json()["chi_tiet"][0]["truong"] == "scores[0].remark"
    done = appraiser.put(f"{url}/appraisal", headers={"X-CSRF-Token": atoken},
                         json={"scores": [{"code": own[0].leaf.code, "round1": 0, "remark": "Thiếu quyết định ban hành."}]})
    assert done.status_code == 200 and done.get_json()["so_thay_doi"] == 2
    early = unit.put(f"{url}/explanation", headers=headers, json={"scores": [{"code": own[0].leaf.code, "response": "Sớm"}]})
    assert early.status_code == 422 and "chưa chấm xong lần 1" in early.get_json()["chi_tiet"][0]["thong_bao"]
    admin = app.test_client()
    _, admin_token = login(admin, "admin")
    rest = admin.put(f"{url}/appraisal", headers={"X-CSRF-Token": admin_token},
                     json={"scores": [{"code": r.leaf.code, "round1": float(r.leaf.max_points)} for r in rows if r not in own]
                           + [{"code": r.leaf.code, "round1": float(r.leaf.max_points)} for r in own[1:]]})
    assert rest.status_code == 200, rest.get_json()
    answer = unit.put(f"{url}/explanation", headers=headers,
                      json={"scores": [{"code": own[0].leaf.code, "response": "Đã bổ sung Quyết định số 15/QĐ-SXD."}]})
    assert answer.status_code == 200, answer.get_json()
    stored = next(s for s in load_stored_campaign(engine, CID).assessment("sxd").scores if s.code == own[0].leaf.code)
    assert stored.round1 == 0 and stored.response == "Đã bổ sung Quyết định số 15/QĐ-SXD."
    spec = app.test_client().get("/api/openapi.json").get_json()
    assert "/api/campaigns/{id}/units/{unit}/appraisal" in spec["paths"] and "AppraisalInput" in spec["components"]["schemas"]


@pytest.mark.slow
def test_concurrent_edits_of_different_units_are_all_kept(app):
    """Many units save at the same moment: every edit lands (read-modify-write under the row lock),
    and the campaign stays valid — on SQLite and on PostgreSQL."""
    from concurrent.futures import ThreadPoolExecutor

    from service.editing.assessment import extend_deadline
    engine = app.extensions["cchc_engine"]
    campaign = load_stored_campaign(engine, CID)
    targets = [unit.id for unit in campaign.units()][:12]

    def extend(unit_id):
        values = {"gia-han-den": "20/11/2026", "gia-han-ly-do": f"Gia hạn cho {unit_id} & <lý do>."}
        return update_campaign(engine, CID, lambda data: extend_deadline(data, CID, unit_id, values)[0], unit_id)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(extend, targets))
    stored = load_stored_campaign(engine, CID)
    for unit_id in targets:
        assert stored.assessment(unit_id).extension.reason == f"Gia hạn cho {unit_id} & <lý do>."
    assert len({e.actor for e in audit_trail(engine, f"{CID}/") if e.action == "sua-chien-dich"}) == len(targets)


def test_a_refused_save_reports_everything_at_once_and_keeps_the_accepted_file(app, fresh_unit):
    """Walk U4: one save with a good PDF, a fake PDF, 31/02, 'abc', a score above its maximum and a
    bonus above its maximum: every error in one round, nothing stored, the good file held for the
    retry (not chosen again), and no empty evidence row added per refused save."""
    engine = fresh_unit
    client = app.test_client()
    _, token = login(client, "soxaydung")
    form, rows = _full_form(engine, token)
    first, second, third = (r.leaf for r in rows[:3])
    bonus = load_stored_campaign(engine, CID).criteria_for("so-ban-nganh").adjustments[0]
    before = stored_campaign_hash(engine, CID)
    files_before = client.get(SELF).get_data(as_text=True).count("/tai-lieu/")
    bad = {**form, "hanh-dong": "luu", f"diem-{second.code}": "abc", f"diem-{third.code}": "5",
           f"tdc-{bonus.code}": str(bonus.max_points + 3).replace(".", ","),
           f"tl-{first.code}-0-so": "12/BC-SXD", f"tl-{first.code}-0-ngay": "05/03/2026",
           f"tl-{first.code}-0-ten": "Báo cáo quý I", f"tl-{first.code}-0-tepmoi": (io.BytesIO(PDF), "bao-cao-quy-1.pdf"),
           f"tl-{second.code}-0-so": "13/BC-SXD", f"tl-{second.code}-0-ngay": "31/02/2026",
           f"tl-{second.code}-0-ten": "Ảnh", f"tl-{second.code}-0-tepmoi": (io.BytesIO(b"MZ\x90\x00"), "anh.pdf")}
    response = client.post(SELF, data=bad, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert "nội dung không phải PDF" in _field_error(page, f"tl-{second.code}-0-tep")
    assert "không tồn tại" in _field_error(page, f"tl-{second.code}-0-ngay")
    assert "điểm phải là số" in _field_error(page, f"diem-{second.code}")
    assert "vượt điểm tối đa" in _field_error(page, f"diem-{third.code}")
    assert "vượt mức tối đa" in _field_error(page, f"tdc-{bonus.code}")
    assert "bao-cao-quy-1.pdf <small>(đã nhận tệp; được lưu khi biểu mẫu lưu được)" in page
    assert page.count("/tai-lieu/") == files_before                        # not in the unit's store yet
    assert all(f'name="tl-{r.leaf.code}-1-so"' not in page for r in rows[2:])  # one empty row each, as before

    digest = re.search(rf'name="tl-{first.code}-0-tep" value="([0-9a-f]{{64}})"', page)[1]
    retry = {**form, "hanh-dong": "luu", f"diem-{third.code}": "abc",
             f"tl-{first.code}-0-so": "12/BC-SXD", f"tl-{first.code}-0-ngay": "05/03/2026",
             f"tl-{first.code}-0-ten": "Báo cáo quý I", f"tl-{first.code}-0-tep": digest,
             f"tl-{first.code}-1-so": "", f"tl-{first.code}-1-ngay": "", f"tl-{first.code}-1-ten": ""}
    page = client.post(SELF, data=retry).get_data(as_text=True)            # refused again: still held
    assert "điểm phải là số" in _field_error(page, f"diem-{third.code}") and not _field_error(page, f"tl-{first.code}-0-tep")
    assert f'name="tl-{first.code}-2-so"' not in page                       # the page does not grow per retry
    assert client.post(SELF, data={**retry, f"diem-{third.code}": "0"}).status_code == 302
    stored = next(s for s in load_stored_campaign(engine, CID).assessment("sxd").scores if s.code == first.code)
    assert stored.evidence[0].file == digest and len(stored.evidence) == 1
    assert client.get(f"/chien-dich/{CID}/don-vi/sxd/tai-lieu/{digest}").data == PDF
    from service.store.held_uploads import held
    assert held(engine, CID, "sxd", "soxaydung") == []                     # stored with the edit, no longer held
    other = app.test_client()                                               # another account never sees held files
    login(other, "admin")
    assert "đã nhận tệp" not in other.get(SELF).get_data(as_text=True)


def test_not_applicable_is_offered_and_accepted_only_where_the_set_allows_it(app, fresh_unit):
    """Walk N12: the Sở's set names no 'không áp dụng' case, so the box is not offered and a forged
    one is refused at the criterion, nothing stored."""
    engine = fresh_unit
    client = app.test_client()
    _, token = login(client, "soxaydung")
    form, rows = _full_form(engine, token)
    assert 'name="ktd-' not in client.get(SELF).get_data(as_text=True)
    before = stored_campaign_hash(engine, CID)
    response = client.post(SELF, data={**form, "hanh-dong": "luu", f"ktd-{rows[0].leaf.code}": "1"})
    assert response.status_code == 400 and stored_campaign_hash(engine, CID) == before
    assert "áp dụng cho mọi đơn vị của nhóm" in _field_error(response.get_data(as_text=True), f"diem-{rows[0].leaf.code}")
