"""Rendez-vous déplacés ou annulés par la personne.

The booking link of an invitation keeps opening a page once a slot is taken: the person sees
their appointment and may move or cancel it (issue 18). ``invitation_rdv`` names the booking
its link manages. Added only if missing (a database made by ``create_all`` from today's
models already has it).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _colonnes() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("invitation_rdv")}


def upgrade() -> None:
    if "reservation_id" not in _colonnes():
        with op.batch_alter_table("invitation_rdv") as table:
            table.add_column(sa.Column("reservation_id", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invitation_rdv") as table:
        table.drop_column("reservation_id")
