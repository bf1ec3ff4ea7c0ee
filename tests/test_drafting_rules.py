"""The legal drafting rules (issue 13): each one broken on purpose and seen to fire, the demo campaigns
clean of them (their dates agree with their calendars), bad data refused where it enters, and a
finding blocking issuing while the draft still renders."""
import copy
import dataclasses
import datetime as dt
import json
import re

import pytest

from data_models import InvalidCampaign, parse_campaign
from fixtures import FIXTURES_DIR
from service.conformance import check_docx
from service.conformance.drafting import check_drafting
from service.documents import KINDS, compose
from service.documents.body import Paragraph, Run
from service.domain.calendar import date_problems, plan_deadlines, suggested_month, task_window
from service.render.docx_writer import render_docx

from .conftest import open_docx

CAMPAIGNS = ["ninh-binh-2026", "ha-nam-2023", "tra-vinh-2023"]


@pytest.fixture(scope="module")
def raw():
    return {cid: json.loads((FIXTURES_DIR / cid / "campaign.json").read_text(encoding="utf-8")) for cid in CAMPAIGNS}


def _campaign(raw, cid="ninh-binh-2026", change=None):
    data = copy.deepcopy(raw[cid])
    if change:
        change(data)
    return parse_campaign(data)


def _rules(campaign, kind, unit=None, templates=None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in check_drafting(compose(campaign, kind, unit, templates), campaign, kind, unit):
        out.setdefault(finding.rule, []).append(finding.message)
    return out


# ---------------------------------------------------------------------------- the demo campaigns


@pytest.mark.slow
@pytest.mark.parametrize("cid", CAMPAIGNS)
def test_the_demo_documents_follow_the_drafting_rules_and_their_calendar(raw, cid):
    campaign = _campaign(raw, cid)
    found = []
    for kind, document_kind in KINDS.items():
        units = [u.id for u in campaign.units()] if document_kind.per_unit else [None]
        for unit in units:
            try:
                document = compose(campaign, kind, unit)
            except ValueError:                      # a kind the campaign has no data for (Trà Vinh: plan only)
                continue
            for finding in check_drafting(document, campaign, kind, unit):
                found.append(f"{kind} {unit or ''}: {finding}")
    assert not found, "\n".join(found[:20])


def test_the_standing_agencys_notice_comes_from_the_council(raw):
    campaign = _campaign(raw)
    notice = compose(campaign, "cong-van-ket-qua-tham-dinh", "snv")
    assert notice.frame.agency_lines == ("HỘI ĐỒNG THẨM ĐỊNH", "CHỈ SỐ CCHC")
    assert notice.frame.parent_lines == ("UBND TỈNH NINH BÌNH",)
    assert notice.frame.addressees == ("Kính gửi: Sở Nội vụ.",)
    assert notice.frame.number_line == "Số: 01/HĐTĐ-TTK"                    # N6: the council's own register
    assert notice.frame.signer_name == "Trần Quang Minh"                       # N5: the chair, not the Giám đốc
    assert "Đinh Thị Thu Hà" not in " ".join(notice.text_lines())                # Sở Nội vụ does not sign to itself
    assert compose(campaign, "cong-van-ket-qua-tham-dinh", "sxd").frame.agency_lines == ("SỞ NỘI VỤ",)
    assert compose(campaign, "cong-van-ket-qua-tham-dinh", "sxd").frame.agency_lines == ("SỞ NỘI VỤ",)
    minutes = compose(campaign, "bien-ban")
    assert minutes.frame.agency_lines == ("HỘI ĐỒNG THẨM ĐỊNH", "CHỈ SỐ CCHC")
    assert "/BB-HĐTĐ" in minutes.frame.number_line

    def no_council(data):
        data["council_agency"] = None
        next(a for a in data["assessments"] if a["unit"] == "snv")["notice"] = None
    rules = _rules(_campaign(raw, change=no_council), "cong-van-ket-qua-tham-dinh", "snv")
    assert "«Sở Nội vụ» gửi văn bản cho chính mình («Kính gửi: Sở Nội vụ»)" in rules["tu-gui-minh"][0]


# ---------------------------------------------------------------------------- D1 issuer and signer
def test_an_act_of_the_chairman_signed_for_the_collective_is_flagged(raw):
    def collective(data):
        data["documents"]["quyet-dinh-hoi-dong"]["signature"].update(authority="TM", collective="Ủy ban nhân dân")
    rules = _rules(_campaign(raw, change=collective), "quyet-dinh-hoi-dong")
    assert "thẩm quyền cá nhân «CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH»" in rules["tham-quyen-ky"][0]
    assert "tham-quyen-ky" not in _rules(_campaign(raw), "quyet-dinh-hoi-dong")
    document = compose(_campaign(raw), "quyet-dinh-hoi-dong")
    assert document.frame.signature_lines[:2] == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_an_act_of_the_collective_signed_without_tm_is_flagged(raw):
    def personal(data):
        signature = data["documents"]["quyet-dinh-cong-bo"]["signature"]
        signature.update(authority="KT", principal="Chủ tịch", title="Phó Chủ tịch")
        signature.pop("collective", None)
    rules = _rules(_campaign(raw, change=personal), "quyet-dinh-cong-bo")
    assert "thẩm quyền tập thể" in rules["tham-quyen-ky"][0]


# ---------------------------------------------------------------------------- D4 no self-address
def test_the_standing_agency_reports_to_the_council_not_to_itself(raw):
    campaign = _campaign(raw)
    for kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh"):
        document = compose(campaign, kind, "snv")
        assert document.frame.addressees == ("Kính gửi: Hội đồng thẩm định Chỉ số cải cách hành chính tỉnh Ninh Bình.",)
        assert "tu-gui-minh" not in _rules(campaign, kind, "snv")
    assert compose(campaign, "bao-cao-tu-danh-gia", "sxd").frame.addressees == ("Kính gửi: Sở Nội vụ tỉnh Ninh Bình.",)


def test_a_letter_addressed_to_its_own_issuer_is_flagged(raw):
    def to_itself(data):
        data["documents"]["to-trinh-hoi-dong"]["addressees"] = ["Ủy ban nhân dân tỉnh Ninh Bình", "Sở Nội vụ"]
    rules = _rules(_campaign(raw, change=to_itself), "to-trinh-hoi-dong")
    assert "«Sở Nội vụ» gửi văn bản cho chính mình («Kính gửi: Sở Nội vụ»)" in rules["tu-gui-minh"][0]


# ---------------------------------------------------------------------------- D3 citations
def test_a_to_trinh_citing_the_plan_it_proposes_is_flagged(raw):
    def cites(data):
        data["documents"]["to-trinh-ke-hoach"]["basis"].append("Căn cứ {plan};")
    rules = _rules(_campaign(raw, change=cites), "to-trinh-ke-hoach")
    assert "Tờ trình đề nghị ban hành Kế hoạch nhưng lại trích dẫn" in rules["trich-dan"][0]
    text = " ".join(compose(_campaign(raw), "to-trinh-ke-hoach").text_lines())
    assert "125/KH-UBND" not in text and "(dự thảo Kế hoạch kèm theo)./." in text


def test_citing_a_later_document_or_itself_is_flagged(raw):
    def later(data):
        data["plan"]["references"].append({"id": "kh-99", "type": "ke-hoach", "number": 99, "symbol": "KH-UBND",
                                           "date": "2026-12-20", "issuer": "Ủy ban nhân dân tỉnh Ninh Bình"})
        data["documents"]["to-trinh-hoi-dong"]["basis"].append("Căn cứ {ref:kh-99};")
    rules = _rules(_campaign(raw, change=later), "to-trinh-hoi-dong")
    assert "99/KH-UBND ngày 20/12/2026, ban hành sau văn bản này" in rules["trich-dan"][0]

    def itself(data):
        data["documents"]["quyet-dinh-bo-tieu-chi"]["basis"].insert(1, "Căn cứ {ref:qd-1083};")
    rules = _rules(_campaign(raw, change=itself), "quyet-dinh-bo-tieu-chi")
    assert "văn bản tự trích dẫn chính nó" in rules["trich-dan"][0]


# ---------------------------------------------------------------------------- D7, D9 căn cứ
def test_basis_out_of_legal_order_is_flagged(raw):
    def swapped(data):
        basis = data["documents"]["quyet-dinh-cong-bo"]["basis"]
        basis[1], basis[2] = basis[2], basis[1]          # KH 210 (30/12/2025) before QĐ 1083 (25/12/2025)
        basis.insert(1, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;")
    rules = _rules(_campaign(raw, change=swapped), "quyet-dinh-cong-bo")
    messages = " ".join(rules["thu-tu-can-cu"])
    assert "cùng cấp thì xếp theo thời gian ban hành" in messages
    assert "(luật, nghị quyết của Quốc hội)" not in messages        # the Luật still comes first
    decision = compose(_campaign(raw), "quyet-dinh-cong-bo")
    basis = [b.text for b in decision.body[:6]]
    assert basis[1].startswith("Căn cứ Quyết định số 1083/QĐ-UBND ngày 25/12/2025")
    assert basis[2].startswith("Căn cứ Kế hoạch số 210/KH-UBND ngày 30/12/2025")
    assert basis[3].startswith("Căn cứ Kế hoạch số 125/KH-UBND ngày 10/03/2026")

    def decree_after_local(data):
        data["documents"]["quyet-dinh-hoi-dong"]["basis"].insert(
            3, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;")
    rules = _rules(_campaign(raw, change=decree_after_local), "quyet-dinh-hoi-dong")
    assert "(nghị định) phải đứng trước" in rules["thu-tu-can-cu"][0]


def test_a_decision_names_the_to_trinh_and_the_plan_behind_it(raw):
    decision = compose(_campaign(raw), "quyet-dinh-hoi-dong")
    request = next(b.text for b in decision.body if b.text.startswith("Theo đề nghị"))
    assert request.startswith("Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số") and "/TTr-SNV ngày" in request
    assert "tháng 10 năm 2026" in request                       # the draft Tờ trình: number and day left blank

    def numbered(data):
        data["documents"]["to-trinh-hoi-dong"]["header"].update(number=198, date={"year": 2026, "month": 10, "day": 30})
    request = next(b.text for b in compose(_campaign(raw, change=numbered), "quyet-dinh-hoi-dong").body
                   if b.text.startswith("Theo đề nghị"))
    assert request == "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 198/TTr-SNV ngày 30/10/2026."

    def thin(data):
        data["documents"]["quyet-dinh-hoi-dong"]["basis"] = [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
            "Theo đề nghị của Giám đốc Sở Nội vụ."]
    messages = _rules(_campaign(raw, change=thin), "quyet-dinh-hoi-dong")["can-cu-day-du"]
    assert any("thiếu «Theo đề nghị của … tại Tờ trình số …»" in m for m in messages)
    assert any("thiếu căn cứ Kế hoạch số 125" in m for m in messages)


# ---------------------------------------------------------------------------- D5 Kính gửi
def test_several_recipients_are_aligned_under_the_colon(raw):
    document = compose(_campaign(raw), "cong-van-don-doc")
    assert document.frame.addressees[0] == "Kính gửi:" and len(document.frame.addressees) == 3
    label, dashes = document.frame.addressee_indents_mm
    assert 0 < label < dashes
    docx = open_docx(render_docx(document))
    lines = [p for p in docx.paragraphs if p.text.startswith("- Ủy ban nhân dân xã")]
    assert len(lines) == 2 and all(p.alignment == 0 for p in lines)                 # left, not centred
    assert len({p.paragraph_format.left_indent for p in lines}) == 1
    assert not [v for v in check_docx(render_docx(document)) if v.rule == "R42"]

    centred = dataclasses.replace(document, frame=dataclasses.replace(document.frame, addressee_indents_mm=None))
    assert [v.rule for v in check_docx(render_docx(centred)) if v.rule == "R42"] == ["R42"]
    broken = dataclasses.replace(document, frame=dataclasses.replace(
        document.frame, addressees=("Kính gửi:", "- Ủy ban nhân dân xã Lý Nhân", "- Ủy ban nhân dân xã Lý Nhân.")))
    messages = [f.message for f in check_drafting(broken, _campaign(raw), "cong-van-don-doc") if f.rule == "kinh-gui"]
    assert any("mỗi nơi một dòng «- …;»" in m for m in messages)
    assert "nơi nhận ghi hai lần trong Kính gửi: Ủy ban nhân dân xã Lý Nhân" in messages


# ---------------------------------------------------------------------------- D15, D36, D27 typography
def test_a_decimal_point_is_refused_in_data_and_flagged_in_a_template(raw):
    def dotted(data):
        data["criteria_sets"][0]["fields"][0]["children"][0]["children"][0]["rule"] = "Hoàn thành đúng hạn: 1.5 điểm."
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, change=dotted)
    problem = error.value.problems[0]
    assert "criteria_sets" in problem.path and "rule" in problem.path
    assert "số thập phân phải viết dấu phẩy: '1.5' → '1,5'" in problem.message

    campaign = _campaign(raw)
    from service.documents.kind_templates import default_template
    source = default_template("huong-dan").replace("@muc Mục đích", "Điểm cộng tối đa 1.5 điểm.\n\n@muc Mục đích", 1)
    assert "dau-thap-phan" in _rules(campaign, "huong-dan", templates={"huong-dan": source})
    text = " ".join(compose(campaign, "quyet-dinh-bo-tieu-chi").text_lines())
    assert "1,5 điểm" in text and "1.5 điểm" not in text


def test_straight_quotes_and_plain_article_titles_are_flagged(raw):
    campaign = _campaign(raw)
    from service.documents.kind_templates import default_template
    source = default_template("huong-dan").replace("“Không áp dụng”", '"Không áp dụng"')
    assert "ngoac-kep" in _rules(campaign, "huong-dan", templates={"huong-dan": source})
    assert "“Không áp dụng”" in " ".join(compose(campaign, "huong-dan").text_lines())

    decision = compose(campaign, "quyet-dinh-hoi-dong")
    titled = next(b for b in decision.body if b.kind == "paragraph" and b.text.startswith("Điều 2."))
    assert all(run.bold for run in titled.runs)                                   # number and title bold
    plain = Paragraph((Run("Điều 2. ", bold=True), Run("Nhiệm vụ, quyền hạn của Hội đồng thẩm định")))
    broken = dataclasses.replace(decision, body=tuple(plain if b is titled else b for b in decision.body))
    assert "tieu-de-dieu" in {f.rule for f in check_drafting(broken, campaign, "quyet-dinh-hoi-dong")}
    sentence = next(b for b in decision.body if b.kind == "paragraph" and b.text.startswith("Điều 1."))
    assert not sentence.runs[1].bold                                              # an article that is a sentence


def test_the_decisions_name_who_answers_for_each_group(raw):
    text = " ".join(compose(_campaign(raw), "quyet-dinh-cong-bo").text_lines())
    assert ("Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường và thủ trưởng các cơ quan, đơn vị "
            "có liên quan chịu trách nhiệm thi hành Quyết định này./.") in text


# ---------------------------------------------------------------------------- dates that agree
def test_the_task_table_reads_as_dates(raw):
    campaign = _campaign(raw)
    tasks = campaign.plan.tasks.items
    assert task_window(tasks[1], 2026).describe() == "tháng 4/2026"
    window = task_window(next(t for t in tasks if t.time == "Tháng 9-11/2026"), 2026)
    assert (window.first, window.last) == (dt.date(2026, 9, 1), dt.date(2026, 11, 30))
    window = task_window(next(t for t in tasks if t.deadline == dt.date(2026, 12, 15)), 2026)
    assert window.first is None and window.last == dt.date(2026, 12, 15)
    assert suggested_month(campaign, "huong-dan") == (2026, 4)
    assert plan_deadlines(campaign)[0] == ("Các cơ quan, đơn vị tự đánh giá, chấm điểm, gửi Báo cáo tự đánh giá và tài "
                                           "liệu kiểm chứng qua phần mềm", dt.date(2026, 10, 31))


def test_a_document_dated_outside_its_task_is_flagged_with_the_suggestion(raw):
    def october(data):
        data["documents"]["huong-dan"]["header"]["date"] = {"year": 2026, "month": 10}
    problems = date_problems(_campaign(raw, change=october), "huong-dan")
    assert "sau thời gian của nhiệm vụ «Ban hành văn bản hướng dẫn" in problems[0] and "gợi ý: tháng 4/2026" in problems[0]

    def after_deadline(data):
        data["documents"]["huong-dan"]["header"]["date"] = {"year": 2026, "month": 11}
    problems = date_problems(_campaign(raw, change=after_deadline), "huong-dan")
    assert any("sau chính hạn nộp báo cáo 31/10/2026" in p for p in problems)

    def early(data):
        data["documents"]["to-trinh-hoi-dong"]["header"]["date"] = {"year": 2026, "month": 4}
    problems = date_problems(_campaign(raw, change=early), "to-trinh-hoi-dong")
    assert "sớm hơn nhiều so với nhiệm vụ" in problems[0]


def test_evidence_dates_and_numbers_that_cannot_be_are_flagged(raw):
    def backwards(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == "stc")
        first, second = assessment["scores"][0]["evidence"][0], assessment["scores"][1]["evidence"][0]
        first["date"], second["date"] = "2026-09-30", "2026-02-02"                # numbers run backwards
    with pytest.raises(InvalidCampaign) as error:                                 # refused where it enters (D16)
        _campaign(raw, change=backwards)
    assert "số lớn hơn không được có ngày sớm hơn" in str(error.value)

    def early_reply(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == "stc")
        lowered = next(s for s in assessment["scores"] if s.get("added_evidence"))
        lowered["added_evidence"][0]["date"] = "2026-11-06"                       # a reply before the notice
    replies = " ".join(date_problems(_campaign(raw, change=early_reply), "bao-cao-giai-trinh", "stc"))
    assert "có trước công văn thông báo kết quả thẩm định" in replies

    def after_report(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == "stc")
        assessment["scores"][0]["evidence"][0]["date"] = "2026-10-30"
    with pytest.raises(InvalidCampaign) as error:                                 # refused where it enters
        _campaign(raw, change=after_report)
    assert "sau ngày báo cáo" in str(error.value)


# ---------------------------------------------------------------------------- blocking issuing, not rendering
def test_a_finding_blocks_issuing_but_not_the_preview(app):
    from .conftest import issue_through_the_form, login
    from service.store.campaigns import Change, update_campaign

    def collective(data):
        data["documents"]["quyet-dinh-hoi-dong"]["signature"].update(authority="TM", collective="Ủy ban nhân dân")
        return [Change("ninh-binh-2026/quyet-dinh-hoi-dong/signature", "KT", "TM")]
    update_campaign(app.extensions["cchc_engine"], "ninh-binh-2026", collective, "admin")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-hoi-dong.html").get_data(as_text=True)
    assert "Kiểm tra soạn thảo: 1 lỗi cần sửa" in page and "[tham-quyen-ky]" in page
    assert client.get("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-hoi-dong.pdf").status_code == 200
    body = client.get("/api/campaigns/ninh-binh-2026/documents/quyet-dinh-hoi-dong").get_json()
    assert [f["quy_tac"] for f in body["soan_thao"]] == ["tham-quyen-ky"]
    assert any("[tham-quyen-ky]" in reason for reason in body["blocking"])
    response = issue_through_the_form(app, "ninh-binh-2026", "to-trinh-hoi-dong")
    assert response.status_code == 302                                            # the Tờ trình is clean
    response = issue_through_the_form(app, "ninh-binh-2026", "quyet-dinh-hoi-dong", **{"so": "77", "ngay": "20/10/2026"})
    text = response.get_data(as_text=True)
    assert "Chưa ban hành được" in text and "thẩm quyền cá nhân" in text
    assert "Chưa lưu: Chưa" not in text                                          # walk U30: said once
    assert client.get("/api/campaigns/ninh-binh-2026/documents/quyet-dinh-hoi-dong").get_json()["buoc"] != "da-ban-hanh"


def test_the_drafting_form_suggests_the_month_of_the_task(app):
    from .conftest import login
    client = app.test_client()
    login(client, "admin")
    page = client.get("/chien-dich/ninh-binh-2026/soan-thao/van-ban/huong-dan").get_data(as_text=True)
    assert 'id="thang-goi-y">tháng 4/2026</strong>' in page
    assert "{proposal} Tờ trình đề nghị ban hành" in page


def test_stored_campaigns_get_the_decimal_comma_on_upgrade(tmp_path, raw):
    """Migration 0009: a campaign stored before the rule ('1.5 điểm' in its criteria) still loads."""
    import sqlalchemy as sa
    from service.store.db import make_engine
    from service.store.migrate import upgrade
    url = f"sqlite:///{tmp_path / 'cu.db'}"
    upgrade(url, "0008")
    data = copy.deepcopy(raw["ninh-binh-2026"])
    data["criteria_sets"][0]["fields"][0]["children"][0]["children"][0]["rule"] = "Hoàn thành đúng hạn: 1.5 điểm; 2.25%."
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO campaigns (id, organisation_id, year, name, data, sha256) "
                                   "VALUES ('cu', 'ninh-binh', 2026, 'Cũ', :d, '')"), {"d": json.dumps(data, ensure_ascii=False)})
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = json.loads(connection.execute(sa.text("SELECT data FROM campaigns WHERE id = 'cu'")).scalar_one())
    engine.dispose()
    rule = stored["criteria_sets"][0]["fields"][0]["children"][0]["children"][0]["rule"]
    assert rule == "Hoàn thành đúng hạn: 1,5 điểm; 2,25%."
    parse_campaign(stored)


