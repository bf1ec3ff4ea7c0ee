"""The survey collected in the workspace (issue 26): the Sở Nội vụ opens it from the plan's sample;
respondents answer by a group's link or a one-time code, with no account and no cookie; a form counts
once (replays, used codes, a full quota, a closed survey, a bot without the form's token: a Vietnamese
page each, nothing counted); answers are kept apart from codes, addresses and times; the collected
forms flow into the units' survey tallies and so into the index — on SQLite and PostgreSQL."""
import datetime as dt
import io
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from service.store.campaigns import audit_trail, load_stored_campaign
from service.store.survey_collection import answered_forms, survey_of
from tests.conftest import login

C = "ninh-binh-2026"
PAGE = f"/chien-dich/{C}/dieu-tra"


def _day(app) -> dt.date:
    from service.web.clock import today
    with app.test_request_context():
        return today()


def _open(app, **quotas):
    admin = app.test_client()
    _, token = login(admin, "admin")
    day = _day(app)
    page = admin.get(PAGE).get_data(as_text=True)
    planned = dict(re.findall(r'name="(so-phieu-[a-z-]+)" inputmode="numeric" size="6" value="(\d+)"', page))
    assert planned == {"so-phieu-so-ban-nganh-lanh-dao-phong": "35", "so-phieu-so-ban-nganh-lanh-dao-xa": "38",
                       "so-phieu-so-ban-nganh-nguoi-dan": "40", "so-phieu-ubnd-xa-cong-chuc-xa": "40",
                       "so-phieu-ubnd-xa-nguoi-dan": "35"}                      # the plan's sample per unit
    form = {"csrf_token": token, "mo": f"{day - dt.timedelta(days=1):%d/%m/%Y}", "dong": f"{day + dt.timedelta(days=10):%d/%m/%Y}",
            **planned, **{f"so-phieu-so-ban-nganh-{k.replace('_', '-')}": str(v) for k, v in quotas.items()}}
    response = admin.post(PAGE, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return admin, token


def _link(admin, unit="sxd", group="lanh-dao-phong") -> str:
    page = admin.get(PAGE).get_data(as_text=True)
    row = re.search(rf'<tr data-don-vi="{unit}" data-nhom="{group}">.*?</tr>', page, re.S).group(0)
    return re.search(r"<code>http://localhost(/ks/lien-ket/[^<]+)</code>", row).group(1)


def _token(page: str) -> str:
    return re.search(r'name="phieu" value="([^"]+)"', page).group(1)


def _answers(page: str, value: str = "4") -> dict:
    return {name: value for name in sorted(set(re.findall(r'type="radio" name="(c-[0-9-]+)"', page)))}


def test_a_form_by_link_counts_once_and_keeps_no_trace_of_who(app):
    engine = app.extensions["cchc_engine"]
    admin, _ = _open(app)
    survey = survey_of(engine, C)
    link = _link(admin)
    public = app.test_client()
    shown = public.get(link)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Set-Cookie" not in shown.headers
    assert "Phiếu khảo sát ý kiến về Sở Xây dựng" in page and "Lãnh đạo phòng, đơn vị thuộc sở" in page
    assert "không ghi tên" in page and "không lưu địa chỉ mạng, trình duyệt hay thời điểm" in page
    assert "Rất quyết liệt" in page and "<script" not in page
    answers = _answers(page)
    assert len(answers) == 8 and next(iter(answers)) == "c-1-4-1"            # the form's first question

    bot = public.post(link, data=answers)                                      # never fetched the form
    assert bot.status_code == 400 and "không phải phiếu do hệ thống cấp" in bot.get_data(as_text=True)
    forged = public.post(link, data={**answers, "phieu": "abc.0123456789abcdef0123456789abcdef"})
    assert forged.status_code == 400
    token = _token(page)
    first = next(iter(answers))
    partial = public.post(link, data={**answers, first: "", "phieu": token})
    text = partial.get_data(as_text=True)
    assert partial.status_code == 422 and "Câu 1: chưa chọn câu trả lời." in text
    assert text.count(" checked>") == 7                                        # what was chosen is kept
    off = public.post(link, data={**answers, first: "9", "phieu": token})
    assert off.status_code == 422 and "câu trả lời không có trong phiếu" in off.get_data(as_text=True)
    assert answered_forms(engine, survey.id) == {}

    sent = public.post(link, data={**answers, "phieu": token})
    assert sent.status_code == 200 and "Xin cảm ơn ông (bà)!" in sent.get_data(as_text=True)
    assert "Set-Cookie" not in sent.headers
    for _ in range(10):                                                        # the same page sent again
        again = public.post(link, data={**answers, "phieu": token})
        assert again.status_code == 409 and "chỉ được tính một lần" in again.get_data(as_text=True)
    forms = answered_forms(engine, survey.id)
    assert forms == {("sxd", "lanh-dao-phong"): [{code.replace("c-", "").replace("-", "."): "4" for code in answers}]}

    columns = {table: {c["name"] for c in sa.inspect(engine).get_columns(table)}
               for table in ("survey_responses", "survey_codes", "survey_form_tokens", "survey_payees")}
    assert columns["survey_responses"] == {"id", "survey_id", "unit_id", "group_id", "channel", "answers"}
    assert columns["survey_codes"] == {"code_sha256", "survey_id", "unit_id", "group_id", "used"}
    assert columns["survey_form_tokens"] == {"token_sha256", "survey_id"}
    assert columns["survey_payees"] == {"id", "survey_id", "full_name", "contact"}
    with engine.connect() as connection:
        ids = connection.execute(sa.text("select id from survey_responses")).scalars().all()
    assert len(ids) == 1 and re.fullmatch(r"[0-9a-f]{32}", ids[0])           # random, not a sequence


def test_codes_are_used_once_the_quota_closes_and_so_does_the_survey(app):
    engine = app.extensions["cchc_engine"]
    admin, token = _open(app, lanh_dao_phong=2)
    made = admin.post(f"{PAGE}/ma-phieu", data={"csrf_token": token, "don-vi": "stp", "nhom": "lanh-dao-phong", "so-ma": "3"})
    assert made.status_code == 200
    sheet = load_workbook(io.BytesIO(made.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    codes = [row[1] for row in rows]
    assert len(codes) == 3 and all(re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", c) for c in codes)
    assert rows[0][2] == f"http://localhost/ks/{codes[0]}"
    import pdfplumber
    labels = admin.post(f"{PAGE}/ma-phieu", data={"csrf_token": token, "don-vi": "stp", "nhom": "lanh-dao-phong",
                                                  "so-ma": "2", "dang": "tem"})
    assert labels.status_code == 200 and labels.data.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(labels.data)) as pdf:
        text = pdf.pages[0].extract_text()
        assert len(pdf.pages[0].lines) >= 2 * 20                                    # each QR code: a row of modules per line
    assert "Sở Tư pháp · Lãnh đạo phòng, đơn vị thuộc sở" in text and "http://localhost/ks" in text
    assert len(re.findall(r"\b[2-9A-HJKMNP-Z]{5} [2-9A-HJKMNP-Z]{5}\b", text)) == 2
    with engine.connect() as connection:                                      # only digests are kept
        stored = connection.execute(sa.text("select code_sha256 from survey_codes")).scalars().all()
    assert not set(codes) & set(stored)

    public = app.test_client()
    typed = public.get("/ks", query_string={"ma": codes[0].lower()[:5] + " - " + codes[0].lower()[5:]})
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"/ks/{codes[0]}")
    page = public.get(f"/ks/{codes[0]}").get_data(as_text=True)
    assert "Sở Tư pháp" in page
    assert public.post(f"/ks/{codes[0]}", data={**_answers(page, "3"), "phieu": _token(page)}).status_code == 200
    used = public.get(f"/ks/{codes[0]}")
    assert used.status_code == 409 and "đã được dùng" in used.get_data(as_text=True)
    fresh = public.post(f"/ks/{codes[0]}", data={**_answers(page, "3"), "phieu": _token(public.get(f"/ks/{codes[1]}").get_data(as_text=True))})
    assert fresh.status_code == 409 and "mỗi mã chỉ trả lời một lần" in fresh.get_data(as_text=True)   # a new page, the same code
    page = public.get(f"/ks/{codes[1]}").get_data(as_text=True)
    assert public.post(f"/ks/{codes[1]}", data={**_answers(page, "2"), "phieu": _token(page)}).status_code == 200
    full = public.get(f"/ks/{codes[2]}")
    assert full.status_code == 410 and "đã nhận đủ số phiếu" in full.get_data(as_text=True)
    unknown = public.get("/ks/AAAAAAAAAA")
    assert unknown.status_code == 404 and "Mã phiếu không đúng" in unknown.get_data(as_text=True)
    assert len(answered_forms(engine, survey_of(engine, C).id)[("stp", "lanh-dao-phong")]) == 2

    link = _link(admin, "snv")
    page = public.get(link).get_data(as_text=True)
    assert admin.post(f"{PAGE}/dong", data={"csrf_token": token, "dong-ngay": "1"}).status_code == 302
    closed = public.post(link, data={**_answers(page), "phieu": _token(page)})
    assert closed.status_code == 410 and "đã kết thúc" in closed.get_data(as_text=True)
    assert public.get(link).status_code == 410
    assert ("snv", "lanh-dao-phong") not in answered_forms(engine, survey_of(engine, C).id)


def test_collected_forms_flow_into_the_units_tallies_and_the_index(app):
    engine = app.extensions["cchc_engine"]
    admin, token = _open(app)
    link = _link(admin)
    public = app.test_client()
    for value in ("4", "4", "1"):
        page = public.get(link).get_data(as_text=True)
        assert public.post(link, data={**_answers(page, value), "phieu": _token(page)}).status_code == 200
    progress = admin.get(f"/api/campaigns/{C}/survey/progress").get_json()
    row = next(r for r in progress["don_vi"] if r["don_vi"] == "sxd" and r["nhom"] == "lanh-dao-phong")
    assert progress["mo"] is True and (row["da_nhan"], row["chi_tieu"]) == (3, 35)
    page = admin.get(PAGE).get_data(as_text=True)
    assert re.search(r'data-don-vi="sxd" data-nhom="lanh-dao-phong">.*?3 / 35', page, re.S)

    assert admin.post(f"{PAGE}/cap-nhat", data={"csrf_token": token}).status_code == 302
    stored = next(a for a in load_stored_campaign(engine, C).survey_answers
                  if a.unit == "sxd" and a.respondent_group == "lanh-dao-phong")
    assert stored.forms == 3 and stored.answers["1.4.1"] == {"4": 2, "1": 1}
    assert any(entry.action == "dieu-tra-truc-tuyen" for entry in audit_trail(engine, f"{C}/sxd/khao-sat/lanh-dao-phong"))
    sheet = load_workbook(io.BytesIO(admin.get(f"{PAGE}/tra-loi.xlsx").data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 3 and all(r[0] == "Sở Xây dựng" and r[1] == "lanh-dao-phong" for r in rows)


def test_a_province_paying_per_form_keeps_its_payees_apart(app):
    from service.store.survey_collection import payees_of
    engine = app.extensions["cchc_engine"]
    admin = app.test_client()
    _, token = login(admin, "admin")
    day = _day(app)
    assert admin.post(PAGE, data={"csrf_token": token, "mo": f"{day:%d/%m/%Y}", "dong": f"{day:%d/%m/%Y}",
                                  "so-phieu-so-ban-nganh-lanh-dao-phong": "5", "so-phieu-so-ban-nganh-lanh-dao-xa": "0",
                                  "so-phieu-so-ban-nganh-nguoi-dan": "0", "so-phieu-ubnd-xa-cong-chuc-xa": "0",
                                  "so-phieu-ubnd-xa-nguoi-dan": "0", "tra-thu-lao": "1"}).status_code == 302
    link = _link(admin)
    public = app.test_client()
    page = public.get(link).get_data(as_text=True)
    thanks = public.post(link, data={**_answers(page), "phieu": _token(page)}).get_data(as_text=True)
    assert "danh sách riêng, không gắn với câu trả lời" in thanks
    action = re.search(r'<form method="post" action="([^"]+)">', thanks).group(1)
    payee_token = re.search(r'name="thu-lao" value="([^"]+)"', thanks).group(1)
    empty = public.post(action, data={"thu-lao": payee_token, "ho-ten": "", "lien-he": "0912 345 678"})
    assert empty.status_code == 422 and "Họ tên: chưa ghi." in empty.get_data(as_text=True)
    ok = public.post(action, data={"thu-lao": payee_token, "ho-ten": "Nguyễn Văn A", "lien-he": "0912 345 678"})
    assert ok.status_code == 200 and "không gắn với câu trả lời" in ok.get_data(as_text=True)
    assert public.post(action, data={"thu-lao": payee_token, "ho-ten": "Nguyễn Văn B", "lien-he": "1"}).status_code == 409
    assert [p.full_name for p in payees_of(engine, survey_of(engine, C).id)] == ["Nguyễn Văn A"]


def test_opening_refuses_bad_input_naming_the_field_and_only_the_office_opens(app):
    admin = app.test_client()
    _, token = login(admin, "admin")
    bad = admin.post(PAGE, data={"csrf_token": token, "mo": "31/02/2027", "dong": "01/01/2027",
                                 "so-phieu-so-ban-nganh-lanh-dao-phong": "-3", "so-phieu-so-ban-nganh-lanh-dao-xa": "x",
                                 "so-phieu-so-ban-nganh-nguoi-dan": "4", "so-phieu-ubnd-xa-cong-chuc-xa": "4",
                                 "so-phieu-ubnd-xa-nguoi-dan": "4"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "ngày mở" in text
    assert "Lãnh đạo phòng, đơn vị thuộc sở (các sở, ban, ngành): số phiếu mỗi đơn vị phải là số nguyên" in text
    assert survey_of(app.extensions["cchc_engine"], C) is None
    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    assert unit.get(PAGE).status_code == 403
    assert unit.post(PAGE, data={"csrf_token": unit_token}).status_code == 403


def test_a_clerk_types_paper_forms_and_a_sample_is_entered_twice(app, monkeypatch):
    """Paper forms with the keyboard alone: the answers as digits, Enter saves and opens the next form;
    a typing mistake is named by its question and nothing is stored; a sample form is typed twice and
    the two entries compared (the error rate on the survey's page)."""
    from service.web import survey_admin
    engine = app.extensions["cchc_engine"]
    admin, token = _open(app)
    entry = f"{PAGE}/nhap-phieu?don-vi=snv&nhom=lanh-dao-phong"
    page = admin.get(entry).get_data(as_text=True)
    assert 'id="tra-loi"' in page and "autofocus" in page and "<strong>4</strong> Rất quyết liệt" in page

    def send(typed, page, **extra):
        return admin.post(entry, data={"csrf_token": token, "phieu": _token(page), "don-vi": "snv", "nhom": "lanh-dao-phong",
                                       "tra-loi": typed, **extra})
    monkeypatch.setattr(survey_admin, "DOUBLE_ENTRY_EVERY", 1_000_000_000)      # no sample for these
    short = send("3434", page)
    assert short.status_code == 422 and "phiếu có 8 câu, đã gõ 4 câu trả lời" in short.get_data(as_text=True)
    wrong = send("34347444", page)
    assert wrong.status_code == 422 and "Câu 5: «7» không có trong thang 1–4" in wrong.get_data(as_text=True)
    saved = send("3434 3444".replace(" ", ""), page)
    assert saved.status_code == 302
    assert "Đã lưu phiếu giấy (1/35)" in admin.get(saved.headers["Location"]).get_data(as_text=True)
    assert send("33333333", page).status_code == 409                           # the same screen sent twice

    monkeypatch.setattr(survey_admin, "DOUBLE_ENTRY_EVERY", 1)                 # every form is in the sample now
    page = admin.get(entry).get_data(as_text=True)
    again = send("44444444", page)
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "Phiếu mẫu kiểm tra" in text and 'name="lan-dau"' in text
    first = re.search(r'name="lan-dau" value="([^"]*)"', text, re.S).group(1)
    import html
    differ = send("44144444", page, **{"lan-dau": html.unescape(first)})
    assert differ.status_code == 409 and "Hai lần nhập khác nhau ở câu 3" in differ.get_data(as_text=True)
    final = send("44444444", page, **{"lan-cuoi": "1"})
    assert final.status_code == 302
    forms = answered_forms(engine, survey_of(engine, C).id)[("snv", "lanh-dao-phong")]
    assert sorted("".join(f[c] for c in sorted(f, key=lambda c: [int(p) for p in c.split(".")])) for f in forms) \
        == ["34343444", "44444444"]
    survey = survey_of(engine, C)
    assert (survey.paper_checked, survey.paper_mismatched) == (1, 1)
    assert "1/1 phiếu khác nhau" in admin.get(PAGE).get_data(as_text=True)


def test_forms_collected_with_limesurvey_or_kobo_count_once_against_the_same_quota(app):
    """A KoboToolbox export (.xlsx: a column per question named by its code, choices as words, '_uuid')
    and a LimeSurvey export (.csv: 'id', columns 'c141' …, answer codes 'A4'): read, counted against the
    quota, imported twice counted once; a row that cannot be read names its row and question and
    nothing of the file is taken."""
    from openpyxl import Workbook
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.domain.survey_forms import questions
    engine = app.extensions["cchc_engine"]
    admin, token = _open(app)
    asked = questions(load_campaign(FIXTURES_DIR / C), "sxd", "lanh-dao-phong")
    book = Workbook()
    sheet = book.active
    sheet.append(["start", "end", *[f"group_a/q_{q.code.replace('.', '_')}" for q in asked], "_uuid"])
    for n in range(3):
        sheet.append(["2026-10-01", "2026-10-01", *[q.options[-1][1] for q in asked], f"uuid-{n}"])
    buffer = io.BytesIO()
    book.save(buffer)

    def send(data, name, choice="sxd|lanh-dao-phong"):
        return admin.post(f"{PAGE}/nhap-tep", data={"csrf_token": token, "chon": choice, "tep": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")
    first = send(buffer.getvalue(), "kobo.xlsx")
    assert first.status_code == 200 and "đã tính 3 phiếu" in first.get_data(as_text=True)
    again = send(buffer.getvalue(), "kobo.xlsx")
    assert "đã tính 0 phiếu; 3 phiếu đã nhập trước đó" in again.get_data(as_text=True)
    forms = answered_forms(engine, survey_of(engine, C).id)[("sxd", "lanh-dao-phong")]
    assert len(forms) == 3 and all(set(f.values()) == {"4"} for f in forms)

    codes = ",".join(f"c{q.code.replace('.', '')}" for q in asked)
    lime = f"id,submitdate,{codes}\n1,2026-10-02,{','.join(['A3'] * len(asked))}\n2,2026-10-02,{','.join(['AO02'] * len(asked))}\n"
    assert "đã tính 2 phiếu" in send(lime.encode(), "limesurvey.csv", "stp|lanh-dao-phong").get_data(as_text=True)
    bad = lime.replace("1,2026-10-02,A3", "3,2026-10-02,A9").replace("2,2026-10-02,AO02", "4,2026-10-02,")
    refused = send(bad.encode(), "limesurvey.csv", "stp|lanh-dao-phong")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f"dòng 2, câu {asked[0].code}: «A9» không có trong thang trả lời" in text
    assert f"dòng 3, câu {asked[0].code}: để trống" in text
    assert len(answered_forms(engine, survey_of(engine, C).id)[("stp", "lanh-dao-phong")]) == 2
    wrong = send(b"foo,bar\n1,2\n", "khac.csv", "stp|lanh-dao-phong")
    assert wrong.status_code == 400 and "không thấy cột của câu hỏi" in wrong.get_data(as_text=True)
    assert send(b"PK\x03\x04garbage", "hong.xlsx").status_code == 400


def test_forms_reach_the_index_by_themselves_while_they_come_in(app, monkeypatch):
    """A form taken asks the queue to carry the tallies, throttled: a steady stream of forms is carried
    once per delay after its first form (not after the last, which may never come); the task writes
    the tallies under the system's name in the audit trail."""
    import time

    from service.jobs.debounce import Debouncer
    from service.jobs.tasks import SURVEY_ACTOR
    from service.editing.survey_carry import carry_tallies
    engine = app.extensions["cchc_engine"]
    clock = [0.0]
    throttled = Debouncer(1.0, lambda args: None, clock=lambda: clock[0], throttle=True)
    throttled.submit("k", [1])
    clock[0] = 0.9
    throttled.submit("k", [2])
    assert throttled.waiting["k"] == (1.0, [2])                 # the first submit's deadline, the last args
    throttled.cancel()

    sent = []
    debouncer = app.extensions["cchc_survey_debouncer"]
    monkeypatch.setattr(debouncer, "send", lambda args: sent.append(args))
    monkeypatch.setattr(debouncer, "delay", 0.3)
    admin, _ = _open(app)
    link = _link(admin, "snv")
    public = app.test_client()
    for value in ("4", "3"):
        page = public.get(link).get_data(as_text=True)
        assert public.post(link, data={**_answers(page, value), "phieu": _token(page)}).status_code == 200
    for _ in range(50):
        if sent:
            break
        time.sleep(0.1)
    time.sleep(0.4)
    assert sent == [[C]]
    carried = carry_tallies(engine, C, SURVEY_ACTOR)
    assert (carried.units, carried.groups, carried.problems) == (1, 1, [])
    stored = next(a for a in load_stored_campaign(engine, C).survey_answers
                  if a.unit == "snv" and a.respondent_group == "lanh-dao-phong")
    assert stored.forms == 2 and stored.answers["1.4.1"] == {"4": 1, "3": 1}
    assert audit_trail(engine, f"{C}/snv/khao-sat/lanh-dao-phong")[-1].actor == SURVEY_ACTOR
    assert carry_tallies(engine, C, SURVEY_ACTOR).groups == 0                      # nothing new: nothing written
