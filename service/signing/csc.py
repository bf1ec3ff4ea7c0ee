"""Remote signing through the Cloud Signature Consortium API (the shape of VNPT SmartCA, Viettel MySign
…), with pyHanko's CSC signer: the key stays at the service; we send the hash of what is signed, the
service signs it once the user has authorised it with their PIN (SAD bound to that very hash). The
signature lands in the same ND30 fields as with a .p12 or a token (``sign.py``).

pyHanko's CSC signer is asynchronous on aiohttp, while our signing calls pyHanko synchronously (it runs
its own event loop): the session with the service is therefore opened inside that loop, in
``async_sign_raw``, and only the certificates are fetched beforehand."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pyhanko.sign.signers.pdf_cms import Signer

from .csc_network import TIMEOUT, client_session
from .signers import SigningError, remote_certificates


@dataclass(frozen=True)
class CscCredential:
    """Where an account signs remotely: the service's address (before ``/csc/v1``), the credential's
    identifier at the service, and the access token the service gave the account, if it needs one."""
    service_url: str
    credential_id: str
    access_token: str | None = None

    def session_info(self):
        from pyhanko.sign.signers.csc_signer import CSCServiceSessionInfo
        return CSCServiceSessionInfo(self.service_url.rstrip("/"), self.credential_id, oauth_token=self.access_token)


def _service_error(error: Exception) -> SigningError:
    text = str(error) or type(error).__name__
    return SigningError(f"dịch vụ ký số từ xa không trả lời đúng ({text}); kiểm tra địa chỉ dịch vụ, mã chứng thư "
                        "và mã PIN")


async def _credential_info(session, credential: CscCredential):
    from pyhanko.sign.signers.csc_signer import fetch_certs_in_csc_credential
    return await fetch_certs_in_csc_credential(session, credential.session_info(), timeout=TIMEOUT)


def fetch_certificates(credential: CscCredential) -> tuple[bytes, list[bytes]]:
    """(the signing certificate, its chain) as the service holds them, DER; SigningError in Vietnamese
    when the service cannot be reached or does not know the credential."""
    async def fetch():
        async with client_session() as session:
            return await _credential_info(session, credential)
    try:
        info = asyncio.run(fetch())
    except Exception as error:                            # noqa: BLE001 — network, HTTP, malformed answer
        raise _service_error(error) from None
    return info.signing_cert.dump(), [c.dump() for c in info.chain]


class _PinAuthorization:
    """Asks the service for a SAD bound to the hashes about to be signed, with the user's PIN."""

    def __new__(cls, session, session_info, credential_info, pin: str):
        from pyhanko.sign.signers.csc_signer import CSCAuthorizationInfo, CSCAuthorizationManager

        class PinAuthorization(CSCAuthorizationManager):
            async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
                request = self.format_csc_auth_request(num_signatures=len(hash_b64s), pin=pin or None,
                                                       hash_b64s=hash_b64s)
                url = self.csc_session_info.endpoint_url("credentials/authorize")
                async with session.post(url, json=request, headers=self.csc_session_info.auth_headers,
                                        raise_for_status=True) as response:
                    answer = await response.json()
                return CSCAuthorizationInfo(sad=answer["SAD"])
        return PinAuthorization(session_info, credential_info)


class CscRemoteSigner(Signer):
    """A pyHanko signer for one signature at a CSC service, authorised by ``pin``."""

    def __init__(self, credential: CscCredential, pin: str, certificate: bytes, chain: list[bytes] = ()):
        super().__init__(**remote_certificates(certificate, chain))
        self._credential = credential
        self._pin = pin

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(512)
        from pyhanko.sign.signers.csc_signer import CSCSigner
        try:
            async with client_session() as session:
                info = await _credential_info(session, self._credential)
                if info.signing_cert.dump() != self.signing_cert.dump():
                    raise SigningError("chứng thư số của dịch vụ ký từ xa đã đổi; cấu hình lại tài khoản ký từ xa")
                auth = _PinAuthorization(session, self._credential.session_info(), info, self._pin)
                remote = CSCSigner(session, auth, sign_timeout=TIMEOUT)
                return await remote.async_sign_raw(data, digest_algorithm)
        except SigningError:
            raise
        except Exception as error:                        # noqa: BLE001 — refused PIN, network, HTTP
            raise _service_error(error) from None


def csc_signer(credential: CscCredential, pin: str) -> CscRemoteSigner:
    """The signer for one signature: the certificates fetched now, the hash signed when pyHanko asks."""
    certificate, chain = fetch_certificates(credential)
    return CscRemoteSigner(credential, pin, certificate, chain)


class _CountingSigner:
    """Mixin for pyHanko's CSCSigner: counts the documents whose hash has joined the batch, so the
    batch is committed once every document has either joined or failed before signing."""

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if not dry_run:
            self.joined += 1
        return await super().async_sign_raw(data, digest_algorithm, dry_run)


async def _commit_when_all_in(remote, tasks) -> None:
    while remote.joined + sum(1 for task in tasks if task.done()) < len(tasks):
        await asyncio.sleep(0.005)
    if remote.joined:
        await remote.commit()


def sign_many_remote(credential: CscCredential, pin: str, items: list, *, profile=None) -> list:
    """Sign several documents at the CSC service with one confirmation and one PIN: each document its
    own PAdES signature, the hashes authorised together (one ``credentials/authorize`` per batch the
    service accepts — its ``multisign``) and signed in one ``signatures/signHash``. ``items`` are
    (pdf, Placement); the result, in the same order, is the signed bytes or the SigningError of each."""
    from pyhanko.sign.signers.csc_signer import CSCSigner

    from .sign import async_sign_placed

    class BatchSigner(_CountingSigner, CSCSigner):
        joined = 0

    async def run() -> list:
        async with client_session() as session:
            info = await _credential_info(session, credential)
            size = max(1, min(info.max_batch_size or 1, len(items)))
            results: list = []
            for start in range(0, len(items), size):
                chunk = items[start:start + size]
                auth = _PinAuthorization(session, credential.session_info(), info, pin)
                remote = BatchSigner(session, auth, sign_timeout=TIMEOUT, batch_autocommit=False, batch_size=len(chunk))
                tasks = [asyncio.ensure_future(async_sign_placed(pdf, remote, placement, profile=profile))
                         for pdf, placement in chunk]
                try:
                    await asyncio.wait_for(_commit_when_all_in(remote, tasks), TIMEOUT)
                except Exception as error:              # noqa: BLE001 — refused PIN, network, time-out
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
                    results += [_service_error(error)] * len(chunk)
                    continue
                for outcome in await asyncio.gather(*tasks, return_exceptions=True):
                    results.append(outcome if isinstance(outcome, (bytes, SigningError)) else _service_error(outcome))
            return results
    try:
        return asyncio.run(run())
    except Exception as error:                            # noqa: BLE001 — the service cannot be reached
        return [_service_error(error)] * len(items)