# ---------------------------------------------------------------------------- content that follows the data
def test_a_new_criteria_set_replaces_the_old_one(raw):
    text = " ".join(compose(_campaign(raw, "ha-nam-2023"), "quyet-dinh-bo-tieu-chi").text_lines())
    assert ("Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 1952/QĐ-UBND ngày 21/10/2022 "
            "của Ủy ban nhân dân tỉnh Hà Nam.") in text

    def unknown(data):
        data["documents"]["quyet-dinh-bo-tieu-chi"]["replaces"] = "qd-khong-co"
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, "ha-nam-2023", change=unknown)
    assert error.value.problems[0].path == "documents.quyet-dinh-bo-tieu-chi.replaces"


def test_the_ranking_states_its_tie_break_rule(raw):
    text = " ".join(compose(_campaign(raw), "quyet-dinh-cong-bo").text_lines())
    assert "Xếp hạng theo Chỉ số; Chỉ số bằng nhau thì xếp theo tổng điểm thẩm định." in text

    def two_rules(data):
        data["settings"]["tie_break"] = ["appraised", "survey"]
    text = " ".join(compose(_campaign(raw, change=two_rules), "quyet-dinh-cong-bo").text_lines())
    assert "xếp theo tổng điểm thẩm định, rồi điểm điều tra xã hội học." in text


