"""PAdES signing and verification with our own CA: fields where Decree 30 puts the signature and the
seal, two signatures that both stay valid, tampering detected, clear Vietnamese refusals, the CLI's
exit statuses, and page images to look at (out/screenshots/)."""
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from data_models import load_campaign
from fixtures import FIXTURES_DIR, SIGNING_DIR
from service.documents import compose
from service.render.pdf_writer import render_pdf
from service.signing.appearance import attachment_stamp
from service.signing.layout import MM, SEAL_DIAMETER_MM, signature_image_box
from service.signing.profile import SigningProfile
from service.signing.sign import empty_fields, sign_as_agency, sign_as_leader, sign_attachment
from service.signing.signers import RemoteSigner, SigningError, load_pkcs12
from service.signing.verify import UnreadablePdf, load_trust_roots, verify_pdf
from service.signing.demo_pki import PASSWORD, issue, make_ca

SIGNATURE = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
SEAL = (SIGNING_DIR / "con-dau-mau.png").read_bytes()
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


@pytest.fixture(scope="module")
def pki():
    ca = make_ca(algorithm="rsa")              # RSA: pyHanko's test timestamper and SoftHSM's import take RSA keys
    return {"ca": ca, "leader": issue(ca, "Trần Quang Minh", "Ủy ban nhân dân tỉnh Ninh Bình", algorithm="rsa"),
            "agency": issue(ca, "Ủy ban nhân dân tỉnh Ninh Bình", "Ủy ban nhân dân tỉnh Ninh Bình"),
            "expired": issue(ca, "Nguyễn Văn Cũ", "Sở Nội vụ", expired=True),
            "stranger": issue(make_ca("CA lạ"), "Người lạ", "Không rõ")}


KINDS = ("ke-hoach", "quyet-dinh-cong-bo", "bien-ban")


@pytest.fixture(scope="module")
def documents():
    campaign = load_campaign(FIXTURES_DIR / "ninh-binh-2026")
    return {kind: compose(campaign, kind) for kind in KINDS}


@pytest.fixture(scope="module")
def pdfs(documents):
    return {kind: render_pdf(document) for kind, document in documents.items()}


def _words(pdf: bytes, page: int):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        p = document.pages[page]
        return p.height, p.extract_words()


@pytest.mark.parametrize("kind", ["ke-hoach", "quyet-dinh-cong-bo"])
def test_fields_sit_over_the_signature_block(pdfs, documents, kind):
    pdf = pdfs[kind]
    signer = documents[kind].frame.signer_name.split()
    fields = empty_fields(pdf)
    assert set(fields) == {"ChuKy", "DauCoQuan"}
    page, (llx, lly, urx, ury) = fields["ChuKy"]
    height, words = _words(pdf, page)
    title = [w for w in words if w["text"] in ("CHỦ", "TỊCH")]
    name = [w for w in words if w["text"] in signer and llx - 1 <= w["x0"] <= urx]
    assert title and len(name) == len(signer)
    title_bottom = min(height - w["bottom"] for w in title)
    name_top = max(height - w["top"] for w in name)
    assert name_top < lly < ury < title_bottom                   # between the title block and the name
    assert ury - lly == pytest.approx(28 * MM, abs=1)             # the 28 mm signature space
    assert all(llx <= w["x0"] and w["x1"] <= urx for w in name)   # the name's column
    seal_page, (sx0, sy0, sx1, sy1) = fields["DauCoQuan"]
    image = signature_image_box((llx, lly, urx, ury))
    assert seal_page == page
    assert sx1 - sx0 == pytest.approx(SEAL_DIAMETER_MM * MM, abs=0.1) == sy1 - sy0     # real size
    assert sx1 == pytest.approx(image[0] + (image[2] - image[0]) / 3, abs=0.1)         # over its left third
    assert (sy0 + sy1) / 2 == pytest.approx((image[1] + image[3]) / 2, abs=0.1)


def test_minutes_have_two_personal_fields_and_no_seal(pdfs):
    assert set(empty_fields(pdfs["bien-ban"])) == {"ChuKy", "ChuKyTrai"}


