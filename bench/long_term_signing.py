"""The per-unit letters signed at each PAdES level, as the letters' batch signs them (one .p12 opened,
one profile for the batch), against a CA with its own OCSP responder, CRLs and TSA on this machine
(the tests' certomancer CA, tests/long_term_pki.py). A real CA is farther away: every request it
answers costs a round trip more, so the number of requests per letter matters as much as the time.

Prints, per level, milliseconds per letter (median and slowest) and the requests the CA answered per
letter. Last line, plain: ``long-term signing: B-B X ms, B-T X ms, B-LT X ms, B-LTA X ms per letter``.

Usage: python bench/long_term_signing.py [--letters 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=20)
    args = parser.parse_args()

    from data_models import load_campaign
    from fixtures import FIXTURES_DIR, SIGNING_DIR
    from pyhanko.sign import timestamps
    from service.documents import compose
    from service.render.pdf_writer import render_pdf
    from service.signing.profile import SigningProfile
    from service.signing.sign import sign_as_leader
    from service.signing.signers import load_pkcs12
    from service.signing.verify import load_trust_roots
    from tests import long_term_pki

    pki = long_term_pki.start(Path(tempfile.mkdtemp()))
    served: list[str] = []
    serve = pki.server.app

    def counting(environ, start_response):          # every request the CA answers
        served.append(environ.get("PATH_INFO", ""))
        return serve(environ, start_response)
    pki.server.app = counting
    campaign = load_campaign(FIXTURES_DIR / "ninh-binh-2026")
    unit = campaign.units()[0].id
    letter = render_pdf(compose(campaign, "cong-van-ket-qua-tham-dinh", unit))
    signer = load_pkcs12(pki.p12("lanh-dao"), long_term_pki.PASSWORD)
    image = (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
    roots = tuple(load_trust_roots(pki.pem("root")))
    figures = {}
    try:
        for level in ("B-B", "B-T", "B-LT", "B-LTA"):
            stamper = timestamps.HTTPTimeStamper(pki.tsa_url) if level != "B-B" else None
            profile = SigningProfile(timestamper=stamper, validation_data=level in ("B-LT", "B-LTA"),
                                     archive_timestamp=level == "B-LTA", trust_roots=roots)
            times, served[:] = [], []
            for _ in range(args.letters):
                start = time.perf_counter()
                sign_as_leader(letter, signer, image, profile=profile)
                times.append((time.perf_counter() - start) * 1000)
            figures[level] = statistics.median(times)
            print(f"{level:6} {statistics.median(times):7.0f} ms per letter (slowest {max(times):.0f} ms), "
                  f"{len(served) / args.letters:.1f} requests to the CA per letter")
    finally:
        pki.stop()
    print("long-term signing: " + ", ".join(f"{level} {ms:.0f} ms" for level, ms in figures.items()) + " per letter")
    return 0


if __name__ == "__main__":
    sys.exit(main())
