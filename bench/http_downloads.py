"""Document downloads over HTTP: gunicorn on loopback, 8 concurrent clients, a DOCX each request.

Starts gunicorn (2 workers × 4 threads) on a temporary SQLite workspace seeded with the demo, logs in,
then 8 client threads download the Ninh Bình publication decision (DOCX) a fixed number of times.
Prints requests/s and p50/p99 latency. Target on this 2-core machine: ≥ 40 downloads/s, p99 ≤ 300 ms
(rendered versions are cached by content hash). Loopback only; bounded in count and time.

Usage: python bench/http_downloads.py [--requests 400] [--clients 8]
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)   # what is measured is typesetting, never the typeset-file cache

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def login(base: str, client) -> None:
    from service.web.demo import DEMO_PASSWORD
    page = client.open(f"{base}/dang-nhap", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "lanhdao", "password": DEMO_PASSWORD, "csrf_token": token}).encode()
    client.open(f"{base}/dang-nhap", data=data, timeout=30).read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, CCHC_DATA_DIR=folder, DATABASE_URL=f"sqlite:///{folder}/cchc.sqlite3",
                   SECRET_KEY="bench", CCHC_WARM_AT_START="0")
        subprocess.run([sys.executable, "-c", "from service.web import create_app; from service.web.demo import seed_demo;"
                        "seed_demo(create_app().extensions['cchc_engine'])"], env=env, cwd=ROOT, check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--bind",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "service.web.wsgi:app"], env=env, cwd=ROOT)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/dang-nhap", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            url = f"{base}/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-cong-bo.docx"
            clients = [opener() for _ in range(args.clients)]
            for client in clients:
                login(base, client)
                client.open(url, timeout=60).read()           # warm both workers' caches
            per_client = args.requests // args.clients

            def run(client) -> list[float]:
                times = []
                for _ in range(per_client):
                    start = time.perf_counter()
                    body = client.open(url, timeout=60).read()
                    times.append(time.perf_counter() - start)
                    assert body[:2] == b"PK"
                return times

            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                latencies = sorted(t for batch in pool.map(run, clients) for t in batch)
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{len(latencies)} DOCX downloads, {args.clients} clients: {len(latencies) / wall:.1f} requests/s, "
          f"p50 {p50:.0f} ms, p99 {p99:.0f} ms (targets ≥ 40/s, p99 ≤ 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
