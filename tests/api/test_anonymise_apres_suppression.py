"""An anonymised parcours whose Temporal history is already deleted still answers « anonymisé »,
not « inconnu »: Temporal deletes histories in the background, sometimes before anyone asks."""

from __future__ import annotations

import uuid
from datetime import date

from schemas.parcours import ParcoursState, PassagePhase, Phase
from schemas.projection import Projection
from store.db import ecriture, make_engine, session_factory
from store.parcours import ParcoursRow
from store.projection import ecrire
from tests.factories import accueil_rsa
from tests.fixtures.plateforme import Plateforme


async def test_parcours_anonymise_dont_l_historique_est_supprime(plateforme: Plateforme) -> None:
    jour = date(2024, 3, 1)
    a = accueil_rsa(jour, caf=str(uuid.uuid4().int)[:7])
    pid = f"supprime-{uuid.uuid4()}"  # in the read model only: no workflow in Temporal
    etat = ParcoursState(
        parcours_id=pid,
        version=9,
        ouvert_le=jour,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=Phase.SORTIE,
        phases=[PassagePhase(phase=Phase.SORTIE, du=jour)],
    )
    engine = make_engine(plateforme.settings.effective_database_url)
    async with session_factory(engine)() as session:
        # a write transaction from the start, as the platform's writers take it (store/db.py):
        # a read one that later writes fails at once, « database is locked », whenever the
        # platform's worker wrote in between (seen once on 3 processes)
        await ecriture(session)
        await ecrire(session, Projection(etat=etat, evenements=[]))
        row = await session.get(ParcoursRow, pid)
        assert row is not None
        row.anonymise = True
        await session.commit()
    await engine.dispose()

    async with plateforme.client("admin") as admin:
        lu = await admin.get(f"/api/v1/parcours/{pid}")
        inconnu = await admin.get(f"/api/v1/parcours/jamais-{uuid.uuid4()}")

    assert lu.status_code == 404
    assert lu.json()["code"] == "parcours_anonymise"
    assert inconnu.status_code == 404
    assert inconnu.json()["code"] == "parcours_inconnu"
