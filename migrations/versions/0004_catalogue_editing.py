"""Catalogue editing: the history of published changes, the drafts, and the role ``editor``.

Revision ID: 0004_catalogue_editing
Revises: 0003_message_kind
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_catalogue_editing"
down_revision = "0003_message_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:  # batch: SQLite copies the table to change a constraint
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", "role IN ('worker', 'admin', 'editor')")
    op.create_table(
        "catalogue_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("service_id", sa.String(64), nullable=False, index=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("file", sa.String(128), nullable=False),
        sa.Column("minor", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("undo_of", sa.Integer, nullable=True),
    )
    op.create_table(
        "catalogue_drafts",
        sa.Column("service_id", sa.String(64), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("base_version", sa.String(32), nullable=True),
        sa.Column("file", sa.String(128), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minor", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True, index=True),
    )


def downgrade() -> None:
    op.drop_table("catalogue_drafts")
    op.drop_table("catalogue_changes")
    op.execute("UPDATE users SET active = false WHERE role = 'editor'")  # no editor role in the old schema
    op.execute("UPDATE users SET role = 'worker' WHERE role = 'editor'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", "role IN ('worker', 'admin')")
