"""Self-assessment reports rendered through the job queue on Redis, with 1 and 2 worker processes,
against rendering the same reports directly in one process.

PostgreSQL (a fresh database, dropped afterwards) holds copies of Ninh Bình 2026 (50 units with their
reports each) until there are ``--reports`` units; each report is one ``cchc.prerender`` task of the
unit's Báo cáo tự đánh giá (PDF), sent to Redis (127.0.0.1:6379/10) and taken by ``cchc worker``
processes. The content-hash cache is emptied before each run, so every report is rendered.

    python bench/job_queue.py [--reports 600]

Last line: ``queue: N reports, 1 worker X s, 2 workers Y s, speed-up S, overhead O %``.
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)   # what is measured is typesetting, never the typeset-file cache

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures import FIXTURES_DIR  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import throwaway_postgres  # noqa: E402

REDIS = os.environ.get("BENCH_QUEUE_REDIS", "redis://127.0.0.1:6379/10")
KIND = "bao-cao-tu-danh-gia"


def seed(url: str, reports: int) -> list[tuple[str, str]]:
    """(campaign, unit) of ``reports`` units with a self-assessment report, in copies of Ninh Bình."""
    from service.store.campaigns import ensure_organisation, save_campaign
    from service.store.db import make_engine
    from service.store.migrate import upgrade
    upgrade(url)
    engine = make_engine(url)
    ensure_organisation(engine, "ninh-binh", "Tỉnh Ninh Bình")
    base = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    items: list[tuple[str, str]] = []
    copy_number = 0
    while len(items) < reports:
        copy_number += 1
        data = distinct_copy(base, copy_number)
        campaign = save_campaign(engine, data, "bench", "ninh-binh")
        items += [(campaign.id, a.unit) for a in campaign.assessments if a.report is not None]
    engine.dispose()
    return items[:reports]


def distinct_copy(base: dict, number: int) -> dict:
    """A copy of the campaign whose every unit prints differently (its name numbered), so that no
    report of one copy is the same document as another copy's (the cache would not render it)."""
    data = json.loads(json.dumps(base))
    data["id"] = f"nb-hang-doi-{number:02d}"
    suffix = f" (bản {number})"
    for agency in data["agencies"]:
        agency["name"] += suffix
        if agency.get("header_lines"):
            agency["header_lines"][-1] += suffix.upper()
    for group in data["groups"]:
        for unit in group["units"]:
            unit["name"] += suffix
    return data


def keys_of(url: str, items) -> list[str]:
    from service.jobs.prerender import edit_key
    from service.store.db import make_engine
    engine = make_engine(url)
    keys = [edit_key(engine, campaign_id, unit_id) for campaign_id, unit_id in items]
    engine.dispose()
    return keys


def empty_cache(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM rendered_files"))
    engine.dispose()


def rendered_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM rendered_files")).scalar()


def direct(url: str, items, keys) -> float:
    """Seconds to render the reports one after another in this process."""
    from service.jobs.prerender import prerender
    from service.store.db import make_engine
    empty_cache(url)
    engine = make_engine(url)
    prerender(engine, *items[0], keys[0], kinds=[KIND])          # warm: fonts, templates, imports
    empty_cache(url)
    start = time.perf_counter()
    for (campaign_id, unit_id), key in zip(items, keys):
        prerender(engine, campaign_id, unit_id, key, kinds=[KIND])
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def through_queue(url: str, items, keys, workers: int, folder: Path) -> float:
    """Seconds from the first task sent to the last report kept, with ``workers`` worker processes."""
    import redis

    from service.jobs.queue import make_queue, send
    redis.Redis.from_url(REDIS).flushdb()
    env = dict(os.environ, DATABASE_URL=url, CCHC_QUEUE_URL=REDIS, CCHC_DATA_DIR=str(folder))
    processes = [subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=open(folder / f"worker-{workers}-{n}.log", "wb"))
                 for n in range(workers)]
    os.environ["CCHC_QUEUE_URL"] = REDIS
    try:
        celery = make_queue(url)
        deadline = time.monotonic() + 120
        while len(celery.control.inspect(timeout=1).ping() or {}) < workers:
            if time.monotonic() > deadline:
                raise SystemExit("các tiến trình xử lý việc nền không khởi động được")
        warm = [(items[n], keys[n]) for n in range(workers)]
        for (campaign_id, unit_id), key in warm:             # each worker renders once before the clock starts
            send(celery, "cchc.prerender", [campaign_id, unit_id, key, [KIND]])
        engine = sa.create_engine(url)
        while rendered_count(engine) < 1:
            time.sleep(0.2)
        time.sleep(3)
        empty_cache(url)
        start = time.perf_counter()
        for (campaign_id, unit_id), key in zip(items, keys):
            send(celery, "cchc.prerender", [campaign_id, unit_id, key, [KIND]])
        reported = time.monotonic()
        while (count := rendered_count(engine)) < len(items):
            time.sleep(0.1)
            if time.monotonic() - reported > 10:
                print(f"  … {count}/{len(items)}", flush=True)
                reported = time.monotonic()
        elapsed = time.perf_counter() - start
        engine.dispose()
        return elapsed
    finally:
        del os.environ["CCHC_QUEUE_URL"]
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=600)
    args = parser.parse_args()
    with throwaway_postgres("cchc_queue") as url, tempfile.TemporaryDirectory() as folder:
        items = seed(url, args.reports)
        keys = keys_of(url, items)
        alone = direct(url, items, keys)
        print(f"directly, one process: {alone:.1f} s ({1000 * alone / len(items):.0f} ms per report)", flush=True)
        one = through_queue(url, items, keys, 1, Path(folder))
        print(f"queue, 1 worker: {one:.1f} s ({1000 * one / len(items):.0f} ms per report)", flush=True)
        two = through_queue(url, items, keys, 2, Path(folder))
        print(f"queue, 2 workers: {two:.1f} s ({1000 * two / len(items):.0f} ms per report)", flush=True)
    speed_up = one / two
    overhead = 100 * (one / alone - 1)
    print(f"queue: {len(items)} reports, 1 worker {one:.1f} s, 2 workers {two:.1f} s, speed-up {speed_up:.2f}, "
          f"overhead {overhead:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
