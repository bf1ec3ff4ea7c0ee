"""Files a form accepted while the form as a whole was refused (a bad date elsewhere, a score above
the maximum): held for the same person's retry of the same unit's form, so correcting one box never
means choosing the accepted files again. They join the unit's store only with the edit that cites
them (``release`` runs in that edit's transaction) and are dropped after ``HOLD_FOR``."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from .evidence import Upload, unit_quota
from .models import HeldUpload

HOLD_FOR = dt.timedelta(days=1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def hold(engine: Engine, campaign_id: str, unit_id: str, actor: str, uploads: list[Upload]) -> list[str]:
    """Keep ``uploads`` for ``actor``'s retry, within the unit's quota; returns the digests held."""
    kept = []
    with Session(engine) as session, session.begin():
        _expire(session)
        mine = (HeldUpload.campaign_id == campaign_id, HeldUpload.unit_id == unit_id, HeldUpload.held_by == actor)
        have = set(session.scalars(select(HeldUpload.sha256).where(*mine)))
        used = session.scalar(select(func.coalesce(func.sum(func.length(HeldUpload.data)), 0)).where(*mine))
        for upload in uploads:
            if upload.sha256 in have:
                kept.append(upload.sha256)
                continue
            if used + len(upload.data) > unit_quota():
                continue                    # not held: the page asks for this file again
            used += len(upload.data)
            have.add(upload.sha256)
            session.add(HeldUpload(campaign_id=campaign_id, unit_id=unit_id, held_by=actor, sha256=upload.sha256,
                                   filename=upload.filename, content_type=upload.content_type, data=upload.data,
                                   held_at=_now()))
            kept.append(upload.sha256)
    return kept


def held(engine: Engine, campaign_id: str, unit_id: str, actor: str) -> list[Upload]:
    """The files held for ``actor``'s retry of this unit's form (those younger than ``HOLD_FOR``)."""
    with Session(engine) as session:
        rows = session.scalars(select(HeldUpload).where(
            HeldUpload.campaign_id == campaign_id, HeldUpload.unit_id == unit_id, HeldUpload.held_by == actor,
            HeldUpload.held_at > _now() - HOLD_FOR).order_by(HeldUpload.id)).all()
        return [Upload(row.filename, row.content_type, row.data) for row in rows]


def release(session: Session, campaign_id: str, unit_id: str, actor: str) -> None:
    """Inside the edit that stored (or no longer cites) them: the held files are done with."""
    session.execute(delete(HeldUpload).where(HeldUpload.campaign_id == campaign_id, HeldUpload.unit_id == unit_id,
                                             HeldUpload.held_by == actor))


def _expire(session: Session) -> None:
    session.execute(delete(HeldUpload).where(HeldUpload.held_at <= _now() - HOLD_FOR))
