"""The embedded worker: a Celery worker running as threads inside a web process, on the broker in the
service's own database — one process does everything, as the README's first command needs. A sweeper
(here and in ``cchc worker``) sends again the jobs whose worker died with its process or whose message
never reached the broker (kombu's database transport does not deliver a message twice; the ``jobs``
table says which job lost its worker)."""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from celery import Celery

from service.store import issued_pdf, jobs
from service.store.rendered import forget_old_files

from .queue import engine_for, send
from .tasks import DOSSIER

log = logging.getLogger(__name__)
SWEEP_EVERY = 30.0
#: Rendered drafts are kept this long; older ones are rendered again when asked for.
KEEP_RENDERED = dt.timedelta(days=30)


def start_embedded_worker(celery: Celery, threads: int) -> object:
    """Start the worker (``threads`` at once) and the sweeper in daemon threads; the worker, to stop.
    The app becomes the process's default: Celery's current app is per thread, and the pool's threads
    would otherwise find the tasks on an app of no database."""
    celery.set_default()
    worker = celery.WorkController(pool_cls="threads", concurrency=threads, without_heartbeat=True,
                                   without_mingle=True, without_gossip=True, loglevel="WARNING",
                                   hostname=f"embedded-{os.getpid()}@{socket.gethostname()}", queues=["cchc"])
    threading.Thread(target=worker.start, daemon=True, name="cchc-embedded-worker").start()
    worker.cchc_stop_sweeping = start_sweeper(celery)
    return worker


def start_sweeper(celery: Celery) -> threading.Event:
    """Sweep now and every SWEEP_EVERY seconds in a daemon thread; the event that stops it. Every
    worker sweeps — embedded or ``cchc worker`` on Redis — so a job asked for while the broker was
    down is sent again once it is back (review S6), whichever kind of worker is running."""
    stop = threading.Event()

    def sweeping():
        while True:
            sweep(celery)
            if stop.wait(SWEEP_EVERY):
                return
    threading.Thread(target=sweeping, daemon=True, name="cchc-job-sweeper").start()
    return stop


def sweep(celery: Celery) -> list[int]:
    """Send again the dossier jobs whose worker has been silent too long (their ids) and the PDFs of
    issued versions left untypeset, and forget rendered files older than KEEP_RENDERED (the cache does
    not grow without end)."""
    try:
        engine = engine_for(celery.conf.cchc_database_url)
        now = dt.datetime.now(dt.timezone.utc)
        forget_old_files(engine, now - KEEP_RENDERED)
        stale = jobs.stale_jobs(engine, DOSSIER)
        # a PDF still missing a minute after its issue: its message was lost with the process that held
        # it (typesetting twice is harmless, the first stored wins)
        untypeset = issued_pdf.campaigns_pending(engine, now - dt.timedelta(minutes=1))
    except Exception:                               # noqa: BLE001 — e.g. the database is being upgraded
        log.exception("không kiểm tra được các việc bị bỏ dở")
        return []
    for job_id in stale:
        send(celery, "cchc.dossier", [job_id])
    for campaign_id in untypeset:
        send(celery, "cchc.issued_pdfs", [campaign_id])
    return stale


def stop_embedded_worker(worker) -> None:
    worker.cchc_stop_sweeping.set()
    worker.stop(in_sighandler=False)
