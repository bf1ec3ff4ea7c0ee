"""Signing in the workspace on SQLite and PostgreSQL: the văn thư issues the Quyết định công bố, the
leader signs it with a .p12 opened for that signature, the văn thư adds the seal; uploads signed
elsewhere are accepted only when they are the issued file plus the right signature; refusals change
nothing; the API reports the signatures."""
import html
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from fixtures import SIGNING_DIR
from service.signing.sign import sign_as_leader
from service.signing.signers import load_pkcs12
from service.signing.verify import load_trust_roots, verify_pdf
from service.store.campaigns import audit_trail
from service.store.issuing import issued_versions
from tests.conftest import login
from service.signing.demo_pki import PASSWORD, issue, make_ca

CID = "ninh-binh-2026"
SIGNATURE = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
SEAL = (SIGNING_DIR / "con-dau-mau.png").read_bytes()


@pytest.fixture(scope="module")
def pki():
    ca = make_ca()
    return {"ca": ca, "leader": issue(ca, "Phạm Quang Ngọc", "Ủy ban nhân dân tỉnh Ninh Bình"),
            "agency": issue(ca, "Ủy ban nhân dân tỉnh Ninh Bình", "Ủy ban nhân dân tỉnh Ninh Bình"),
            "expired": issue(ca, "Phạm Quang Ngọc", "Ủy ban nhân dân tỉnh Ninh Bình", expired=True)}


