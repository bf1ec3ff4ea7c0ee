"""Remote signing through the Cloud Signature Consortium API (issue 15), against a CSC test server the
test starts (certomancer-csc-dummy, SCAL 2: the authorisation is bound to the hash signed). The Sở Nội
vụ configures the leader's account (the service's certificate is fetched and registered); the leader
confirms and gives the PIN; the signature lands in the ND30 field, intact and trusted."""
from __future__ import annotations

import asyncio
import io
import socket
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from service.store.issuing import issued_versions
from service.store.signers import identities
from service.store.users import users_of
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"
CREDENTIAL = "cchc/lanh-dao"


def _certomancer_config(folder) -> dict:
    for name in ("root", "lanh-dao"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    validity = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2045-01-01T00:00:00+0000"}
    return {"keysets": {"cchc": {"keys": {"root": {"path": "root.key.pem"}, "lanh-dao": {"path": "lanh-dao.key.pem"}}}},
            "pki-architectures": {"cchc": {
                "keyset": "cchc", "entity-defaults": {"country-name": "VN", "organization-name": "Dịch vụ ký số thử"},
                "entities": {"root": {"common-name": "CA của dịch vụ ký số từ xa (thử)"},
                             "lanh-dao": {"common-name": "Lãnh đạo ký từ xa"}},
                "certs": {"root": {"subject": "root", "issuer": "root", "validity": validity, "profiles": ["simple-ca"]},
                          "lanh-dao": {"subject": "lanh-dao", "issuer": "root", "validity": validity, "extensions": [
                              {"id": "key_usage", "critical": True,
                               "smart-value": {"schema": "key-usage", "params": ["digital_signature", "non_repudiation"]}}]}}}}}


PIN = "123456"


class _Service(tuple):
    """(the service's address, the PEM of its CA), and ``calls``: the endpoints asked, in order."""
    calls: list


@pytest.fixture
def csc_service(tmp_path, monkeypatch):
    """A CSC server on a free port, allowed by the deployment; (its address, the PEM of its CA). Like a
    real service, it refuses an authorisation without the account's PIN (the dummy does not check it)."""
    from aiohttp import web
    from certomancer.registry import CertomancerConfig
    from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams
    folder = tmp_path / "csc"
    folder.mkdir()
    config = CertomancerConfig(_certomancer_config(folder), key_search_dir=str(folder))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    calls: list[str] = []

    @web.middleware
    async def pin_checked(request, handler):
        calls.append(request.path.rsplit("/csc/v1/", 1)[-1])
        if request.path.endswith("credentials/authorize") and (await request.json()).get("PIN") != PIN:
            return web.json_response({"error": "invalid_request", "error_description": "PIN sai"}, status=400)
        return await handler(request)

    def serve():
        asyncio.set_event_loop(loop)
        service = CSCWithCertomancer(config, service_params=DummyServiceParams(hash_pinning_required=True))
        service.app.middlewares.append(pin_checked)
        service.register_routes()
        runner = web.AppRunner(service.app)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(20)
    root = config.get_pki_arch("cchc").get_cert("root").dump()
    pem = b"-----BEGIN CERTIFICATE-----\n" + __import__("base64").encodebytes(root) + b"-----END CERTIFICATE-----\n"
    service = _Service((f"http://127.0.0.1:{port}", pem))
    service.calls = calls
    monkeypatch.setenv("CCHC_CSC_SERVICES", f"https://ky-so.vnpt.example http://127.0.0.1:{port}")
    yield service
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture
def remote_leader(app, signers, csc_service, tmp_path):
    """The leader's account set to sign at the CSC service; the service's CA trusted beside the demo's."""
    return configure_remote(app, csc_service, tmp_path, "lanhdao")


def _configure(app, username: str, url: str, credential: str = CREDENTIAL, **options):
    """The Sở Nội vụ's admin sets ``username``'s remote signing to ``url``; the page's answer."""
    engine = app.extensions["cchc_engine"]
    user = next(u for u in users_of(engine, "ninh-binh") if u.username == username)
    person = next(i for i in identities(engine, "ninh-binh") if i.user_id == user.id)
    admin = app.test_client()
    _, token = login(admin, "admin")
    admin.get(f"/chien-dich/{C}/chu-ky-so")
    return admin.post(f"/chien-dich/{C}/chu-ky-so/tu-xa", data={
        "csrf_token": token, "tai-khoan": str(user.id), "nguoi": str(person.id), "dia-chi": url, "ma-chung-thu": credential},
        **options)


def configure_remote(app, csc_service, tmp_path, username: str) -> str:
    """``username``'s account set to sign at the CSC service, as the person it is linked to."""
    url, ca_pem = csc_service
    bundle = tmp_path / "tin-cay.pem"
    bundle.write_bytes(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read() + ca_pem)
    app.config["CCHC_TRUST_BUNDLE"] = str(bundle)
    response = _configure(app, username, url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã cấu hình ký số từ xa" in page and "Lãnh đạo ký từ xa" in page
    confirm_as(app, username, url)
    return url


def confirm_as(app, username: str, url: str, credential: str = CREDENTIAL):
    """The signer confirms, from the box every page shows, the service set for their account."""
    signer = app.test_client()
    _, token = login(signer, username)
    page = signer.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'id="xac-nhan-ky-tu-xa"' in page and url in page
    done = signer.post("/tai-khoan/ky-tu-xa/xac-nhan", data={"csrf_token": token, "dia-chi": url, "ma-chung-thu": credential,
                                                           "xac-nhan": "1", "next": "/"}, follow_redirects=True)
    assert "Đã xác nhận dịch vụ ký số từ xa" in done.get_data(as_text=True)
    assert 'id="xac-nhan-ky-tu-xa"' not in done.get_data(as_text=True)


def _issued_guide(app):
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    return next(v for v in issued_versions(app.extensions["cchc_engine"], C) if v.kind == "huong-dan")


def _sign(app, version_id: int, **form):
    from fixtures import SIGNING_DIR
    client = app.test_client()
    _, token = login(client, "lanhdao")
    return client, client.post(f"/chien-dich/{C}/ban-chinh-thuc/{version_id}/ky-so", content_type="multipart/form-data",
                               data={"csrf_token": token, "cach": "tu-xa", "pin": PIN,
                                     "anh": (io.BytesIO((SIGNING_DIR / "chu-ky-mau.png").read_bytes()), "anh.png"),
                                     **form})


def test_the_leader_signs_remotely_after_confirming(app, remote_leader):
    version = _issued_guide(app)
    client, _ = _sign(app, version.id)
    page = client.get(f"/chien-dich/{C}/van-ban/huong-dan.html").get_data(as_text=True)
    assert "Ký số từ xa qua dịch vụ" in page and remote_leader in page

    _, refused = _sign(app, version.id)                              # no confirmation ticked
    assert refused.status_code == 422 and "chưa xác nhận ký" in refused.get_data(as_text=True)
    assert next(v for v in issued_versions(app.extensions["cchc_engine"], C) if v.id == version.id).signed_pdf is None

    _, response = _sign(app, version.id, **{"xac-nhan-ky": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:600]
    report = client.get(f"/api/campaigns/{C}/versions/{version.id}/signatures").get_json()
    leader = next(s for s in report["chu_ky"] if s["o_ky"] == "ChuKy")
    assert leader["toan_ven"] and leader["tin_cay"] and "Lãnh đạo ký từ xa" in leader["nguoi_ky"], report


def test_remote_signing_refusals_leave_nothing_changed(app, remote_leader, csc_service):
    engine = app.extensions["cchc_engine"]
    version = _issued_guide(app)
    vanthu = app.test_client()
    _, token = login(vanthu, "vanthu")
    unconfigured = vanthu.post(f"/chien-dich/{C}/ban-chinh-thuc/{version.id}/ky-so", content_type="multipart/form-data",
                               data={"csrf_token": token, "cach": "tu-xa", "pin": "1", "xac-nhan-ky": "1"})
    assert unconfigured.status_code == 422 and "chưa được cấu hình ký số từ xa" in unconfigured.get_data(as_text=True)
    _, no_pin = _sign(app, version.id, **{"xac-nhan-ky": "1", "pin": ""})
    assert no_pin.status_code == 422 and "mã PIN" in no_pin.get_data(as_text=True)

    admin = app.test_client()
    _, token = login(admin, "admin")
    leader = next(u for u in users_of(engine, "ninh-binh") if u.username == "lanhdao")
    person = next(i for i in identities(engine, "ninh-binh") if i.user_id == leader.id)
    for form, message in (({"dia-chi": "ftp://x", "ma-chung-thu": CREDENTIAL}, "http(s)://"),
                          ({"dia-chi": csc_service[0], "ma-chung-thu": "cchc/khong-co"}, "dịch vụ ký số từ xa không trả lời"),
                          ({"dia-chi": "http://127.0.0.1:9", "ma-chung-thu": CREDENTIAL}, "phải thuộc một trong các dịch vụ")):
        response = admin.post(f"/chien-dich/{C}/chu-ky-so/tu-xa", data={
            "csrf_token": token, "tai-khoan": str(leader.id), "nguoi": str(person.id), **form})
        assert response.status_code == 400 and message in response.get_data(as_text=True), form
    # the leader's configuration is what it was: signing still works
    _, response = _sign(app, version.id, **{"xac-nhan-ky": "1"})
    assert response.status_code == 302
    assert next(v for v in issued_versions(engine, C) if v.id == version.id).signed_pdf is not None


def test_letters_signed_remotely_with_one_authorisation(app, signers, csc_service, tmp_path):
    """Walk U8: the Phó Giám đốc signs three letters to units at the remote service with one PIN and
    one confirmation: one authorisation for the three hashes, one signHash, three PAdES signatures; a
    wrong PIN signs none of them."""
    from fixtures import SIGNING_DIR
    from service.signing.verify import load_trust_roots, verify_pdf
    from service.store.issuing import issued_version
    from service.store.lifecycle import states_of
    from tests.test_letters import KIND, PAGE, _issue_letters
    configure_remote(app, csc_service, tmp_path, "pgd-snv")
    engine = app.extensions["cchc_engine"]
    units = ["sxd", "stp", "syt"]
    _issue_letters(app, units)
    leader = app.test_client()
    _, token = login(leader, "pgd-snv")
    assert "một lần xác thực cho cả danh sách" in leader.get(PAGE).get_data(as_text=True)

    def batch(pin: str):
        return leader.post(PAGE, content_type="multipart/form-data", headers={"Accept": "application/json"}, data={
            "csrf_token": token, "thao-tac": "ky-so", "don-vi": units, "cach": "tu-xa", "pin": pin, "xac-nhan-ky": "1",
            "anh": (io.BytesIO((SIGNING_DIR / "chu-ky-mau.png").read_bytes()), "chu-ky.png")}).get_json()["ket_qua"]

    refused = batch("000000")
    assert [row["xong"] for row in refused] == [False] * 3 and "dịch vụ ký số từ xa" in refused[0]["ghi_chu"]
    assert {states_of(engine, C)[(KIND, u)].state for u in units} == {"da-ban-hanh"}
    csc_service.calls.clear()
    signed = batch(PIN)
    assert [row["xong"] for row in signed] == [True] * 3, signed
    assert csc_service.calls.count("credentials/authorize") == 1 and csc_service.calls.count("signatures/signHash") == 1
    roots = load_trust_roots(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read())
    for unit in units:
        state = states_of(engine, C)[(KIND, unit)]
        version = issued_version(engine, state.current_version_id)
        report = verify_pdf(version.signed_pdf, roots, issued=version.pdf)
        assert state.state == "da-ky" and report.exit_status == 0 and len(report.signatures) == 1


class _Recorder:
    """A plain HTTP server that records what reaches it and answers as told: the attacker's address."""

    def __init__(self, answer):
        import http.server
        self.requests: list[tuple[str, bytes]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append((self.path, body))
                status, headers, payload = answer(self.path)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_the_server_calls_only_allowed_services_without_redirects_or_huge_answers(app, csc_service, monkeypatch):
    """Review S5: the admin's address made the server POST to Redis, the metadata address, itself;
    follow a 307 elsewhere; read 400 MB. Now only the deployment's services, no redirect, 1 MB."""
    import json
    elsewhere = _Recorder(lambda path: (200, {}, b"{}"))
    redirecting = _Recorder(lambda path: (307, {"Location": elsewhere.url + path}, b""))
    huge = _Recorder(lambda path: (200, {"Content-Type": "application/json"}, json.dumps({"x": "a" * (3 << 20)}).encode()))
    try:
        monkeypatch.setenv("CCHC_CSC_SERVICES", f"{csc_service[0]} {redirecting.url} {huge.url}")
        for address in ("http://127.0.0.1:6379", "http://169.254.169.254/latest/meta-data", "http://[::1]:6379",
                        "http://2130706433:6379", elsewhere.url, "https://127.0.0.1.nip.io:443", "http://localhost:5000"):
            response = _configure(app, "lanhdao", address)
            said = response.get_data(as_text=True)
            assert response.status_code == 400 and "phải thuộc một trong các dịch vụ máy chủ cho phép" in said, address
        response = _configure(app, "lanhdao", redirecting.url)
        assert response.status_code == 400 and "chuyển hướng sang địa chỉ khác" in response.get_data(as_text=True)
        assert len(redirecting.requests) == 1 and elsewhere.requests == []           # the 307 was not followed
        response = _configure(app, "lanhdao", huge.url)
        assert response.status_code == 400 and "trả lời quá lớn" in response.get_data(as_text=True)
        by_name = csc_service[0].replace("127.0.0.1", "localhost")            # allowed, but the name resolves
        monkeypatch.setenv("CCHC_CSC_SERVICES", by_name)                      # to loopback: refused at connection
        response = _configure(app, "lanhdao", by_name)
        assert response.status_code == 400 and "trỏ tới địa chỉ nội bộ" in response.get_data(as_text=True)
        monkeypatch.delenv("CCHC_CSC_SERVICES")
        response = _configure(app, "lanhdao", csc_service[0])
        assert response.status_code == 400 and "chưa cho phép dịch vụ ký số từ xa nào" in response.get_data(as_text=True)
        assert csc_service.calls == []
    finally:
        for server in (elsewhere, redirecting, huge):
            server.close()


def test_the_pin_goes_only_to_a_service_the_signer_confirmed(app, remote_leader, csc_service, monkeypatch):
    """Review S3: the admin pointed the Director's remote signing at its own server (answering with her
    public certificate) and received her PIN. Now a changed service waits for her confirmation, she is
    told, and until then her PIN is sent nowhere; what she confirmed is the address she was shown."""
    import base64
    import json
    engine = app.extensions["cchc_engine"]
    certificate = None

    def answer(path):
        return 200, {"Content-Type": "application/json"}, json.dumps({
            "cert": {"certificates": [base64.b64encode(certificate).decode()]},
            "key": {"algo": ["1.2.840.113549.1.1.11"]}, "multisign": 1}).encode()
    from service.store.models import SignerCertificate
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    with Session(engine) as session:
        certificate = bytes(session.scalars(select(SignerCertificate).where(SignerCertificate.subject.contains("Lãnh đạo ký từ xa"))).first().der)
    rogue = _Recorder(answer)
    try:
        monkeypatch.setenv("CCHC_CSC_SERVICES", f"{csc_service[0]} {rogue.url}")
        assert _configure(app, "lanhdao", rogue.url + "/ok", "cred-1").status_code == 302
        version = _issued_guide(app)
        client, response = _sign(app, version.id, **{"xac-nhan-ky": "1", "pin": "123456-PIN-CUA-LANH-DAO"})
        said = response.get_data(as_text=True)
        assert response.status_code == 422 and "chưa xác nhận dịch vụ ký số từ xa" in said and "mã PIN chưa được gửi đi" in said
        assert all(b"PIN" not in body for _, body in rogue.requests)
        assert "đặt dịch vụ ký số từ xa " + rogue.url + "/ok" in client.get("/thong-bao").get_data(as_text=True)
        page = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert rogue.url + "/ok" in page and "Nếu bạn không đăng ký dịch vụ này, đừng xác nhận" in page
        _, token = login(client, "lanhdao")                           # a confirmation of another address is not one
        stale = client.post("/tai-khoan/ky-tu-xa/xac-nhan", data={"csrf_token": token, "dia-chi": csc_service[0],
                                                                   "ma-chung-thu": CREDENTIAL, "xac-nhan": "1"}, follow_redirects=True)
        assert "Không có dịch vụ ký số từ xa nào với địa chỉ này chờ bạn xác nhận" in stale.get_data(as_text=True)
        _, response = _sign(app, version.id, **{"xac-nhan-ky": "1"})
        assert response.status_code == 422 and all(b"PIN" not in body for _, body in rogue.requests)
        assert next(v for v in issued_versions(engine, C) if v.id == version.id).signed_pdf is None
        admin = app.test_client()
        login(admin, "admin")
        assert "chưa xác nhận: chưa dùng được" in admin.get(f"/chien-dich/{C}/chu-ky-so").get_data(as_text=True)
    finally:
        rogue.close()