def test_an_explanation_asks_for_reappraisal_only_when_the_unit_explains(raw):
    lines = compose(_campaign(raw), "bao-cao-giai-trinh", "stc").text_lines()
    assert any("kính đề nghị Hội đồng thẩm định xem xét, thẩm định lại" in line for line in lines)

    def silent(data):
        for score in next(a for a in data["assessments"] if a["unit"] == "sxd")["scores"]:
            score.pop("response", None)
            score["added_evidence"] = []
    lines = compose(_campaign(raw, change=silent), "bao-cao-giai-trinh", "sxd").text_lines()
    assert "Sở Xây dựng thống nhất với kết quả thẩm định lần 1./." in lines
    assert "- Giải trình của đơn vị: (Đơn vị không có ý kiến giải trình.)" in lines
    assert not any("thẩm định lại" in line for line in lines)


def test_the_minutes_record_the_quorum_and_sort_units_in_vietnamese_order(raw):
    minutes = compose(_campaign(raw), "bien-ban")
    lines = minutes.text_lines()
    assert "Thành viên Hội đồng có mặt: 6/6, quá nửa tổng số thành viên; cuộc họp đủ điều kiện tiến hành." in lines
    attendees = lines[lines.index("Thành phần tham dự:") + 1:lines.index(
        "Thành viên Hội đồng có mặt: 6/6, quá nửa tổng số thành viên; cuộc họp đủ điều kiện tiến hành.")]
    assert len(attendees) == 8
    assert attendees[-1].endswith(".") and all(line.endswith(";") for line in attendees[:-1])
    assert minutes.frame.signature_lines == ("CHỦ TỌA",)
    sở = [row.split(" | ")[0] for row in lines if " | " in row and row.split(" | ")[0].startswith(("Đài", "Văn phòng"))]
    assert sở.index("Đài Phát thanh và Truyền hình tỉnh") < sở.index("Văn phòng Ủy ban nhân dân tỉnh")

    def absent(data):
        data["meeting"]["present"] = [m for m in data["meeting"]["present"] if m in ("ct", "pct", data["meeting"]["secretary"])]
    lines = compose(_campaign(raw, change=absent), "bien-ban").text_lines()
    assert "Thành viên Hội đồng có mặt: 2/6." in lines


