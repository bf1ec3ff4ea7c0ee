"""Users: passwords hashed with scrypt (werkzeug), roles of the workspace."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .models import User

ROLES = {"admin": "Quản trị", "unit": "Đơn vị", "appraiser": "Cơ quan thẩm định",
         "secretariat": "Tổ Thư ký", "vanthu": "Văn thư", "leader": "Lãnh đạo"}


def create_user(engine: Engine, username: str, password: str, full_name: str, role: str, *,
                campaign_id: str | None = None, unit_id: str | None = None, agency_id: str | None = None) -> int:
    if role not in ROLES:
        raise ValueError(f"vai trò {role!r} không hợp lệ ({', '.join(ROLES)})")
    if role == "unit" and not unit_id:
        raise ValueError("tài khoản đơn vị cần mã đơn vị")
    if len(password) < 8:
        raise ValueError("mật khẩu phải có ít nhất 8 ký tự")
    with Session(engine) as session, session.begin():
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise ValueError(f"tên đăng nhập {username!r} đã có")
        user = User(username=username, password_hash=generate_password_hash(password), full_name=full_name, role=role,
                    campaign_id=campaign_id, unit_id=unit_id, agency_id=agency_id)
        session.add(user)
        session.flush()
        return user.id


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        user = session.scalar(select(User).where(User.username == username))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user


def get_user(engine: Engine, user_id: int) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(User, user_id)


def change_password(engine: Engine, user_id: int, current: str, new: str, actor: str) -> None:
    """A user's own password change: the current one must match, the new one have 8+ characters
    and differ from it (initial passwords from a bulk import are meant to be changed)."""
    from .models import AuditEntry
    if len(new) < 8:
        raise ValueError("mật khẩu mới phải có ít nhất 8 ký tự")
    if new == current:
        raise ValueError("mật khẩu mới phải khác mật khẩu hiện tại")
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        if user is None or not check_password_hash(user.password_hash, current):
            raise ValueError("mật khẩu hiện tại không đúng")
        user.password_hash = generate_password_hash(new)
        session.add(AuditEntry(actor=actor, action="doi-mat-khau", target=f"user/{user.username}"))
