"""The last day before the self-assessment deadline: every unit of a province saves at once.

The service as docs/deploy/ runs it, on this machine: nginx in front (docs/deploy/nginx/, the same
routing rules), the web pool of gunicorn (2 processes × 4 threads, with the embedded job worker) and
the downloads pool (1 process × 4 threads) that nginx sends the issued documents' downloads to, on
PostgreSQL (127.0.0.1:5432, a fresh database dropped afterwards). A campaign of 120 units (Ninh Bình
2026's 50 and 70 more communes, all still drafting), one account per unit. 120 simulated unit users,
each in a loop for the duration: open its self-assessment, think 2–4 s, save a changed score (every
fifth save with a 100 kB evidence PDF). Meanwhile 8 clients of the Sở Nội vụ download an issued
document (the Hướng dẫn's frozen PDF) over and over, each waiting 0,2 s between downloads.

The people were at work before the measured minute (each opened its page once: the processes have
read what they keep), and they do not click at the same millisecond: each starts its loop at a random
moment of its first 3 s.

Prints p50 / p95 / p99 of the saves, the saves acknowledged against those stored (the audit trail's
entries of each unit's score: they must be equal), and p50 / p99 of the downloads. Targets on a 2-core
machine: saves p95 ≤ 1 s, downloads p99 ≤ 300 ms. The last line, plain integers:
``rush: N saves by 120 clients, p95 X ms, lost L``.

Usage: python bench/rush.py [--clients 120] [--seconds 60] [--workers 2] [--threads 4]
       (nginx from Debian's packages: tools/setup.sh installs it)
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)   # what is measured is typesetting, never the typeset-file cache

import argparse
import copy
import io
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures import FIXTURES_DIR  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import throwaway_postgres  # noqa: E402
CAMPAIGN = "ninh-binh-2026"
PASSWORD = "mat-khau-thu-tai"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: What the readers download: the Hướng dẫn's issued PDF.
DOWNLOAD = f"/chien-dich/{CAMPAIGN}/van-ban/huong-dan.pdf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def campaign_of(units: int) -> dict:
    """Ninh Bình 2026 with ``units`` units (communes added after its 50), no unit's data yet."""
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    communes = next(g for g in data["groups"] if g["id"] == "ubnd-xa")
    model_unit = communes["units"][-1]
    model_agency = next(a for a in data["agencies"] if a["id"] == model_unit["agency"])
    existing = sum(len(g["units"]) for g in data["groups"])
    for n in range(1, units - existing + 1):
        unit_id = f"xa-thu-tai-{n:03d}"
        agency = {**copy.deepcopy(model_agency), "id": unit_id, "name": f"Ủy ban nhân dân xã Thử Tải {n}",
                  "header_lines": ["ỦY BAN NHÂN DÂN", f"XÃ THỬ TẢI {n}"]}
        data["agencies"].append(agency)
        communes["units"].append({**copy.deepcopy(model_unit), "id": unit_id, "name": agency["name"], "agency": unit_id})
    data["assessments"], data["survey_answers"] = [], []
    data["documents"].pop("cong-van-don-doc", None)
    return data


def seed(url: str, units: int) -> list[str]:
    from service.store.campaigns import ensure_organisation, save_campaign
    from service.store.db import make_engine
    from service.store.migrate import upgrade
    from service.store.users import create_user
    upgrade(url)
    engine = make_engine(url)
    ensure_organisation(engine, "ninh-binh", "Tỉnh Ninh Bình")
    campaign = save_campaign(engine, campaign_of(units), "bench", "ninh-binh")
    ids = [u.id for u in campaign.units()]
    for unit_id in ids:
        create_user(engine, f"u-{unit_id}", PASSWORD, f"Văn phòng {unit_id}", "unit", organisation_id="ninh-binh",
                    campaign_id=CAMPAIGN, unit_id=unit_id)
    create_user(engine, "lanh-dao", PASSWORD, "Lãnh đạo Sở Nội vụ", "leader", organisation_id="ninh-binh")
    from service.store.issuing import issue_document
    from service.store.lifecycle import take_step
    take_step(engine, CAMPAIGN, "huong-dan", None, "trinh-duyet", "bench", "admin")
    take_step(engine, CAMPAIGN, "huong-dan", None, "duyet", "bench", "leader")
    issue_document(engine, CAMPAIGN, "huong-dan", None, "bench")
    engine.dispose()
    return ids


