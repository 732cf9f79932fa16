"""Limites de connexion.

Failed logins are counted in the database (per account and address, per address) so that
every web replica applies the same limit (``web.securite.limites``). Written by autogenerate,
reviewed by hand.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:23:35.838557
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "echec_connexion",
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("echecs", sa.Integer(), nullable=False),
        sa.Column("dernier_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bloque_jusqu_au", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("cle"),
        if_not_exists=True,  # a database made by create_all from today's models has it
    )
    op.create_index(
        "ix_echec_connexion_dernier_le",
        "echec_connexion",
        ["dernier_le"],
        unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_echec_connexion_dernier_le", table_name="echec_connexion")
    op.drop_table("echec_connexion")