@pytest.mark.parametrize("kind", ["ke-hoach", "quyet-dinh-cong-bo"])
def test_leader_then_agency_both_valid_and_page_looks_right(pdfs, documents, pki, kind):
    pdf = pdfs[kind]
    leader = load_pkcs12(pki["leader"].p12(), PASSWORD)
    agency = load_pkcs12(pki["agency"].p12(), PASSWORD)
    once = sign_as_leader(pdf, leader, SIGNATURE)
    twice = sign_as_agency(once, agency, SEAL)
    assert twice.startswith(once) and once.startswith(pdf)               # incremental: nothing rewritten
    context = ValidationContext(trust_roots=load_trust_roots(pki["ca"].pem), allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(twice)).embedded_signatures
    assert [s.field_name for s in signatures] == ["ChuKy", "DauCoQuan"]
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        assert status.intact and status.valid and status.trusted
    report = verify_pdf(twice, load_trust_roots(pki["ca"].pem))
    assert report.exit_status == 0 and [s.signer for s in report.signatures] == \
        ["Trần Quang Minh", "Ủy ban nhân dân tỉnh Ninh Bình"]
    assert "+07:00" in report.lines()[0] and report.lines()[-1].startswith("Kết luận: mọi chữ ký hợp lệ")

    page, field = empty_fields(pdf)["ChuKy"]
    _, seal = empty_fields(pdf)["DauCoQuan"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = SHOTS / f"ky-so-{kind}"
    subprocess.run(["pdftoppm", "-f", str(page + 1), "-l", str(page + 1), "-r", "100", "-png", "-singlefile", "-",
                    str(png)], input=twice, check=True)
    image = Image.open(f"{png}.png").convert("RGB")
    scale = 100 / 72
    height = image.height

    def pixels(box, test):
        x0, y0, x1, y1 = box
        found = 0
        for x in range(int(x0 * scale), int(x1 * scale)):
            for y in range(int(height - y1 * scale), int(height - y0 * scale)):
                if test(image.getpixel((x, y))):
                    found += 1
        return found
    blue = lambda p: p[2] > 150 and p[0] < 110 and p[1] < 130          # noqa: E731
    red = lambda p: p[0] > 170 and p[1] < 90 and p[2] < 90             # noqa: E731
    sig_box = signature_image_box(field)
    right_part = (seal[2] + 2, sig_box[1], sig_box[2], sig_box[3])       # the signature not under the seal
    assert pixels(right_part, blue) > 150                                # the blue signature
    assert pixels(seal, red) > 800                                       # the red seal
    assert pixels((0, 0, field[0] - 60, 842), red) == 0                 # nothing red in the left half
    below = _words(twice, page)[1]
    surname = documents[kind].frame.signer_name.split()[-1]
    assert any(w["text"] == surname for w in below)                      # the name is still typeset below


def test_tampering_and_changes_after_signing_are_reported(pdfs, pki):
    signed = sign_as_leader(pdfs["quyet-dinh-cong-bo"], load_pkcs12(pki["leader"].p12(), PASSWORD), SIGNATURE)
    roots = load_trust_roots(pki["ca"].pem)
    broken = bytearray(signed)
    at = len(pdfs["quyet-dinh-cong-bo"]) // 2
    broken[at] = (broken[at] + 1) % 256
    report = verify_pdf(bytes(broken), roots)
    assert report.exit_status == 1 and not report.signatures[0].intact
    assert "KHÔNG: nội dung đã ký bị thay đổi" in "\n".join(report.lines())

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.find_page_for_modification(0)[0].get_object()
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    page[NameObject("/CCHCTampered")] = TextStringObject("sửa sau khi ký")
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), roots)
    assert report.exit_status == 1 and report.signatures[0].intact and report.signatures[0].modified_after

    assert verify_pdf(signed, []).signatures[0].trusted is False          # no CA configured: not trusted
    stranger = sign_as_leader(pdfs["ke-hoach"], load_pkcs12(pki["stranger"].p12(), PASSWORD), SIGNATURE)
    check = verify_pdf(stranger, roots).signatures[0]
    assert check.intact and not check.trusted and "chuỗi tin cậy" in check.problem