def test_each_group_is_measured_against_its_own_fields(raw):
    """D12, D13: the xã field 8 is not the sở field 8, in the results report and in the Hướng dẫn."""
    campaign = _campaign(raw)
    lines = compose(campaign, "bao-cao-ket-qua").text_lines()
    assert any(line.startswith("8. Thực hiện nhiệm vụ được giao | ") for line in lines)
    assert any(line.startswith("8. Tác động của cải cách hành chính đến người dân") for line in lines)
    assert not any(line.count(" | ") == 2 and line.startswith("8.") for line in lines)   # no row mixing two sets
    guidance = " ".join(compose(campaign, "huong-dan").text_lines())
    assert "riêng tiêu chí 8.1.1: Sở Tài chính, tiêu chí 8.1.2: Văn phòng Ủy ban nhân dân tỉnh" in guidance
    assert "(áp dụng cho Ủy ban nhân dân các xã, phường)" in guidance


# ---------------------------------------------------------------------------- the missing kinds
NEW_KINDS = {("giay-moi-hop-hoi-dong", None): "GIẤY MỜI", ("bao-cao-bo-noi-vu", None): "Kính gửi: Bộ Nội vụ.",
             ("thong-bao-ket-luan", None): "Chủ tịch Hội đồng kết luận như sau:",
             ("cong-van-chan-chinh", None): "V/v chấn chỉnh công tác cải cách",
             ("giay-moi-hop-to-thu-ky", None): "Chủ trì: Bà Nguyễn Thị Mai",
             ("quyet-dinh-quy-che", None): "QUY ĐỊNH CHUNG",
             ("ke-hoach-dieu-tra-xhh", None): "ĐỐI TƯỢNG VÀ SỐ LƯỢNG PHIẾU",
             ("thong-bao-tham-dinh-lan-2", "sxd"): "Kết quả thẩm định lần 2",
             ("thong-bao-tham-dinh-lan-2", "snv"): "Kết quả thẩm định lần 2",
             ("thong-bao-ket-qua-chi-so", "xa-nam-truc"): "Kết quả theo từng lĩnh vực:"}


@pytest.mark.parametrize("kind, unit", list(NEW_KINDS))
@pytest.mark.slow
def test_a_new_kind_renders_cleanly_and_opens_in_libreoffice(raw, kind, unit, tmp_path, libreoffice):
    campaign = _campaign(raw)
    document = compose(campaign, kind, unit)
    docx = render_docx(document)
    assert [str(v) for v in check_docx(docx) if "(cảnh báo)" not in v.message] == []
    assert check_drafting(document, campaign, kind, unit) == []
    (tmp_path / f"{kind}.docx").write_bytes(docx)
    libreoffice([tmp_path / f"{kind}.docx"], "txt:Text", tmp_path, timeout=180)
    text = (tmp_path / f"{kind}.txt").read_text(encoding="utf-8-sig")
    assert NEW_KINDS[kind, unit] in text


