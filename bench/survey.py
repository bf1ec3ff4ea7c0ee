"""Respondents answering the survey in the same minute, the service as docs/deploy/ runs it.

nginx in front (docs/deploy/nginx/: the survey's location keeps no address), the web pool of gunicorn
(2 processes × 4 threads), PostgreSQL (127.0.0.1:5432, a fresh database dropped afterwards), the Ninh
Bình 2026 demo with its survey opened (every unit, its respondent groups, the plan's quotas) and one
one-time code per respondent. 500 respondents, each starting at a random moment of the minute: open the
form by its code, answer every question, send it. 50 of them send the same page 10 more times (a
replayed form must count once).

Prints p50 / p95 / p99 of opening the form and of sending it, as the respondents' clients saw them
(nginx's access log is off for the survey by design), then what was counted against what was sent:
forms stored, codes spent, forms counted twice (a replay taken), forms lost (acknowledged, not stored).
Target on a 2-core machine: sending p95 ≤ 300 ms, 0 lost, 0 counted twice. Last line, plain integers:
``survey: N forms by R respondents, p95 X ms, lost L, twice T``.

Usage: python bench/survey.py [--respondents 500] [--seconds 60]
"""
from __future__ import annotations

import os as _os

_os.environ.pop("CCHC_RENDER_CACHE", None)

import argparse
import datetime as dt
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rush import free_port, gunicorn, nginx_in_front, quantile  # noqa: E402
from throwaway_db import throwaway_postgres  # noqa: E402

CAMPAIGN = "ninh-binh-2026"


def seed(url: str, respondents: int) -> list[str]:
    """The demo with its survey opened and ``respondents`` codes spread over the units and groups."""
    from service.store import survey_collection
    from service.web.demo import seed_demo
    from service.web import create_app
    app = create_app(url, secret_key="survey-bench")
    engine = app.extensions["cchc_engine"]
    seed_demo(engine)
    from data_models import load_campaign
    from fixtures import FIXTURES_DIR
    from service.domain.survey_forms import questions
    campaign = load_campaign(FIXTURES_DIR / CAMPAIGN)
    pairs = [(unit.id, group.id) for unit in campaign.units()
             for group in campaign.criteria_for(campaign.group_of(unit.id).id).respondent_groups
             if questions(campaign, unit.id, group.id)]
    today = dt.date.today()
    survey = survey_collection.open_survey(engine, "ninh-binh", CAMPAIGN, today - dt.timedelta(days=1),
                                           today + dt.timedelta(days=30), {pair: 40 for pair in pairs}, False, "bench")
    codes = []
    for n in range(respondents):
        unit, group = pairs[n % len(pairs)]
        codes += survey_collection.make_codes(engine, survey, unit, group, 1)
    engine.dispose()
    return codes


class Respondent(threading.Thread):
    """One person: waits for their moment, opens the form by the code, answers, sends; some replay."""

    def __init__(self, base: str, code: str, start_at: float, replays: int):
        super().__init__(daemon=True)
        self.base, self.code, self.start_at, self.replays = base, code, start_at, replays
        self.opened: float | None = None
        self.sent: float | None = None
        self.status: int | None = None
        self.replayed: list[int] = []
        self.error: str | None = None

    def run(self) -> None:
        try:
            time.sleep(max(0.0, self.start_at - time.monotonic()))
            with requests.Session() as session:
                url = f"{self.base}/ks/{self.code}"
                began = time.monotonic()
                page = session.get(url, timeout=30)
                self.opened = time.monotonic() - began
                token = re.search(r'name="phieu" value="([^"]+)"', page.text).group(1)
                names = sorted(set(re.findall(r'type="radio" name="(c-[0-9-]+)"', page.text)))
                form = {"phieu": token, **{name: str(random.randint(1, 4)) for name in names}}
                began = time.monotonic()
                answer = session.post(url, data=form, timeout=30, allow_redirects=False)
                self.sent, self.status = time.monotonic() - began, answer.status_code
                for _ in range(self.replays):
                    self.replayed.append(session.post(url, data=form, timeout=30, allow_redirects=False).status_code)
        except Exception as error:                                   # noqa: BLE001 — reported below
            self.error = f"{type(error).__name__}: {error}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    with throwaway_postgres("cchc_survey") as url:
        codes = seed(url, args.respondents)
        servers = []
        try:
            with tempfile.TemporaryDirectory() as folder:
                env = dict(os.environ, CCHC_DATA_DIR=folder, DATABASE_URL=url, SECRET_KEY="survey-bench",
                           CCHC_PROXY_HOPS="1", CCHC_WARM_AT_START="0", CCHC_EMBEDDED_WORKERS="0")
                port, web_port, files_port = free_port(), free_port(), free_port()
                servers = [gunicorn(env, web_port, 2, 4), gunicorn(env, files_port, 1, 2),
                           nginx_in_front(folder, port, web_port, files_port)]
                base = f"http://127.0.0.1:{port}"
                for _ in range(300):
                    try:
                        if requests.get(f"{base}/ks", timeout=2).ok:
                            break
                    except requests.RequestException:
                        pass
                    time.sleep(0.2)
                requests.get(f"{base}/ks/{codes[-1]}", timeout=30)         # the processes have read the campaign
                start = time.monotonic() + 2
                people = [Respondent(base, code, start + random.uniform(0, args.seconds), 10 if n % 10 == 0 else 0)
                          for n, code in enumerate(codes)]
                for person in people:
                    person.start()
                for person in people:
                    person.join(args.seconds + 300)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=60)
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            stored = connection.execute(sa.text("select count(*) from survey_responses")).scalar()
            spent = connection.execute(sa.text("select count(*) from survey_codes where used")).scalar()
        engine.dispose()
    acknowledged = sum(1 for p in people if p.status == 200)
    replays_taken = sum(1 for p in people for status in p.replayed if status == 200)
    errors = [p.error for p in people if p.error]
    opened = sorted(p.opened for p in people if p.opened is not None)
    sent = sorted(p.sent for p in people if p.sent is not None)
    print(f"Mở phiếu ({len(opened)}): p50 {quantile(opened, .5):.0f} ms, p95 {quantile(opened, .95):.0f} ms, "
          f"p99 {quantile(opened, .99):.0f} ms")
    print(f"Gửi phiếu ({len(sent)}): p50 {quantile(sent, .5):.0f} ms, p95 {quantile(sent, .95):.0f} ms, "
          f"p99 {quantile(sent, .99):.0f} ms")
    print(f"Phiếu được nhận {acknowledged}, lưu {stored}, mã đã dùng {spent}; gửi lại "
          f"{sum(len(p.replayed) for p in people)} lần, được tính {replays_taken}; lỗi phía người trả lời {len(errors)}"
          + (f" (ví dụ: {errors[0]})" if errors else ""))
    lost = max(0, acknowledged - stored)
    twice = max(0, stored - acknowledged) + replays_taken
    print(f"survey: {stored} forms by {len(people)} respondents, p95 {quantile(sent, .95):.0f} ms, lost {lost}, twice {twice}")
    return 0 if lost == 0 and twice == 0 and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
