"""The statuses e-offices send back about our issued documents: matched to the issued version by the
document's identity on the axis (sender's code, date, số và ký hiệu), recorded once each."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import reader
from .models import DocumentVersion, EdocStatus


def record_status(engine: Engine, organisation_id: str, version_id: int, status, actor: str) -> bool:
    """Store one status (False when the same status was recorded before)."""
    with Session(engine) as session:
        try:
            with session.begin():
                session.add(EdocStatus(organisation_id=organisation_id, version_id=version_id,
                                       from_code=status.sender.code, from_name=status.sender.name,
                                       status_code=status.code, description=status.description, staff=status.staff,
                                       said_at=status.at.astimezone(dt.timezone.utc), recorded_by=actor))
        except IntegrityError:
            return False
    return True


def statuses_of(engine: Engine, version_id: int) -> list[EdocStatus]:
    with reader(engine) as session:
        return list(session.scalars(select(EdocStatus).where(EdocStatus.version_id == version_id)
                                    .order_by(EdocStatus.said_at, EdocStatus.id)))


def version_by_number(engine: Engine, organisation_id: str, number_line: str, issued_on) -> DocumentVersion | None:
    """The province's issued version with this số và ký hiệu and date."""
    from .models import CampaignRecord
    with reader(engine) as session:
        campaigns = select(CampaignRecord.id).where(CampaignRecord.organisation_id == organisation_id)
        return session.scalar(select(DocumentVersion).where(
            DocumentVersion.campaign_id.in_(campaigns), DocumentVersion.number_line == number_line,
            DocumentVersion.issued_on == issued_on).order_by(DocumentVersion.id.desc()))
