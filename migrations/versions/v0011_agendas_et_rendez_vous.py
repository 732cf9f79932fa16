"""Agendas et rendez-vous réservés.

Tables for issue 18: the places of each structure, the référents' opening slots and leave,
the appointments booked in them and the quarters of an hour each one takes, and the
booking links of the invitations (fingerprints only) (the primary key
of ``creneau_pris`` is what makes a booking race-safe). Created only if missing (a database
made by ``create_all`` from today's models already has them).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATE_HEURE = sa.DateTime(timezone=True)


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "lieu" not in existantes:
        op.create_table(
            "lieu",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("proprietaire", sa.String(), nullable=False, index=True),
            sa.Column("nom", sa.String(), nullable=False),
            sa.Column("adresse", sa.String(), nullable=False),
            sa.Column("code_postal", sa.String(), nullable=False),
            sa.Column("commune", sa.String(), nullable=False),
            sa.Column("acces", sa.String(), nullable=False),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
        )
    if "plage_ouverture" not in existantes:
        op.create_table(
            "plage_ouverture",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False, index=True
            ),
            sa.Column("jour", sa.Integer(), nullable=False),
            sa.Column("debut", sa.Time(), nullable=False),
            sa.Column("fin", sa.Time(), nullable=False),
            sa.Column("modalite", sa.String(), nullable=False),
            sa.Column("lieu_id", sa.String(), sa.ForeignKey("lieu.id"), nullable=True),
            sa.Column("motifs", sa.JSON(), nullable=False),
            sa.Column("du", sa.Date(), nullable=False),
            sa.Column("au", sa.Date(), nullable=True),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
            sa.Column("retiree_le", DATE_HEURE, nullable=True),
        )
    if "absence_agenda" not in existantes:
        op.create_table(
            "absence_agenda",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False, index=True
            ),
            sa.Column("du", sa.Date(), nullable=False),
            sa.Column("au", sa.Date(), nullable=False),
            sa.Column("motif", sa.String(), nullable=False),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
        )
    if "reservation_rdv" not in existantes:
        op.create_table(
            "reservation_rdv",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False, index=True
            ),
            sa.Column("parcours_id", sa.String(), nullable=False, index=True),
            sa.Column("motif", sa.String(), nullable=False),
            sa.Column("debut", DATE_HEURE, nullable=False, index=True),
            sa.Column("fin", DATE_HEURE, nullable=False),
            sa.Column("modalite", sa.String(), nullable=False),
            sa.Column("lieu_id", sa.String(), sa.ForeignKey("lieu.id"), nullable=True),
            sa.Column("plage_id", sa.String(), sa.ForeignKey("plage_ouverture.id"), nullable=False),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
            sa.Column("annulee_le", DATE_HEURE, nullable=True),
        )
    if "creneau_pris" not in existantes:
        op.create_table(
            "creneau_pris",
            sa.Column("compte_id", sa.String(), sa.ForeignKey("compte.id"), primary_key=True),
            sa.Column("debut", DATE_HEURE, primary_key=True),
            sa.Column(
                "reservation_id",
                sa.String(),
                sa.ForeignKey("reservation_rdv.id"),
                nullable=False,
                index=True,
            ),
        )
    if "invitation_rdv" not in existantes:
        op.create_table(
            "invitation_rdv",
            sa.Column("empreinte", sa.String(), primary_key=True),
            sa.Column(
                "parcours_id",
                sa.String(),
                sa.ForeignKey("parcours.id"),
                nullable=False,
                index=True,
            ),
            sa.Column("invitation_id", sa.String(), nullable=False),
            sa.Column("referent_id", sa.String(), nullable=False),
            sa.Column("motif", sa.String(), nullable=False),
            sa.Column("expire_le", sa.Date(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("invitation_rdv")
    for table in ("creneau_pris", "reservation_rdv", "absence_agenda", "plage_ouverture", "lieu"):
        op.drop_table(table)
