"""Fichiers partenaires et santé des connecteurs.

Ticket 20, items 6 and 7: the report of each batch file imported from the CAF/MSA or France
Travail (``fichier_partenaire``, keyed by the file's SHA-256) and the last success and failure
of each partner connector (``sante_connecteur``). Created only if missing (a database made by
``create_all`` from today's models already has them). No personal data in either.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 23:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "fichier_partenaire" not in existantes:
        op.create_table(
            "fichier_partenaire",
            sa.Column("empreinte", sa.String(), primary_key=True),
            sa.Column("partenaire", sa.String(), nullable=False, index=True),
            sa.Column("nom", sa.String(), nullable=False),
            sa.Column("importe_le", sa.DateTime(timezone=True), nullable=False, index=True),
            sa.Column("lues", sa.Integer(), nullable=False),
            sa.Column("livrees", sa.Integer(), nullable=False),
            sa.Column("a_rapprocher", sa.Integer(), nullable=False),
            sa.Column("deja_recues", sa.Integer(), nullable=False),
            sa.Column("sans_suite", sa.Integer(), nullable=False),
            sa.Column("refusees", sa.Integer(), nullable=False),
            sa.Column("lignes", sa.JSON(), nullable=True),
            sa.Column("erreur", sa.String(), nullable=True),
        )
    if "sante_connecteur" not in existantes:
        op.create_table(
            "sante_connecteur",
            sa.Column("partenaire", sa.String(), primary_key=True),
            sa.Column("dernier_succes", sa.DateTime(timezone=True), nullable=True),
            sa.Column("dernier_echec", sa.DateTime(timezone=True), nullable=True),
            sa.Column("echec", sa.String(), nullable=True),
        )


def downgrade() -> None:
    op.drop_table("sante_connecteur")
    op.drop_table("fichier_partenaire")
