"""The Sở Nội vụ's letters to each unit taken in bulk (walk finding 12, issue 14): the drafter
submits several at once, the leader approves them, the văn thư issues them with consecutive register
numbers; a letter that cannot take the step stays as it was and says why, and a request that is not
confirmed, names a unit the letter does not concern or comes from a role without the step changes
nothing."""
import re

from service.store.campaigns import Change, update_campaign
from service.store.lifecycle import states_of
from service.store.register import register_entries
from tests.conftest import login

C = "ninh-binh-2026"
KIND = "cong-van-ket-qua-tham-dinh"
PAGE = f"/chien-dich/{C}/van-ban/{KIND}/hang-loat"


def _client(app, username):
    client = app.test_client()
    _, token = login(client, username)
    return client, token


def _state(engine, unit):
    state = states_of(engine, C).get((KIND, unit))
    return state.state if state else "du-thao"


def _not_yet_notified(app, units: list[str]) -> None:
    """These units are at the step before the notice: the fixture's notice (sent outside the system),
    their explanation, round 2 and round-2 letter taken off — the notice is theirs to send here."""
    def back(data):
        for assessment in data["assessments"]:
            if assessment["unit"] in units:
                for key in ("notice", "explanation_report", "letters"):
                    assessment.pop(key, None)
                for score in assessment["scores"]:
                    score.pop("round2", None)
        return [Change(f"{C}/{unit}/cong-van", "đã gửi", None) for unit in units]
    update_campaign(app.extensions["cchc_engine"], C, back, "test")


def test_letters_submitted_approved_and_issued_in_bulk(app):
    engine = app.extensions["cchc_engine"]
    admin, token = _client(app, "admin")
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Dự thảo: 1" in page and "Đã ban hành ngoài hệ thống: 49" in page      # the fixture's, sent outside
    row = re.search(r'<tr data-don-vi="stp">.*?</tr>', page, re.S).group(0)
    assert "Đã ban hành ngoài hệ thống" in row and "/SNV-CCHC" in row and 'name="don-vi"' not in row
    _not_yet_notified(app, ["stp", "snv"])
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Công văn thông báo kết quả thẩm định, yêu cầu giải trình: các đơn vị" in page
    assert "Dự thảo: 3" in page and 'aria-label="Chọn Sở Xây dựng"' in page
    assert 'href="/chien-dich/ninh-binh-2026/van-ban/cong-van-ket-qua-tham-dinh/hang-loat">Trình, duyệt' not in page
    dashboard = admin.get(f"/chien-dich/{C}").get_data(as_text=True)
    assert f'href="{PAGE}">Trình, duyệt, ban hành theo danh sách</a>' in dashboard

    chosen = ["sxd", "stp"]
    done = admin.post(PAGE, data={"csrf_token": token, "thao-tac": "trinh-duyet", "don-vi": chosen})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Kết quả thực hiện (2/2 văn bản)" in text
    assert [_state(engine, u) for u in chosen] == ["trinh-duyet", "trinh-duyet"] and _state(engine, "snv") == "du-thao"

    vanthu, vanthu_token = _client(app, "vanthu")
    early = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ban-hanh", "don-vi": chosen, "xac-nhan": "1"})
    assert "Kết quả thực hiện (0/2 văn bản)" in early.get_data(as_text=True)
    assert "văn bản đang chờ lãnh đạo duyệt" in early.get_data(as_text=True)        # each row says why

    director, director_token = _client(app, "lanhdao")     # the letters are signed KT. by the Phó Giám đốc: not hers
    other = director.post(PAGE, data={"csrf_token": director_token, "thao-tac": "duyet", "don-vi": chosen})
    assert "Kết quả thực hiện (0/2 văn bản)" in other.get_data(as_text=True)
    assert "được trình Lê Văn Hùng" in other.get_data(as_text=True)
    leader, leader_token = _client(app, "pgd-snv")
    assert leader.post(PAGE, data={"csrf_token": leader_token, "thao-tac": "trinh-duyet", "don-vi": chosen}).status_code == 403
    approved = leader.post(PAGE, data={"csrf_token": leader_token, "thao-tac": "duyet", "don-vi": [*chosen, "snv"]})
    text = approved.get_data(as_text=True)
    assert "Kết quả thực hiện (2/3 văn bản)" in text and "không thể «duyệt» khi văn bản đang ở bước «Dự thảo»" in text
    assert [_state(engine, u) for u in chosen] == ["da-duyet", "da-duyet"]

    unconfirmed = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ban-hanh", "don-vi": chosen})
    assert unconfirmed.status_code == 400 and "Hãy đánh dấu xác nhận" in unconfirmed.get_data(as_text=True)
    stranger = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ban-hanh", "don-vi": ["khong-co"], "xac-nhan": "1"})
    assert stranger.status_code == 400 and "không thuộc danh sách" in stranger.get_data(as_text=True)
    nothing = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ban-hanh", "xac-nhan": "1"})
    assert nothing.status_code == 400 and "Chọn ít nhất một đơn vị" in nothing.get_data(as_text=True)
    assert [_state(engine, u) for u in chosen] == ["da-duyet", "da-duyet"]

    issued = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ban-hanh", "don-vi": chosen, "xac-nhan": "1"})
    text = issued.get_data(as_text=True)
    assert "Kết quả thực hiện (2/2 văn bản)" in text
    assert [_state(engine, u) for u in chosen] == ["da-ban-hanh", "da-ban-hanh"]
    numbers = sorted(e.number for e in register_entries(engine, 2026, organisation="ninh-binh") if e.kind == KIND)
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1                       # consecutive in the register
    row = re.search(r'<tr data-don-vi="sxd">.*?</tr>', text, re.S).group(0)
    assert "Đã ban hành" in row and re.search(r"\d{2}/[A-ZĐ-]+", row) and 'name="don-vi"' not in row

    filtered = vanthu.get(PAGE + "?tim=xay+dung").get_data(as_text=True)
    assert 'data-don-vi="sxd"' in filtered and 'data-don-vi="stp"' not in filtered
    by_step = vanthu.get(PAGE + "?tinh-trang=Đã+ban+hành").get_data(as_text=True)
    assert sorted(re.findall(r'data-don-vi="([^"]+)"', by_step)) == ["stp", "sxd"]


