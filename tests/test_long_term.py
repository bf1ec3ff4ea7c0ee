"""Issued PDFs stay archivable (issue 27): PDF/A-2b from the writer, kept through every signature, checked
by our independent structural check (which must also catch what breaks PDF/A); PAdES B-LT and B-LTA
against a CA with its own OCSP responder, CRLs and TSA started here (certomancer), verifiable offline
afterwards, and the level named by the verifier and by ``cchc verify``; refusals in Vietnamese when the
CA says revoked or cannot be reached."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from data_models import load_campaign
from fixtures import FIXTURES_DIR, SIGNING_DIR
from service.conformance.pdfa import pdfa_problems
from service.documents import compose
from service.render.pdf_writer import render_pdf
from service.signing import demo_pki
from service.signing.profile import SigningProfile, profile_from_environment
from service.signing.sign import sign_as_agency, sign_as_leader, sign_attachment
from service.signing.signers import SigningError, load_pkcs12
from service.signing.verify import load_trust_roots, verify_pdf
from tests import long_term_pki

SIGNATURE = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
SEAL = (SIGNING_DIR / "con-dau-mau.png").read_bytes()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def issued() -> bytes:
    return render_pdf(compose(load_campaign(FIXTURES_DIR / "ninh-binh-2026"), "quyet-dinh-cong-bo"))


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    pki = long_term_pki.start(tmp_path_factory.mktemp("ca-dai-han"))
    yield pki
    pki.stop()


@pytest.fixture
def level(ca, monkeypatch):
    """Set CCHC_PADES_LEVEL and the test CA's TSA; the profile the workspace would sign with."""
    def choose(name: str) -> SigningProfile:
        monkeypatch.setenv("CCHC_TSA_URL", ca.tsa_url)
        monkeypatch.setenv("CCHC_PADES_LEVEL", name)
        return profile_from_environment(load_trust_roots(ca.pem("root")))
    return choose


def _signer(ca, label: str):
    return load_pkcs12(ca.p12(label), long_term_pki.PASSWORD)


def _signed(issued: bytes, ca, profile: SigningProfile) -> bytes:
    return sign_as_agency(sign_as_leader(issued, _signer(ca, "lanh-dao"), SIGNATURE, profile=profile),
                          _signer(ca, "co-quan"), SEAL, profile=profile)


# --- PDF/A-2b ---------------------------------------------------------------------------------------

def test_the_issued_pdf_is_pdfa_2b_and_stays_so_through_the_signatures(issued):
    assert pdfa_problems(issued) == []
    with pikepdf.open(io.BytesIO(issued)) as document:
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert document.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert set(document.trailer.Info.keys()) <= {"/Title", "/Producer"}   # the rest lives in XMP only
    ca = demo_pki.make_ca()
    signer = load_pkcs12(demo_pki.issue(ca, "Phạm Quang Ngọc", "UBND tỉnh Ninh Bình").p12(), demo_pki.PASSWORD)
    leader = sign_as_leader(issued, signer, SIGNATURE)
    assert pdfa_problems(leader) == []
    both = sign_as_agency(leader, signer, SEAL)
    assert pdfa_problems(both) == []
    with pikepdf.open(io.BytesIO(both)) as document:
        info, meta = document.trailer.Info, document.open_metadata()
        assert str(info.Producer) == meta["pdf:Producer"]                # pyHanko's, the same in both places
    attachment = sign_attachment(issued, signer, "Số: 125/QĐ-UBND")
    assert pdfa_problems(attachment) == []