def evidence_pdf(size: int = 100_000) -> bytes:
    """A valid PDF of about ``size`` bytes whose bulk is one binary stream, as a scanned page's image."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"q Q\n%" + random.Random(1).randbytes(size).replace(b"\n", b" ").replace(b"\r", b" ") + b"\n")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def session_of(base: str, username: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/dang-nhap", timeout=120).text
    token = lxml.html.fromstring(page).xpath('//input[@name="csrf_token"]/@value')[0]
    http.post(f"{base}/dang-nhap", data={"username": username, "password": PASSWORD, "csrf_token": token}, timeout=120)
    return http


class Reader(threading.Thread):
    """The Sở Nội vụ downloading an issued document while the units save."""

    def __init__(self, base: str, until: float):
        super().__init__(daemon=True)
        self.http, self.until, self.url = session_of(base, "lanh-dao"), until, base + DOWNLOAD
        self.times: list[float] = []
        assert self.http.get(self.url, timeout=120).content[:5] == b"%PDF-"      # before the measured minute

    def run(self) -> None:
        time.sleep(random.uniform(0, 0.2))
        while time.monotonic() < self.until:
            start = time.perf_counter()
            body = self.http.get(self.url, timeout=120).content
            self.times.append(time.perf_counter() - start)
            assert body[:5] == b"%PDF-"
            time.sleep(0.2)


def downloads(base: str, start_wall: float, until_wall: float, out) -> None:
    """The 8 readers of the Sở Nội vụ, in a process of their own (their browsers are not the units'):
    their times are not stretched by the 120 unit threads' turns at the interpreter of the process
    that simulates the units. They download from ``start_wall`` to ``until_wall`` (the units' minute)
    and send the sorted times to ``out``."""
    readers = [Reader(base, 0) for _ in range(8)]
    time.sleep(max(0.0, start_wall - time.time()))
    until = time.monotonic() + (until_wall - time.time())
    for reader in readers:
        reader.until = until
        reader.start()
    for reader in readers:
        reader.join()
    out.put(sorted(t for reader in readers for t in reader.times))


class Unit(threading.Thread):
    def __init__(self, base: str, unit_id: str, until: float, pdf: bytes, seed_: int):
        super().__init__(daemon=True)
        self.base, self.unit_id, self.until, self.pdf = base, unit_id, until, pdf
        self.rng = random.Random(seed_)
        self.saves: list[float] = []
        self.acknowledged = 0
        self.errors: list[str] = []
        self.code = None

    def log_in(self) -> None:
        """Before the rush: people are logged in already (a log-in costs a deliberately slow hash) and
        have opened their page before."""
        self.http = session_of(self.base, f"u-{self.unit_id}")
        self.http.get(f"{self.base}/chien-dich/{CAMPAIGN}/don-vi/{self.unit_id}/tu-danh-gia", timeout=120)

    def run(self) -> None:
        http = self.http
        url = f"{self.base}/chien-dich/{CAMPAIGN}/don-vi/{self.unit_id}/tu-danh-gia"
        time.sleep(self.rng.uniform(0, 3))
        n = 0
        values: dict[str, str] = {}
        while time.monotonic() < self.until:
            page = http.get(url, timeout=120).text
            if not values:                   # the whole form once; then only what a save changes in it
                form = lxml.html.fromstring(page).xpath("//form[.//input[starts-with(@name, 'diem-')]]")[0]
                values = dict(form.form_values())
                box = form.xpath(".//input[starts-with(@name, 'diem-')][@data-max]")[0]
                self.code, self.maximum = box.get("name")[5:], box.get("data-max").replace(".", ",")
            else:
                for name in ("phien-ban", f"tl-{self.code}-0-tep"):
                    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
                    if found:
                        values[name] = found.group(1)
                values.pop(f"tl-{self.code}-0-tepmoi", None)
            time.sleep(self.rng.uniform(2, 4))
            if time.monotonic() >= self.until:
                break
            n += 1
            current = values.get(f"diem-{self.code}", "")
            values[f"diem-{self.code}"] = "0" if current == self.maximum else self.maximum
            values["hanh-dong"] = "luu"
            files = None
            if n % 5 == 0:
                values.update({f"tl-{self.code}-0-so": f"{n}/BC", f"tl-{self.code}-0-ngay": "20/10/2026",
                               f"tl-{self.code}-0-ten": f"Báo cáo số {n}"})
                files = {f"tl-{self.code}-0-tepmoi": (f"bao-cao-{n}.pdf", self.pdf, "application/pdf")}
            start = time.perf_counter()
            response = http.post(url, data=values, files=files, allow_redirects=False, timeout=120)
            self.saves.append(time.perf_counter() - start)
            if response.status_code == 302:
                self.acknowledged += 1
            else:
                self.errors.append(f"{response.status_code}")


def stored_saves(url: str, units: list[Unit]) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = 0
        for unit in units:
            if unit.code:
                count += connection.execute(sa.text("SELECT count(*) FROM audit_entries WHERE target = :t"),
                                            {"t": f"{CAMPAIGN}/{unit.unit_id}/{unit.code}/self_score"}).scalar()
    engine.dispose()
    return count


NGINX_CONF = """worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
user root;
events {{ worker_connections 1024; }}
http {{
    log_format rush '$msec $request_method $uri $status $request_time';
    access_log {folder}/access.log rush;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    {pools}
    server {{
        listen 127.0.0.1:{port};
        include {locations};
    }}
}}
"""


def nginx_conf(folder: str, port: int, web_port: int, files_port: int) -> Path:
    """nginx.conf in ``folder``: listening on ``port`` with docs/deploy/nginx/'s pools and rules, the
    pools' upstreams on this machine's ports."""
    deploy = ROOT / "docs" / "deploy" / "nginx"
    pools = (deploy / "cchc-pools.conf").read_text(encoding="utf-8") \
        .replace("127.0.0.1:8000", f"127.0.0.1:{web_port}").replace("127.0.0.1:8001", f"127.0.0.1:{files_port}")
    conf = Path(folder) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=port, pools=pools, locations=deploy / "cchc-locations.conf"),
                    encoding="utf-8")
    return conf


def nginx_in_front(folder: str, port: int, web_port: int, files_port: int) -> subprocess.Popen:
    return subprocess.Popen([NGINX, "-c", str(nginx_conf(folder, port, web_port, files_port)), "-p", folder,
                             "-g", "daemon off;"])


def timed_by_nginx(folder: str, start_wall: float, until_wall: float) -> tuple[list[float], list[float]]:
    """(saves' times, downloads' times) in the measured minute as nginx logged them: from the first byte
    of the request to the last of the answer, what a browser elsewhere waits for (less the network)."""
    saves, downloads = [], []
    for line in (Path(folder) / "access.log").read_text(encoding="utf-8").splitlines():
        done, method, uri, status, took = line.split()
        start = float(done) - float(took)
        if not start_wall <= start < until_wall:
            continue
        if method == "POST" and uri.endswith("/tu-danh-gia") and status == "302":
            saves.append(float(took))
        elif method == "GET" and uri == DOWNLOAD and status == "200":
            downloads.append(float(took))
    return sorted(saves), sorted(downloads)


def gunicorn(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
                             "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning",
                             "service.web.wsgi:app"], env=env, cwd=ROOT)


@dataclass
class Rush:
    """What one rush measured; times sorted, in seconds, as nginx logged them and as the simulated
    people's clients saw them."""
    saves: list[float]
    saves_by_clients: list[float]
    units: list
    acknowledged: int
    stored: int
    refusals: list[str]
    downloads: list[float]
    downloads_by_readers: list[float]


def rush(url: str, clients: int, seconds: int, workers: int = 2, threads: int = 4) -> Rush:
    """Run the service on ``url`` as deployed and the clients against it."""
    ids = seed(url, clients)
    servers: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = dict(os.environ, CCHC_DATA_DIR=folder, DATABASE_URL=url, SECRET_KEY="rush", CCHC_PROXY_HOPS="1",
                       CCHC_LOGIN_LIMIT_PER_ADDRESS="100000 per minute",
                       CCHC_WARM_AT_START="0")
            port, web_port, files_port = free_port(), free_port(), free_port()
            servers = [gunicorn(env, web_port, workers, threads),
                       gunicorn(dict(env, CCHC_EMBEDDED_WORKERS="0"), files_port, 1, 4),
                       nginx_in_front(folder, port, web_port, files_port)]
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if requests.get(f"{base}/dang-nhap", timeout=2).ok and \
                            requests.get(base + DOWNLOAD, timeout=2).status_code != 502:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.2)
            pdf = evidence_pdf()
            units = [Unit(base, unit_id, 0, pdf, n) for n, unit_id in enumerate(ids[:clients])]
            for unit in units:
                unit.log_in()
            spawn = multiprocessing.get_context("spawn")
            times = spawn.Queue()
            start_wall = time.time() + 10           # the readers' process logs in meanwhile
            readers = spawn.Process(target=downloads, args=(base, start_wall, start_wall + seconds, times))
            readers.start()
            os.nice(10)              # the simulated units' browsers run elsewhere: the service comes first
            time.sleep(max(0.0, start_wall - time.time()))
            until = time.monotonic() + seconds
            for unit in units:
                unit.until = until
                unit.start()
            for unit in units:
                unit.join(seconds + 600)
            read_times = times.get(timeout=600)
            readers.join(60)
            for server in servers:
                server.terminate()
                server.wait(timeout=60)
            servers = []
            nginx_saves, nginx_downloads = timed_by_nginx(folder, start_wall, start_wall + seconds)
    finally:
        for server in servers:
            server.terminate()
    return Rush(nginx_saves, sorted(t for unit in units for t in unit.saves), units,
                sum(unit.acknowledged for unit in units), stored_saves(url, units),
                [e for unit in units for e in unit.errors], nginx_downloads, read_times)


def quantile(times: list[float], q: float) -> float:
    """The ``q`` quantile of sorted times, in milliseconds."""
    return times[min(len(times) - 1, int(len(times) * q))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=120)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    args = parser.parse_args()
    if not Path(NGINX).exists():
        print("bench/rush.py chạy dịch vụ sau nginx như khi triển khai: cài nginx (tools/setup.sh) rồi chạy lại.")
        return 2
    with throwaway_postgres("cchc_rush") as url:
        run = rush(url, args.clients, args.seconds, args.workers, args.threads)
    if not run.saves:
        print("rush: 0 saves")
        return 1

    def figures(times: list[float], *quantiles: float) -> str:
        return ", ".join(f"p{round(q * 100)} {quantile(times, q):.0f} ms" for q in quantiles)
    print(f"{len(run.saves)} saves by {len(run.units)} clients in {args.seconds} s (nginx, gunicorn "
          f"{args.workers}×{args.threads} + downloads 1×4, PostgreSQL), as nginx timed them: "
          f"{figures(run.saves, 0.5, 0.95, 0.99)}, max {run.saves[-1] * 1000:.0f} ms (target p95 ≤ 1 000 ms)")
    print(f"  as the simulated units timed them ({len(run.units)} threads of one process at nice 10 on the same cores): "
          f"{figures(run.saves_by_clients, 0.5, 0.95, 0.99)}")
    print(f"acknowledged {run.acknowledged}, stored {run.stored}, refused {len(run.refusals)} {sorted(set(run.refusals))}")
    if run.downloads:
        print(f"{len(run.downloads)} downloads of the issued Hướng dẫn by 8 clients meanwhile, as nginx timed them: "
              f"{figures(run.downloads, 0.5, 0.99)} (target p99 ≤ 300 ms); as the readers timed them: "
              f"{figures(run.downloads_by_readers, 0.5, 0.99)}")
    print(f"rush: {len(run.saves)} saves by {len(run.units)} clients, p95 {round(quantile(run.saves, 0.95))} ms, "
          f"lost {run.acknowledged - run.stored}")
    return 0 if run.acknowledged == run.stored else 1


if __name__ == "__main__":
    sys.exit(main())
