"""Employeurs.

The employers' side (issue 24): the directory of companies (one row per SIRET), their
contacts, their job offers, and the pool of people ready to work (``vivier``) and the offers
proposed to them (``proposition``). Created only
if missing (a database made by ``create_all`` from today's models already has them).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "entreprise" not in existantes:
        op.create_table(
            "entreprise",
            sa.Column("siret", sa.String(), primary_key=True),
            sa.Column("nom", sa.String(), nullable=False, index=True),
            sa.Column("naf", sa.String(), nullable=True),
            sa.Column("adresse", sa.String(), nullable=True),
            sa.Column("code_postal", sa.String(), nullable=True),
            sa.Column("commune", sa.String(), nullable=True),
            sa.Column("commune_insee", sa.String(), nullable=True),
            sa.Column("bassin", sa.String(), nullable=True, index=True),
            sa.Column("latitude", sa.Float(), nullable=True),
            sa.Column("longitude", sa.Float(), nullable=True),
            sa.Column("origine", sa.String(), nullable=False),
            sa.Column("label_inclusif_le", sa.Date(), nullable=True),
            sa.Column("label_inclusif_par", sa.JSON(), nullable=True),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        )
    if "contact_entreprise" not in existantes:
        op.create_table(
            "contact_entreprise",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "siret", sa.String(), sa.ForeignKey("entreprise.siret"), nullable=False, index=True
            ),
            sa.Column("nom", sa.String(), nullable=False),
            sa.Column("fonction", sa.String(), nullable=True),
            sa.Column("telephone", sa.String(), nullable=True),
            sa.Column("email", sa.String(), nullable=True),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        )
    if "offre" not in existantes:
        op.create_table(
            "offre",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "siret", sa.String(), sa.ForeignKey("entreprise.siret"), nullable=False, index=True
            ),
            sa.Column("intitule", sa.String(), nullable=False),
            sa.Column("code_rome", sa.String(), nullable=False, index=True),
            sa.Column("code_postal", sa.String(), nullable=False),
            sa.Column("commune", sa.String(), nullable=False),
            sa.Column("commune_insee", sa.String(), nullable=True),
            sa.Column("bassin", sa.String(), nullable=True, index=True),
            sa.Column("type_contrat", sa.String(), nullable=False),
            sa.Column("heures_hebdomadaires", sa.Float(), nullable=True),
            sa.Column("horaires", sa.String(), nullable=True),
            sa.Column("permis_requis", sa.Boolean(), nullable=False),
            sa.Column("horaires_decales", sa.Boolean(), nullable=False),
            sa.Column("inclusive", sa.Boolean(), nullable=False),
            sa.Column("statut", sa.String(), nullable=False, index=True),
            sa.Column("source", sa.String(), nullable=False),
            sa.Column("reference_externe", sa.String(), nullable=True, unique=True),
            sa.Column("cree_par", sa.String(), nullable=False),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        )
    if "vivier" not in existantes:
        op.create_table(
            "vivier",
            sa.Column("parcours_id", sa.String(), sa.ForeignKey("parcours.id"), primary_key=True),
            sa.Column("territoire", sa.String(), nullable=False, index=True),
            sa.Column("referent_id", sa.String(), nullable=True),
            sa.Column("commune", sa.String(), nullable=False),
            sa.Column("pret", sa.Boolean(), nullable=False),
            sa.Column("consentement", sa.Boolean(), nullable=False),
            sa.Column("projets", sa.JSON(), nullable=True),
            sa.Column("permis_b", sa.Boolean(), nullable=False),
            sa.Column("vehicule", sa.Boolean(), nullable=False),
            sa.Column("distance_max_km", sa.Integer(), nullable=False),
            sa.Column("creneaux", sa.JSON(), nullable=True),
            sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        )
    if "proposition" not in existantes:
        op.create_table(
            "proposition",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "offre_id", sa.String(), sa.ForeignKey("offre.id"), nullable=False, index=True
            ),
            sa.Column(
                "parcours_id",
                sa.String(),
                sa.ForeignKey("parcours.id"),
                nullable=False,
                index=True,
            ),
            sa.Column("statut", sa.String(), nullable=False, index=True),
            sa.Column("raisons", sa.JSON(), nullable=True),
            sa.Column("propose_par", sa.String(), nullable=False),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("proposition")
    op.drop_table("vivier")
    op.drop_table("offre")
    op.drop_table("contact_entreprise")
    op.drop_table("entreprise")
