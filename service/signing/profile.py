"""How long a signature must stay verifiable — the PAdES baseline level signing aims at (ETSI EN
319 142-1): B-B the signature alone; B-T with a timestamp from a TSA; B-LT adds the chain's
certificates and their revocation answers (OCSP, CRL) kept in the file's DSS, so that it can be checked
years later without asking the CA; B-LTA adds a document timestamp over all of it, renewable before
the TSA's certificate expires. pyHanko does the work; this module only says which level the province
configured and refuses a configuration that cannot reach it."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from .signers import SigningError

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@dataclass(frozen=True)
class SigningProfile:
    """``timestamper``: pyHanko's, from the TSA (B-T and above); ``validation_data``: embed the chain's
    certificates and revocation answers in the DSS (B-LT, B-LTA); ``archive_timestamp``: a document
    timestamp over them (B-LTA); ``trust_roots``: the CAs the chain is built to."""
    timestamper: object | None = None
    validation_data: bool = False
    archive_timestamp: bool = False
    trust_roots: tuple = ()

    @property
    def level(self) -> str:
        if self.timestamper is None:
            return "B-B"
        return "B-LTA" if self.archive_timestamp else "B-LT" if self.validation_data else "B-T"

    def validation_context(self):
        """For B-LT: the chain is validated now, fetching OCSP/CRL from the addresses in the
        certificates; a certificate that names a revocation source which does not answer fails the
        signing ('hard-fail'), so a B-LT file never lacks what it claims to carry. One context per
        profile, and a profile per signing request: the letters of one batch share what was fetched
        (the CA is asked once for the signer's status, not once per letter)."""
        return self._context if self.validation_data else None

    @functools.cached_property
    def _context(self):
        from pyhanko_certvalidator import ValidationContext
        return ValidationContext(trust_roots=list(self.trust_roots), allow_fetching=True, revocation_mode="hard-fail")


async def chain_known_offline(signer, profile: SigningProfile) -> None:
    """Before B-LT fetches anything, the signer's chain must reach a trusted CA with what is at hand
    (the certificates the signer carries, the trust bundle): OCSP, CRL and issuer addresses are then
    only those a trusted CA wrote, and a self-made certificate cannot make the server call an address
    of its choosing (the remote-signing lesson of review S5). pyHanko's PathBuildingError otherwise."""
    if not profile.validation_data:
        return
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    carried = list(signer.cert_registry) if getattr(signer, "cert_registry", None) is not None else []
    context = ValidationContext(trust_roots=list(profile.trust_roots), other_certs=carried, allow_fetching=False,
                                revocation_mode="soft-fail")
    await CertificateValidator(signer.signing_cert, validation_context=context).async_validate_path()


def profile_from_environment(trust_roots=()) -> SigningProfile:
    """The level named by CCHC_PADES_LEVEL (B-B, B-T, B-LT, B-LTA; by default B-T when CCHC_TSA_URL
    names a timestamp service, else B-B), with the TSA of CCHC_TSA_URL and, for B-LT and B-LTA, the
    trusted CAs (``trust_roots``, else CCHC_TRUST_BUNDLE). SigningError in Vietnamese when the
    configuration cannot reach the level."""
    from pyhanko.sign import timestamps

    url = os.environ.get("CCHC_TSA_URL", "").strip()
    level = os.environ.get("CCHC_PADES_LEVEL", "").strip().upper() or ("B-T" if url else "B-B")
    if level not in LEVELS:
        raise SigningError(f"CCHC_PADES_LEVEL «{level}» không hợp lệ (chọn một trong {', '.join(LEVELS)})")
    if level != "B-B" and not url:
        raise SigningError(f"mức chữ ký {level} cần dịch vụ cấp dấu thời gian: đặt CCHC_TSA_URL")
    long_term = level in ("B-LT", "B-LTA")
    roots = tuple(trust_roots)
    if long_term and not roots:
        bundle = os.environ.get("CCHC_TRUST_BUNDLE", "").strip()
        if bundle:
            from .verify import load_trust_roots
            roots = tuple(load_trust_roots(Path(bundle).read_bytes()))
    if long_term and not roots:
        raise SigningError(f"mức chữ ký {level} cần danh sách CA tin cậy để dựng chuỗi chứng thư: đặt CCHC_TRUST_BUNDLE")
    return SigningProfile(timestamper=timestamps.HTTPTimeStamper(url) if level != "B-B" else None,
                          validation_data=long_term, archive_timestamp=level == "B-LTA", trust_roots=roots)
