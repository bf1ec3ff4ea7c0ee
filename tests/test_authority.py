"""Every step goes to the person who must take it (issue 24, walk U2): a submission goes to the leader
the signature block names, or to another leader of the issuing agency the drafter picks; only that
leader approves or returns it; a leader of the Sở never approves a UBND act nor the reverse; only
the people a signature block names are told to sign, see it on their home page, and may sign."""
import re

from service.store.lifecycle import state_of
from service.store.notifications import unread
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"


def _submit(app, kind, leader=None, unit=None):
    client = app.test_client()
    _, token = login(client, "admin")
    where = f"/chien-dich/{C}/van-ban/{kind}" + (f"/{unit}" if unit else "")
    return client.post(f"{where}/buoc/trinh-duyet", data={"csrf_token": token, "ly-do": "Kính trình",
                                                           **({"lanh-dao": leader} if leader else {})})


def _step(app, username, kind, action, reason=""):
    client = app.test_client()
    _, token = login(client, username)
    return client.post(f"/chien-dich/{C}/van-ban/{kind}/buoc/{action}", data={"csrf_token": token, "ly-do": reason})


def _approver(app, kind):
    from sqlalchemy.orm import Session

    from service.store.models import User
    engine = app.extensions["cchc_engine"]
    with Session(engine) as session:
        return session.get(User, state_of(engine, C, kind, None).approver_id).username


def test_the_drafter_is_offered_the_signer_first_and_only_the_issuers_leaders(app):
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get(f"/chien-dich/{C}/van-ban/to-trinh-hoi-dong.html").get_data(as_text=True)
    choices = re.findall(r'<option value="([^"]+)">', page.split('name="lanh-dao"')[1].split("</select>")[0])
    assert choices == ["lanhdao", "pgd-snv"]                      # the Giám đốc who signs it, then the Phó Giám đốc
    page = admin.get(f"/chien-dich/{C}/van-ban/quyet-dinh-hoi-dong.html").get_data(as_text=True)
    choices = re.findall(r'<option value="([^"]+)">', page.split('name="lanh-dao"')[1].split("</select>")[0])
    assert choices == ["pct-ubnd", "lanhdao-ubnd"]                # KT. Chủ tịch: the Phó Chủ tịch who signs, the Chủ tịch


def test_a_submission_goes_to_one_leader_who_alone_approves_or_returns_it(app):
    engine = app.extensions["cchc_engine"]
    refused = _submit(app, "to-trinh-hoi-dong", leader="pct-ubnd")          # a UBND leader for a Sở act: no
    assert refused.status_code == 409 and "không trình được lãnh đạo" in refused.get_data(as_text=True)
    assert state_of(engine, C, "to-trinh-hoi-dong", None).state == "du-thao"
    assert _submit(app, "to-trinh-hoi-dong", leader="pgd-snv").status_code == 302    # the deputy, chosen
    assert _approver(app, "to-trinh-hoi-dong") == "pgd-snv"
    for other in ("lanhdao", "pct-ubnd", "lanhdao-ubnd"):                  # the director included: not hers
        assert _step(app, other, "to-trinh-hoi-dong", "duyet").status_code == 403, other
    assert state_of(engine, C, "to-trinh-hoi-dong", None).state == "trinh-duyet"
    told = [n.text for n in unread(engine, "pgd-snv")]
    assert told == ["Tờ trình thành lập Hội đồng thẩm định: admin trình lãnh đạo duyệt («Kính trình»)."]
    assert [n for n in unread(engine, "lanhdao") if "trình lãnh đạo duyệt" in n.text] == []

    returned = _step(app, "pgd-snv", "to-trinh-hoi-dong", "tra-lai", "Bổ sung thành phần Tổ Thư ký")
    assert returned.status_code == 302 and state_of(engine, C, "to-trinh-hoi-dong", None).state == "tra-lai"
    assert any(n.text.endswith("bị trả lại để sửa — Bổ sung thành phần Tổ Thư ký") for n in unread(engine, "admin"))

    assert _submit(app, "quyet-dinh-hoi-dong").status_code == 302            # default: the Phó Chủ tịch who signs
    assert _approver(app, "quyet-dinh-hoi-dong") == "pct-ubnd"
    assert _step(app, "lanhdao", "quyet-dinh-hoi-dong", "duyet").status_code == 403      # U2: a Sở leader, a UBND act
    assert _step(app, "pct-ubnd", "quyet-dinh-hoi-dong", "duyet").status_code == 302
    assert state_of(engine, C, "quyet-dinh-hoi-dong", None).state == "da-duyet"