def _mutated(pdf: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        change(document)
        out = io.BytesIO()
        document.save(out, static_id=True)
    return out.getvalue()


def _first_widget(document):
    return next(a for page in document.pages for a in page.obj.get("/Annots", ())
                if a.Subtype == "/Widget" and a.Rect[2] != a.Rect[0])


def test_the_check_finds_what_breaks_pdfa(issued):
    plain = HTML(string="<html lang=vi><title>Thử</title><p>Văn bản thường</p></html>").write_pdf()
    found = " ".join(pdfa_problems(plain))
    assert "6.6.2.1" in found and "6.2.3" in found and "6.1.3: phần trailer thiếu ID" in found

    inherited = pikepdf.new()                       # a font given by the page tree, not the page itself
    inherited.add_blank_page()
    if "/Resources" in inherited.pages[0].obj:
        del inherited.pages[0].obj["/Resources"]
    inherited.Root.Pages.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    out = io.BytesIO()
    inherited.save(out)
    assert "6.2.11.4.1: phông /Helvetica (trang 1) không được nhúng" in pdfa_problems(out.getvalue())

    ca = demo_pki.make_ca()
    signed = sign_as_leader(issued, load_pkcs12(demo_pki.issue(ca, "A", "B").p12(), demo_pki.PASSWORD), SIGNATURE)

    def unembedded(document):
        for page in document.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descendant.FontDescriptor:
                        del descendant.FontDescriptor[key]

    def no_appearance(document):
        del _first_widget(document)["/AP"]

    def hidden(document):
        _first_widget(document).F = 2

    def interpolated(document):
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                obj.Interpolate = True

    def producer(document):
        document.trailer.Info.Producer = "Một phần mềm khác"

    def javascript(document):
        document.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array()))

    def cmyk(document):
        page = document.pages[0]
        page.contents_add(pikepdf.Stream(document, b"0 0 0 1 k 10 10 5 5 re f"), prepend=False)

    def metadata_claim(document):
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "1"

    for change, clause in [(unembedded, "6.2.11.4.1"), (no_appearance, "6.3.3"), (hidden, "6.3.2"),
                           (interpolated, "6.2.8"), (producer, "6.6.2.3.1"), (javascript, "6.5.1"),
                           (cmyk, "6.2.4.3"), (metadata_claim, "6.6.4")]:
        problems = pdfa_problems(_mutated(signed, change))
        assert any(p.startswith(clause) for p in problems), (change.__name__, problems)


# --- PAdES B-LT and B-LTA ----------------------------------------------------------------------------

def test_b_lt_carries_what_checks_it_years_later_without_the_ca(issued, ca, level):
    profile = level("B-LT")
    assert profile.level == "B-LT"
    signed = _signed(issued, ca, profile)
    with pikepdf.open(io.BytesIO(signed)) as document:
        dss = document.Root.DSS
        assert len(dss.Certs) >= 3 and len(dss.OCSPs) >= 1 and len(dss.CRLs) >= 1
    report = verify_pdf(signed, load_trust_roots(ca.pem("root")), issued=issued)   # fetches nothing
    assert report.exit_status == 0, report.lines()
    assert [s.level for s in report.signatures] == ["B-LT", "B-LT"] and report.timestamps == []
    assert "Mức chữ ký: PAdES B-LT" in "\n".join(report.lines())
    assert pdfa_problems(signed) == []
    # a batch signs many letters with one profile: what was fetched once is in every letter's DSS
    roots = load_trust_roots(ca.pem("root"))
    for _ in range(3):
        letter = sign_as_leader(issued, _signer(ca, "lanh-dao"), SIGNATURE, profile=profile)
        with pikepdf.open(io.BytesIO(letter)) as document:
            assert len(document.Root.DSS.OCSPs) >= 1 and len(document.Root.DSS.CRLs) >= 1
        assert verify_pdf(letter, roots).signatures[0].level == "B-LT"


def test_b_lta_adds_an_archive_timestamp_and_is_named_so(issued, ca, level):
    signed = _signed(issued, ca, level("B-LTA"))
    report = verify_pdf(signed, load_trust_roots(ca.pem("root")), issued=issued)
    assert report.exit_status == 0, report.lines()
    assert [s.level for s in report.signatures] == ["B-LTA", "B-LTA"]
    assert len(report.timestamps) == 2 and all(t.intact and t.trusted for t in report.timestamps)
    assert report.timestamps[0].authority == "Dịch vụ dấu thời gian thử nghiệm"
    assert pdfa_problems(signed) == []
    # the document timestamps are nobody's signature: the leader's and the agency's fields only
    from service.signing.sign import signed_fields
    assert signed_fields(signed) == ["ChuKy", "DauCoQuan"]