@pytest.fixture()
def trusted(pki, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(pki["ca"].pem)
    monkeypatch.setenv("CCHC_TRUST_BUNDLE", str(bundle))


def _issue(app, kind, **form):
    client = app.test_client()
    _, token = login(client, "vanthu")
    response = client.post(f"/chien-dich/{CID}/van-ban/{kind}/ban-hanh", data={"csrf_token": token, **form})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return next(v for v in issued_versions(app.extensions["cchc_engine"], CID) if v.kind == kind)


def _sign(client, token, version_id, p12=None, password=PASSWORD, image=SIGNATURE, upload=None):
    data = {"csrf_token": token}
    if upload is not None:
        data.update(cach="tai-len", tep=(io.BytesIO(upload), "da-ky.pdf"))
    else:
        data.update(cach="chung-thu", mat_khau=password, p12=(io.BytesIO(p12), "chung-thu.p12"), anh=(io.BytesIO(image), "anh.png"))
    return client.post(f"/chien-dich/{CID}/ban-chinh-thuc/{version_id}/ky-so", data=data, content_type="multipart/form-data")


def _final(app, version_id):
    return next(v for v in issued_versions(app.extensions["cchc_engine"], CID) if v.id == version_id)


def test_leader_signs_then_the_vanthu_adds_the_seal(app, pki, trusted):
    engine = app.extensions["cchc_engine"]
    version = _issue(app, "quyet-dinh-cong-bo", so="214", ngay="2026-12-14")
    leader = app.test_client()
    _, leader_token = login(leader, "lanhdao")
    vanthu = app.test_client()
    _, vanthu_token = login(vanthu, "vanthu")

    early = _sign(vanthu, vanthu_token, version.id, pki["agency"].p12(), image=SEAL)
    assert early.status_code == 422 and "người có thẩm quyền chưa ký" in early.get_data(as_text=True)
    for p12, password, message in ((pki["leader"].p12(), "sai", "mật khẩu tệp chứng thư số (.p12) không đúng"),
                                   (pki["expired"].p12(), PASSWORD, "đã hết hạn ngày"),
                                   (b"%PDF-1.4 not a p12", PASSWORD, "không phải chứng thư số PKCS#12")):
        response = _sign(leader, leader_token, version.id, p12, password)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert "Bản đã lưu không thay đổi" in response.get_data(as_text=True)
        assert _final(app, version.id).signed_pdf is None

    assert _sign(leader, leader_token, version.id, pki["leader"].p12()).status_code == 302
    again = _sign(leader, leader_token, version.id, pki["leader"].p12())
    assert again.status_code == 422 and "văn bản đã có chữ ký ở ô &#39;ChuKy&#39;" in again.get_data(as_text=True)
    assert _sign(vanthu, vanthu_token, version.id, pki["agency"].p12(), image=SEAL).status_code == 302

    final = _final(app, version.id)
    assert final.signed_pdf.startswith(final.pdf) and final.signed_by == "lanhdao, vanthu"
    context = ValidationContext(trust_roots=load_trust_roots(pki["ca"].pem), allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(final.signed_pdf)).embedded_signatures
    assert [s.field_name for s in signatures] == ["ChuKy", "DauCoQuan"]
    assert all(validate_pdf_signature(s, context).bottom_line for s in signatures)
    download = leader.get(f"/chien-dich/{CID}/ban-chinh-thuc/{version.id}/da-ky.pdf")
    assert download.status_code == 200 and download.data == final.signed_pdf
    report = leader.get(f"/api/campaigns/{CID}/versions/{version.id}/signatures").get_json()
    assert report["ma_ket_qua"] == 0 and [c["nguoi_ky"] for c in report["chu_ky"]] == \
        ["Phạm Quang Ngọc", "Ủy ban nhân dân tỉnh Ninh Bình"]
    assert all(c["toan_ven"] and c["tin_cay"] and not c["sua_sau_khi_ky"] for c in report["chu_ky"])
    assert [e.action for e in audit_trail(engine, f"campaign/{CID}/quyet-dinh-cong-bo")][-2:] == ["ky-so", "ky-so"]
    dashboard = leader.get(f"/chien-dich/{CID}").get_data(as_text=True)
    assert "Bản đã ký" in dashboard and "(lanhdao, vanthu)" in dashboard

    tampered = bytearray(final.signed_pdf)
    tampered[len(final.pdf) // 2] ^= 0x01
    checked = leader.post("/api/verify", data={"csrf_token": leader_token, "tep": (io.BytesIO(bytes(tampered)), "x.pdf")},
                          content_type="multipart/form-data")
    assert checked.status_code == 200 and checked.get_json()["ma_ket_qua"] == 1
    not_pdf = leader.post("/api/verify", data={"csrf_token": leader_token, "tep": (io.BytesIO(b"GIF89a"), "x.pdf")},
                          content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and "không phải PDF" in not_pdf.get_json()["loi"]


def test_uploads_signed_elsewhere(app, pki, trusted):
    version = _issue(app, "quyet-dinh-cong-bo", so="215", ngay="2026-12-15")
    leader = app.test_client()
    _, token = login(leader, "lanhdao")
    own_software = sign_as_leader(version.pdf, load_pkcs12(pki["leader"].p12(), PASSWORD), SIGNATURE)
    other = _issue(app, "quyet-dinh-hoi-dong", so="180", ngay="2026-10-20")
    elsewhere = sign_as_leader(other.pdf, load_pkcs12(pki["leader"].p12(), PASSWORD), SIGNATURE)
    wrong = _sign(leader, token, version.id, upload=elsewhere)
    assert wrong.status_code == 422 and "không phải bản đã ban hành của văn bản này" in wrong.get_data(as_text=True)
    unsigned = _sign(leader, token, version.id, upload=version.pdf)
    assert unsigned.status_code == 422 and "không có chữ ký mới" in unsigned.get_data(as_text=True)
    junk = _sign(leader, token, version.id, upload=b"\x89PNG not a pdf")
    assert junk.status_code == 422 and "không phải PDF" in junk.get_data(as_text=True)
    assert _final(app, version.id).signed_pdf is None
    assert _sign(leader, token, version.id, upload=own_software).status_code == 302
    assert _final(app, version.id).signed_pdf == own_software

    unit = app.test_client()
    _, unit_token = login(unit, "soxaydung")
    assert _sign(unit, unit_token, version.id, upload=own_software).status_code == 403
    missing = _sign(leader, token, 99999, pki["leader"].p12())
    assert missing.status_code == 404 and "Không tìm thấy bản ban hành này" in missing.get_data(as_text=True)


def test_vanthu_uploads_the_e_office_signed_file(app, pki, trusted):
    """UBND tỉnh's documents are signed in the provincial e-office: both signatures come back in one
    file, which the văn thư uploads; the leader may not upload the agency's signature."""
    from service.signing.sign import sign_as_agency
    version = _issue(app, "quyet-dinh-cong-bo", so="216", ngay="2026-12-16")
    both = sign_as_agency(sign_as_leader(version.pdf, load_pkcs12(pki["leader"].p12(), PASSWORD), SIGNATURE),
                          load_pkcs12(pki["agency"].p12(), PASSWORD), SEAL)
    leader = app.test_client()
    _, leader_token = login(leader, "lanhdao")
    refused = _sign(leader, leader_token, version.id, upload=both)
    assert refused.status_code == 422 and "do văn thư thêm" in refused.get_data(as_text=True)
    vanthu = app.test_client()
    _, token = login(vanthu, "vanthu")
    assert _sign(vanthu, token, version.id, upload=both).status_code == 302
    final = _final(app, version.id)
    assert final.signed_pdf == both and final.signed_by == "vanthu"
    again = _sign(vanthu, token, version.id, upload=both)
    assert again.status_code == 422 and "không ký lần thứ hai" in again.get_data(as_text=True)


def test_minutes_signed_by_the_secretary_and_the_chair(app, pki, trusted):
    version = _issue(app, "bien-ban")
    secretary = app.test_client()
    _, token = login(secretary, "thuky")
    thu_ky = issue(pki["ca"], "Đinh Thị Thu Hà", "Sở Nội vụ")
    assert _sign(secretary, token, version.id, thu_ky.p12()).status_code == 302
    chair = app.test_client()
    _, chair_token = login(chair, "lanhdao")
    assert _sign(chair, chair_token, version.id, pki["leader"].p12()).status_code == 302
    report = verify_pdf(_final(app, version.id).signed_pdf, load_trust_roots(pki["ca"].pem))
    assert report.exit_status == 0 and [s.field for s in report.signatures] == ["ChuKyTrai", "ChuKy"]
    other = _issue(app, "quyet-dinh-hoi-dong", so="181", ngay="2026-10-21")
    refused = _sign(secretary, token, other.id, thu_ky.p12())
    assert refused.status_code == 422 and "không có ô chữ ký 'ChuKyTrai'" in html.unescape(refused.get_data(as_text=True))
