"""Live chat with an on-duty worker: chat state of a case, worker duty, worker and system messages.

Revision ID: 0002_live_chat
Revises: 0001_initial
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_live_chat"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch_alter_table: SQLite cannot alter constraints in place, so Alembic copies the table there.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("chat_duty_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("chat_state", sa.String(16), nullable=True))
        batch.create_check_constraint(
            "ck_handoffs_chat_state", "chat_state IS NULL OR chat_state IN ('waiting', 'active', 'ended')"
        )
    with op.batch_alter_table("conversation_messages") as batch:
        batch.add_column(sa.Column("author", sa.String(64), nullable=True))
        batch.drop_constraint("ck_conversation_messages_role", type_="check")
        batch.create_check_constraint(
            "ck_conversation_messages_role", "role IN ('user', 'bot', 'worker', 'system')"
        )


def downgrade() -> None:
    # Live-chat messages have no place in the old schema; they are removed with the columns.
    op.execute("DELETE FROM conversation_messages WHERE role IN ('worker', 'system')")
    with op.batch_alter_table("conversation_messages") as batch:
        batch.drop_constraint("ck_conversation_messages_role", type_="check")
        batch.create_check_constraint("ck_conversation_messages_role", "role IN ('user', 'bot')")
        batch.drop_column("author")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_constraint("ck_handoffs_chat_state", type_="check")
        batch.drop_column("chat_state")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("chat_duty_until")
