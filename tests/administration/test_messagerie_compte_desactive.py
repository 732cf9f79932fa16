"""A message to an account deactivated since (the former référent of a parcours handed over
when their account closed) is dropped without an incident; an unknown account is still a
refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.messagerie import Messagerie
from activities.outbox import Outbox
from core.smtp import ServeurSmtp
from schemas.appels import AppelPartenaire
from schemas.incident import TypeOperation
from store.comptes import Compte
from store.db import create_schema, ecriture, make_engine, session_factory


def _appel(destinataire: str) -> AppelPartenaire:
    return AppelPartenaire(
        idempotence=f"test-{destinataire}",
        parcours_id="p-1",
        operation=TypeOperation.ENVOYER_COURRIEL,
        donnees={"destinataire": destinataire, "sujet": "Transfert", "texte": "Parti"},
    )


async def test_un_compte_desactive_ne_fait_pas_d_incident(base_lecture: str) -> None:
    engine = make_engine(base_lecture)
    await create_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        await ecriture(session)
        session.add(
            Compte(
                id="parti", email="parti@ml.fr", nom="Parti", role="referent",
                actif=False, cree_le=datetime.now(UTC),
            )
        )  # fmt: skip
        await session.commit()
    messagerie = Messagerie(
        sessions, Outbox(sessions), serveur=ServeurSmtp("127.0.0.1", 1), expediteur="p@spie74.fr"
    )
    env = ActivityEnvironment()
    try:
        resultat = await env.run(messagerie.envoyer, _appel("compte:parti"))
        assert resultat == {"statut": "destinataire_desactive"}
        with pytest.raises(ApplicationError, match="Destinataire inconnu"):
            await env.run(messagerie.envoyer, _appel("compte:personne"))
    finally:
        await engine.dispose()
