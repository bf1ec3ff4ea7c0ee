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
def csc_service(tmp_path):
    """A CSC server on a free port; (its address, the PEM of its CA). Like a real service, it refuses
    an authorisation without the account's PIN (the dummy itself does not check it)."""
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
    yield service
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture
def remote_leader(app, signers, csc_service, tmp_path):
    """The leader's account set to sign at the CSC service; the service's CA trusted beside the demo's."""
    return configure_remote(app, csc_service, tmp_path, "lanhdao")


def configure_remote(app, csc_service, tmp_path, username: str) -> str:
    """``username``'s account set to sign at the CSC service, as the person it is linked to."""
    url, ca_pem = csc_service
    bundle = tmp_path / "tin-cay.pem"
    bundle.write_bytes(open(app.config["CCHC_TRUST_BUNDLE"], "rb").read() + ca_pem)
    app.config["CCHC_TRUST_BUNDLE"] = str(bundle)
    engine = app.extensions["cchc_engine"]
    leader = next(u for u in users_of(engine, "ninh-binh") if u.username == username)
    person = next(i for i in identities(engine, "ninh-binh") if i.user_id == leader.id)
    admin = app.test_client()
    _, token = login(admin, "admin")
    admin.get(f"/chien-dich/{C}/chu-ky-so")
    response = admin.post(f"/chien-dich/{C}/chu-ky-so/tu-xa", data={
        "csrf_token": token, "tai-khoan": str(leader.id), "nguoi": str(person.id), "dia-chi": url,
        "ma-chung-thu": CREDENTIAL}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã cấu hình ký số từ xa" in page and "Lãnh đạo ký từ xa" in page
    return url


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
                          ({"dia-chi": "http://127.0.0.1:9", "ma-chung-thu": CREDENTIAL}, "dịch vụ ký số từ xa không trả lời")):
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