def test_the_invitation_names_the_meeting_from_the_data(raw):
    document = compose(_campaign(raw), "giay-moi-hop-hoi-dong")
    lines = document.text_lines()
    assert document.frame.type_name == "GIẤY MỜI" and "".join(document.frame.number_line.split()) == "Số:/GM-HĐTĐ"
    assert "Thời gian: 08 giờ 00 phút, ngày 18 tháng 11 năm 2026." in lines
    assert "Địa điểm: Phòng họp số 2, trụ sở Sở Nội vụ tỉnh Ninh Bình." in lines
    invited = [line for line in lines if line.startswith(("- Ông ", "- Bà "))]
    assert any(line.startswith("- Bà Đinh Thị Thu Hà") for line in lines)            # N4: not 'Ông (bà)'
    assert not any("Ông (bà)" in line for line in lines)
    signer = document.frame.signer_name
    assert len(invited) == 9 and signer and not any(signer in line for line in invited)    # N3: not its own signer
    assert any(line.startswith("Chủ trì: Ông Trần Quang Minh") for line in lines)


def test_the_conclusions_carry_the_disputes_to_the_units(raw):
    document = compose(_campaign(raw), "thong-bao-ket-luan")
    lines = document.text_lines()
    assert document.frame.type_name == "THÔNG BÁO" and "".join(document.frame.number_line.split()) == "Số:/TB-HĐTĐ"
    assert any(line.startswith("- Ủy ban nhân dân phường Tam Điệp đề nghị không áp dụng tiêu chí 6.1.3 vì") for line in lines)
    assert "- Các cơ quan, đơn vị được đánh giá;" in document.frame.recipient_lines


def _table_rows(document):
    """Each table row of the body as its cells' texts."""
    return [[" ".join(p.text for p in cell) for cell in row]
            for block in document.body if block.kind == "table" for row in block.rows]


def test_the_round2_notice_says_what_round2_decided_on_each_lowered_criterion(raw):
    campaign = _campaign(raw)
    assessment = campaign.assessment("snv")
    lowered = [s for s in assessment.scores if s.round1 is not None and s.self_score is not None and s.round1 < s.self_score]
    document = compose(campaign, "thong-bao-tham-dinh-lan-2", "snv")
    rows = {row[0]: row for row in _table_rows(document) if row[0][:1].isdigit()}
    assert sorted(rows) == sorted(s.code for s in lowered)
    for score in lowered:
        expected = ("Đơn vị không giải trình; giữ kết quả lần 1" if not score.response else
                    "Chấp nhận giải trình" if score.round2 >= score.self_score else
                    "Chấp nhận một phần" if score.round2 > score.round1 else "Không chấp nhận; giữ kết quả lần 1")
        assert rows[score.code][-1] == expected, score.code
    # the standing agency's letter comes from the council, which does not send a copy to itself
    assert document.frame.agency_lines == ("HỘI ĐỒNG THẨM ĐỊNH", "CHỈ SỐ CCHC")
    assert "TB-HĐTĐ-TTK" in document.frame.number_line
    assert not any("Hội đồng thẩm định" in line for line in document.frame.recipient_lines)
    text = " ".join(document.text_lines())
    report = assessment.explanation_report
    assert f"Báo cáo số {report.number}/BC-SNV ngày {report.date.day:02d}/{report.date.month:02d}/{report.date.year}" in text
    assert "Đây là kết quả thẩm định cuối cùng" in text and "chưa phải kết quả" not in text
    unfinished = compose(campaign, "thong-bao-tham-dinh-lan-2", "sxd")          # N2: Sở Xây dựng's round 2 not done
    assert unfinished.frame.agency_lines == ("SỞ NỘI VỤ",)
    left = sum(1 for s in campaign.assessment("sxd").scores if s.response and s.round2 is None)
    text = " ".join(unfinished.text_lines())
    assert left and "kết quả thẩm định cuối cùng, được tổng hợp" not in text and " 00 " not in text
    assert f"Còn {left:02d} tiêu chí đơn vị đã giải trình chưa được thẩm định lần 2" in text
    assert "đơn vị giải trình không tiêu chí" not in text


def test_the_result_notice_carries_the_units_own_figures(raw):
    from service.domain.scoring import compute_campaign
    from service.vietnamese import format_number
    campaign = _campaign(raw)
    result = next(r for ranked in compute_campaign(campaign).groups.values() for r in ranked if r.unit_id == "xa-nam-truc")
    size = len(compute_campaign(campaign).groups[result.group_id])
    document = compose(campaign, "thong-bao-ket-qua-chi-so", "xa-nam-truc")
    text = " ".join(document.text_lines())
    assert f"đạt {format_number(result.index, 2)}%, xếp hạng {result.rank}/{size}" in text
    assert f"xếp loại {result.band}" in text
    fields = campaign.criteria_for(result.group_id).fields
    rows = [row for row in _table_rows(document) if row[0] in {f.code for f in fields}]
    assert [row[3] for row in rows] == [format_number(result.nodes[f.code].achieved, 2) for f in fields]
    previous = next(p for p in campaign.previous_results if p.unit == "xa-nam-truc")
    assert f"năm trước đạt {format_number(previous.index, 2)}%, xếp hạng {previous.rank}" in text
    excluded = _campaign(raw, change=lambda d: d.setdefault("exclusions", []).append(
        {"unit": "xa-nam-truc", "reason": "Sáp nhập trong năm."}))
    assert not KINDS["thong-bao-ket-qua-chi-so"].applies(excluded, "xa-nam-truc")


def test_the_remedial_letter_goes_to_exactly_the_units_in_the_lowest_band(raw):
    from service.documents import available
    from service.domain.scoring import compute_campaign
    campaign = _campaign(raw)
    weak = [r.unit_name for g in campaign.groups for r in compute_campaign(campaign).groups[g.id] if r.band == "Yếu"]
    document = compose(campaign, "cong-van-chan-chinh")
    assert len(weak) == 7
    assert [line.strip(" -;.") for line in document.frame.addressees[1:]] == weak
    assert [row[0] for row in _table_rows(document)] == weak
    assert f"có {len(weak)} cơ quan, đơn vị xếp loại Yếu" in " ".join(document.text_lines())

    weak_ids = [r.unit_id for ranked in compute_campaign(campaign).groups.values() for r in ranked if r.band == "Yếu"]

    def nobody_weak(data):
        data["exclusions"] = [{"unit": unit, "reason": "Sáp nhập trong năm."} for unit in weak_ids]
    strong = _campaign(raw, change=nobody_weak)
    with pytest.raises(ValueError, match="không có đơn vị xếp loại thấp nhất|không cần công văn chấn chỉnh"):
        compose(strong, "cong-van-chan-chinh")
    assert not available(strong, KINDS["cong-van-chan-chinh"])


