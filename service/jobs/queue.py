"""The job queue: Celery, embedded by default, on Redis across machines when configured.

- **Embedded** (no ``CCHC_QUEUE_URL``): the broker is the service's own database (kombu's SQLAlchemy
  transport), and a Celery worker runs as threads inside each web process (``CCHC_EMBEDDED_WORKERS``,
  default 1): the README's first command needs nothing but SQLite. A job someone waits for keeps its
  state in the ``jobs`` table; one whose process died is sent again (``embedded.sweep``).
- **Redis** (``CCHC_QUEUE_URL=redis://…``): workers are ``cchc worker`` processes on any machine. A
  message is acknowledged only when its task ends (late acknowledgement), so the message of a worker
  killed mid-job is delivered again after the visibility timeout (``CCHC_QUEUE_VISIBILITY`` seconds).

Tasks are idempotent: what they render is kept by content hash, and a finished job is not run again.
"""
from __future__ import annotations

import functools
import logging
import os

from celery import Celery
from sqlalchemy import Engine

log = logging.getLogger(__name__)
#: Seconds a unit must be quiet (no edit in this process) before its drafts' rendering is sent to the
#: queue (``debounce``): saving in a rush sends and renders nothing.
PRERENDER_DELAY = float(os.environ.get("CCHC_PRERENDER_DELAY", "20"))
#: Collected survey forms reach the units' tallies this long after the first of a stream (throttled).
SURVEY_CARRY_DELAY = float(os.environ.get("CCHC_SURVEY_CARRY_DELAY", "30"))


def queue_url() -> str:
    return os.environ.get("CCHC_QUEUE_URL", "").strip()


def make_queue(database_url: str) -> Celery:
    """The Celery app of one database, with the tasks registered."""
    from .tasks import register
    celery = Celery("cchc")
    celery.conf.update(
        task_ignore_result=True, task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1, broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
        task_default_queue="cchc", task_serializer="json", accept_content=["json"], result_serializer="json",
        worker_send_task_events=False, task_send_sent_event=False,
    )
    url = queue_url()
    if url:
        from .redis_transport import install
        install()                                          # one unreadable message does not stop a worker
        visibility = int(os.environ.get("CCHC_QUEUE_VISIBILITY", "60"))
        celery.conf.update(broker_url=url, broker_transport_options={
            "visibility_timeout": visibility,              # a killed worker's message comes back after this
            "unacked_restore_interval": max(1, visibility // 5), "unacked_restore_throttle": 1})
    else:
        options = {"connect_args": {"timeout": 30}} if database_url.startswith("sqlite") else {"pool_pre_ping": True}
        celery.conf.update(broker_url="sqla+" + database_url, broker_transport_options=options)
    celery.conf.update(cchc_database_url=database_url, cchc_embedded=not url)
    register(celery)
    return celery


@functools.cache
def engine_for(database_url: str) -> Engine:
    """One engine per database in a worker process."""
    from service.store.db import make_engine
    return make_engine(database_url)


def send(celery: Celery, task: str, args: list, countdown: float | None = None) -> bool:
    """Queue ``task``; False (logged) when the broker cannot be reached — what the caller stored stays
    stored, and what the task would have rendered is rendered on the first request instead."""
    try:
        celery.tasks[task].apply_async(args=args, countdown=countdown)
        return True
    except Exception:                                  # noqa: BLE001 — a broker outage must not fail a save
        log.exception("không gửi được việc %s vào hàng đợi", task)
        return False
