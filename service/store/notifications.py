"""Notifications: stored for the workspace, and sent by e-mail when the province configures SMTP
(``CCHC_SMTP_HOST``, ``CCHC_SMTP_PORT`` default 25, ``CCHC_SMTP_FROM``; off when the host is unset).
A mail that cannot be sent is logged and never undoes the action that caused it."""
from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
from email.message import EmailMessage

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from .db import reader
from .models import Notification, User

LOG = logging.getLogger(__name__)
#: Unread notifications shown at once in the workspace.
SHOWN = 100


def recipients(session: Session, organisation_id: str | None, *, roles: tuple[str, ...] = (),
               unit_id: str | None = None, agencies: set[str] | None = None) -> list[User]:
    """The active accounts of a province with one of ``roles``, of one unit, or of the appraising
    ``agencies``."""
    query = select(User).where(User.organisation_id == organisation_id, User.active.is_(True))
    if unit_id is not None:
        query = query.where(User.role == "unit", User.unit_id == unit_id)
    elif agencies is not None:
        query = query.where(User.role == "appraiser", User.agency_id.in_(sorted(agencies)))
    else:
        query = query.where(User.role.in_(roles))
    return list(session.scalars(query.order_by(User.id)))


def notify(session: Session, users: list[User], text: str, link: str | None = None,
           campaign_id: str | None = None) -> list[tuple[str, str]]:
    """Store a notification for each of ``users`` (inside the caller's transaction); returns the
    (address, text) mails to send once that transaction has committed."""
    for user in users:
        session.add(Notification(organisation_id=user.organisation_id, username=user.username, campaign_id=campaign_id,
                                 text=text, link=link))
    return [(user.email, text) for user in users if user.email]


def send_mails(mails: list[tuple[str, str]], subject: str = "CCHC Docs: thông báo") -> int:
    """Send the mails through the configured SMTP server; the number sent (0 when SMTP is off)."""
    host = os.environ.get("CCHC_SMTP_HOST")
    if not host or not mails:
        return 0
    sent = 0
    try:
        with smtplib.SMTP(host, int(os.environ.get("CCHC_SMTP_PORT", "25")), timeout=10) as smtp:
            for address, text in mails:
                message = EmailMessage()
                message["From"] = os.environ.get("CCHC_SMTP_FROM", "cchc-docs@localhost")
                message["To"] = address
                message["Subject"] = subject
                message.set_content(text + "\n\n— CCHC Docs (thư tự động, không trả lời thư này)")
                smtp.send_message(message)
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        LOG.warning("không gửi được thư thông báo: %s", error)
    return sent


def unread(engine: Engine, username: str) -> list[Notification]:
    with reader(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.username == username,
                                                               Notification.read_at.is_(None))
                                    .order_by(Notification.id.desc()).limit(SHOWN)))


def recent(engine: Engine, username: str, limit: int = SHOWN) -> list[Notification]:
    with reader(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.username == username)
                                    .order_by(Notification.id.desc()).limit(limit)))


def mark_read(engine: Engine, username: str) -> None:
    """Every notification of ``username`` read now (when they open the list)."""
    with Session(engine) as session, session.begin():
        session.execute(update(Notification).where(Notification.username == username, Notification.read_at.is_(None))
                        .values(read_at=dt.datetime.now(dt.timezone.utc)))


def remind_deadlines(engine: Engine, today: dt.date, days: int = 3) -> int:
    """Tell every unit account whose step closes within ``days`` days, once a day at most (the same
    reminder is not stored twice on one day); e-mail those with an address. Returns how many were told."""
    from service.domain.status import NOT_SUBMITTED, due_soon
    from .campaigns import list_campaigns, load_stored_campaign
    from .models import CampaignRecord
    mails, told = [], 0
    campaigns = [load_stored_campaign(engine, campaign_id) for campaign_id, _, _ in list_campaigns(engine)]
    with Session(engine) as session, session.begin():          # read first: SQLite writes lock at BEGIN
        for campaign in campaigns:
            campaign_id = campaign.id
            organisation = session.get(CampaignRecord, campaign_id).organisation_id
            for unit_id, step, deadline in due_soon(campaign, today, days):
                what = "gửi Báo cáo tự đánh giá" if step == NOT_SUBMITTED else "gửi Báo cáo giải trình"
                text = f"Nhắc hạn: {campaign.name} — còn {(deadline - today).days} ngày để {what} (hạn {deadline:%d/%m/%Y})."
                page = "tu-danh-gia" if step == NOT_SUBMITTED else "giai-trinh"
                users = [u for u in recipients(session, organisation, unit_id=unit_id)
                         if session.scalar(select(Notification.id).where(
                             Notification.username == u.username, Notification.text == text)) is None]
                mails += notify(session, users, text, f"/chien-dich/{campaign_id}/don-vi/{unit_id}/{page}", campaign_id)
                told += len(users)
    send_mails(mails, "CCHC Docs: nhắc hạn")
    return told
