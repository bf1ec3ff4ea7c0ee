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
from .password_policy import password_problem

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
    """The floor every password meets, the generated and the demo ones included."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    if "\x00" in password:
        raise ValueError("mật khẩu chứa ký tự không hợp lệ")


def _check_chosen_password(password: str, user: User) -> None:
    """A password a person chooses: the policy of ``password_policy``."""
    problem = password_problem(password, username=user.username, role=user.role)
    if problem:
        raise ValueError(problem)


#: An e-mail address for notifications: a plain dot-atom mailbox, nothing RFC 5322 could read as a
#: group, a display name or a second address (review S16: 'g:x@evil.example;' was accepted).
EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                   r"@[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}")
#: A user name: ASCII letters, digits, '.', '_', '-' — so no look-alike letters of another script
#: pass for a colleague's name (review S15: a Cyrillic 'а' in 'lаnhdao').
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot name a new account (Vietnamese), or None."""
    key = username_key(username)
    if key is None or not USERNAME.fullmatch(key):
        return ("tên đăng nhập chỉ gồm chữ cái không dấu a–z, số và '-', '_', '.' (bắt đầu bằng chữ hoặc số, "
                "tối đa 64 ký tự)")
    return None


def email_problem(email: str | None) -> str | None:
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        return f"địa chỉ thư {email!r} không hợp lệ (ví dụ: ten@ninhbinh.gov.vn)"
    return None


@dataclass(frozen=True)
class NewAccount:
    """One account to make (``create_users``)."""
    username: str
    password: str
    full_name: str
    role: str
    organisation_id: str | None = None
    campaign_id: str | None = None
    unit_id: str | None = None
    agency_id: str | None = None
    must_change_password: bool = False
    email: str | None = None


def account_problem(account: NewAccount) -> str | None:
    """Why ``account`` cannot be made, before the database is asked (Vietnamese), or None."""
    if account.role not in ROLES:
        return f"vai trò {account.role!r} không hợp lệ ({', '.join(ROLES)})"
    problem = username_problem(account.username)
    if problem:
        return problem
    if account.role == "unit" and not account.unit_id:
        return "tài khoản đơn vị cần mã đơn vị"
    if account.role == "appraiser" and not account.agency_id:
        return "tài khoản cơ quan thẩm định cần mã cơ quan"
    if account.role != "system" and not account.organisation_id:
        return "tài khoản phải thuộc một tỉnh"
    try:
        _check_password(account.password)
    except ValueError as error:
        return str(error)
    return email_problem(account.email)


def create_user(engine: Engine, username: str, password: str, full_name: str, role: str, *,
                organisation_id: str | None = None, campaign_id: str | None = None, unit_id: str | None = None,
                agency_id: str | None = None, must_change_password: bool = False, actor: str | None = None,
                email: str | None = None) -> int:
    """A new account; ValueError (Vietnamese) for a bad name, role, password or a name taken in any
    case. Accounts made with an initial password (``must_change_password``) change it at first log-in."""
    return create_users(engine, [NewAccount(username, password, full_name, role, organisation_id, campaign_id, unit_id,
                                            agency_id, must_change_password, email)], actor)[0]


def create_users(engine: Engine, accounts: list[NewAccount], actor: str | None = None) -> list[int]:
    """Several accounts, all or none (one transaction; review S10: an import stopped halfway and left
    accounts whose initial password nobody saw). ValueError (Vietnamese) naming the first bad one."""
    for account in accounts:
        problem = account_problem(account)
        if problem:
            raise ValueError(problem if len(accounts) == 1 else f"{account.username!r}: {problem}")
    hashes = [hash_password(account.password) for account in accounts]     # slow: outside the transaction
    ids = []
    with Session(engine) as session, session.begin():
        for account, password_hash in zip(accounts, hashes):
            key = username_key(account.username)
            if session.scalar(select(User.id).where(User.username_key == key)) is not None:
                raise ValueError(f"tên đăng nhập {account.username.strip()!r} đã có")
            user = User(username=account.username.strip(), username_key=key, password_hash=password_hash,
                        full_name=account.full_name, role=account.role,
                        organisation_id=None if account.role == "system" else account.organisation_id,
                        campaign_id=account.campaign_id, unit_id=account.unit_id, agency_id=account.agency_id,
                        must_change_password=account.must_change_password, active=True, email=account.email)
            session.add(user)
            session.flush()
            session.add(AuditEntry(organisation_id=user.organisation_id, actor=actor or "he-thong", action="tao-tai-khoan",
                                   target=f"user/{user.username}",
                                   new_value=json.dumps({"vai_tro": ROLES[account.role], "ho_ten": account.full_name,
                                                         "don_vi": account.unit_id, "co_quan": account.agency_id},
                                                        ensure_ascii=False)))
            ids.append(user.id)
    return ids


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
                 known_device: bool = False, now: dt.datetime | None = None) -> LoginResult:
    """The account when the name (any case) and password match and it is active. A name that failed
    too often waits (``wait_until``) without its password being checked — except from a device where
    this name logged in before (``known_device``), so nobody keeps the owner out by failing on purpose
    (review S8). Each attempt is counted, under the name's row lock, *before* its password is checked,
    so parallel guesses cannot slip between the check and the count (S18); a success clears the count.
    Unknown names cost the same hash check as known ones and are throttled the same way."""
    now = _now(now)
    key = username_key(username)
    if key is None or "\x00" in (password or ""):
        check_password_hash(_DUMMY_HASH, "x")
        return LoginResult(None)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)
        session.execute(insert.values(key=key, failures=0).on_conflict_do_nothing(index_elements=["key"]))
        row = session.get(LoginThrottle, key, with_for_update=True)
        locked_until = _aware(row.locked_until)
        if locked_until is not None and locked_until > now and not known_device:
            return LoginResult(None, locked_until)
        row.failures += 1                                  # counted now; a success below clears it
        wait = policy.wait_after(row.failures)
        if not known_device:
            row.locked_until = now + wait if wait else None
        user = session.scalar(select(User).where(User.username_key == key))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if ok and user is not None and user.active:
        with Session(engine) as session, session.begin():
            row = session.get(LoginThrottle, key)
            if row is not None:
                session.delete(row)
        return LoginResult(user)
    return LoginResult(None)


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
    """A user's own password change: the current one must match, the new one meet the policy
    (``password_policy``: length by role, not common, not the name …) and differ from it. Clears the 'change at first log-in' mark; the caller ends the sessions."""
    _check_password(new)
    if new == current:
        raise ValueError("mật khẩu mới phải khác mật khẩu hiện tại")
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        if user is None or not check_password_hash(user.password_hash, current):
            raise ValueError("mật khẩu hiện tại không đúng")
        _check_chosen_password(new, user)
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
