"""Envois et notifications rattachés à leur parcours.

The outbox and the in-app notifications name the parcours they concern, so that anonymisation
finds and erases them (they held a phone number, an e-mail address, a professional's message);
the outbox keeps the fingerprint of a carnet link's secret, so that a retried sending activity
answers the fingerprint of the link actually sent. Rows written before keep ``NULL``: their
parcours is found through the operations of its state. ``lien_carnet_en_attente`` holds a
link's secret between its drawing and the message's sending, so that a retry sends the same.

Data: the read model's copies of the state kept the payloads of partner calls, among them the
messages that carried a carnet link in clear; those payloads are emptied (the state's JSON of
rows whose text holds ``/carnet/``: the workflow no longer writes any).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "lien_carnet_en_attente" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            "lien_carnet_en_attente",
            sa.Column("idempotence", sa.String(), nullable=False),
            sa.Column("secret", sa.String(), nullable=False),
            sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("idempotence"),
        )
    # Only what is missing: a database made by ``create_all`` from today's models (stamped at
    # 0001, see store/migrations.py) already has these columns.
    inspecteur = sa.inspect(op.get_bind())
    for table, colonnes in (
        ("envoi", ("parcours_id", "empreinte")),
        ("notification", ("parcours_id",)),
    ):
        presentes = {c["name"] for c in inspecteur.get_columns(table)}
        index = {i["name"] for i in inspecteur.get_indexes(table)}
        with op.batch_alter_table(table) as batch:
            for nom in colonnes:
                if nom not in presentes:
                    batch.add_column(sa.Column(nom, sa.String(), nullable=True))
            if f"ix_{table}_parcours_id" not in index:
                batch.create_index(f"ix_{table}_parcours_id", ["parcours_id"], unique=False)

    _vider_les_envois_projetes()


def _vider_les_envois_projetes() -> None:
    connexion = op.get_bind()
    parcours = sa.table("parcours", sa.column("id", sa.String()), sa.column("etat", sa.JSON()))
    lignes = connexion.execute(
        sa.select(parcours.c.id, parcours.c.etat).where(
            sa.cast(parcours.c.etat, sa.Text()).like("%/carnet/%")
        )
    ).all()
    for parcours_id, etat in lignes:
        operations = [
            {**o, "donnees": {}, "resultat": None} for o in (etat or {}).get("operations") or []
        ]
        connexion.execute(
            parcours.update()
            .where(parcours.c.id == parcours_id)
            .values(etat={**etat, "operations": operations})
        )


def downgrade() -> None:
    op.drop_table("lien_carnet_en_attente")
    with op.batch_alter_table("notification") as batch:
        batch.drop_index("ix_notification_parcours_id")
        batch.drop_column("parcours_id")
    with op.batch_alter_table("envoi") as batch:
        batch.drop_index("ix_envoi_parcours_id")
        batch.drop_column("empreinte")
        batch.drop_column("parcours_id")
