"""Santé des planifications.

What the technical watch last saw of each Temporal schedule (``sante_planification``): a
schedule whose run is blocked skips every later start, silently. Created only if missing (a
database made by ``create_all`` from today's models already has it).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "sante_planification" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "sante_planification",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("derniere_execution", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prochaine_execution", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bloquee", sa.Boolean(), nullable=False),
        sa.Column("bloquee_depuis", sa.DateTime(timezone=True), nullable=True),
        sa.Column("departs_sautes", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(), nullable=True),
        sa.Column("verifiee_le", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sante_planification")
