"""Import de listes de personnes.

Three tables for the imports of lists (issue 16, item 2): the import, its rows (action decided
at preview, result once done) and the column mapping last used per source. Created only if
missing (a database made by ``create_all`` from today's models already has them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    existantes = set(sa.inspect(op.get_bind()).get_table_names())
    if "import_personnes" not in existantes:
        op.create_table(
            "import_personnes",
            sa.Column("id", sa.String(), primary_key=True),
            sa.Column("source", sa.String(), nullable=False, index=True),
            sa.Column("nom_fichier", sa.String(), nullable=False),
            sa.Column("territoire", sa.String(), nullable=True, index=True),
            sa.Column("auteur", sa.JSON(), nullable=True),
            sa.Column("referent_id", sa.String(), nullable=True),
            sa.Column("origine", sa.String(), nullable=False),
            sa.Column("correspondance", sa.JSON(), nullable=True),
            sa.Column("entetes", sa.JSON(), nullable=True),
            sa.Column("statut", sa.String(), nullable=False, index=True),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.Column("termine_le", sa.DateTime(timezone=True), nullable=True),
        )
    if "import_ligne" not in existantes:
        op.create_table(
            "import_ligne",
            sa.Column(
                "import_id",
                sa.String(),
                sa.ForeignKey("import_personnes.id"),
                primary_key=True,
            ),
            sa.Column("numero", sa.Integer(), primary_key=True),
            sa.Column("brut", sa.JSON(), nullable=True),
            sa.Column("accueil", sa.JSON(), nullable=True),
            sa.Column("cle_identite", sa.String(), nullable=True, index=True),
            sa.Column("action", sa.String(), nullable=False),
            sa.Column("erreurs", sa.JSON(), nullable=True),
            sa.Column("remarques", sa.JSON(), nullable=True),
            sa.Column("parcours_id", sa.String(), nullable=True, index=True),
            sa.Column("resultat", sa.String(), nullable=True),
            sa.Column("message", sa.String(), nullable=True),
        )
    if "import_correspondance" not in existantes:
        op.create_table(
            "import_correspondance",
            sa.Column("source", sa.String(), primary_key=True),
            sa.Column("correspondance", sa.JSON(), nullable=True),
            sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("import_correspondance")
    op.drop_table("import_ligne")
    op.drop_table("import_personnes")
