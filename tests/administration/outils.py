"""What the administration tests share: valid SIRETs, the activation link of an e-mail,
activating an account, logging in with the chosen password."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from stdnum import luhn
from stdnum.fr import siret

from tests.fixtures.simulateur import Simulateur

MOT_DE_PASSE = "un-mot-de-passe-assez-long"
LIEN = re.compile(r"https?://\S+/activation/([A-Za-z0-9_-]+)")


def un_siret() -> str:
    """A SIRET of a fictitious establishment, valid for stdnum (SIREN and SIRET keys)."""
    siren = "".join(str(secrets.randbelow(10)) for _ in range(8))
    siren += luhn.calc_check_digit(siren)
    nic = "".join(str(secrets.randbelow(10)) for _ in range(4))
    for chiffre in "0123456789":
        if siret.is_valid(siren + nic + chiffre):
            return siren + nic + chiffre
    raise AssertionError("aucune clé de SIRET trouvée")


async def lien_recu(simulateur: Simulateur, email: str, deja: int = 0, delai_s: float = 20) -> str:
    """The path of the newest activation link sent to ``email`` (after ``deja`` earlier ones)."""
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        liens = [
            m.group(1)
            for c in await simulateur.courriels(destinataire=email)
            if (m := LIEN.search(c["texte"]))
        ]
        if len(liens) > deja:
            return f"/activation/{liens[-1]}"
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Aucun lien d'activation reçu par {email} après {delai_s} s")
        await asyncio.sleep(0.1)


async def activer(client: httpx.AsyncClient, chemin: str, mot_de_passe: str = MOT_DE_PASSE) -> None:
    page = await client.get(chemin)
    assert page.status_code == 200, page.text
    fait = await client.post(
        chemin, data={"mot_de_passe": mot_de_passe, "confirmation": mot_de_passe}
    )
    assert fait.status_code == 200, fait.text
    assert "votre compte est actif" in fait.text


@asynccontextmanager
async def connexion(
    base_url: str, email: str, mot_de_passe: str = MOT_DE_PASSE
) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in through the login form, its CSRF token in its headers."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await _connecter(client, email, mot_de_passe)
        yield client


async def _connecter(client: httpx.AsyncClient, email: str, mot_de_passe: str) -> None:
    page = await client.get("/connexion")
    jeton = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert jeton is not None
    reponse = await client.post(
        "/connexion",
        data={"email": email, "mot_de_passe": mot_de_passe, "csrf_token": jeton.group(1)},
    )
    assert reponse.status_code == 303, reponse.text
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get("/")).text)
    assert csrf is not None
    client.headers["X-CSRF-Token"] = csrf.group(1)
