"""Sessions collectives (information collective).

Tables for issue 18, item 3: the sessions a référent organises for their structure, the
people registered to them, and the seats they hold (the primary key of
``place_session_collective`` is what makes registering race-safe, see
store/sessions_collectives.py). Created only if missing (a database made by ``create_all``
from today's models already has them).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATE_HEURE = sa.DateTime(timezone=True)


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "session_collective" not in existantes:
        op.create_table(
            "session_collective",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False, index=True
            ),
            sa.Column("structure", sa.String(), nullable=True, index=True),
            sa.Column("territoire", sa.String(), nullable=False, index=True),
            sa.Column("motif", sa.String(), nullable=False),
            sa.Column("titre", sa.String(), nullable=False),
            sa.Column("debut", DATE_HEURE, nullable=False, index=True),
            sa.Column("fin", DATE_HEURE, nullable=False),
            sa.Column("lieu_id", sa.String(), sa.ForeignKey("lieu.id"), nullable=False),
            sa.Column("capacite", sa.Integer(), nullable=False),
            sa.Column("animateur", sa.String(), nullable=False),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
            sa.Column("annulee_le", DATE_HEURE, nullable=True),
        )
    if "inscription_session_collective" not in existantes:
        op.create_table(
            "inscription_session_collective",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column(
                "session_id",
                sa.String(),
                sa.ForeignKey("session_collective.id"),
                nullable=False,
                index=True,
            ),
            sa.Column("parcours_id", sa.String(), nullable=False, index=True),
            sa.Column("inscrite_par", sa.String(), nullable=False),
            sa.Column("rdv_id", sa.String(), nullable=True),
            sa.Column("cree_le", DATE_HEURE, nullable=False),
            sa.Column("desinscrite_le", DATE_HEURE, nullable=True),
            sa.Column("presence", sa.String(), nullable=True),
            sa.Column("presence_notee_le", DATE_HEURE, nullable=True),
        )
    if "place_session_collective" not in existantes:
        op.create_table(
            "place_session_collective",
            sa.Column(
                "session_id",
                sa.String(),
                sa.ForeignKey("session_collective.id"),
                primary_key=True,
            ),
            sa.Column("numero", sa.Integer(), primary_key=True),
            sa.Column(
                "inscription_id",
                sa.String(),
                sa.ForeignKey("inscription_session_collective.id"),
                nullable=False,
                index=True,
            ),
            sa.Column("parcours_id", sa.String(), nullable=False),
            sa.UniqueConstraint("session_id", "parcours_id", name="uq_place_personne"),
        )


def downgrade() -> None:
    op.drop_table("place_session_collective")
    op.drop_table("inscription_session_collective")
    op.drop_table("session_collective")
