"""Ticket 20, item 2, over HTTP: the référent prescribes a service; its structure receives an
e-mail with a personal link (no account); the link's page shows the person's shared details,
the motive and the référent's contact; the structure refuses with DORA's reasons. A wrong
form is a 422 naming its field and changes nothing; the same answer sent twice is recorded
once; an unknown and an expired link give the same 404; the secret is nowhere but the e-mail."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import col, update

from schemas.action import StatutAction
from schemas.carnet import empreinte
from schemas.orientation_structure import StatutOrientation
from services.parcours_client import ParcoursClient
from store.db import make_engine, session_factory
from store.orientations_structures import OrientationStructureRow
from tests.cockpit.conftest import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.orientation.outils import (
    SERVICE,
    attendre,
    catalogue_avec_courriel,
    en_orientation,
    secret_recu,
)
from tests.securite.traces import historique_en_clair

MOTIF = "Français à l'écrit avant la formation d'aide-soignante"
INVALIDE = "Ce lien n&#39;est pas valable ou a expiré"


@pytest.fixture
def courriel_structure(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from catalogue_avec_courriel(monkeypatch)


async def _expirer(plateforme: Plateforme, secret: str) -> None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            await session.exec(
                update(OrientationStructureRow)
                .where(col(OrientationStructureRow.empreinte) == empreinte(secret))
                .values(expire_le=date.today())
            )
            await session.commit()
    finally:
        await engine.dispose()


async def test_la_structure_refuse_par_son_lien(
    plateforme: Plateforme, simulateur: Simulateur, courriel_structure: str
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid = await en_orientation(claire)
        action = {"service_id": SERVICE, "debut_prevu": date.today().isoformat(), "motif": MOTIF}
        r = await claire.post(f"/api/v1/parcours/{pid}/prescrire-action", json=action)
        assert r.status_code == 200, r.text
        nom = r.json()["etat"]["usager"]["nom"]
    secret = await secret_recu(simulateur, courriel_structure)
    historique = await historique_en_clair(plateforme.env.client, f"parcours-{pid}")
    assert secret not in historique
    clients = ParcoursClient(plateforme.env.client, plateforme.task_queue)

    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as structure:

        async def page() -> httpx.Response | None:
            r = await structure.get(f"/orientation/{secret}")
            return r if r.status_code == 200 else None

        r = await attendre(page, "la page de la demande s'ouvre (projection)")
        assert "Atelier de français langue étrangère" in r.text
        assert nom in r.text
        assert MOTIF.replace("'", "&#39;") in r.text
        assert "claire.martin@hautesavoie.fr" in r.text
        assert "Session complète" in r.text  # DORA's reasons

        r = await structure.post(f"/orientation/{secret}", data={"decision": "refusee"})
        assert r.status_code == 422, r.text
        assert "Cochez au moins un motif de refus." in r.text
        assert 'id="champ-motifs_refus-erreur"' in r.text
        etat = await clients.etat(pid)
        assert etat.actions[0].orientation.statut == StatutOrientation.OUVERTE  # type: ignore[union-attr]

        refus = {"decision": "refusee", "motifs_refus": ["session-complète"]}
        for _ in range(2):  # the same answer twice: recorded once, shown twice
            r = await structure.post(f"/orientation/{secret}", data=refus)
            assert r.status_code == 200, r.text
            assert "Vous avez refusé cette orientation" in r.text
        r = await structure.post(
            f"/orientation/{secret}",
            data={
                "decision": "acceptee",
                "debut_le": (date.today() + timedelta(days=3)).isoformat(),
            },
        )
        assert r.status_code == 409, r.text
        assert "Vous avez déjà répondu à cette demande" in r.text

        inconnu = await structure.get(f"/orientation/{secrets.token_urlsafe(32)}")

        async def expire_() -> httpx.Response | None:
            # the projection may rewrite the row meanwhile (the référent's notification was
            # still on its way): expire it again until the page sees it expired
            await _expirer(plateforme, secret)
            r = await structure.get(f"/orientation/{secret}")
            return r if r.status_code != 200 else None

        expire = await attendre(expire_, "le lien expiré ne s'ouvre plus")
        assert inconnu.status_code == expire.status_code == 404
        assert INVALIDE in inconnu.text
        assert inconnu.text == expire.text

    etat = await clients.etat(pid)
    (action_,) = etat.actions
    assert action_.statut == StatutAction.ANNULEE
    assert action_.orientation is not None
    assert action_.orientation.motifs_refus == ["session-complète"]
    assert [e.code for e in etat.timeline].count("orientation_refusee") == 1
    assert "orientation_refusee" in {a.code for a in etat.alertes}