def test_the_council_rules_count_the_quorum_and_are_adopted_with_the_decision(raw):
    campaign = _campaign(raw)
    council = [m for m in campaign.council if m.body == "council"]
    document = compose(campaign, "quyet-dinh-quy-che")
    assert document.frame.authority_line.startswith("CHỦ TỊCH HỘI ĐỒNG THẨM ĐỊNH")
    assert "/QĐ-HĐTĐ" in document.frame.number_line
    (annex,) = document.annexes
    assert annex.reference.startswith("(Ban hành kèm theo Quyết định số")
    rules = " ".join(line for block in annex.blocks for line in [getattr(block, "text", "")])
    quorum = len(council) // 2 + 1
    assert f"ít nhất {quorum:02d}/{len(council):02d} thành viên" in rules
    explanation_days = campaign.reporting.explanation_days
    assert f"trong thời hạn {explanation_days:02d} ngày làm việc" in rules
    def two_more(data):
        member = next(m for m in data["council"] if m["role"] == "Ủy viên")
        data["council"] += [{**member, "id": f"uy-vien-them-{n}", "name": f"Nguyễn Văn Thêm {n}"} for n in (1, 2, 3)]
    larger = _campaign(raw, change=two_more)
    rules = " ".join(getattr(b, "text", "") for b in compose(larger, "quyet-dinh-quy-che").annexes[0].blocks)
    members = len(council) + 3
    assert f"ít nhất {members // 2 + 1:02d}/{members:02d} thành viên" in rules


def test_the_survey_plan_counts_its_forms_from_the_sample_and_the_criteria(raw):
    from service.domain.survey import survey_quotas
    from service.vietnamese import format_number
    campaign = _campaign(raw)
    document = compose(campaign, "ke-hoach-dieu-tra-xhh")
    text = " ".join(document.text_lines())
    assert f"Tổng số phiếu khảo sát là {format_number(survey_quotas(campaign.plan.survey).total)} phiếu" in text
    criteria = campaign.criteria_sets[0]
    group = criteria.respondent_groups[0]
    questions = sum(1 for leaf in criteria.leaves() if leaf.scoring == "survey" and group.id in leaf.survey_groups)
    assert f"phiếu dành cho {group.name[:1].lower()}{group.name[1:]} gồm {questions:02d} câu hỏi" in text
    assert "từ tháng 9/2026 đến 30/11/2026" in text


def test_the_new_letters_wait_for_what_they_follow(raw):
    from service.domain.readiness import blocking_reasons
    campaign = _campaign(raw)
    today = dt.date(2026, 12, 20)
    reasons = blocking_reasons(campaign, "thong-bao-tham-dinh-lan-2", "sxd", set(), today=today)
    assert any("thông báo kết quả thẩm định lần 1 của đơn vị chưa được ban hành" in r for r in reasons)
    reasons = blocking_reasons(campaign, "thong-bao-tham-dinh-lan-2", "stp", {("cong-van-ket-qua-tham-dinh", "stp")},
                               today=today)
    assert reasons == []
    reasons = blocking_reasons(campaign, "thong-bao-ket-qua-chi-so", "sxd", set(), today=today)
    assert any(r.startswith("Quyết định phê duyệt, công bố kết quả chưa được ban hành") for r in reasons)
    assert not any(r.startswith("Quyết định phê duyệt") for r in blocking_reasons(
        campaign, "thong-bao-ket-qua-chi-so", "sxd", {("quyet-dinh-cong-bo", "")}, today=today))
    reasons = blocking_reasons(campaign, "quyet-dinh-quy-che", None, set(), today=today)
    assert any("Quyết định thành lập Hội đồng thẩm định chưa được ban hành" in r for r in reasons)


def test_the_secretariats_invitation_follows_its_meeting_data(raw):
    campaign = _campaign(raw)
    document = compose(campaign, "giay-moi-hop-to-thu-ky")
    lines = document.text_lines()
    assert "Thời gian: 14 giờ 00 phút, ngày 16 tháng 11 năm 2026." in lines
    assert sum(line.startswith(("- Ông ", "- Bà ")) for line in lines) == sum(1 for m in campaign.council if m.body == "secretariat")
    assert "- Chuẩn bị tài liệu cuộc họp Hội đồng thẩm định." in lines
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, change=lambda d: d["secretariat_meeting"].update(chair="ct"))    # a council member, not the Tổ
    assert "secretariat_meeting.chair" in str(error.value)


def test_forms_above_the_plans_sample_are_flagged(raw):
    """D11: the forms are counted from the answers; a group with more than the plan sent out is a finding
    on the results report (and a warning on the survey page, tests/test_web.py)."""
    from service.domain.survey import forms_against_plan
    campaign = _campaign(raw)
    assert not any(g.over for g in forms_against_plan(campaign))
    text = " ".join(compose(campaign, "bao-cao-ket-qua").text_lines())
    received = sum(a.forms for a in campaign.survey_answers)
    assert f"từ {received:,} phiếu hợp lệ (kế hoạch phát ra 4.500 phiếu)".replace(",", ".") in text

    def small_sample(data):
        data["plan"]["survey"]["levels"][0]["groups"][0]["factors"][0]["count"] = 3      # 60 forms for 642 received
    small = _campaign(raw, change=small_sample)
    rules = _rules(small, "bao-cao-ket-qua")
    assert rules["so-phieu"] == ["nhóm «Lãnh đạo phòng, đơn vị thuộc sở»: 642 phiếu hợp lệ, nhiều hơn 60 phiếu phát ra "
                                 "theo Kế hoạch: kiểm tra số liệu khảo sát hoặc mẫu điều tra của Kế hoạch"]


def test_the_self_assessment_annex_agrees_with_page_one_and_cites_evidence_fully(raw):
    """D21: a parent's maximum is the one page 1 gives, a survey-only criterion reads ĐTXHH, the annex
    ends with a Tổng cộng row; D42: evidence is cited with its type and issuer."""
    campaign = _campaign(raw)
    document = compose(campaign, "bao-cao-tu-danh-gia", "snv")
    page_one = {row[1]: row for row in _table_rows(document)}
    annex = [[" ".join(p.text for p in cell) for cell in row] for block in document.annexes[0].blocks
             if block.kind == "table" for row in block.rows]
    by_code = {row[0]: row for row in annex}
    criteria = campaign.criteria_for(campaign.group_of("snv").id)
    for field in criteria.fields:
        assert by_code[field.code][2] == page_one[field.title][2], field.code      # same maxima
    survey_only = next(n for n in criteria.nodes() if not n.is_leaf and "." in n.code
                       and all(l.scoring == "survey" for l in criteria.leaves() if l.code.startswith(n.code + ".")))
    assert by_code[survey_only.code][3] == "ĐTXHH"
    assert annex[-1][1] == "Tổng cộng" and annex[-1][2:4] == page_one["Tổng cộng"][2:4]
    report = campaign.assessment("snv").scores[0].evidence[0]
    assert any(cell.startswith(f"Báo cáo số {report.number} ngày ") and " của Sở Nội vụ về " in cell
               for row in annex for cell in row)