def test_the_api_routes_the_same_way(app):
    from service.store.api_tokens import create_token
    engine = app.extensions["cchc_engine"]
    _, admin = create_token(engine, "admin", scope="write", operator=True, actor="test")
    _, chair = create_token(engine, "lanhdao-ubnd", scope="write", operator=True, actor="test")
    _, deputy = create_token(engine, "pct-ubnd", scope="write", operator=True, actor="test")
    client = app.test_client()
    url = f"/api/campaigns/{C}/documents/quyet-dinh-cong-bo/steps/"
    wrong = client.post(url + "trinh-duyet", json={"approver": "pgd-snv"}, headers={"Authorization": f"Bearer {admin}"})
    assert wrong.status_code == 409 and "không trình được" in wrong.get_json()["loi"]
    assert client.post(url + "trinh-duyet", json={}, headers={"Authorization": f"Bearer {admin}"}).status_code == 200
    assert _approver(app, "quyet-dinh-cong-bo") == "lanhdao-ubnd"          # TM. UBND, signed by the Chủ tịch
    assert client.post(url + "duyet", json={}, headers={"Authorization": f"Bearer {deputy}"}).status_code == 403
    assert client.post(url + "duyet", json={}, headers={"Authorization": f"Bearer {chair}"}).status_code == 200


def test_only_the_person_the_signature_block_names_is_asked_to_sign_and_may(app, signers):
    """The Hướng dẫn is signed by the Giám đốc: she alone hears of it, sees it on her home page and may
    sign; the Phó Giám đốc and the UBND's leaders are not asked and are refused."""
    from tests.conftest import sign_through_the_form
    engine = app.extensions["cchc_engine"]
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    version = state_of(engine, C, "huong-dan", None).current_version_id
    for username in ("pgd-snv", "pct-ubnd", "lanhdao-ubnd"):
        assert [n for n in unread(engine, username) if "ký số" in n.text] == []
        client = app.test_client()
        login(client, username)
        home = client.get(f"/chien-dich/{C}").get_data(as_text=True)
        assert "chờ lãnh đạo ký số" not in home, username
        page = client.get(f"/chien-dich/{C}/van-ban/huong-dan.html").get_data(as_text=True)
        assert 'name="p12"' not in page, username                     # no signing form for who is not named
        assert sign_through_the_form(app, C, version, signers["lanhdao"], username=username).status_code == 403
    director = app.test_client()
    login(director, "lanhdao")
    home = director.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert "chờ lãnh đạo ký số" in home
    assert sign_through_the_form(app, C, version, signers["lanhdao"]).status_code == 302
    page = director.get(f"/chien-dich/{C}/van-ban/huong-dan.html").get_data(as_text=True)
    assert 'name="p12"' not in page                                   # signed: the form is gone (walk U33)


def test_a_document_citing_the_plan_waits_for_its_number():
    """Walk U9: the Tờ trình thành lập Hội đồng cites the Kế hoạch ('Thực hiện Kế hoạch số …'): it
    cannot be issued while the plan has no number, and can once the plan is issued."""
    import datetime as dt

    from data_models.loading import load_campaign
    from fixtures import FIXTURES_DIR
    from service.domain.readiness import blocking_reasons
    campaign = load_campaign(FIXTURES_DIR / "ninh-binh-2026")
    unnumbered = campaign.model_copy(update={"plan": campaign.plan.model_copy(update={
        "header": campaign.plan.header.model_copy(update={"number": None})})})
    day = dt.date(2026, 4, 1)
    assert "Kế hoạch chưa được ban hành; văn bản này ban hành sau" in blocking_reasons(
        unnumbered, "to-trinh-hoi-dong", None, set(), today=day)
    assert not any("Kế hoạch chưa" in r for r in blocking_reasons(unnumbered, "to-trinh-hoi-dong", None,
                                                                 {("ke-hoach", "")}, today=day))
    assert not any("Kế hoạch chưa" in r for r in blocking_reasons(unnumbered, "to-trinh-ke-hoach", None, set(), today=day))
    assert not any("Kế hoạch chưa" in r for r in blocking_reasons(campaign, "to-trinh-hoi-dong", None, set(), today=day))


def test_results_are_not_published_before_every_round_two_notice():
    """Walk U23: a unit appraised again after explaining learns its final appraisal (Thông báo kết quả
    thẩm định lần 2) before the province publishes: the QĐ công bố names the units still without it —
    one whose letter is only a draft here, one whose letter the data lacks — and not an excluded unit."""
    import datetime as dt
    import json

    from data_models import parse_campaign
    from fixtures import FIXTURES_DIR
    from service.domain.readiness import blocking_reasons
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    data["exclusions"] = [{"unit": "sxd", "reason": "Đơn vị hợp nhất trong năm"}]
    day = dt.date(2026, 12, 15)

    def reasons(data, issued=frozenset()):
        found = [r for r in blocking_reasons(parse_campaign(data), "quyet-dinh-cong-bo", None, set(issued), today=day)
                 if "Thông báo kết quả thẩm định lần 2" in r]
        return found[0] if found else None
    assert reasons(data) is None                              # the fixture: every explained unit has its letter
    lost = next(a for a in data["assessments"] if a.get("letters"))
    del lost["letters"]["thong-bao-tham-dinh-lan-2"]
    campaign = parse_campaign(data)
    name = campaign.unit(lost["unit"]).name
    assert reasons(data) == (f"1 đơn vị đã thẩm định lần 2 chưa nhận Thông báo kết quả thẩm định lần 2 (đơn vị "
                             f"phải biết kết quả cuối cùng trước khi công bố): {name}")
    assert reasons(data, {("thong-bao-tham-dinh-lan-2", lost["unit"])}) is None     # issued here instead
    data["exclusions"].append({"unit": lost["unit"], "reason": "Không xếp hạng"})
    assert reasons(data) is None


