"""Worker accounts. Passwords are only ever stored as bcrypt hashes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import ROLES, User


class UserExists(Exception):
    pass


class UserNotFound(Exception):
    pass


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def create_user(session: Session, username: str, password_hash: str, role: str = "worker") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if get_by_username(session, username) is not None:
        raise UserExists(username)
    user = User(username=username, password_hash=password_hash, role=role, active=True)
    session.add(user)
    session.flush()
    return user


def _require(session: Session, username: str) -> User:
    user = get_by_username(session, username)
    if user is None:
        raise UserNotFound(username)
    return user


def set_password_hash(session: Session, username: str, password_hash: str) -> User:
    user = _require(session, username)
    user.password_hash = password_hash
    session.flush()
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    user = _require(session, username)
    user.active = active
    session.flush()
    return user
