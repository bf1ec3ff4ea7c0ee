"""Signing in the workspace on SQLite and PostgreSQL (issue 10, findings 1–3): a signature is accepted
only as the issued file plus signatures (pyHanko's difference analysis from the issued revision), from
a trusted, valid certificate registered for the person or agency the document names, added by the
account that may add it. Each attack of the security run is replayed and refused, nothing stored
changes; the legitimate cycle ends đã ký, đã đóng dấu số."""
import html
import io
import re
import subprocess
import sys

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from fixtures import SIGNING_DIR
from service.signing.demo_pki import DEMO_PASSWORD, PASSWORD, issue, load_or_make_ca, make_ca
from service.signing.sign import sign_as_agency, sign_as_leader
from service.signing.signers import load_pkcs12
from service.signing.verify import load_trust_roots, verify_pdf
from service.store.campaigns import audit_trail
from service.store.issuing import issued_version
from service.store.lifecycle import state_of
from tests.conftest import issue_through_the_form, login

CID = "ninh-binh-2026"
SIGNATURE = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
SEAL = (SIGNING_DIR / "con-dau-mau.png").read_bytes()


def _issued(app, kind, **form):
    response = issue_through_the_form(app, CID, kind, **form)
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    return issued_version(app.extensions["cchc_engine"], state_of(app.extensions["cchc_engine"], CID, kind, None).current_version_id)


def _signer(path):
    return load_pkcs12(open(path, "rb").read(), DEMO_PASSWORD)


def _post(client, token, version_id, p12=None, password=DEMO_PASSWORD, image=SIGNATURE, upload=None):
    data = {"csrf_token": token}
    if upload is not None:
        data.update(cach="tai-len", tep=(io.BytesIO(upload), "da-ky.pdf"))
    else:
        data.update(cach="chung-thu", mat_khau=password, p12=(io.BytesIO(p12), "chung-thu.p12"), anh=(io.BytesIO(image), "anh.png"))
    return client.post(f"/chien-dich/{CID}/ban-chinh-thuc/{version_id}/ky-so", data=data, content_type="multipart/form-data")


def _final(app, version_id):
    return issued_version(app.extensions["cchc_engine"], version_id)


def _client(app, username):
    client = app.test_client()
    _, token = login(client, username)
    return client, token


