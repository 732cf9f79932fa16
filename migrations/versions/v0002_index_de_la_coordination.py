"""Index de la coordination.

The coordination's counters (phase × status, per territory or for the whole département) and
its filtered lists read only these columns: with them the database answers from the index
instead of reading each parcours row, whose JSON copy of the state makes it several KB (see
docs/bench.md, « Cockpit à 100 000 parcours »). Written by autogenerate, then reviewed by
hand: indexes created outside batch blocks (an index never needs SQLite's table copy), and
only if missing (a database made by ``create_all`` from today's models already has them).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 19:29:24.025804
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_parcours_territoire_statut",
        "parcours",
        ["territoire", "statut", "organisme", "phase"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        "ix_parcours_phase_statut",
        "parcours",
        ["phase", "statut"],
        unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_parcours_phase_statut", table_name="parcours")
    op.drop_index("ix_parcours_territoire_statut", table_name="parcours")
