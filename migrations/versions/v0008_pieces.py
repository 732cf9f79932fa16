"""Pièces du dossier.

The documents attached to a dossier (issue 17, item 3): one row per document, its bytes
encrypted in the document store. Created only if missing (a database made by ``create_all``
from today's models already has it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "piece" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "piece",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("parcours_id", sa.String(), nullable=False, index=True),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("nom_fichier", sa.String(), nullable=False),
        sa.Column("type_mime", sa.String(), nullable=False),
        sa.Column("taille", sa.Integer(), nullable=False),
        sa.Column("contrat_numero", sa.Integer(), nullable=True),
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("depose_le", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("auteur", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("piece")
