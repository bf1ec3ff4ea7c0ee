"""A small PKI made with cryptography, for the tests and the demo workspace — never for real use: a
root CA, certificates for a leader and an agency (PKCS#12 with a password), expired ones on request."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mat-khau-p12"


@dataclass
class Party:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def p12(self, password: str = PASSWORD) -> bytes:
        return pkcs12.serialize_key_and_certificates(b"cchc-docs", self.key, self.cert,
                                                     None, BestAvailableEncryption(password.encode()))

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(Encoding.PEM)


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(common: str = "CA thử nghiệm CCHC Docs") -> Party:
    now = dt.datetime.now(dt.timezone.utc)
    key = _key()
    name = _name(common, "CCHC Docs")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Party(key, cert)


def issue(ca: Party, common: str, organisation: str, *, days: int = 365, expired: bool = False) -> Party:
    key = _key()
    now = dt.datetime.now(dt.timezone.utc)
    start = now - dt.timedelta(days=400 if expired else 1)
    end = now - dt.timedelta(days=30) if expired else now + dt.timedelta(days=days)
    cert = (x509.CertificateBuilder().subject_name(_name(common, organisation)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Party(key, cert)


DEMO_PASSWORD = "ky-so-thu-2026"


def write_demo_pki(folder, leader_name: str, agency_name: str) -> dict[str, str]:
    """Create (once) folder/ca.pem, lanh-dao.p12 and co-quan.p12 for trying signatures in the demo."""
    from pathlib import Path
    folder = Path(folder)
    paths = {"ca": folder / "ca.pem", "leader": folder / "lanh-dao.p12", "agency": folder / "co-quan.p12"}
    if not all(p.exists() for p in paths.values()):
        folder.mkdir(parents=True, exist_ok=True)
        ca = make_ca("CA dùng thử CCHC Docs (không dùng thật)")
        paths["ca"].write_bytes(ca.pem)
        paths["leader"].write_bytes(issue(ca, leader_name, agency_name).p12(DEMO_PASSWORD))
        paths["agency"].write_bytes(issue(ca, agency_name, agency_name).p12(DEMO_PASSWORD))
    return {k: str(v) for k, v in paths.items()}
