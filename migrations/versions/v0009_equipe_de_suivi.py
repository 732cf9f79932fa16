"""Équipe de suivi : demandes de rattachement et notes.

Two tables for the dossier unique partagé (issue 17, items 1 and 2): the requests of
professionals to join a parcours' team, and the notes the team writes. Membership itself is in
the parcours' workflow state. Created only if missing (a database made by ``create_all`` from
today's models already has them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "note_equipe" not in existantes:
        op.create_table(
            "note_equipe",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "parcours_id", sa.String(), sa.ForeignKey("parcours.id"), nullable=False, index=True
            ),
            sa.Column("auteur_id", sa.String(), nullable=False, index=True),
            sa.Column("auteur_nom", sa.String(), nullable=False),
            sa.Column("auteur_structure", sa.String(), nullable=False),
            sa.Column("ecrite_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("modifiee_le", sa.DateTime(timezone=True), nullable=True),
            sa.Column("texte", sa.String(), nullable=False),
            sa.Column("visibilite", sa.String(), nullable=False),
            sa.Column("amende", sa.String(), nullable=True, index=True),
            sa.Column("destinataire_id", sa.String(), nullable=True),
        )
    if "demande_rattachement" not in existantes:
        op.create_table(
            "demande_rattachement",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "parcours_id", sa.String(), sa.ForeignKey("parcours.id"), nullable=False, index=True
            ),
            sa.Column(
                "compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False, index=True
            ),
            sa.Column("role", sa.String(), nullable=False),
            sa.Column("telephone", sa.String(), nullable=False),
            sa.Column("motif", sa.String(), nullable=False),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("statut", sa.String(), nullable=False, index=True),
            sa.Column("decidee_le", sa.DateTime(timezone=True), nullable=True),
            sa.Column("decidee_par", sa.String(), nullable=True),
        )


def downgrade() -> None:
    op.drop_table("demande_rattachement")
    op.drop_table("note_equipe")
