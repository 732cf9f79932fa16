"""What the orientation tests share: a catalogue whose service gives its structure's e-mail
(data·inclusion ``courriel``; the catalogue of the repository has none yet), a parcours
oriented to Claire, and the answer link read from the e-mail the structure received."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest

from referentiels import catalogue
from tests.api import donnees
from tests.cockpit.conftest import CLAIRE, commande, ouvrir
from tests.fixtures.simulateur import Simulateur

SERVICE = "fle-annecy"
LIEN = re.compile(r"/orientation/([A-Za-z0-9_-]{40,})")


def catalogue_avec_courriel(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """For a fixture: the service ``fle-annecy`` gives a contact e-mail of its own."""
    adresse = f"orientations.{secrets.token_hex(4)}@maison-emploi-annecy.example.org"
    lire = catalogue._lire

    def avec_courriel(nom: str) -> list[dict[str, object]]:
        data = lire(nom)
        if nom == "services.json":
            data = [s | {"courriel": adresse} if s["id"] == SERVICE else s for s in data]
        return data

    monkeypatch.setattr(catalogue, "_lire", avec_courriel)
    catalogue.offres.cache_clear()
    yield adresse
    monkeypatch.undo()
    catalogue.offres.cache_clear()


async def en_orientation(claire: httpx.AsyncClient, **usager: Any) -> str:
    """Claire's parcours, oriented to her own organisme: actions can be prescribed."""
    today = date.today()
    pid = await ouvrir(claire, **usager)
    await commande(claire, pid, "enregistrer_diagnostic", donnees.diagnostic(today, ("mobilite",)))
    decision = {
        "decidee_le": today.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": CLAIRE,
        "motif_ecart": "Suivi social déjà engagé au pôle médico-social",
    }
    await commande(claire, pid, "decider_orientation", decision)
    return pid


async def attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 30) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)
    return trouve


async def secret_recu(simulateur: Simulateur, adresse: str) -> str:
    """The answer link's secret, from the e-mail the structure received."""

    async def lien() -> str | None:
        for m in await simulateur.courriels(destinataire=adresse):
            if found := LIEN.search(str(m)):
                return found.group(1)
        return None

    secret: str = await attendre(lien, "le courriel d'orientation à la structure")
    return secret
