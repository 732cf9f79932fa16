"""Migration 0003 gives the parcours already in the read model their identity key, so that
the accueil's duplicate check finds them (issue 14, item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text

from store.db import create_schema, make_engine
from store.migrations import configuration


async def test_la_migration_calcule_la_cle_des_parcours_existants(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'avant.db'}")
    try:

        def jusqu_a_0002(conn: Any) -> None:
            command.upgrade(configuration(conn), "0002")

        async with engine.begin() as conn:
            await conn.run_sync(jusqu_a_0002)
            await conn.execute(
                text(
                    "INSERT INTO parcours (id, version, reference, nom, prenom, date_naissance,"
                    " commune, territoire, phase, phase_depuis, statut, motifs,"
                    " derniere_interaction, incidents_ouverts, ouvert_le, anonymise, etat,"
                    " mis_a_jour) VALUES ('p1', 1, 'P1', 'Le Bœuf-Dupré', 'Jean Éric',"
                    " '1980-02-29', 'Annecy', 'chablais', 'accueil', '2026-12-01', 'en_cours',"
                    " '[]', '2026-12-01', 0, '2026-12-01', 0, '{}', '2026-12-01 10:00:00')"
                )
            )
        await create_schema(engine)  # up to the head, as the application starts
        async with engine.connect() as conn:
            cle = (await conn.execute(text("SELECT cle_identite FROM parcours"))).scalar_one()
        assert cle == "leboeufdupre|jeaneric|1980-02-29"
    finally:
        await engine.dispose()
