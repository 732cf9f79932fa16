"""NIR des listes importées, gardé en empreinte.

A list's NIR recognises a person a later list brings again (issue 16). Only its HMAC under
NIR_KEY is kept, in ``import_ligne.nir_empreinte`` (importation/nir.py). Added only if
missing (a database made by ``create_all`` from today's models already has it).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _colonnes() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("import_ligne")}


def upgrade() -> None:
    if "nir_empreinte" not in _colonnes():
        with op.batch_alter_table("import_ligne") as table:
            table.add_column(sa.Column("nir_empreinte", sa.String(), nullable=True))
            table.create_index("ix_import_ligne_nir_empreinte", ["nir_empreinte"])


def downgrade() -> None:
    with op.batch_alter_table("import_ligne") as table:
        table.drop_index("ix_import_ligne_nir_empreinte")
        table.drop_column("nir_empreinte")
