"""Les notifications de l'équipe de suivi portent leur sorte.

Team notifications (rattachement asked, accepted or refused; a note addressed to someone) were
written with their kind only in their key, so the notification centre filed them under
« Autres messages » and each person's preferences for those kinds had no effect. The kind is
the key's first part: copy it into ``sorte`` where it was left empty.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORTES_D_EQUIPE = (
    "demande_rattachement",
    "rattachement_accepte",
    "rattachement_refuse",
    "note_adressee",
)


def upgrade() -> None:
    for sorte in SORTES_D_EQUIPE:
        op.execute(
            sa.text(
                "UPDATE notification SET sorte = :sorte WHERE sorte IS NULL AND cle LIKE :prefixe"
            ).bindparams(sorte=sorte, prefixe=f"{sorte}:%")
        )


def downgrade() -> None:
    pass  # the kind is right either way; nothing to take back