def _said(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_leader_signs_then_the_vanthu_adds_the_seal(app, signers, tmp_path):
    engine = app.extensions["cchc_engine"]
    version = _issued(app, "huong-dan")              # signed by Đinh Thị Thu Hà (lanhdao), sealed by Sở Nội vụ
    leader, leader_token = _client(app, "lanhdao")
    vanthu, vanthu_token = _client(app, "vanthu")
    ca, _ = load_or_make_ca(tmp_path / "ky-so")
    early = _post(vanthu, vanthu_token, version.id, open(signers["co-quan:snv"], "rb").read(), image=SEAL)
    assert early.status_code == 422 and "người có thẩm quyền chưa ký" in _said(early)
    expired = issue(ca, "Đinh Thị Thu Hà", "Sở Nội vụ", expired=True).p12(DEMO_PASSWORD)
    for p12, password, message in ((open(signers["lanhdao"], "rb").read(), "sai", "mật khẩu tệp chứng thư số (.p12) không đúng"),
                                   (expired, DEMO_PASSWORD, "đã hết hạn ngày"),
                                   (b"%PDF-1.4 not a p12", DEMO_PASSWORD, "không phải chứng thư số PKCS#12")):
        response = _post(leader, leader_token, version.id, p12, password)
        assert response.status_code == 422 and message in _said(response) and "Bản đã lưu không thay đổi" in _said(response)
        assert _final(app, version.id).signed_pdf is None

    assert _post(leader, leader_token, version.id, open(signers["lanhdao"], "rb").read()).status_code == 302
    assert state_of(engine, CID, "huong-dan", None).state == "da-ky"
    again = _post(leader, leader_token, version.id, open(signers["lanhdao"], "rb").read())
    assert again.status_code == 422 and "văn bản đã có chữ ký ở ô 'ChuKy'" in _said(again)
    assert _post(vanthu, vanthu_token, version.id, open(signers["co-quan:snv"], "rb").read(), image=SEAL).status_code == 302
    assert state_of(engine, CID, "huong-dan", None).state == "da-dong-dau"

    final = _final(app, version.id)
    assert final.signed_pdf.startswith(final.pdf) and final.signed_by == "Đinh Thị Thu Hà, Sở Nội vụ"
    report = leader.get(f"/api/campaigns/{CID}/versions/{version.id}/signatures").get_json()
    assert report["ma_ket_qua"] == 0 and [c["nguoi_ky"] for c in report["chu_ky"]] == ["Đinh Thị Thu Hà", "Sở Nội vụ"]
    assert all(c["toan_ven"] and c["tin_cay"] and not c["sua_sau_khi_ky"] for c in report["chu_ky"])
    assert [e.action for e in audit_trail(engine, f"campaign/{CID}/huong-dan")].count("ky-so") == 2
    page = leader.get(f"/chien-dich/{CID}/van-ban/huong-dan.html").get_data(as_text=True)
    assert "Đã đóng dấu số" in page and "Đinh Thị Thu Hà" in page
    assert leader.get(f"/chien-dich/{CID}/van-ban/huong-dan.pdf").data == final.signed_pdf   # the final version

    tampered = bytearray(final.signed_pdf)
    tampered[len(final.pdf) // 2] ^= 0x01
    checked = leader.post("/api/verify", data={"csrf_token": leader_token, "tep": (io.BytesIO(bytes(tampered)), "x.pdf")},
                          content_type="multipart/form-data")
    assert checked.status_code == 200 and checked.get_json()["ma_ket_qua"] == 1
    not_pdf = leader.post("/api/verify", data={"csrf_token": leader_token, "tep": (io.BytesIO(b"GIF89a"), "x.pdf")},
                          content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and "không phải PDF" in not_pdf.get_json()["loi"]


def _forged(issued: bytes) -> bytes:
    """The issued PDF plus an incremental update that whites out the signer's name and adds a line."""
    writer = IncrementalPdfFileWriter(io.BytesIO(issued))
    name = generic.NameObject
    font = writer.add_object(generic.DictionaryObject({name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"),
                                                       name("/BaseFont"): name("/Helvetica")}))
    content = writer.add_object(generic.StreamObject(
        stream_data=b"q 1 1 1 rg 30 640 540 180 re f Q BT /FX 16 Tf 1 0 0 rg 40 740 Td (SO 999 - NOI DUNG DA SUA) Tj ET"))
    writer.add_stream_to_page(0, content, resources=generic.DictionaryObject(
        {name("/Font"): generic.DictionaryObject({name("/FX"): font})}))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.slow
def test_attacks_on_signatures_are_refused(app, signers, tmp_path):
    """C1, H1, M10, walk #14: altered content, untrusted, expired, forged by the văn thư, the wrong
    person, the wrong agency, the secretary outside the minutes — each refused, nothing stored."""
    version = _issued(app, "huong-dan")
    leader, leader_token = _client(app, "lanhdao")
    vanthu, vanthu_token = _client(app, "vanthu")
    own = _signer(signers["lanhdao"])

    forged = sign_as_leader(_forged(version.pdf), own, SIGNATURE)          # 1. altered, then signed
    response = _post(leader, leader_token, version.id, upload=forged)
    assert response.status_code == 422 and "thay đổi so với bản đã ban hành" in _said(response)
    (tmp_path / "issued.pdf").write_bytes(version.pdf)
    (tmp_path / "forged.pdf").write_bytes(forged)
    cli = subprocess.run([sys.executable, "-m", "service.cli", "verify", str(tmp_path / "forged.pdf"), "--issued",
                          str(tmp_path / "issued.pdf"), "--ca", app.config["CCHC_TRUST_BUNDLE"]], capture_output=True, text=True)
    assert cli.returncode == 1 and "Nội dung khác bản đã ban hành" in cli.stdout

    stranger_ca = make_ca("CA tự lập")                                       # 2. a self-made CA, same name
    fake = issue(stranger_ca, "Đinh Thị Thu Hà", "Sở Nội vụ").p12(DEMO_PASSWORD)
    response = _post(leader, leader_token, version.id, fake)
    assert response.status_code == 422 and "không được tin cậy" in _said(response)
    ca, _ = load_or_make_ca(tmp_path / "ky-so")                               # an expired one, uploaded
    expired = issue(ca, "Đinh Thị Thu Hà", "Sở Nội vụ", expired=True)
    from service.signing.signers import SimpleSigner
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    old = SimpleSigner(signing_cert=asn1_x509.Certificate.load(expired.der),
                       signing_key=asn1_keys.PrivateKeyInfo.load(expired.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
                       cert_registry=None)
    response = _post(leader, leader_token, version.id, upload=sign_as_leader(version.pdf, old, SIGNATURE))
    assert response.status_code == 422 and "không được tin cậy" in _said(response)

    self_made = make_ca("CA của văn thư")                                   # 3. the văn thư forges leader + seal
    both = sign_as_agency(sign_as_leader(version.pdf, load_pkcs12(issue(self_made, "Đinh Thị Thu Hà", "Sở Nội vụ").p12(), PASSWORD),
                                         SIGNATURE), load_pkcs12(issue(self_made, "Sở Nội vụ", "Sở Nội vụ").p12(), PASSWORD), SEAL)
    response = _post(vanthu, vanthu_token, version.id, upload=both)
    assert response.status_code == 422 and "không được tin cậy" in _said(response)
    said = html.unescape(response.get_data(as_text=True))                  # walk U14: the files are not kept
    assert "vẫn được giữ nguyên" not in said and "hãy chọn lại tệp" in said

    ubnd_leader = _signer(signers["lanhdao-ubnd"])                        # 4. a registered, trusted, other person
    response = _post(leader, leader_token, version.id, upload=sign_as_leader(version.pdf, ubnd_leader, SIGNATURE))
    assert response.status_code == 422 and "không phải người ký, cơ quan ban hành có tên trên văn bản này" in _said(response)
    other, other_token = _client(app, "lanhdao-ubnd")                       # … through their own account too
    response = _post(other, other_token, version.id, open(signers["lanhdao-ubnd"], "rb").read())
    assert response.status_code == 403 and "không ghi tên bạn ở ô ký" in response.get_data(as_text=True)   # not even asked
    someone_else, token = _client(app, "pgd-snv")                          # the right certificate, the wrong account
    response = _post(someone_else, token, version.id, open(signers["lanhdao"], "rb").read())
    assert response.status_code == 403                                      # the page refuses who is not named …
    from service.signing.signers import SigningError
    from service.store.signatures import accept_signed_pdf
    from service.store.users import users_of
    deputy = next(u for u in users_of(app.extensions["cchc_engine"], "ninh-binh") if u.username == "pgd-snv")
    with pytest.raises(SigningError, match="không ký thay Đinh Thị Thu Hà"):   # … and so does the store, below it
        accept_signed_pdf(app.extensions["cchc_engine"], version.id,
                          sign_as_leader(version.pdf, _signer(signers["lanhdao"]), SIGNATURE), deputy,
                          load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read()))

    assert _post(leader, leader_token, version.id, open(signers["lanhdao"], "rb").read()).status_code == 302
    ubnd_seal = open(signers["co-quan:ubnd-tinh"], "rb").read()             # 5. the UBND seal on a Sở Nội vụ document
    response = _post(vanthu, vanthu_token, version.id, ubnd_seal, image=SEAL)
    assert response.status_code == 422 and "Ủy ban nhân dân tỉnh Ninh Bình không phải người ký, cơ quan ban hành" in _said(response)

    secretary, secretary_token = _client(app, "thuky")                     # 6. the secretary on a Tờ trình
    submission = _issued(app, "to-trinh-ke-hoach")
    response = _post(secretary, secretary_token, submission.id, open(signers["thuky"], "rb").read())
    assert response.status_code == 403 and "không ghi tên bạn ở ô ký" in response.get_data(as_text=True)
    from pyhanko.sign.fields import SigFieldSpec
    from service.signing.sign import _sign
    from service.signing.sign import empty_fields
    page, place = empty_fields(submission.pdf)["ChuKy"]                    # inside the block, so only who signs is wrong
    new_field = _sign(submission.pdf, _signer(signers["thuky"]), "ChuKyTrai", None, reason="x",
                      new_field=SigFieldSpec(sig_field_name="ChuKyTrai", on_page=page,
                                             box=(place[0] + 2, place[1] + 2, place[0] + 60, place[1] + 30)))
    response = _post(secretary, secretary_token, submission.id, upload=new_field)
    assert response.status_code == 403                                      # the page refuses it, and so does the store
    secretary_user = next(u for u in users_of(app.extensions["cchc_engine"], "ninh-binh") if u.username == "thuky")
    with pytest.raises(SigningError, match="Hoàng Minh Tuấn không phải người ký"):
        accept_signed_pdf(app.extensions["cchc_engine"], submission.id, new_field, secretary_user,
                          load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read()))

    final = _final(app, version.id)
    assert final.signed_by == "Đinh Thị Thu Hà" and _final(app, submission.id).signed_pdf is None
    page = leader.get(f"/chien-dich/{CID}/ban-chinh-thuc/{version.id}/chu-ky").get_data(as_text=True)   # walk U10
    assert "Kiểm tra chữ ký số: văn bản Số: " in page and "<td>Đinh Thị Thu Hà</td>" in page
    assert "mọi chữ ký hợp lệ và tin cậy" in page and re.search(r"<td>\d{2}/\d{2}/\d{4} \d{2}:\d{2}</td>", page)
    assert "+00:00" not in page and "\\u" not in page
    assert ">PAdES B-B</abbr>" in page and "Định dạng lưu trữ: PDF/A-2b (kiểm tra cấu trúc đạt)." in page
    assert verify_pdf(final.signed_pdf, load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read()),
                      issued=final.pdf).exit_status == 0


def test_uploads_signed_elsewhere(app, signers):
    version = _issued(app, "to-trinh-ke-hoach")
    leader, token = _client(app, "lanhdao")
    own_software = sign_as_leader(version.pdf, _signer(signers["lanhdao"]), SIGNATURE)
    other = _issued(app, "huong-dan")
    elsewhere = sign_as_leader(other.pdf, _signer(signers["lanhdao"]), SIGNATURE)
    wrong = _post(leader, token, version.id, upload=elsewhere)
    assert wrong.status_code == 422 and "không phải bản đã ban hành của văn bản này" in _said(wrong)
    unsigned = _post(leader, token, version.id, upload=version.pdf)
    assert unsigned.status_code == 422 and "không có chữ ký mới" in _said(unsigned)
    junk = _post(leader, token, version.id, upload=b"\x89PNG not a pdf")
    assert junk.status_code == 422 and "không phải bản đã ban hành" in _said(junk)
    assert _final(app, version.id).signed_pdf is None
    assert _post(leader, token, version.id, upload=own_software).status_code == 302
    assert _final(app, version.id).signed_pdf == own_software
    unit, unit_token = _client(app, "soxaydung")
    assert _post(unit, unit_token, version.id, upload=own_software).status_code == 403
    missing = _post(leader, token, 99999, open(signers["lanhdao"], "rb").read())
    assert missing.status_code == 404 and "Không tìm thấy bản ban hành này" in _said(missing)


def test_vanthu_uploads_the_e_office_signed_file(app, signers):
    """UBND tỉnh's documents are signed in the provincial e-office: both signatures come back in one
    file, which the văn thư uploads; the leader may not upload the agency's signature."""
    _issued(app, "to-trinh-hoi-dong")
    version = _issued(app, "quyet-dinh-hoi-dong", so="216", ngay="16/10/2026")   # signed by Trần Quang Minh (pct-ubnd)
    both = sign_as_agency(sign_as_leader(version.pdf, _signer(signers["pct-ubnd"]), SIGNATURE),
                          _signer(signers["co-quan:ubnd-tinh"]), SEAL)
    leader, leader_token = _client(app, "pct-ubnd")
    refused = _post(leader, leader_token, version.id, upload=both)
    assert refused.status_code == 422 and "do văn thư thêm" in _said(refused)
    vanthu, token = _client(app, "vanthu")
    assert _post(vanthu, token, version.id, upload=both).status_code == 302
    final = _final(app, version.id)
    assert final.signed_pdf == both and final.signed_by == "Trần Quang Minh, Ủy ban nhân dân tỉnh Ninh Bình"
    assert state_of(app.extensions["cchc_engine"], CID, "quyet-dinh-hoi-dong", None).state == "da-dong-dau"
    again = _post(vanthu, token, version.id, upload=both)
    assert again.status_code == 422 and "không phải bản đã ban hành" not in _said(again)


def test_minutes_signed_by_the_secretary_and_the_chair(app, signers):
    version = _issued(app, "bien-ban")
    secretary, token = _client(app, "thuky")
    assert _post(secretary, token, version.id, open(signers["thuky"], "rb").read()).status_code == 302
    assert state_of(app.extensions["cchc_engine"], CID, "bien-ban", None).state == "da-ban-hanh"   # the chair has not signed
    chair, chair_token = _client(app, "pct-ubnd")
    assert _post(chair, chair_token, version.id, open(signers["pct-ubnd"], "rb").read()).status_code == 302
    assert state_of(app.extensions["cchc_engine"], CID, "bien-ban", None).state == "da-ky"
    report = verify_pdf(_final(app, version.id).signed_pdf, load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read()))
    assert report.exit_status == 0 and [s.field for s in report.signatures] == ["ChuKyTrai", "ChuKy"]


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_voided_numbers_and_withdrawn_documents_cannot_be_signed(app, signers):
    """Issue 10 #5: a voided number's document returns to draft (issued again under a new number), its
    old version cannot be signed; a signed one's number is voided only after a replacement."""
    engine = app.extensions["cchc_engine"]
    version = _issued(app, "to-trinh-hoi-dong")
    vanthu, token = _client(app, "vanthu")
    page = vanthu.get("/so-dang-ky/2026").get_data(as_text=True)
    import re
    entry = re.search(r'action="(/so-dang-ky/huy/\d+)"', page)[1]
    assert vanthu.post(entry, data={"csrf_token": token, "ly_do": "Cấp nhầm"}).status_code == 400     # no confirmation
    done = vanthu.post(entry, data={"csrf_token": token, "ly_do": "Cấp nhầm", "xac-nhan": "1"}, follow_redirects=True)
    assert "trở về dự thảo" in done.get_data(as_text=True)
    assert state_of(engine, CID, "to-trinh-hoi-dong", None).state == "du-thao"
    leader, leader_token = _client(app, "lanhdao")
    refused = _post(leader, leader_token, version.id, open(signers["lanhdao"], "rb").read())
    assert refused.status_code == 422 and "không còn hiệu lực" in _said(refused)
    again = _issued(app, "to-trinh-hoi-dong")
    assert again.number_line == "Số: 02/TTr-SNV" and again.id != version.id
    assert _post(leader, leader_token, again.id, open(signers["lanhdao"], "rb").read()).status_code == 302
    page = vanthu.get("/so-dang-ky/2026").get_data(as_text=True)
    second = f"/so-dang-ky/huy/{again.register_entry_id}"
    assert f'action="{second}"' not in page                                # walk U25: not offered where it cannot work
    assert "văn bản đã ký: muốn hủy số, ban hành văn bản thay thế trước" in page
    refused = vanthu.post(second, data={"csrf_token": token, "ly_do": "Sai", "xac-nhan": "1"})
    assert refused.status_code == 422 and "ban hành văn bản thay thế trước" in _said(refused)


