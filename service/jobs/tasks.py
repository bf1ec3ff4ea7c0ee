"""The queue's tasks, registered on each Celery app (``queue.make_queue``); each opens the database the
app was made for. A task that fails for good leaves the job with a Vietnamese message, never a
half-written file."""
from __future__ import annotations

import logging
import threading

from celery import Celery

from service.store import jobs
from service.store.issued_pdf import typeset_pending
from service.vietnamese.dates import VIETNAM

from .dossier import build_dossier
from .prerender import prerender

log = logging.getLogger(__name__)
#: A running job writes its heartbeat this often; one silent for ``jobs.STALE_AFTER`` lost its worker.
HEARTBEAT_EVERY = jobs.HEARTBEAT_EVERY
DOSSIER = "ho-so-tong-hop"


def register(celery: Celery) -> None:
    """Register the tasks on ``celery``. The functions are module-level and bound (``self.app``): the
    same function registered on many apps (one per database; the tests make many) is one task each,
    reaching its own app's database."""
    celery.task(name="cchc.prerender", bind=True, ignore_result=True)(prerender_task)
    celery.task(name="cchc.dossier", bind=True, ignore_result=True, max_retries=None)(dossier_task)
    celery.task(name="cchc.issued_pdfs", bind=True, ignore_result=True)(issued_pdfs_task)
    celery.task(name="cchc.survey_tallies", bind=True, ignore_result=True)(survey_tallies_task)


def _engine(task):
    from .queue import engine_for
    return engine_for(task.app.conf.cchc_database_url)


#: Who the audit trail names for tallies carried by the queue.
SURVEY_ACTOR = "he-thong-khao-sat"


def survey_tallies_task(self, campaign_id: str) -> None:
    """The survey forms collected so far into the units' tallies (``editing.survey_carry``)."""
    from service.editing.survey_carry import carry_tallies
    carried = carry_tallies(_engine(self), campaign_id, SURVEY_ACTOR)
    if carried.problems:
        import logging
        logging.getLogger(__name__).warning("khảo sát %s: %s", campaign_id, "; ".join(carried.problems))


def prerender_task(self, campaign_id: str, unit_id: str | None, seen_key: str, kinds: list[str] | None = None) -> None:
    prerender(_engine(self), campaign_id, unit_id, seen_key, kinds=kinds)


def issued_pdfs_task(self, campaign_id: str) -> None:
    """Typeset the PDFs of the campaign's versions issued without one yet (``store.issued_pdf``)."""
    typeset_pending(_engine(self), campaign_id)


def dossier_task(self, job_id: int) -> None:
    wait = run_dossier(_engine(self), job_id)
    if wait:                                   # another worker is on it and alive: look again later
        raise self.retry(countdown=wait)


def run_dossier(engine, job_id: int) -> float | None:
    """Make the job's dossier; seconds to wait before looking again when another live worker has it
    (a message delivered again while its first worker still runs), else None."""
    job = jobs.job(engine, job_id)
    if job is None or job.finished:
        return None
    if job.state == "dang-chay" and not jobs.is_stale(engine, job_id):
        return HEARTBEAT_EVERY * 2
    if not jobs.start_job(engine, job_id):
        return None
    beating = threading.Event()

    def heartbeat():
        while not beating.wait(HEARTBEAT_EVERY):
            jobs.beat(engine, job_id)
    threading.Thread(target=heartbeat, daemon=True, name=f"cchc-heartbeat-{job_id}").start()
    try:
        data = build_dossier(engine, job.campaign_id, job.created_at.astimezone(VIETNAM),
                             lambda done, total: jobs.report_progress(engine, job_id, done, total))
    except Exception as error:                   # noqa: BLE001 — the job says what went wrong
        log.exception("hồ sơ tổng hợp %s lỗi", job_id)
        jobs.fail_job(engine, job_id, f"Không tạo được hồ sơ: {error}")
        return None
    finally:
        beating.set()
    jobs.finish_job(engine, job_id, data)
    return None

