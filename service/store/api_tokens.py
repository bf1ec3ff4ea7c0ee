"""API tokens for machine clients: made by the account's own owner on the page (or by the server's
operator with ``cchc token create``, who holds the database anyway), shown once, kept as their SHA-256,
limited to reading or allowed to write, with an optional expiry, revoked at any time. A token acts as
its account — same province, role, unit and agency — and stops working when the account is locked,
its password is reset or it must change its initial password. No one makes a token for another
person: the Sở Nội vụ's admin who could would approve as the Director (review S2)."""
from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .models import ApiToken, AuditEntry, User
from .sessions import token_digest
from .users import _aware, _now, username_key

#: What the token may do: read (GET only) or write (every method of the API).
SCOPES = {"read": "chỉ đọc", "write": "đọc và ghi"}
PREFIX = "cchc_"
#: last_used_at is written at most this often.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    """A token as its list shows it (never the token itself)."""
    id: int
    prefix: str
    username: str
    full_name: str
    name: str
    scope: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, now: dt.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "đã thu hồi"
        if self.expires_at is not None and _aware(self.expires_at) <= _now(now):
            return "đã hết hạn"
        return "đang dùng"


class TokenUse(NamedTuple):
    """What a live token acts as: the account, its scope and how the history names it."""
    user: User
    scope: str
    label: str


def create_token(engine: Engine, username: str, *, scope: str = "read", expires: dt.datetime | None = None,
                 name: str = "", actor: str, organisation_id: str | None = None, operator: bool = False,
                 now: dt.datetime | None = None) -> tuple[int, str]:
    """(id, token) of a new token of ``username``; the token is returned once and never stored.
    ``actor`` must be that account itself unless ``operator`` (the server's shell). ValueError
    (Vietnamese) for an unknown or locked account, an account of another province (``organisation_id``
    given), someone else's account, an unknown scope or an expiry in the past."""
    if scope not in SCOPES:
        raise ValueError(f"phạm vi {scope!r} không có (dùng {', '.join(SCOPES)})")
    now = _now(now)
    if expires is not None and _aware(expires) <= now:
        raise ValueError("ngày hết hạn phải sau hôm nay")
    if expires is not None:             # stored in UTC: SQLite keeps no zone (walk U21: +07 read as UTC)
        expires = _aware(expires).astimezone(dt.timezone.utc)
    key = username_key(username)
    with Session(engine) as session, session.begin():
        user = session.scalar(select(User).where(User.username_key == key)) if key else None
        if user is None or (organisation_id is not None and user.organisation_id != organisation_id):
            raise ValueError(f"không có tài khoản {username!r}")
        if not user.active:
            raise ValueError(f"tài khoản {user.username!r} đang bị khóa")
        if user.role == "system":
            raise ValueError("tài khoản quản trị hệ thống không dùng mã truy cập API")
        if not operator and username_key(actor) != user.username_key:
            raise ValueError("mỗi người chỉ tạo mã truy cập cho chính tài khoản của mình: mã thay mặt người khác "
                             "sẽ cho phép duyệt, ký, gửi văn bản dưới tên người đó")
        if not operator and user.must_change_password:
            raise ValueError("tài khoản đang dùng mật khẩu ban đầu: đổi mật khẩu trước khi tạo mã truy cập")
        token = PREFIX + secrets.token_urlsafe(32)
        record = ApiToken(digest=token_digest(token), prefix=token[:12], user_id=user.id, name=(name or "").strip()[:200],
                          scope=scope, created_by=actor, created_at=now, expires_at=expires)
        session.add(record)
        session.flush()
        session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor, action="tao-ma-api",
                               target=f"user/{user.username}", new_value=json.dumps(f"{record.prefix}… ({SCOPES[scope]})", ensure_ascii=False)))
        return record.id, token


def token_user(engine: Engine, token: str, now: dt.datetime | None = None) -> TokenUse | None:
    """What a live token acts as; None for an unknown, revoked or expired token, a locked account or
    one that must change its (initial or reset) password first (review S9)."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    now = _now(now)
    with Session(engine, expire_on_commit=False) as session:
        record = session.scalar(select(ApiToken).where(ApiToken.digest == token_digest(token)))
        if record is None or record.revoked_at is not None or \
                (record.expires_at is not None and _aware(record.expires_at) <= now):
            return None
        user = session.get(User, record.user_id)
        if user is None or not user.active or user.must_change_password:
            return None
        use = TokenUse(user, record.scope, f"qua mã truy cập API {record.prefix}… do {record.created_by} tạo")
        if record.last_used_at is None or now - _aware(record.last_used_at) > TOUCH_EVERY:
            record.last_used_at = now
            session.commit()
        return use


def revoke_tokens_of(session: Session, user: User, actor: str, why: str, now: dt.datetime | None = None) -> int:
    """Revoke every live token of ``user`` inside the caller's transaction (a password reset, a
    lock): how many were revoked."""
    live = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    for record in live:
        record.revoked_at = _now(now)
        session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor, action="thu-hoi-ma-api",
                               target=f"user/{user.username}", old_value=json.dumps(f"{record.prefix}…", ensure_ascii=False),
                               new_value=json.dumps(why, ensure_ascii=False)))
    return len(live)


def tokens_of(engine: Engine, organisation_id: str | None, user_id: int | None = None) -> list[TokenInfo]:
    """Every token of a province's accounts (all provinces when None; one account's with
    ``user_id``), newest first."""
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    if user_id is not None:
        query = query.where(User.id == user_id)
    with Session(engine) as session:
        rows = session.execute(query.order_by(ApiToken.id.desc())).all()
        return [TokenInfo(t.id, t.prefix, u.username, u.full_name, t.name, t.scope, t.created_by, t.created_at,
                          t.expires_at, t.last_used_at, t.revoked_at) for t, u in rows]


def revoke_token(engine: Engine, token_id: int, actor: str, organisation_id: str | None = None,
                 now: dt.datetime | None = None, user_id: int | None = None) -> None:
    """Stop a token at once (kept in the list as revoked). LookupError for an unknown token, one of
    another province (``organisation_id`` given) or of another account (``user_id`` given)."""
    with Session(engine) as session, session.begin():
        record = session.get(ApiToken, token_id)
        user = session.get(User, record.user_id) if record is not None else None
        if record is None or user is None or (organisation_id is not None and user.organisation_id != organisation_id) \
                or (user_id is not None and user.id != user_id):
            raise LookupError(token_id)
        if record.revoked_at is None:
            record.revoked_at = _now(now)
            session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor, action="thu-hoi-ma-api",
                                   target=f"user/{user.username}", old_value=json.dumps(f"{record.prefix}…", ensure_ascii=False)))
