"""Clé d'identité des parcours.

The accueil's duplicate check compares the person's normalised name, first name and date of
birth exactly (``store.parcours.cle_identite``), through an index, instead of an ``ILIKE`` on
what was typed (where ``%`` matched everyone). Written by autogenerate, then reviewed by hand:
a plain ``ADD COLUMN`` (nullable: SQLite needs no table copy, PostgreSQL no rewrite), the
index outside any batch block, both only if missing (a database made by ``create_all`` from
today's models already has them), and the key computed for the rows already there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 14:23:20.669001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.parcours import cle_identite

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARCOURS = sa.table(
    "parcours",
    sa.column("id", sa.String()),
    sa.column("nom", sa.String()),
    sa.column("prenom", sa.String()),
    sa.column("date_naissance", sa.Date()),
    sa.column("cle_identite", sa.String()),
)


def upgrade() -> None:
    connexion = op.get_bind()
    colonnes = {c["name"] for c in sa.inspect(connexion).get_columns("parcours")}
    if "cle_identite" not in colonnes:
        op.add_column("parcours", sa.Column("cle_identite", sa.String(), nullable=True))
    op.create_index(
        "ix_parcours_cle_identite", "parcours", ["cle_identite"], unique=False, if_not_exists=True
    )
    _calculer_les_cles(connexion)


def _calculer_les_cles(connexion: sa.Connection) -> None:
    lignes = connexion.execute(
        sa.select(PARCOURS.c.id, PARCOURS.c.nom, PARCOURS.c.prenom, PARCOURS.c.date_naissance)
    ).all()
    for id_, nom, prenom, naissance in lignes:
        connexion.execute(
            PARCOURS.update()
            .where(PARCOURS.c.id == id_)
            .values(cle_identite=cle_identite(nom, prenom, naissance))
        )


def downgrade() -> None:
    op.drop_index("ix_parcours_cle_identite", table_name="parcours")
    with op.batch_alter_table("parcours", schema=None) as batch_op:
        batch_op.drop_column("cle_identite")
