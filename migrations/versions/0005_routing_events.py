"""Routing events: what routing did with residents' questions, for the editors' gaps report.

Revision ID: 0005_routing_events
Revises: 0004_catalogue_editing
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_routing_events"
down_revision = "0004_catalogue_editing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation_hash", sa.String(64), nullable=True, index=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("best_score", sa.Float, nullable=True),
        sa.Column("margin", sa.Float, nullable=True),
        sa.Column("services", sa.JSON, nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=True),
        sa.CheckConstraint(
            "outcome IN ('answered', 'clarified', 'nothing')", name="ck_routing_events_outcome"
        ),
        sa.CheckConstraint("source IN ('search', 'choice', 'topic')", name="ck_routing_events_source"),
    )


def downgrade() -> None:
    op.drop_table("routing_events")
