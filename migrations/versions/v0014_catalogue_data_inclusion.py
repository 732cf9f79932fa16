"""Catalogue data·inclusion.

The services and structures of the département synchronised from data·inclusion (issue 20):
the national record kept whole, the mark of the last synchronisation that listed it, and the
archiving date of what disappeared (never deleted). Created only if missing (a database made
by ``create_all`` from today's models already has them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "catalogue_structure" not in existantes:
        op.create_table(
            "catalogue_structure",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("source", sa.String(), nullable=False),
            sa.Column("nom", sa.String(), nullable=False),
            sa.Column("date_maj", sa.Date(), nullable=False),
            sa.Column("donnees", sa.JSON(), nullable=False),
            sa.Column("vu_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("archive_le", sa.DateTime(timezone=True), nullable=True),
        )
    if "catalogue_service" not in existantes:
        op.create_table(
            "catalogue_service",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("source", sa.String(), nullable=False),
            sa.Column("structure_id", sa.String(), nullable=False, index=True),
            sa.Column("nom", sa.String(), nullable=False),
            sa.Column("date_maj", sa.Date(), nullable=False),
            sa.Column("code_insee", sa.String(), nullable=True, index=True),
            sa.Column("latitude", sa.Float(), nullable=True),
            sa.Column("longitude", sa.Float(), nullable=True),
            sa.Column("donnees", sa.JSON(), nullable=False),
            sa.Column("ajoute_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("vu_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("archive_le", sa.DateTime(timezone=True), nullable=True, index=True),
        )


def downgrade() -> None:
    op.drop_table("catalogue_service")
    op.drop_table("catalogue_structure")