def test_the_criteria_decision_states_how_the_index_is_computed(raw):
    """D29: caps, survey scale, formula and classes are in the decision, from the data."""
    def caps(data):
        data["criteria_sets"][0]["bonus_cap"] = 1.5
    campaign = _campaign(raw, change=caps)
    annex = " ".join(getattr(b, "text", "") for b in compose(campaign, "quyet-dinh-bo-tieu-chi").annexes[0].blocks)
    assert "Điểm thưởng tối đa 1,50 điểm; điểm trừ tối đa 3,00 điểm." in annex       # the caps, not the items sums
    assert "mức trả lời Rất không hài lòng (1), Không hài lòng (2), Hài lòng (3), Rất hài lòng (4)" in annex
    assert "Xuất sắc từ 95,00 trở lên; Tốt từ 85,00 đến dưới 95,00;" in annex and "Yếu dưới 70,00." in annex
    rows = [[" ".join(p.text for p in cell) for cell in row] for b in compose(campaign, "quyet-dinh-bo-tieu-chi").annexes[0].blocks
            if b.kind == "table" for row in b.rows]
    assert next(r for r in rows if r[0] == "TR1")[3].startswith("Mỗi vụ việc bị cơ quan có thẩm quyền kết luận sai phạm")


def test_new_documents_write_common_nouns_of_cited_titles_in_lower_case(raw):
    """D33: Hà Nam's plan cites 'về công tác Cải cách hành chính năm 2023' as signed; the documents
    drafted from it write 'cải cách hành chính'."""
    campaign = _campaign(raw, "ha-nam-2023")
    assert "về công tác Cải cách hành chính năm 2023" in " ".join(compose(campaign, "ke-hoach").text_lines())
    decision = " ".join(compose(campaign, "quyet-dinh-hoi-dong").text_lines())
    assert "về công tác cải cách hành chính năm 2023" in decision and "Cải cách hành chính năm 2023" not in decision
    from service.documents.text import modern_case
    assert modern_case("Cải cách hành chính; ngân sách Nhà nước") == "Cải cách hành chính; ngân sách nhà nước"


def test_each_respondent_group_answers_its_own_questions_in_their_own_words(raw):
    """D18: citizens are not asked about a sở's internal management; each question's answers are worded
    for it ('Rất quyết liệt', not 'Rất hài lòng'); no internal codes on the form."""
    campaign = _campaign(raw)
    document = compose(campaign, "phieu-khao-sat")
    forms = []                  # (respondent group, rows) in the order printed: the sở set's forms first
    for block in document.body:
        if block.kind == "paragraph" and block.text.startswith("PHIẾU KHẢO SÁT: "):
            forms.append((block.text.removeprefix("PHIẾU KHẢO SÁT: "), []))
        elif block.kind == "table" and forms and not forms[-1][1]:
            forms[-1][1].extend([" ".join(p.text for p in cell) for cell in row] for row in block.rows)
    leaders = next(rows for name, rows in forms if name == "LÃNH ĐẠO PHÒNG, ĐƠN VỊ THUỘC SỞ")
    assert leaders[0][1].startswith("Mức độ quyết liệt") and leaders[0][2:] == [
        "Rất không quyết liệt", "Không quyết liệt", "Quyết liệt", "Rất quyết liệt"]
    citizens = next(rows for name, rows in forms if name == "NGƯỜI DÂN, TỔ CHỨC")      # of the sở set
    assert citizens and not any(row[1].startswith(("Mức độ quyết liệt", "Tính khả thi", "Sự hợp lý trong phân công"))
                                for row in citizens)
    assert not any(re.search(r"\b\d+\.\d+\.\d+\b", cell) for _, rows in forms for row in rows for cell in row)
    with pytest.raises(InvalidCampaign):
        _campaign(raw, change=lambda d: d["criteria_sets"][0]["fields"][0]["children"][-1]["children"][0].update(
            answer_labels=["Có", "Không"]))


def test_the_self_assessment_report_declares_the_units_bonus_and_deduction(raw):
    """Walk finding 19: the bonus and deduction the unit proposes, with its grounds, are in the report it
    signs (every item of its set; 0,00 where it declares nothing)."""
    campaign = _campaign(raw)
    rows = {row[0]: row for row in _table_rows(compose(campaign, "bao-cao-tu-danh-gia", "sxd")) if row[0][:1] == "T"}
    declared = {a.code: a for a in campaign.assessment("sxd").adjustments}
    assert sorted(rows) == sorted(a.code for a in campaign.criteria_for("so-ban-nganh").adjustments)
    assert rows["TR1"][3] == "0,00" and rows["TR1"][4] == declared["TR1"].explanation
    assert rows["T1"][1].startswith("Điểm thưởng: ") and rows["TR1"][1].startswith("Điểm trừ: ")


def test_a_communes_evidence_is_cited_as_its_own(raw):
    """N8: 'BC-UBND' is the ký hiệu of every UBND; in a phường's report its own reports are the
    phường's, not the province's."""
    campaign = _campaign(raw)
    text = " ".join(compose(campaign, "bao-cao-tu-danh-gia", "phuong-tam-diep").text_lines())
    cited = re.findall(r"Báo cáo số \d+/BC-UBND ngày [\d/]+ của ([^v]+?) về", text)
    assert cited and set(cited) == {"Ủy ban nhân dân phường Tam Điệp"}, set(cited)
    from data_models.scores import Evidence
    from service.documents.unit_reports import evidence_line
    report = Evidence(number="80/BC-UBND", date=dt.date(2026, 1, 23), title="Kết quả thực hiện kế hoạch")
    assert "của Ủy ban nhân dân tỉnh Ninh Bình về" in evidence_line(report, campaign)          # a sở citing the province
    assert "của Ủy ban nhân dân phường Tam Điệp về" in evidence_line(report, campaign, "phuong-tam-diep")
    decision = Evidence(number="15/BC-SXD", date=dt.date(2026, 5, 20), title="QĐ công nhận sáng kiến cấp tỉnh")
    assert "về QĐ công nhận sáng kiến cấp tỉnh" in evidence_line(decision, campaign)     # walk U20: not 'qĐ'
    assert "về kết quả thực hiện kế hoạch" in evidence_line(report, campaign)


