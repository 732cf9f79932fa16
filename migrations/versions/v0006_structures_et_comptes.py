"""Structures et administration des comptes.

The structures (organismes) of the SPIE, the one-time activation links of new accounts, and
two columns of ``compte``: its structure and whether it awaits approval (a first ProConnect
login). Additive only: existing accounts keep working unchanged. Each step runs only if
its object is missing (a database made by ``create_all`` from today's models already has
them, and is adopted at 0001 then upgraded).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _colonnes(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    tables = _tables()
    if "structure" not in tables:
        _creer_structure()
    if "activation_compte" not in tables:
        _creer_activation()
    colonnes = _colonnes("compte")
    if "structure_id" not in colonnes:
        op.add_column(
            "compte",
            sa.Column("structure_id", sa.String(), nullable=True),
        )
    if "en_attente" not in colonnes:
        op.add_column(
            "compte",
            sa.Column("en_attente", sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    op.create_index(
        op.f("ix_compte_structure_id"), "compte", ["structure_id"], unique=False, if_not_exists=True
    )


def _creer_structure() -> None:
    op.create_table(
        "structure",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("siret", sa.String(), nullable=True),
        sa.Column("territoires", sa.String(), nullable=False),
        sa.Column("domaines", sa.String(), nullable=False),
        sa.Column("contact_nom", sa.String(), nullable=True),
        sa.Column("contact_email", sa.String(), nullable=True),
        sa.Column("contact_telephone", sa.String(), nullable=True),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nom"),
        sa.UniqueConstraint("siret"),
    )
    op.create_index(op.f("ix_structure_type"), "structure", ["type"], unique=False)


def _creer_activation() -> None:
    op.create_table(
        "activation_compte",
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilise_le", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["compte_id"], ["compte.id"]),
        sa.PrimaryKeyConstraint("empreinte"),
    )
    op.create_index(
        op.f("ix_activation_compte_compte_id"), "activation_compte", ["compte_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_compte_structure_id"), table_name="compte")
    with op.batch_alter_table("compte") as batch:
        batch.drop_column("en_attente")
        batch.drop_column("structure_id")
    op.drop_index(op.f("ix_activation_compte_compte_id"), table_name="activation_compte")
    op.drop_table("activation_compte")
    op.drop_index(op.f("ix_structure_type"), table_name="structure")
    op.drop_table("structure")