def test_only_the_people_of_the_letters_reach_the_page(app):
    appraiser, _ = _client(app, "thamdinh")
    assert appraiser.get(PAGE).status_code == 403
    unit, _ = _client(app, "soxaydung")
    assert unit.get(PAGE).status_code == 403
    admin, _ = _client(app, "admin")
    assert admin.get(f"/chien-dich/{C}/van-ban/huong-dan/hang-loat").status_code == 404     # not a letter to units
    assert admin.get(f"/chien-dich/{C}/van-ban/bao-cao-tu-danh-gia/hang-loat").status_code == 404


def _files(p12: str, image: str) -> dict:
    import io

    from fixtures import SIGNING_DIR
    from service.signing.demo_pki import DEMO_PASSWORD
    return {"p12": (io.BytesIO(open(p12, "rb").read()), "chung-thu.p12"), "mat_khau": DEMO_PASSWORD,
            "anh": (io.BytesIO((SIGNING_DIR / image).read_bytes()), image)}


def _results(response) -> str:
    """The page's table of results, as text (what the clerk reads after a step)."""
    found = re.search(r'<section id="ket-qua-thuc-hien".*?</section>', response.get_data(as_text=True), re.S)
    return re.sub(r"<[^>]+>", " ", found.group(0)) if found else ""


def _issue_letters(app, units: list[str]) -> None:
    """The notices of ``units`` (at the step before the notice) submitted, approved and issued in bulk."""
    _not_yet_notified(app, units)
    steps = [("admin", "trinh-duyet"), ("pgd-snv", "duyet"), ("vanthu", "ban-hanh")]
    for username, action in steps:
        client, token = _client(app, username)
        done = _results(client.post(PAGE, data={"csrf_token": token, "thao-tac": action, "don-vi": units, "xac-nhan": "1"}))
        assert f"({len(units)}/{len(units)} văn bản)" in done, done


