"""The kind of an assistant message (its card type), so the gateway knows when the resident was asked for
a call-back number and keeps a typed number only then.

Revision ID: 0003_message_kind
Revises: 0002_live_chat
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_message_kind"
down_revision = "0002_live_chat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_messages") as batch:
        batch.add_column(sa.Column("kind", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_messages") as batch:
        batch.drop_column("kind")
