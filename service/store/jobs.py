"""Jobs people wait for (the whole dossier): created by the request, run by a queue worker, which
reports its progress and a heartbeat; a job whose worker died is taken up again (by the queue's late
acknowledgement on Redis, by ``stale_jobs`` in the embedded queue) and starts over, since what it
renders is kept by content hash and is not rendered twice."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from .models import JobRecord
from .users import _aware, _now

#: The states as people read them.
STATES = {"cho": "đang chờ", "dang-chay": "đang chạy", "xong": "xong", "loi": "lỗi"}
#: A running job writes its heartbeat this often (``CCHC_JOB_HEARTBEAT`` seconds, 5 by default) ...
HEARTBEAT_EVERY = float(os.environ.get("CCHC_JOB_HEARTBEAT") or 5)
#: ... and one with no heartbeat for four beats has lost its worker.
STALE_AFTER = dt.timedelta(seconds=4 * HEARTBEAT_EVERY)
#: A job still waiting this long after it was asked for lost its message (the embedded queue's process
#: died, or the broker was down when it was sent): ``CCHC_JOB_LOST_SECONDS``, 300 by default.
LOST_AFTER = dt.timedelta(seconds=float(os.environ.get("CCHC_JOB_LOST_SECONDS") or 300))


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    organisation_id: str
    campaign_id: str
    requested_by: str
    state: str
    done: int
    total: int
    attempts: int
    message: str | None
    result_size: int | None
    result_sha256: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def percent(self) -> int:
        if self.state == "xong":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in ("xong", "loi")


def _job(row: JobRecord) -> Job:
    return Job(row.id, row.kind, row.organisation_id, row.campaign_id, row.requested_by, row.state, row.done,
               row.total, row.attempts, row.message, len(row.result) if row.result is not None else None,
               row.result_sha256, _aware(row.created_at), _aware(row.finished_at))


def create_job(engine: Engine, kind: str, organisation_id: str, campaign_id: str, requested_by: str) -> int:
    with Session(engine) as session, session.begin():
        row = JobRecord(kind=kind, organisation_id=organisation_id, campaign_id=campaign_id,
                        requested_by=requested_by, state="cho", done=0, total=0, attempts=0)
        session.add(row)
        session.flush()
        return row.id


def job(engine: Engine, job_id: int) -> Job | None:
    with Session(engine) as session:
        row = session.get(JobRecord, job_id)
        return _job(row) if row is not None else None


def jobs_of(engine: Engine, campaign_id: str, kind: str, count: int = 10) -> list[Job]:
    """The campaign's latest jobs of ``kind``, newest first (without their results)."""
    with Session(engine) as session:
        rows = session.scalars(select(JobRecord).where(JobRecord.campaign_id == campaign_id, JobRecord.kind == kind)
                               .order_by(JobRecord.id.desc()).limit(count))
        return [_job(row) for row in rows]


def unfinished_job(engine: Engine, campaign_id: str, kind: str) -> Job | None:
    """The job of ``kind`` still waiting or running for the campaign (one at a time is enough)."""
    with Session(engine) as session:
        row = session.scalars(select(JobRecord).where(JobRecord.campaign_id == campaign_id, JobRecord.kind == kind,
                                                      JobRecord.state.in_(("cho", "dang-chay")))
                              .order_by(JobRecord.id.desc()).limit(1)).first()
        return _job(row) if row is not None else None


def start_job(engine: Engine, job_id: int) -> bool:
    """Mark the job running (again, after a lost worker); False when it is already finished (a
    redelivered message of a job that completed: nothing to do) or running with a live heartbeat (a
    message sent twice — by the sweeper, by a second request — while its first delivery works)."""
    with Session(engine) as session, session.begin():
        row = session.get(JobRecord, job_id, with_for_update=True)
        if row is None or row.state in ("xong", "loi"):
            return False
        if row.state == "dang-chay" and _aware(row.heartbeat_at or row.created_at) >= _now(None) - STALE_AFTER:
            return False
        row.state, row.done = "dang-chay", 0
        row.attempts += 1
        row.heartbeat_at = _now(None)
        return True


def report_progress(engine: Engine, job_id: int, done: int, total: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == "dang-chay")
                        .values(done=done, total=total, heartbeat_at=_now(None)))


def beat(engine: Engine, job_id: int) -> None:
    """The worker is still on the job (written every few seconds while it runs)."""
    with Session(engine) as session, session.begin():
        session.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.state == "dang-chay")
                        .values(heartbeat_at=_now(None)))


def is_stale(engine: Engine, job_id: int, now: dt.datetime | None = None) -> bool:
    """Whether the running job's worker has been silent for STALE_AFTER (it was killed)."""
    with Session(engine) as session:
        moment = session.scalar(select(JobRecord.heartbeat_at).where(JobRecord.id == job_id))
    return moment is None or _aware(moment) < _now(now) - STALE_AFTER


def finish_job(engine: Engine, job_id: int, result: bytes, message: str | None = None) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(
            state="xong", result=result, result_sha256=hashlib.sha256(result).hexdigest(), message=message,
            finished_at=_now(None), heartbeat_at=_now(None), done=JobRecord.total))


def fail_job(engine: Engine, job_id: int, message: str) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(
            state="loi", message=message, finished_at=_now(None)))


def job_result(engine: Engine, job_id: int) -> bytes | None:
    with Session(engine) as session:
        return session.scalar(select(JobRecord.result).where(JobRecord.id == job_id))


def stale_jobs(engine: Engine, kind: str, now: dt.datetime | None = None) -> list[int]:
    """Jobs that were waiting or running and whose worker has not been heard of for STALE_AFTER
    (its process was killed): the embedded queue sends them again."""
    moment = _now(now)
    with Session(engine) as session:
        rows = session.execute(select(JobRecord.id, JobRecord.state, JobRecord.heartbeat_at, JobRecord.created_at)
                               .where(JobRecord.kind == kind, JobRecord.state.in_(("cho", "dang-chay"))))
        return [row.id for row in rows
                if (row.state == "dang-chay" and _aware(row.heartbeat_at or row.created_at) < moment - STALE_AFTER)
                or (row.state == "cho" and _aware(row.created_at) < moment - LOST_AFTER)]
