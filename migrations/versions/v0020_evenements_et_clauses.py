"""Événements employeurs et clauses sociales.

The employers' events (job datings, information sessions) and the people invited to them,
the public contracts with a social insertion clause and the people placed on them (issue 24,
items 5 and 6). Created only if missing (a database made by ``create_all`` from today's
models already has them).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 14:10:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instants() -> list[sa.Column[Any]]:
    return [
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
    ]


def _lieu() -> list[sa.Column[Any]]:
    return [
        sa.Column("code_postal", sa.String(), nullable=False),
        sa.Column("commune", sa.String(), nullable=False),
        sa.Column("commune_insee", sa.String(), nullable=True),
        sa.Column("bassin", sa.String(), nullable=False, index=True),
    ]


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "evenement_employeur" not in existantes:
        op.create_table(
            "evenement_employeur",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("nature", sa.String(), nullable=False),
            sa.Column("titre", sa.String(), nullable=False),
            sa.Column("le", sa.Date(), nullable=False, index=True),
            sa.Column("horaire", sa.String(), nullable=True),
            sa.Column("adresse", sa.String(), nullable=True),
            *_lieu(),
            sa.Column("entreprises", sa.JSON(), nullable=True),
            sa.Column("offres", sa.JSON(), nullable=True),
            sa.Column("description", sa.String(), nullable=True),
            sa.Column("cree_par", sa.String(), nullable=False),
            *_instants(),
        )
    if "invitation_evenement" not in existantes:
        op.create_table(
            "invitation_evenement",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "evenement_id",
                sa.String(),
                sa.ForeignKey("evenement_employeur.id"),
                nullable=False,
                index=True,
            ),
            sa.Column(
                "parcours_id", sa.String(), sa.ForeignKey("parcours.id"), nullable=True, index=True
            ),
            sa.Column("invite_par", sa.String(), nullable=False),
            sa.Column("presence", sa.String(), nullable=True),
            sa.Column("suite", sa.String(), nullable=True),
            *_instants(),
            sa.UniqueConstraint("evenement_id", "parcours_id"),
        )
    if "clause_sociale" not in existantes:
        op.create_table(
            "clause_sociale",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("intitule", sa.String(), nullable=False),
            sa.Column("acheteur", sa.String(), nullable=False),
            sa.Column(
                "siret", sa.String(), sa.ForeignKey("entreprise.siret"), nullable=False, index=True
            ),
            *_lieu(),
            sa.Column("heures_exigees", sa.Integer(), nullable=False),
            sa.Column("debut", sa.Date(), nullable=False),
            sa.Column("fin", sa.Date(), nullable=False),
            sa.Column("cree_par", sa.String(), nullable=False),
            *_instants(),
        )
    if "placement_clause" not in existantes:
        op.create_table(
            "placement_clause",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "clause_id",
                sa.String(),
                sa.ForeignKey("clause_sociale.id"),
                nullable=False,
                index=True,
            ),
            sa.Column(
                "parcours_id", sa.String(), sa.ForeignKey("parcours.id"), nullable=True, index=True
            ),
            sa.Column("debut", sa.Date(), nullable=False),
            sa.Column("heures_realisees", sa.Float(), nullable=False),
            sa.Column("place_par", sa.String(), nullable=False),
            *_instants(),
            sa.UniqueConstraint("clause_id", "parcours_id"),
        )


def downgrade() -> None:
    for table in (
        "placement_clause",
        "clause_sociale",
        "invitation_evenement",
        "evenement_employeur",
    ):
        op.drop_table(table)
