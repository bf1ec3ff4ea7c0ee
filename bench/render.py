"""Render speed per fixture campaign, in one process, against two references.

* DOCX: our whole path (compose + docxtpl render) against a bare docxtpl render of the same frame
  template with the same, already composed context. Target: ≤ 1.3×.
* PDF: our whole path (compose + HTML + weasyprint) against LibreOffice converting our DOCX to PDF
  (only where ``soffice`` is installed; LibreOffice is a yardstick, never a dependency). Target: ≥ 3×
  faster.

Usage: python bench/render.py [--runs N]
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)   # what is measured is typesetting, never the typeset-file cache

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data_models import load_campaign  # noqa: E402
from fixtures import campaign_dirs  # noqa: E402
from service.documents import compose  # noqa: E402
from service.render.docx_writer import render_bare, render_docx  # noqa: E402
from service.render.pdf_writer import render_pdf  # noqa: E402


def median_seconds(action, runs: int) -> float:
    action()  # warm-up: caches, fonts, stylesheet
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def libreoffice_seconds(docx_bytes: bytes, runs: int) -> float | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ke-hoach.docx"
        source.write_bytes(docx_bytes)
        profile = Path(folder) / "profile"

        def convert():
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", folder, str(source)],
                           check=True, capture_output=True, timeout=300)
        return median_seconds(convert, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{'campaign':<16} {'docx ms':>8} {'bare ms':>8} {'ratio':>6}   {'pdf ms':>8} {'soffice ms':>10} {'speed-up':>8}")
    for folder in campaign_dirs():
        campaign = load_campaign(folder)
        document = compose(campaign, "ke-hoach")
        docx_time = median_seconds(lambda: render_docx(compose(campaign, "ke-hoach")), args.runs)
        bare_time = median_seconds(lambda: render_bare({"doc": document}), args.runs)
        pdf_time = median_seconds(lambda: render_pdf(compose(campaign, "ke-hoach")), args.runs)
        office = libreoffice_seconds(render_docx(document), max(3, args.runs // 2))
        office_cells = (f"{office * 1000:>10.0f} {office / pdf_time:>7.1f}×" if office
                        else f"{'n/a':>10} {'n/a':>8}")
        print(f"{campaign.id:<16} {docx_time * 1000:>8.1f} {bare_time * 1000:>8.1f} {docx_time / bare_time:>5.2f}×"
              f"   {pdf_time * 1000:>8.1f} {office_cells}")
    print("targets: docx ratio ≤ 1.30×; pdf at least 3× faster than LibreOffice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
