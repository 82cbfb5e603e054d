"""The audit trail: who viewed or changed what, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditLog

ACTION_SERVER = "action-server"


def record(
    session: Session,
    actor: str,
    action: str,
    handoff_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row to the caller's transaction (committed with the change it describes)."""
    entry = AuditLog(actor=actor, action=action, handoff_id=handoff_id, detail=detail)
    session.add(entry)
    session.flush()
    return entry


def for_handoff(session: Session, handoff_id: str) -> list[AuditLog]:
    return list(
        session.scalars(select(AuditLog).where(AuditLog.handoff_id == handoff_id).order_by(AuditLog.id))
    )


def recent(session: Session, limit: int = 200) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)))
