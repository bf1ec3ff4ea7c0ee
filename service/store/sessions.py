"""Server-side session records: the cookie carries a random token; the database keeps its SHA-256,
when it started, when it was last used and whether it ended. A session ends on log-out, on a password
change (every device), after an idle period and after a maximum age."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from .db import reader
from .models import User, UserSession
from .users import _aware

#: last_seen is written at most this often (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(hours=2)
    maximum: dt.timedelta = dt.timedelta(hours=12)

    @classmethod
    def from_environment(cls) -> "SessionPolicy":
        return cls(dt.timedelta(minutes=int(os.environ.get("CCHC_SESSION_IDLE_MINUTES", 120))),
                   dt.timedelta(hours=int(os.environ.get("CCHC_SESSION_MAX_HOURS", 12))))


def token_digest(token: str) -> str:
    """What is stored of a secret token (a session's, an API token): its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_session(engine: Engine, user_id: int, address: str = "", now: dt.datetime | None = None) -> str:
    """A new session for the user; returns the token the cookie keeps (never stored in clear)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    token = secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        session.add(UserSession(id=token_digest(token), user_id=user_id, created_at=now, last_seen=now,
                                address=(address or "")[:64]))
    return token


def session_user(engine: Engine, token: str, policy: SessionPolicy = SessionPolicy(),
                 now: dt.datetime | None = None) -> User | None:
    """The active account of a live session, else None (ended, idle too long, too old, unknown, or
    the account deactivated)."""
    if not token or len(token) > 100:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    with reader(engine) as session:            # one statement: every request of the workspace asks this
        found = session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                                .where(UserSession.id == token_digest(token))).first()
    if found is None:
        return None
    record, user = found
    if record.ended_at is not None or not user.active:
        return None
    last_seen, created = _aware(record.last_seen), _aware(record.created_at)
    if now - last_seen > policy.idle or now - created > policy.maximum:
        return None
    if now - last_seen > TOUCH_EVERY:
        with Session(engine) as session, session.begin():
            session.execute(update(UserSession).where(UserSession.id == record.id).values(last_seen=now))
    return user


def end_session(engine: Engine, token: str, now: dt.datetime | None = None) -> None:
    with Session(engine) as session, session.begin():
        session.execute(update(UserSession).where(UserSession.id == token_digest(token), UserSession.ended_at.is_(None))
                        .values(ended_at=now or dt.datetime.now(dt.timezone.utc)))


def end_all_sessions(engine: Engine, user_id: int, now: dt.datetime | None = None) -> int:
    """End every session of an account (password changed, reset or account deactivated)."""
    with Session(engine) as session, session.begin():
        result = session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                                 .values(ended_at=now or dt.datetime.now(dt.timezone.utc)))
        return result.rowcount