def test_published_results_are_final_and_reach_the_units(app):
    """Walk U6, U7: once the QĐ công bố is issued the results page says so (no 'tạm thời') and lists
    the units left out with their reason; every unit reads the decision it is an addressee of, and
    never a draft of a campaign-level document (U22)."""
    from service.store.campaigns import Change, update_campaign
    engine = app.extensions["cchc_engine"]
    unit = app.test_client()
    login(unit, "soxaydung")
    assert unit.get(f"/chien-dich/{C}/van-ban/quyet-dinh-cong-bo.html").status_code == 403       # a draft

    def exclude(data):
        data["exclusions"] = [{"unit": "sxd", "reason": "Đơn vị hợp nhất trong năm, chưa đủ 6 tháng hoạt động"}]
        return [Change(f"{C}/loai-khoi-xep-hang", None, data["exclusions"])]
    update_campaign(engine, C, exclude, "test")
    for kind, form in (("bien-ban", {}), ("to-trinh-ket-qua", {}),
                       ("quyet-dinh-cong-bo", {"so": "3120", "ngay": "15/12/2026"})):   # numbered by the UBND's office
        response = issue_through_the_form(app, C, kind, **form)
        assert response.status_code == 302, (kind, re.findall(r'field-error[^>]*>([^<]+)', response.get_data(as_text=True)))
    number = state_of(engine, C, "quyet-dinh-cong-bo", None)
    page = unit.get(f"/chien-dich/{C}/ket-qua").get_data(as_text=True)
    assert "đã công bố theo Quyết định số " in page and "/QĐ-UBND" in page and "Kết quả tạm thời" not in page
    assert "Không xếp hạng năm 2026 (1 đơn vị)" in page
    assert re.search(r"<td>Sở Xây dựng</td><td>Đơn vị hợp nhất trong năm, chưa đủ 6 tháng hoạt động</td>", page)
    assert number.official
    admin = app.test_client()
    login(admin, "admin")
    dashboard = admin.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert "không xếp hạng: 1" in dashboard                                  # not counted as "chưa nộp"
    decision = unit.get(f"/chien-dich/{C}/van-ban/quyet-dinh-cong-bo.html")
    assert decision.status_code == 200 and "Quyết định" in decision.get_data(as_text=True)
    assert "Quyết định phê duyệt và công bố" in unit.get(f"/chien-dich/{C}").get_data(as_text=True)


def test_a_unit_reads_the_letter_it_was_sent_not_the_draft_or_its_internals(app):
    """Walk U22: the office's letter to a unit is the office's draft until issued (403 to the unit, with
    its drafting check); once issued the unit reads the issued text — no new draft from current data,
    no drafting check, template or digests, no internal history; asking for 'ban=du-thao' still gets
    the issued file. The unit keeps all of that on its own reports."""
    unit = app.test_client()
    login(unit, "soxaydung")
    where = f"/chien-dich/{C}/van-ban/cong-van-ket-qua-tham-dinh/sxd"
    assert unit.get(f"{where}.html").status_code == 403
    assert unit.get(f"{where}.pdf?ban=du-thao").status_code == 403
    response = issue_through_the_form(app, C, "cong-van-ket-qua-tham-dinh", "sxd")
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    page = unit.get(f"{where}.html").get_data(as_text=True)
    assert "Bản đã ban hành" in page and "/SNV" in page
    for internal in ("Bản dự thảo mới", "SHA-256", "Theo mẫu", "Kiểm tra soạn thảo", "Lịch sử", "ban=du-thao"):
        assert internal not in page, internal
    asked = unit.get(f"{where}.docx?ban=du-thao")
    assert asked.status_code == 200 and "du-thao" not in asked.headers["Content-Disposition"]
    office = app.test_client()
    login(office, "admin")
    assert "Bản dự thảo mới" in office.get(f"{where}.html").get_data(as_text=True)
    own = unit.get(f"/chien-dich/{C}/van-ban/bao-cao-tu-danh-gia/sxd.html").get_data(as_text=True)
    assert "Lịch sử" in own