def _overlay_page() -> bytes:
    """One white A4 page of forged text: the appearance review S1 spread over the whole page."""
    from weasyprint import HTML
    return HTML(string="<style>@page{size:A4;margin:0}body{background:white}</style>"
                       "<h1>QUYẾT ĐỊNH SỐ 999 (NỘI DUNG GIẢ MẠO)</h1>").write_pdf()


def test_a_signature_drawn_outside_the_signature_block_is_refused(app, signers):
    """Review S1 (critical): a signature in a NEW field whose appearance covers the page passed pyHanko's
    difference analysis as form filling, became the seal and was certified unmodified. Now a field the
    issued file had keeps its rectangle, a new one must lie in the block; the verifier says so too."""
    from pyhanko.sign.fields import SigFieldSpec
    from service.signing.sign import _sign, empty_fields
    roots = load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read())
    version = _issued(app, "to-trinh-hoi-dong")
    leader, leader_token = _client(app, "lanhdao")
    vanthu, vanthu_token = _client(app, "vanthu")
    assert _post(leader, leader_token, version.id, open(signers["lanhdao"], "rb").read()).status_code == 302
    signed = _final(app, version.id).signed_pdf
    forged = _sign(signed, _signer(signers["co-quan:snv"]), "DauPhu", _overlay_page(), reason="ký",
                   new_field=SigFieldSpec("DauPhu", on_page=0, box=(0, 0, 595, 842)))
    response = _post(vanthu, vanthu_token, version.id, upload=forged)
    assert response.status_code == 422 and "ô mới 'DauPhu' hiển thị ngoài khối chữ ký" in _said(response)
    assert _final(app, version.id).signed_pdf == signed
    assert state_of(app.extensions["cchc_engine"], CID, "to-trinh-hoi-dong", None).state == "da-ky"
    report = verify_pdf(forged, roots, issued=version.pdf)
    assert report.exit_status == 1 and "ngoài khối chữ ký" in report.content_changes

    other = _issued(app, "huong-dan")                                   # the director in a new field ChuKyMoi
    own = _sign(other.pdf, _signer(signers["lanhdao"]), "ChuKyMoi", _overlay_page(), reason="ký",
                new_field=SigFieldSpec("ChuKyMoi", on_page=0, box=(0, 0, 595, 842)))
    response = _post(leader, leader_token, other.id, upload=own)
    assert response.status_code == 422 and "ngoài khối chữ ký" in _said(response)
    assert _final(app, other.id).signed_pdf is None

    page, place = empty_fields(other.pdf)["ChuKy"]                      # an e-office's own field inside the block:
    inside = (place[0] + 5, place[1] + 5, place[2] - 5, place[3] - 5)   # the signature is accepted, matched by
    eoffice = _sign(other.pdf, _signer(signers["lanhdao"]), "Signature1", None, reason="ký",   # its certificate
                    new_field=SigFieldSpec("Signature1", on_page=page, box=inside))
    assert _post(leader, leader_token, other.id, upload=eoffice).status_code == 302
    assert verify_pdf(eoffice, roots, issued=other.pdf).exit_status == 0