def test_refusals_in_vietnamese(pdfs, pki):
    with pytest.raises(SigningError, match="mật khẩu tệp chứng thư số .* không đúng"):
        load_pkcs12(pki["leader"].p12(), "sai-mat-khau")
    with pytest.raises(SigningError, match="đã hết hạn ngày"):
        load_pkcs12(pki["expired"].p12(), PASSWORD)
    with pytest.raises(SigningError, match="không phải chứng thư số PKCS#12"):
        load_pkcs12(b"not a p12 at all", PASSWORD)
    leader = load_pkcs12(pki["leader"].p12(), PASSWORD)
    with pytest.raises(SigningError, match="không phải PDF"):
        sign_as_leader(b"PK\x03\x04 a zip", leader, SIGNATURE)
    once = sign_as_leader(pdfs["ke-hoach"], leader, SIGNATURE)
    with pytest.raises(SigningError, match="đã có chữ ký ở ô 'ChuKy'"):
        sign_as_leader(once, leader, SIGNATURE)
    with pytest.raises(SigningError, match="chưa ký; cơ quan ký số sau"):
        sign_as_agency(pdfs["ke-hoach"], load_pkcs12(pki["agency"].p12(), PASSWORD), SEAL)
    flat = io.BytesIO()
    Image.open(io.BytesIO(SIGNATURE)).convert("RGB").save(flat, format="PNG")
    with pytest.raises(ValueError, match="nền trong suốt"):
        sign_as_leader(pdfs["ke-hoach"], leader, flat.getvalue())
    with pytest.raises(UnreadablePdf):
        verify_pdf(b"<html>not a pdf</html>")


def test_remote_signer_and_timestamp(pdfs, pki):
    """A remote signing service signs the digest (here a fake holding the key); B-T adds a timestamp."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils
    key = pki["leader"].key
    calls = []

    def service(digest: bytes, algorithm: str) -> bytes:
        calls.append(algorithm)
        return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    remote = RemoteSigner(pki["leader"].der, service, chain=[pki["ca"].der], signature_size=256)
    tsa = issue(pki["ca"], "Máy chủ dấu thời gian", "CCHC Docs", algorithm="rsa")
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    stamper = DummyTimeStamper(tsa_cert=x509.Certificate.load(tsa.der),
                               tsa_key=keys.PrivateKeyInfo.load(tsa.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8,
                                                                                     NoEncryption())),
                               fixed_dt=dt.datetime(2026, 12, 14, 2, 30, 12, tzinfo=dt.timezone.utc))
    signed = sign_as_leader(pdfs["quyet-dinh-cong-bo"], remote, SIGNATURE, profile=SigningProfile(timestamper=stamper))
    assert calls == ["sha256"]
    report = verify_pdf(signed, load_trust_roots(pki["ca"].pem))
    assert report.exit_status == 0 and report.signatures[0].trusted
    assert "ký lúc 2026-12-14T09:30:12+07:00" in report.lines()[0]          # the timestamp's time, Vietnam time


def test_attachment_in_its_own_file(pdfs, pki):
    moment = dt.datetime(2024, 2, 5, 7, 30, 12, tzinfo=dt.timezone.utc)
    stamp, width, _ = attachment_stamp("125/KH-UBND", moment)
    with pdfplumber.open(io.BytesIO(stamp)) as document:
        words = document.pages[0].extract_words(extra_attrs=["fontname", "size"])
    assert [w["text"] for w in words] == ["125/KH-UBND", "2024-02-05T14:30:12+07:00"]
    assert all(w["size"] == pytest.approx(10, abs=0.01) and "Serif" in w["fontname"] and "Bold" not in w["fontname"] for w in words)
    signed = sign_attachment(pdfs["quyet-dinh-cong-bo"], load_pkcs12(pki["agency"].p12(), PASSWORD), "125/KH-UBND",
                             moment=moment)
    report = verify_pdf(signed, load_trust_roots(pki["ca"].pem))
    assert report.exit_status == 0 and report.signatures[0].field == "KyTepDinhKem"
    field = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_field
    rect = [float(v) for v in (field["/Rect"] if "/Rect" in field else field["/Kids"][0]["/Rect"])]
    assert rect[2] == pytest.approx(595.28 - 20 * MM, abs=1) and rect[3] == pytest.approx(841.89 - 10 * MM, abs=1)


@pytest.mark.slow
def test_cli_sign_and_verify_exit_statuses(pdfs, pki, tmp_path):
    source = tmp_path / "ke-hoach.pdf"
    source.write_bytes(pdfs["ke-hoach"])
    (tmp_path / "leader.p12").write_bytes(pki["leader"].p12())
    (tmp_path / "agency.p12").write_bytes(pki["agency"].p12())
    (tmp_path / "ca.pem").write_bytes(pki["ca"].pem)
    env = {"CCHC_P12_PASSWORD": PASSWORD, "CCHC_SEAL_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, "-m", "service.cli"]
    out = tmp_path / "ke-hoach-da-ky.pdf"
    run = subprocess.run(cli + ["sign", str(source), "--p12", str(tmp_path / "leader.p12"), "--seal",
                                str(tmp_path / "agency.p12"), "-o", str(out)], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "Cảnh báo" not in run.stderr                                   # the plan carries its number
    check = subprocess.run(cli + ["verify", str(out), "--ca", str(tmp_path / "ca.pem")], capture_output=True, text=True)
    assert check.returncode == 0 and "Trần Quang Minh" in check.stdout and "Ủy ban nhân dân tỉnh Ninh Bình" in check.stdout
    broken = bytearray(out.read_bytes())
    broken[len(pdfs["ke-hoach"]) // 3] ^= 0x01
    (tmp_path / "hong.pdf").write_bytes(bytes(broken))
    assert subprocess.run(cli + ["verify", str(tmp_path / "hong.pdf")], capture_output=True).returncode == 1
    assert subprocess.run(cli + ["verify", str(source)], capture_output=True).returncode == 2      # no signature
    (tmp_path / "x.pdf").write_text("không phải pdf")
    assert subprocess.run(cli + ["verify", str(tmp_path / "x.pdf")], capture_output=True).returncode == 2
    draft = tmp_path / "du-thao.pdf"
    draft.write_bytes(pdfs["quyet-dinh-cong-bo"])
    warned = subprocess.run(cli + ["sign", str(draft), "--p12", str(tmp_path / "leader.p12"), "-o", str(tmp_path / "d.pdf")],
                            capture_output=True, text=True, env=env)
    assert warned.returncode == 0 and "Cảnh báo: văn bản chưa có số" in warned.stderr
    wrong = subprocess.run(cli + ["sign", str(source), "--p12", str(tmp_path / "leader.p12"), "-o", str(tmp_path / "y.pdf")],
                           capture_output=True, text=True, env={**env, "CCHC_P12_PASSWORD": "sai"})
    assert wrong.returncode == 2 and "mật khẩu tệp chứng thư số (.p12) không đúng" in wrong.stderr
    assert not (tmp_path / "y.pdf").exists()


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture()
def token(tmp_path, monkeypatch, pki):
    """A SoftHSM token 'cchc' (PIN 1234) holding the leader's key, as a USB token would."""
    import shutil
    if not Path(SOFTHSM).exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM chưa được cài (tools/setup.sh cài gói softhsm2)")
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    key = tmp_path / "key.pem"
    key.write_bytes(pki["leader"].key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    run = lambda *args: subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)  # noqa: E731
    run("--init-token", "--free", "--label", "cchc", "--pin", "1234", "--so-pin", "12345678")
    run("--import", str(key), "--token", "cchc", "--label", "lanh-dao", "--id", "01", "--pin", "1234")
    key.unlink()
    return SOFTHSM


