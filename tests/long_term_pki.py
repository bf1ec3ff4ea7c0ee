"""A CA with its own OCSP responder, CRLs and timestamp service, served on this machine for the tests
of long-term signatures (certomancer's Animator behind werkzeug): a root, an issuing CA whose
certificates name the responder and the CRL by URL — as the Vietnamese public CAs' do — a leader, an
agency, a revoked leader, a TSA. Keys are P-256, made fresh for each test module."""
from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

VALID = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2045-01-01T00:00:00+0000"}
PASSWORD = "mat-khau-lt"


def _usage(*params: str) -> dict:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(params)}}


def _signer(revoked: bool = False) -> dict:
    spec = {"issuer": "ca", "validity": VALID, "extensions": [
        _usage("digital_signature", "non_repudiation"),
        {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["ca"]}}},
        {"id": "authority_information_access", "smart-value": {"schema": "aia-urls",
                                                                 "params": {"ocsp-responder-names": ["ca"]}}}]}
    if revoked:
        spec["revocation"] = {"revoked-since": "2026-01-01T00:00:00+0000", "reason": "key_compromise"}
    return spec


def config(url: str) -> dict:
    names = ("root", "ca", "ocsp", "tsa", "lanh-dao", "co-quan", "da-thu-hoi")
    return {
        "external-url-prefix": url,
        "keysets": {"lt": {"keys": {name: {"path": f"{name}.key.pem"} for name in names}}},
        "pki-architectures": {"lt": {
            "keyset": "lt",
            "entity-defaults": {"country-name": "VN", "organization-name": "CA thử nghiệm dài hạn"},
            "entities": {"root": {"common-name": "CA gốc thử nghiệm"}, "ca": {"common-name": "CA cấp chứng thư thử nghiệm"},
                         "ocsp": {"common-name": "Máy chủ OCSP thử nghiệm"}, "tsa": {"common-name": "Dịch vụ dấu thời gian thử nghiệm"},
                         "lanh-dao": {"common-name": "Trần Quang Minh"}, "co-quan": {"common-name": "Ủy ban nhân dân tỉnh Ninh Bình"},
                         "da-thu-hoi": {"common-name": "Người bị thu hồi chứng thư"}},
            "certs": {
                "root": {"subject": "root", "issuer": "root", "validity": VALID, "extensions": [
                    {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                    _usage("digital_signature", "key_cert_sign", "crl_sign")]},
                "ca": {"issuer": "root", "validity": VALID, "extensions": [
                    {"id": "basic_constraints", "critical": True, "value": {"ca": True, "path-len-constraint": 0}},
                    _usage("digital_signature", "key_cert_sign", "crl_sign"),
                    {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url",
                                                                      "params": {"crl-repo-names": ["root"]}}}]},
                "ocsp": {"issuer": "ca", "validity": VALID, "extensions": [
                    _usage("digital_signature"), {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                    {"id": "ocsp_no_check"}]},
                "tsa": {"issuer": "root", "validity": VALID, "extensions": [
                    _usage("digital_signature"), {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                    {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url",
                                                                      "params": {"crl-repo-names": ["root"]}}}]},
                "lanh-dao": _signer(), "co-quan": _signer(), "da-thu-hoi": _signer(revoked=True)},
            "services": {
                "ocsp": {"ca": {"for-issuer": "ca", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                             "ca": {"for-issuer": "ca", "signing-key": "ca", "simulated-update-schedule": "P7D"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}}}}}}


@dataclass
class LongTermPki:
    url: str
    arch: object
    server: object

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/lt/tsa/tsa"

    def der(self, label: str) -> bytes:
        from certomancer.registry import CertLabel
        return self.arch.get_cert(CertLabel(label)).dump()

    def pem(self, label: str) -> bytes:
        from asn1crypto import pem
        return pem.armor("CERTIFICATE", self.der(label))

    def p12(self, label: str, password: str = PASSWORD) -> bytes:
        from certomancer.registry import CertLabel
        return self.arch.package_pkcs12(CertLabel(label), password=password.encode())

    def stop(self) -> None:
        self.server.shutdown()


def start(folder) -> LongTermPki:
    """Keys in ``folder``, the Animator on a free port of 127.0.0.1 (stopped by ``stop``)."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import ArchLabel, CertomancerConfig
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)          # one line per OCSP/CRL/TSA request otherwise

    for name in ("root", "ca", "ocsp", "tsa", "lanh-dao", "co-quan", "da-thu-hoi"):
        key = ec.generate_private_key(ec.SECP256R1())
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    arch = CertomancerConfig(config(url), key_search_dir=str(folder)).get_pki_arch(ArchLabel("lt"))
    server = make_server("127.0.0.1", port, Animator(AnimatorArchStore({ArchLabel("lt"): arch}), with_web_ui=False),
                         threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LongTermPki(url, arch, server)