def test_registers_follow_their_dates(raw):
    """D16/N6: one series per issuer and year; a higher number with an earlier date is refused at
    the entry, naming the one it contradicts (the three fixtures are clean)."""
    for cid in CAMPAIGNS:
        _campaign(raw, cid)

    def backwards(data):
        unit = next(a for a in data["assessments"] if a["unit"] == "sxd")
        row = next(s for s in unit["scores"] if s.get("evidence"))
        row["evidence"][0].update(number="999/BC-SXD", date="2026-01-05")
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, change=backwards)
    assert any(p.message.startswith("999/BC-SXD ngày 05/01/2026 đứng sau 155/BC-SXD") and p.path.endswith(".evidence[0].number")
               and "sổ văn bản đi năm 2026 của Sở Xây dựng" in p.message for p in error.value.problems), error.value.problems

    def reused(data):
        data["assessments"][0]["explanation_report"]["number"] = data["assessments"][0]["report"]["number"]
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, change=reused)
    assert any("đã dùng cho văn bản ngày" in p.message and p.path == "assessments[0].explanation_report.number"
               for p in error.value.problems), error.value.problems


def test_no_agency_appraises_itself(raw):
    """N5: the Sở Nội vụ's own criteria go to the Văn phòng UBND tỉnh, the Sở Tư pháp's field 2 to the
    Sở Nội vụ; a set without a substitute for an appraising unit is refused."""
    from service.editing.assessment import leaf_rows
    campaign = _campaign(raw)
    assert leaf_rows(campaign, "snv", "snv") == []
    own = {row.leaf.code.split(".")[0] for row in leaf_rows(campaign, "snv", "vp-ubnd")}
    assert {"1", "4", "5"} <= own
    assert {row.leaf.code.split(".")[0] for row in leaf_rows(campaign, "stp", "snv")} >= {"1", "2"}
    assert leaf_rows(campaign, "stp", "stp") == [] and leaf_rows(campaign, "sxd", "stp")

    def no_substitute(data):
        del data["criteria_sets"][0]["own_unit_appraisers"]["stp"]
    with pytest.raises(InvalidCampaign) as error:
        _campaign(raw, change=no_substitute)
    assert any(p.path == "criteria_sets[0].own_unit_appraisers" and "Sở Tư pháp vừa là đơn vị được đánh giá" in p.message
               for p in error.value.problems)


def test_the_registers_know_each_kinds_type():
    """The register check groups headers by type: its table agrees with the types the service renders."""
    from data_models.registers import type_of_kind
    from service.documents import KINDS
    from service.vietnamese.symbols import document_type
    for key, kind in KINDS.items():
        if kind.document_type:
            assert type_of_kind(key) == (document_type(kind.document_type).abbreviation or ""), key


def test_the_guidance_names_who_appraises_the_appraisers(raw):
    """N5: the Hướng dẫn says who appraises an appraising agency's own criteria."""
    lines = compose(_campaign(raw), "huong-dan").text_lines()
    line = next(l for l in lines if l.startswith("- Cơ quan thẩm định không thẩm định kết quả tự đánh giá của chính mình"))
    assert "đối với Sở Nội vụ là Văn phòng Ủy ban nhân dân tỉnh" in line and "đối với Sở Tư pháp là Sở Nội vụ" in line


def test_the_results_proposal_claims_only_what_the_data_hold(raw):
    """D2: Hà Nam has no final appraisal, no meeting and no draft QĐ công bố: its Tờ trình kết quả
    ranks nobody at 0,00 %, mentions no meeting and attaches nothing it does not have."""
    text = " ".join(compose(_campaign(raw, "ha-nam-2023"), "to-trinh-ket-qua").text_lines())
    assert "0,00%" not in text and "cuộc họp" not in text and "Kèm theo" not in text
    assert "18 đơn vị, chưa đơn vị nào có kết quả thẩm định cuối cùng" in text

    nb = " ".join(compose(_campaign(raw), "to-trinh-ket-qua").text_lines())
    assert "thống nhất kết quả tại cuộc họp của Hội đồng" in nb and "cao nhất Ủy ban nhân dân phường Tam Điệp" in nb
    assert "(Kèm theo dự thảo Quyết định phê duyệt và công bố, Báo cáo kết quả và Biên bản họp Hội đồng thẩm định.)" in nb


def test_the_summary_names_the_field_its_own_table_shows_weakest(raw):
    """N9: 'nhất là lĩnh vực …' in a self-assessment is the field with the lowest self rate (survey
    points left out, as the report's table does); another field is a finding that blocks issuing."""
    campaign = _campaign(raw)
    unit = next(a.unit for a in campaign.assessments if a.report and any("nhất là lĩnh vực" in t for t in a.summary))
    assert not _rules(campaign, "bao-cao-tu-danh-gia", unit).get("linh-vuc-yeu-nhat")

    def wrong(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == unit)
        assessment["summary"] = [re.sub(r"nhất là lĩnh vực [^;.]+", "nhất là lĩnh vực cải cách chế độ công vụ"
                                        if "công vụ" not in assessment["summary"][0] else "nhất là lĩnh vực cải cách tài chính công",
                                        assessment["summary"][0])]
    messages = _rules(_campaign(raw, change=wrong), "bao-cao-tu-danh-gia", unit).get("linh-vuc-yeu-nhat", [])
    assert messages and "bảng kết quả cho thấy lĩnh vực thấp nhất là" in messages[0]


def test_one_person_heads_one_unit(raw):
    """N10: Hà Nam's unit list cycled six names, so one 'Giám đốc' signed for Sở Nội vụ and Sở Y tế.
    The fixtures now give each unit its own head; a copied head is a finding on the unit's report."""
    for cid in ("ha-nam-2023", "ninh-binh-2026", "tra-vinh-2023"):
        campaign = _campaign(raw, cid)
        for assessment in campaign.assessments:
            if assessment.report is not None:
                assert not _rules(campaign, "bao-cao-tu-danh-gia", assessment.unit).get("nguoi-dung-dau"), (cid, assessment.unit)

    def copied(data):
        units = {u["id"]: u for g in data["groups"] for u in g["units"]}
        units["syt"]["signature"] = dict(units["snv"]["signature"])
    campaign = _campaign(raw, "ha-nam-2023", change=copied)
    messages = _rules(campaign, "bao-cao-tu-danh-gia", "syt").get("nguoi-dung-dau", [])
    assert messages and "Giám đốc Nguyễn Thị Hà ký báo cáo này nhưng dữ liệu cũng ghi là Giám đốc của Sở Nội vụ" in messages[0]


def test_a_draft_is_cited_with_blanks_for_its_number_and_date(raw):
    """N11: a citation names số, ký hiệu and ngày (ND30 PL I); a plan or decision not yet numbered is
    cited with those left blank, never by its subject alone."""
    guidance = compose(_campaign(raw, "ha-nam-2023"), "huong-dan").text_lines()
    assert any(re.match(r"Thực hiện Kế hoạch số\s+/KH-UBND ngày\s+tháng\s+năm 2023 của Ủy ban nhân dân tỉnh Hà Nam", line)
               for line in guidance), guidance[:8]
    rules = compose(_campaign(raw), "quyet-dinh-quy-che").text_lines()
    assert any(re.match(r"Căn cứ Quyết định số\s+/QĐ-UBND ngày\s+tháng 10 năm 2026 của Ủy ban nhân dân tỉnh Ninh Bình "
                        r"về việc thành lập Hội đồng thẩm định", line) for line in rules), rules[:8]
