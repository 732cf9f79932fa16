"""Notifications vues : leur sorte, et les préférences de chaque compte par sorte.

The in-app notifications get the kind declared in schemas/notifications.py (``NULL`` for the
rows written before: shown as « Autres messages »), and each account may change, per kind,
whether it shows in the cockpit's centre and whether it is counted in the e-mail digest.
Created only if missing (a database made by ``create_all`` from today's models has them).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspecteur = sa.inspect(op.get_bind())
    if "sorte" not in {c["name"] for c in inspecteur.get_columns("notification")}:
        with op.batch_alter_table("notification") as batch:
            batch.add_column(sa.Column("sorte", sa.String(), nullable=True))
    if "preference_notification" not in inspecteur.get_table_names():
        op.create_table(
            "preference_notification",
            sa.Column("compte_id", sa.String(), sa.ForeignKey("compte.id"), nullable=False),
            sa.Column("sorte", sa.String(), nullable=False),
            sa.Column("dans_application", sa.Boolean(), nullable=False),
            sa.Column("recapitulatif", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("compte_id", "sorte"),
        )


def downgrade() -> None:
    op.drop_table("preference_notification")
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("sorte")
