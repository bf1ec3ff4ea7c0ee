"""Who holds the key. The service never keeps a leader's private key: a PKCS#12 file (the agency's
seal certificate kept by the văn thư, or a test certificate) is opened for one signing with a
password that is not stored; a USB token signs through its PKCS#11 module (``pkcs11_signer``); a
remote signing service signs digests through ``RemoteSigner``. All are pyHanko ``Signer`` objects,
so signing code never knows which."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore


class SigningError(ValueError):
    """Signing cannot go ahead; the message is for the person signing, in Vietnamese."""


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def certificate_name(cert: asn1_x509.Certificate) -> str:
    """The holder's common name (or the whole subject when there is none)."""
    subject = cert.subject.native
    return subject.get("common_name") or ", ".join(f"{k}={v}" for k, v in subject.items())


def check_validity(cert: asn1_x509.Certificate, at: dt.datetime | None = None) -> None:
    at = at or dt.datetime.now(dt.timezone.utc)
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if at > not_after:
        raise SigningError(f"chứng thư số của {certificate_name(cert)} đã hết hạn ngày {not_after:%d/%m/%Y}; "
                           "không ký được bằng chứng thư này")
    if at < not_before:
        raise SigningError(f"chứng thư số của {certificate_name(cert)} chỉ có hiệu lực từ ngày {not_before:%d/%m/%Y}")


def load_pkcs12(data: bytes, password: str | None) -> SimpleSigner:
    """A signer from a .p12/.pfx file's bytes; wrong password, a file that is not PKCS#12, a file
    without a key, an expired certificate: each a clear SigningError."""
    if not data:
        raise SigningError("tệp chứng thư số (.p12) rỗng")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8") if password else None)
    except ValueError as error:
        text = str(error).lower()
        if "password" in text or "mac" in text or "decrypt" in text:
            raise SigningError("mật khẩu tệp chứng thư số (.p12) không đúng") from None
        raise SigningError("tệp không phải chứng thư số PKCS#12 (.p12, .pfx) hợp lệ") from None
    except Exception:
        raise SigningError("tệp không phải chứng thư số PKCS#12 (.p12, .pfx) hợp lệ") from None
    if key is None or cert is None:
        raise SigningError("tệp .p12 không chứa khóa bí mật và chứng thư số của người ký")
    signing_cert = _asn1(cert)
    check_validity(signing_cert)
    private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    registry = SimpleCertificateStore.from_certs([signing_cert, *(_asn1(c) for c in extra or [])])
    return SimpleSigner(signing_cert=signing_cert, signing_key=private, cert_registry=registry)


#: A remote signing service: (SHA-256 digest of the signed attributes) → raw signature bytes.
SignDigest = Callable[[bytes, str], bytes]


def remote_certificates(certificate: bytes, chain: list[bytes] = ()) -> dict:
    """The signing certificate (checked valid now) and its chain, DER, as pyHanko's Signer takes them,
    for a signer whose key is elsewhere."""
    cert = asn1_x509.Certificate.load(certificate)
    check_validity(cert)
    return {"signing_cert": cert,
            "cert_registry": SimpleCertificateStore.from_certs([cert, *(asn1_x509.Certificate.load(c) for c in chain)])}


class RemoteSigner(Signer):
    """A signer whose key lives elsewhere (a remote signing service, or a token behind a bridge):
    pyHanko builds the CMS, the service signs the digest. ``signature_size`` bounds the signature
    for pyHanko's size estimate (RSA-2048: 256 bytes)."""

    def __init__(self, certificate: bytes, sign_digest: SignDigest, chain: list[bytes] = (), signature_size: int = 512):
        super().__init__(**remote_certificates(certificate, chain))
        self._sign_digest = sign_digest
        self._size = signature_size

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._size)
        digest = hashlib.new(digest_algorithm, data).digest()
        try:
            return self._sign_digest(digest, digest_algorithm)
        except Exception as error:
            raise SigningError(f"dịch vụ ký số từ xa không ký được: {error}") from None


@contextlib.contextmanager
def pkcs11_signer(library: str, token_label: str, pin: str, key_label: str,
                  certificate: bytes | None = None) -> Iterator[Signer]:
    """A signer on a PKCS#11 token (the leader's USB token, or SoftHSM in tests), open for the
    ``with`` block; the certificate is read from the token unless given (DER)."""
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    try:
        session = open_pkcs11_session(library, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except p11.PinIncorrect:
        raise SigningError("mã PIN của thiết bị ký số (token) không đúng") from None
    except p11.PinLenRange:
        raise SigningError("mã PIN của thiết bị ký số (token) không đúng độ dài") from None
    except Exception as error:
        if "token" in str(error).lower():
            raise SigningError(f"không tìm thấy thiết bị ký số (token) {token_label!r}; kiểm tra đã cắm token") from None
        raise SigningError(f"không mở được thư viện PKCS#11 {library!r}: {error}") from None
    try:
        cert = asn1_x509.Certificate.load(certificate) if certificate else None
        signer = PKCS11Signer(session, key_label=key_label, signing_cert=cert, cert_label=None if cert else key_label)
        try:
            check_validity(signer.signing_cert)
        except SigningError:
            raise
        except Exception:
            raise SigningError(f"trên thiết bị ký số không có chứng thư số hoặc khóa {key_label!r}") from None
        yield signer
    finally:
        session.close()