def test_lower_levels_are_named_and_lt_data_without_a_timestamp_is_not_b_lt(issued, ca, level):
    roots = load_trust_roots(ca.pem("root"))
    basic = sign_as_leader(issued, _signer(ca, "lanh-dao"), SIGNATURE)
    assert verify_pdf(basic, roots).signatures[0].level == "B-B"
    stamped = sign_as_leader(issued, _signer(ca, "lanh-dao"), SIGNATURE, profile=level("B-T"))
    assert verify_pdf(stamped, roots).signatures[0].level == "B-T"
    no_time = SigningProfile(validation_data=True, trust_roots=tuple(roots))
    report = verify_pdf(sign_as_leader(issued, _signer(ca, "lanh-dao"), SIGNATURE, profile=no_time), roots)
    assert report.signatures[0].level == "B-B" and "chưa đạt B-LT" in report.signatures[0].level_note


def test_a_revoked_certificate_or_a_silent_ca_refuses_long_term_signing(issued, ca, level, tmp_path):
    profile = level("B-LT")
    with pytest.raises(SigningError, match="đã bị thu hồi"):
        sign_as_leader(issued, _signer(ca, "da-thu-hoi"), SIGNATURE, profile=profile)
    silent = long_term_pki.start(tmp_path)
    signer = load_pkcs12(silent.p12("lanh-dao"), long_term_pki.PASSWORD)
    silent.stop()                                   # its certificates still name its OCSP and CRL addresses
    silent_profile = SigningProfile(timestamper=profile.timestamper, validation_data=True,
                                    trust_roots=tuple(load_trust_roots(silent.pem("root"))))
    with pytest.raises(SigningError, match="không lấy được thông tin thu hồi"):
        sign_as_leader(issued, signer, SIGNATURE, profile=silent_profile)


def test_a_level_the_configuration_cannot_reach_is_refused_in_words(monkeypatch):
    monkeypatch.delenv("CCHC_TSA_URL", raising=False)
    monkeypatch.delenv("CCHC_TRUST_BUNDLE", raising=False)
    for value, words in [("B-LTA", "CCHC_TSA_URL"), ("B-T", "CCHC_TSA_URL"), ("C-X", "không hợp lệ")]:
        monkeypatch.setenv("CCHC_PADES_LEVEL", value)
        with pytest.raises(SigningError, match=words):
            profile_from_environment()
    monkeypatch.setenv("CCHC_TSA_URL", "http://127.0.0.1:9/tsa")
    monkeypatch.setenv("CCHC_PADES_LEVEL", "B-LT")
    with pytest.raises(SigningError, match="CCHC_TRUST_BUNDLE"):
        profile_from_environment()
    monkeypatch.delenv("CCHC_PADES_LEVEL")
    assert profile_from_environment().level == "B-T"          # a TSA alone: B-T, as before
    monkeypatch.delenv("CCHC_TSA_URL")
    assert profile_from_environment().level == "B-B"


