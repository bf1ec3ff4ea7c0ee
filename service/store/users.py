"""Accounts: passwords hashed with scrypt (werkzeug), roles of the workspace, each account in one
province (the system administrator in none). Log-in ignores the case of the name, takes the same
time whether the name exists or not, and makes a name wait after a few wrong passwords."""
from __future__ import annotations

import re

import datetime as dt
import json
import os
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .models import AuditEntry, LoginThrottle, User

ROLES = {"admin": "Sở Nội vụ, quản trị chiến dịch", "unit": "Đơn vị", "appraiser": "Cơ quan thẩm định",
         "secretariat": "Tổ Thư ký", "vanthu": "Văn thư", "leader": "Lãnh đạo",
         "system": "Quản trị hệ thống"}
MIN_PASSWORD = 8
#: How passwords are hashed: werkzeug's scrypt at its own default cost (N = 2¹⁵, r = 8, p = 1; about
#: 0,1 s a hash on a 2-core server), named here so that it is a decision and not a library's default.
PASSWORD_METHOD = "scrypt:32768:8:1"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


#: A hash checked when the name is unknown, so both answers take the same time (no user enumeration).
_DUMMY_HASH = hash_password("cchc-docs: không có tài khoản này")


def username_key(username: str) -> str | None:
    """The name as log-in compares it (NFC, trimmed, lower case); None when it cannot be a name
    (empty, too long, control characters such as NUL)."""
    key = unicodedata.normalize("NFC", username or "").strip().lower()
    if not key or len(key) > 64 or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in key):
        return None
    return key


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    if "\x00" in password:
        raise ValueError("mật khẩu chứa ký tự không hợp lệ")


#: An e-mail address for notifications: one '@', no spaces or control characters, at most 254 characters.
EMAIL = re.compile(r"[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f]{1,189}\.[^@\s\x00-\x1f.]{2,}")


def create_user(engine: Engine, username: str, password: str, full_name: str, role: str, *,
                organisation_id: str | None = None, campaign_id: str | None = None, unit_id: str | None = None,
                agency_id: str | None = None, must_change_password: bool = False, actor: str | None = None,
                email: str | None = None) -> int:
    """A new account; ValueError (Vietnamese) for a bad name, role, password or a name taken in any
    case. Accounts made with an initial password (``must_change_password``) change it at first log-in."""
    if role not in ROLES:
        raise ValueError(f"vai trò {role!r} không hợp lệ ({', '.join(ROLES)})")
    key = username_key(username)
    if key is None or not all(c.isalnum() or c in "-_." for c in key):
        raise ValueError("tên đăng nhập chỉ gồm chữ, số và '-', '_', '.' (tối đa 64 ký tự)")
    if role == "unit" and not unit_id:
        raise ValueError("tài khoản đơn vị cần mã đơn vị")
    if role == "appraiser" and not agency_id:
        raise ValueError("tài khoản cơ quan thẩm định cần mã cơ quan")
    if role != "system" and not organisation_id:
        raise ValueError("tài khoản phải thuộc một tỉnh")
    _check_password(password)
    if email is not None and not EMAIL.fullmatch(email):
        raise ValueError(f"địa chỉ thư {email!r} không hợp lệ (ví dụ: ten@ninhbinh.gov.vn)")
    with Session(engine) as session, session.begin():
        if session.scalar(select(User.id).where(User.username_key == key)) is not None:
            raise ValueError(f"tên đăng nhập {username.strip()!r} đã có")
        user = User(username=username.strip(), username_key=key, password_hash=hash_password(password),
                    full_name=full_name, role=role, organisation_id=None if role == "system" else organisation_id,
                    campaign_id=campaign_id, unit_id=unit_id, agency_id=agency_id,
                    must_change_password=must_change_password, active=True, email=email)
        session.add(user)
        session.flush()
        session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor or "he-thong", action="tao-tai-khoan",
                               target=f"user/{user.username}",
                               new_value=json.dumps({"vai_tro": ROLES[role], "ho_ten": full_name, "don_vi": unit_id,
                                                     "co_quan": agency_id}, ensure_ascii=False)))
        return user.id


