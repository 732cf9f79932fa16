"""Offres sans SIRET, propositions uniques.

An offer of France Travail often comes without its employer's SIRET (the public search does
not give it): it is kept with the company's name as France Travail gives it
(``offre.entreprise_nom``), ``offre.siret`` empty until a chargé de relation entreprise
attaches it to a company of the directory (issue 24). An offer is proposed once to a person:
the database says so too (``uq_proposition_offre_parcours``), so that two requests at once
cannot both write it. Changed only if missing (a database made by ``create_all`` from today's
models already has them).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 17:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_proposition_offre_parcours"


def upgrade() -> None:
    inspection = sa.inspect(op.get_bind())
    colonnes = {c["name"]: c for c in inspection.get_columns("offre")}
    if "entreprise_nom" not in colonnes or not colonnes["siret"]["nullable"]:
        with op.batch_alter_table("offre") as table:
            if "entreprise_nom" not in colonnes:
                table.add_column(sa.Column("entreprise_nom", sa.String(), nullable=True))
            table.alter_column("siret", existing_type=sa.String(), nullable=True)
    uniques = {u["name"] for u in inspection.get_unique_constraints("proposition")}
    if UNIQUE not in uniques:
        with op.batch_alter_table("proposition") as table:
            table.create_unique_constraint(UNIQUE, ["offre_id", "parcours_id"])


def downgrade() -> None:
    with op.batch_alter_table("proposition") as table:
        table.drop_constraint(UNIQUE, type_="unique")
    # an offer still without its company cannot go back to a SIRET required: it goes
    op.execute(
        "DELETE FROM proposition WHERE offre_id IN (SELECT id FROM offre WHERE siret IS NULL)"
    )
    op.execute("DELETE FROM offre WHERE siret IS NULL")
    with op.batch_alter_table("offre") as table:
        table.alter_column("siret", existing_type=sa.String(), nullable=False)
        table.drop_column("entreprise_nom")