@pytest.mark.slow
def test_cchc_sign_and_verify_name_the_level(issued, ca, tmp_path):
    """The command line signs at the configured level (CCHC_PADES_LEVEL, CCHC_TSA_URL, CCHC_TRUST_BUNDLE)
    and ``cchc verify`` names it, with the file's PDF/A state, once the CA is out of reach too."""
    (tmp_path / "ban-hanh.pdf").write_bytes(issued)
    (tmp_path / "lanh-dao.p12").write_bytes(ca.p12("lanh-dao"))
    (tmp_path / "co-quan.p12").write_bytes(ca.p12("co-quan"))
    (tmp_path / "ca.pem").write_bytes(ca.pem("root"))
    env = {**os.environ, "CCHC_PADES_LEVEL": "B-LTA", "CCHC_TSA_URL": ca.tsa_url,
           "CCHC_TRUST_BUNDLE": str(tmp_path / "ca.pem"), "CCHC_P12_PASSWORD": long_term_pki.PASSWORD,
           "CCHC_SEAL_PASSWORD": long_term_pki.PASSWORD}
    signed = subprocess.run([sys.executable, "-m", "service.cli", "sign", str(tmp_path / "ban-hanh.pdf"),
                             "-o", str(tmp_path / "da-ky.pdf"), "--p12", str(tmp_path / "lanh-dao.p12"),
                             "--seal", str(tmp_path / "co-quan.p12")],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert signed.returncode == 0, signed.stderr
    checked = subprocess.run([sys.executable, "-m", "service.cli", "verify", str(tmp_path / "da-ky.pdf"),
                              "--ca", str(tmp_path / "ca.pem"), "--issued", str(tmp_path / "ban-hanh.pdf")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120,
                             env={k: v for k, v in os.environ.items() if not k.startswith("CCHC_")})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("Mức chữ ký: PAdES B-LTA") == 2
    assert "Dấu thời gian lưu trữ" in checked.stdout
    assert "Định dạng lưu trữ: PDF/A-2b, kiểm tra cấu trúc đạt" in checked.stdout


def test_the_workspace_signs_at_b_lta_and_says_so(app, signers, ca, monkeypatch, tmp_path):
    """The leader signs an issued document in the workspace with a certificate of the long-term CA
    (registered for them); the DSS and the archive timestamp pass the upload's checks (only signatures
    and their validation data were added), and the signature page names B-LTA."""
    from fixtures import SIGNING_DIR as IMAGES
    from service.signing.demo_pki import DEMO_PASSWORD
    from service.store.issuing import issued_versions
    from service.store.signers import identities, register_certificate
    from service.store.users import users_of
    from tests.conftest import issue_through_the_form, login
    engine = app.extensions["cchc_engine"]
    leader = next(u for u in users_of(engine, "ninh-binh") if u.username == "lanhdao")
    person = next(i for i in identities(engine, "ninh-binh") if i.user_id == leader.id)
    register_certificate(engine, "ninh-binh", person.id, ca.der("lanh-dao"), "admin")
    bundle = tmp_path / "tin-cay.pem"
    bundle.write_bytes(Path(app.config["CCHC_TRUST_BUNDLE"]).read_bytes() + ca.pem("root"))
    app.config["CCHC_TRUST_BUNDLE"] = str(bundle)
    monkeypatch.setenv("CCHC_PADES_LEVEL", "B-LTA")
    monkeypatch.setenv("CCHC_TSA_URL", ca.tsa_url)
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    version = next(v for v in issued_versions(engine, "ninh-binh-2026") if v.kind == "huong-dan")
    client = app.test_client()
    _, token = login(client, "lanhdao")
    response = client.post(f"/chien-dich/ninh-binh-2026/ban-chinh-thuc/{version.id}/ky-so", content_type="multipart/form-data",
                           data={"csrf_token": token, "cach": "chung-thu", "mat_khau": DEMO_PASSWORD,
                                 "p12": (io.BytesIO(ca.p12("lanh-dao", DEMO_PASSWORD)), "chung-thu.p12"),
                                 "anh": (io.BytesIO((IMAGES / "chu-ky-mau.png").read_bytes()), "anh.png")})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    page = client.get(f"/chien-dich/ninh-binh-2026/ban-chinh-thuc/{version.id}/chu-ky").get_data(as_text=True)
    assert ">PAdES B-LTA</abbr>" in page and "Dấu thời gian lưu trữ" in page and "Dịch vụ dấu thời gian thử nghiệm" in page
    assert "mọi chữ ký hợp lệ và tin cậy" in page and "Định dạng lưu trữ: PDF/A-2b (kiểm tra cấu trúc đạt)." in page


def test_a_certificate_from_an_untrusted_ca_makes_the_server_call_nothing(issued, ca, level):
    """B-LT fetches what certificates name; a self-made certificate naming an address of its author's
    choosing (here a listener that counts connections) is refused before any fetch."""
    import datetime as dt
    import socket
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import AuthorityInformationAccessOID
    hits = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def count():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            hits.append(1)
            connection.close()
    threading.Thread(target=count, daemon=True).start()
    stranger_ca = demo_pki.make_ca("CA tự lập")
    party = demo_pki.issue(stranger_ca, "Người tự cấp", "Không rõ")
    url = f"http://127.0.0.1:{port}/noi-bo"
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(party.cert.subject).issuer_name(stranger_ca.cert.subject)
            .public_key(party.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(url)),
                x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(url))]),
                critical=False)
            .sign(stranger_ca.key, hashes.SHA256()))
    signer = load_pkcs12(demo_pki.Party(party.key, cert).p12(), demo_pki.PASSWORD)
    with pytest.raises(SigningError, match="không dựng được chuỗi chứng thư số tới CA tin cậy"):
        sign_as_leader(issued, signer, SIGNATURE, profile=level("B-LT"))
    listener.close()
    assert hits == []
