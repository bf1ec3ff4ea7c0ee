"""A small PKI made with cryptography, for the tests and the demo workspace — never for real use: a
root CA and certificates for signers and agencies (PKCS#12 with a password), expired ones on request.
Keys are elliptic-curve (P-256): made in microseconds, so the demo issues one for every signer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mat-khau-p12"


@dataclass
class Party:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
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


def _short(text: str) -> str:
    """At most 64 bytes of UTF-8 (X.520's bound on a name attribute), cut between characters."""
    return text.encode("utf-8")[:64].decode("utf-8", "ignore")


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),          # X.520: at most 64 characters
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, _short(organisation)),
                      x509.NameAttribute(NameOID.COMMON_NAME, _short(common))])


def _key(algorithm: str = "ec"):
    """P-256 by default; RSA-2048 where a component accepts only RSA (some timestamp services, tokens)."""
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def make_ca(common: str = "CA thử nghiệm CCHC Docs", algorithm: str = "ec") -> Party:
    now = dt.datetime.now(dt.timezone.utc)
    key = _key(algorithm)
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


def issue(ca: Party, common: str, organisation: str, *, days: int = 365, expired: bool = False,
          algorithm: str = "ec") -> Party:
    key = _key(algorithm)
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


def load_or_make_ca(folder) -> tuple[Party, str]:
    """The demo CA of an instance folder (made once: ca.pem and its key), and the path of ca.pem."""
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import load_pem_private_key, NoEncryption, PrivateFormat
    folder = Path(folder)
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if cert_path.exists() and key_path.exists():
        return Party(load_pem_private_key(key_path.read_bytes(), None), x509.load_pem_x509_certificate(cert_path.read_bytes())), str(cert_path)
    folder.mkdir(parents=True, exist_ok=True)
    ca = make_ca("CA dùng thử CCHC Docs (không dùng thật)")
    key_path.write_bytes(ca.key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(ca.pem)
    return ca, str(cert_path)