@pytest.mark.slow
def test_pkcs11_token_signs_through_the_same_interface(pdfs, pki, token, tmp_path):
    from service.signing.signers import pkcs11_signer
    with pkcs11_signer(token, "cchc", "1234", "lanh-dao", certificate=pki["leader"].der) as signer:
        signed = sign_as_leader(pdfs["ke-hoach"], signer, SIGNATURE)
    report = verify_pdf(signed, load_trust_roots(pki["ca"].pem))
    assert report.exit_status == 0 and report.signatures[0].signer == "Trần Quang Minh" and report.signatures[0].trusted
    with pytest.raises(SigningError, match="mã PIN của thiết bị ký số .* không đúng"):
        with pkcs11_signer(token, "cchc", "0000", "lanh-dao", certificate=pki["leader"].der):
            pass
    with pytest.raises(SigningError, match="không tìm thấy thiết bị ký số"):
        with pkcs11_signer(token, "khong-co", "1234", "lanh-dao", certificate=pki["leader"].der):
            pass
    with pytest.raises(SigningError, match="không mở được thư viện PKCS#11"):
        with pkcs11_signer("/khong/co/thu-vien.so", "cchc", "1234", "lanh-dao"):
            pass
    source, cert, out = tmp_path / "ke-hoach.pdf", tmp_path / "lanh-dao.der", tmp_path / "da-ky.pdf"
    source.write_bytes(pdfs["ke-hoach"])
    cert.write_bytes(pki["leader"].der)
    import os
    env = {"PATH": "/usr/bin:/bin", "SOFTHSM2_CONF": os.environ["SOFTHSM2_CONF"], "CCHC_TOKEN_PIN": "1234"}
    run = subprocess.run([sys.executable, "-m", "service.cli", "sign", str(source), "--token", "cchc", "--pkcs11-lib", token,
                          "--key-label", "lanh-dao", "--cert", str(cert), "-o", str(out)], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert verify_pdf(out.read_bytes(), load_trust_roots(pki["ca"].pem)).exit_status == 0