def test_letters_signed_sealed_and_sent_as_a_list(app, signers):
    """Walk U8: one .p12 opening and one confirmation for the chosen letters, each its own PAdES
    signature; a letter that cannot be signed says why on its row; then the seal and the sending."""
    from service.signing.verify import load_trust_roots, verify_pdf
    from service.store.issuing import issued_version
    engine = app.extensions["cchc_engine"]
    units = ["sxd", "stp", "syt"]
    _issue_letters(app, units)
    leader, token = _client(app, "pgd-snv")
    page = leader.get(PAGE).get_data(as_text=True)
    assert "Ký số các văn bản đã chọn" in page and 'name="p12"' in page and 'name="xac-nhan-ky"' in page
    before = {u: states_of(engine, C)[(KIND, u)].current_version_id for u in units}

    unconfirmed = leader.post(PAGE, data={"csrf_token": token, "thao-tac": "ky-so", "don-vi": units,
                                          **_files(signers["pgd-snv"], "chu-ky-mau.png")})
    assert unconfirmed.status_code == 422 and "Chưa ký văn bản nào: chưa xác nhận" in unconfirmed.get_data(as_text=True)
    wrong = leader.post(PAGE, data={"csrf_token": token, "thao-tac": "ky-so", "don-vi": units, "xac-nhan-ky": "1",
                                    **_files(signers["pgd-snv"], "chu-ky-mau.png"), "mat_khau": "sai"})
    assert wrong.status_code == 422 and "mật khẩu tệp chứng thư số (.p12) không đúng" in wrong.get_data(as_text=True)
    director, director_token = _client(app, "lanhdao")            # not the person the letters name
    other = director.post(PAGE, data={"csrf_token": director_token, "thao-tac": "ky-so", "don-vi": units[:1],
                                      "xac-nhan-ky": "1", **_files(signers["lanhdao"], "chu-ky-mau.png")})
    assert "(0/1 văn bản)" in other.get_data(as_text=True) and "không ghi tên bạn ở ô ký" in other.get_data(as_text=True)
    assert {u: _state(engine, u) for u in units} == dict.fromkeys(units, "da-ban-hanh")

    signed = leader.post(PAGE, data={"csrf_token": token, "thao-tac": "ky-so", "don-vi": [*units, "sct"],
                                     "xac-nhan-ky": "1", **_files(signers["pgd-snv"], "chu-ky-mau.png")},
                         headers={"Accept": "application/json"})
    rows = {row["don_vi"]: row for row in signed.get_json()["ket_qua"]}
    assert signed.status_code == 200 and [row["xong"] for row in rows.values()] == [True, True, True, False]
    assert "chưa được ban hành" in rows["Sở Công Thương"]["ghi_chu"] and "đã ký số" in rows["Sở Xây dựng"]["ghi_chu"]
    assert {u: _state(engine, u) for u in units} == dict.fromkeys(units, "da-ky")
    roots = load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read())
    digests = set()
    for unit in units:
        version = issued_version(engine, before[unit])
        report = verify_pdf(version.signed_pdf, roots, issued=version.pdf)
        assert report.exit_status == 0 and [s.signer for s in report.signatures] == ["Lê Văn Hùng"]
        digests.add(version.signed_sha256)
    assert len(digests) == 3                                         # three documents, three signatures

    again = leader.post(PAGE, data={"csrf_token": token, "thao-tac": "ky-so", "don-vi": units[:1], "xac-nhan-ky": "1",
                                    **_files(signers["pgd-snv"], "chu-ky-mau.png")})
    assert "(0/1 văn bản)" in again.get_data(as_text=True) and "đã có chữ ký" in again.get_data(as_text=True)

    vanthu, vanthu_token = _client(app, "vanthu")
    assert vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "ky-so", "don-vi": units, "xac-nhan-ky": "1",
                                   **_files(signers["co-quan:snv"], "con-dau-mau.png")}).status_code == 403
    sealed = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "dong-dau", "don-vi": units,
                                     "xac-nhan-ky": "1", **_files(signers["co-quan:snv"], "con-dau-mau.png")})
    assert "Kết quả thực hiện (3/3 văn bản)" in sealed.get_data(as_text=True)
    assert {u: _state(engine, u) for u in units} == dict.fromkeys(units, "da-dong-dau")
    sent = vanthu.post(PAGE, data={"csrf_token": vanthu_token, "thao-tac": "phat-hanh", "don-vi": units, "xac-nhan": "1"})
    assert "Kết quả thực hiện (3/3 văn bản)" in sent.get_data(as_text=True)
    assert {u: _state(engine, u) for u in units} == dict.fromkeys(units, "da-phat-hanh")
    final = issued_version(engine, before["sxd"])
    assert [s.signer for s in verify_pdf(final.signed_pdf, roots, issued=final.pdf).signatures] == ["Lê Văn Hùng", "Sở Nội vụ"]
