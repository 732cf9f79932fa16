"""Orientations vers une structure.

The answer links of the orientations sent to the structures of prescribed services (ticket
20, item 2): ``orientation_structure``, one row per link fingerprint. Created only if missing
(a database made by ``create_all`` from today's models already has it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 23:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "orientation_structure" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "orientation_structure",
        sa.Column("empreinte", sa.String(), primary_key=True),
        sa.Column(
            "parcours_id", sa.String(), sa.ForeignKey("parcours.id"), nullable=False, index=True
        ),
        sa.Column("action_id", sa.String(), nullable=False),
        sa.Column("referent_id", sa.String(), nullable=True),
        sa.Column("service", sa.String(), nullable=False),
        sa.Column("structure", sa.String(), nullable=False),
        sa.Column("motif", sa.String(), nullable=False),
        sa.Column("debut_prevu", sa.Date(), nullable=False),
        sa.Column("expire_le", sa.Date(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("debut_le", sa.Date(), nullable=True),
        sa.Column("motifs_refus", sa.JSON(), nullable=True),
        sa.Column("personne", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("orientation_structure")
