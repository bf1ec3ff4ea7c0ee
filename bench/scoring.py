"""Scoring and batch-rendering speed on a synthetic campaign of 150 units × 120 leaves.

Prints: the median time to compute the whole campaign (target ≤ 50 ms); then renders every unit's
Báo cáo tự đánh giá (DOCX + PDF) in worker processes with a progress bar and prints the per-report
medians, the speed-up from 1 to 2 processes measured on a sample (target ≥ 1.8×), the batch's wall
time on all cores (target ≤ 150 s on this 2-core machine) and the peak memory of a process (target
≤ 600 MB).

Usage: python bench/scoring.py [--units 150] [--sample 24] [--skip-render]
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)   # what is measured is typesetting, never the typeset-file cache

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from data_models import parse_campaign  # noqa: E402
from service import batch  # noqa: E402
from service.domain.scoring import compute_campaign  # noqa: E402
from synthetic import synthetic_campaign_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--sample", type=int, default=24, help="reports rendered with 1 and with 2 processes")
    parser.add_argument("--skip-render", action="store_true")
    args = parser.parse_args()

    data = synthetic_campaign_data(units=args.units)
    campaign = parse_campaign(data)
    leaves = sum(1 for _ in campaign.criteria_sets[0].leaves())
    compute_campaign(campaign)
    samples = []
    for _ in range(9):
        start = time.perf_counter()
        compute_campaign(campaign)
        samples.append(time.perf_counter() - start)
    print(f"compute {args.units} units × {leaves} leaves: median {statistics.median(samples) * 1000:.1f} ms "
          "(target ≤ 50 ms)")
    if args.skip_render:
        return 0

    with tempfile.TemporaryDirectory() as folder:
        campaign_dir = Path(folder) / "synthetic"
        campaign_dir.mkdir()
        (campaign_dir / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        jobs = batch.jobs_for(campaign, campaign_dir, Path(folder) / "out", kinds=["bao-cao-tu-danh-gia"])
        sample = jobs[:args.sample]
        start = time.perf_counter()
        batch.run(sample, workers=1)
        one = time.perf_counter() - start
        start = time.perf_counter()
        batch.run(sample, workers=2)
        two = time.perf_counter() - start
        print(f"speed-up on {len(sample)} reports: 1 process {one:.1f} s, 2 processes {two:.1f} s → "
              f"{one / two:.2f}× (target ≥ 1.8×)")
        start = time.perf_counter()
        done = batch.run(jobs, progress=batch.progress_bar)
        wall = time.perf_counter() - start
        pages = []
        try:
            from pypdf import PdfReader
            pages = [len(PdfReader(d.pdf).pages) for d in done[:10]]
        except ImportError:
            pass
    per_report = statistics.median(d.seconds for d in done)
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"{len(done)} reports (DOCX + PDF{f', about {statistics.median(pages):.0f} pages each' if pages else ''}): "
          f"median {per_report:.2f} s per report in a worker")
    print(f"batch wall time on all cores: {wall:.1f} s (target ≤ 150 s)")
    print(f"peak memory of one process: {peak:.0f} MB (target ≤ 600 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