@dataclass(frozen=True)
class LoginPolicy:
    """Failures a name may have before each attempt waits; the first wait, doubled after each
    further failure up to ``max_wait``. Configured by CCHC_LOGIN_FAILURES and CCHC_LOGIN_WAIT_SECONDS."""
    failures_before_wait: int = 5
    first_wait: dt.timedelta = dt.timedelta(seconds=30)
    max_wait: dt.timedelta = dt.timedelta(minutes=15)

    @classmethod
    def from_environment(cls) -> "LoginPolicy":
        return cls(int(os.environ.get("CCHC_LOGIN_FAILURES", 5)),
                   dt.timedelta(seconds=int(os.environ.get("CCHC_LOGIN_WAIT_SECONDS", 30))))

    def wait_after(self, failures: int) -> dt.timedelta | None:
        if failures < self.failures_before_wait:
            return None
        return min(self.first_wait * (2 ** (failures - self.failures_before_wait)), self.max_wait)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    #: When the name may try again (the attempt was not checked), else None.
    wait_until: dt.datetime | None = None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes for timezone columns; they were stored in UTC."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment is not None and moment.tzinfo is None else moment


def authenticate(engine: Engine, username: str, password: str, *, policy: LoginPolicy = LoginPolicy(),
                 now: dt.datetime | None = None) -> LoginResult:
    """The account when the name (any case) and password match and it is active. A name that failed
    too often waits (``wait_until``) without its password being checked; unknown names cost the same
    hash check as known ones and are throttled the same way."""
    now = _now(now)
    key = username_key(username)
    if key is None or "\x00" in (password or ""):
        check_password_hash(_DUMMY_HASH, "x")
        return LoginResult(None)
    with Session(engine, expire_on_commit=False) as session:
        throttle = session.get(LoginThrottle, key)
        locked_until = _aware(throttle.locked_until) if throttle else None
        if locked_until is not None and locked_until > now:
            return LoginResult(None, locked_until)
        user = session.scalar(select(User).where(User.username_key == key))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if ok and user is not None and user.active:
        with Session(engine) as session, session.begin():
            row = session.get(LoginThrottle, key)
            if row is not None:
                session.delete(row)
        return LoginResult(user)
    _record_failure(engine, key, policy, now)
    return LoginResult(None)


def _record_failure(engine: Engine, key: str, policy: LoginPolicy, now: dt.datetime) -> None:
    with Session(engine) as session, session.begin():
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)
        session.execute(insert.values(key=key, failures=0).on_conflict_do_nothing(index_elements=["key"]))
        row = session.get(LoginThrottle, key, with_for_update=True)
        row.failures += 1
        wait = policy.wait_after(row.failures)
        row.locked_until = now + wait if wait else None


def get_user(engine: Engine, user_id: int) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(User, user_id)


def users_of(engine: Engine, organisation_id: str | None) -> list[User]:
    """The accounts of a province (every account for None: the system administrator's view)."""
    query = select(User).order_by(User.role, User.username_key)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(query))


def change_password(engine: Engine, user_id: int, current: str, new: str, actor: str) -> None:
    """A user's own password change: the current one must match, the new one have 8+ characters
    and differ from it. Clears the 'change at first log-in' mark; the caller ends the sessions."""
    _check_password(new)
    if new == current:
        raise ValueError("mật khẩu mới phải khác mật khẩu hiện tại")
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        if user is None or not check_password_hash(user.password_hash, current):
            raise ValueError("mật khẩu hiện tại không đúng")
        user.password_hash = hash_password(new)
        user.must_change_password = False
        session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor, action="doi-mat-khau",
                               target=f"user/{user.username}"))


def reset_password(engine: Engine, user_id: int, new: str, actor: str) -> None:
    """The Sở Nội vụ (or the system administrator) sets an initial password; it must be changed at
    the next log-in, and the account's API tokens are revoked (whoever held the old password may have
    made them: review S9)."""
    from .api_tokens import revoke_tokens_of
    _check_password(new)
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        user.password_hash = hash_password(new)
        user.must_change_password = True
        revoke_tokens_of(session, user, actor, "đặt lại mật khẩu")
        session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor, action="dat-lai-mat-khau",
                               target=f"user/{user.username}"))


def set_active(engine: Engine, user_id: int, active: bool, actor: str) -> None:
    """Deactivate (never delete: the audit trail names the account) or reactivate an account."""
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        if user.active != active:
            user.active = active
            session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor,
                                   action="mo-tai-khoan" if active else "khoa-tai-khoan", target=f"user/{user.username}"))
