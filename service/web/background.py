"""The workspace's side of the job queue: after an edit is stored, its drafts are rendered in the
background once the unit has been quiet for a while (``jobs.debounce``: a rush of saves sends
nothing), so that the first view of a PDF is read, not rendered; what was just issued gets its PDF;
and the Celery app of the workspace's database, whose embedded worker runs in this process unless
workers run apart (``cchc worker``, on Redis)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, current_app

from service.jobs.debounce import Debouncer
from service.jobs.prerender import edit_key
from service.jobs.queue import PRERENDER_DELAY, SURVEY_CARRY_DELAY, make_queue, queue_url, send

log = logging.getLogger(__name__)


def init_app(app: Flask, database_url: str) -> None:
    """Make the queue; start the embedded worker (``CCHC_EMBEDDED_WORKERS`` threads; none by default
    under test, where the tests that need one start it, nor on Redis, where ``cchc worker`` runs)."""
    celery = make_queue(database_url)
    app.extensions["cchc_queue"] = celery
    app.extensions["cchc_debouncer"] = Debouncer(PRERENDER_DELAY, lambda args: send(celery, "cchc.prerender", args))
    app.extensions["cchc_survey_debouncer"] = Debouncer(SURVEY_CARRY_DELAY, lambda args: send(celery, "cchc.survey_tallies", args),
                                                        throttle=True)
    default = "0" if (app.testing or queue_url()) else "1"
    threads = int(app.config.get("CCHC_EMBEDDED_WORKERS", os.environ.get("CCHC_EMBEDDED_WORKERS", default)))
    if threads > 0 and not queue_url():
        from service.jobs.embedded import start_embedded_worker
        app.extensions["cchc_worker"] = start_embedded_worker(celery, threads)


def queue():
    return current_app.extensions["cchc_queue"]


def after_issue(campaign_id: str) -> None:
    """Typeset, now, the PDFs of what was just issued (a reader that comes first typesets it itself)."""
    try:
        send(queue(), "cchc.issued_pdfs", [campaign_id])
    except Exception:                                  # noqa: BLE001 — the issue is stored; the PDF can wait
        log.exception("không xếp được việc tạo PDF bản ban hành của %s", campaign_id)


def warm_drafts(app: Flask) -> int:
    """At the workspace's start, queue the rendering of every campaign's documents as they stand (walk
    U32: the first reader of a Báo cáo kết quả waited 3 s for its PDF). Tasks whose drafts are already in
    the content-hash cache cost a lookup each. The number of campaigns queued."""
    from service.store.campaigns import list_campaigns
    if os.environ.get("CCHC_WARM_AT_START", "1") == "0":      # benchmarks that measure cold typesetting
        return 0
    engine = app.extensions["cchc_engine"]
    sent = 0
    for campaign_id, _, _ in list_campaigns(engine):
        try:
            key = edit_key(engine, campaign_id, None)
        except KeyError:                               # removed meanwhile
            continue
        sent += send(app.extensions["cchc_queue"], "cchc.prerender", [campaign_id, None, key])
    return sent


def first_worker_of_its_server(app: Flask) -> bool:
    """Whether this process is the first of its server's workers to start: gunicorn forks several from
    one parent, and each imports the WSGI module, but the start-up rendering needs queuing once. The
    first creates ``warm-<parent pid>.start`` in the instance folder (and removes older servers' marks);
    the others find it. A folder that cannot be written answers yes: queuing twice only costs lookups."""
    folder = Path(app.instance_path)
    mark = folder / f"warm-{os.getppid()}.start"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError:
        return True
    for old in folder.glob("warm-*.start"):
        if old != mark:
            old.unlink(missing_ok=True)
    return True


def after_edit(campaign_id: str, unit_id: str | None = None) -> None:
    """Render the drafts an edit of ``unit_id`` (None: the campaign's core) changed, once that unit has
    had no edit for ``PRERENDER_DELAY`` seconds in this process."""
    if not current_app.config.get("CCHC_BACKGROUND_RENDERING", True):
        return
    try:
        key = edit_key(current_app.extensions["cchc_engine"], campaign_id, unit_id)
        current_app.extensions["cchc_debouncer"].submit((campaign_id, unit_id), [campaign_id, unit_id, key])
    except Exception:                                  # noqa: BLE001 — the edit is stored; rendering can wait
        log.exception("không xếp được việc vẽ lại văn bản sau khi sửa %s", campaign_id)


def after_survey_form(campaign_id: str) -> None:
    """Carry the collected survey forms into the units' tallies (so the index follows) at most every
    ``SURVEY_CARRY_DELAY`` seconds while forms come in."""
    if not current_app.config.get("CCHC_BACKGROUND_RENDERING", True):
        return
    try:
        current_app.extensions["cchc_survey_debouncer"].submit(("khao-sat", campaign_id), [campaign_id])
    except Exception:                                  # noqa: BLE001 — the form is stored; the tally can wait
        log.exception("không xếp được việc cập nhật kết quả khảo sát của %s", campaign_id)
