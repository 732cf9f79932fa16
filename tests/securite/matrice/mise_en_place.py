"""The matrix's dossier, made step by step (conftest.py's ``contexte`` runs them in order, once;
what the other families' rows name besides: mise_en_place_familles.py).

A parcours of the Bassin annécien opened by Sophie Girard and handed over to Claire Martin (not
yet acknowledged), so Claire is its référent and Sophie keeps read access for 30 days; its carnet
link sent by SMS, and an incident of the SMS gateway. A twin parcours in the same situation is
closed: every command on it is refused for being closed *after* the access checks, so that the
commands' rows change nothing.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import httpx
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.parcours import Accueil
from services.parcours_client import ParcoursClient
from store.comptes import Compte
from store.db import make_engine, session_factory
from store.parcours import AccesRow, AccesUsagerRow, IncidentRow, ParcoursRow
from tests import factories
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import RAPIDE
from tests.securite.corps import commandes
from tests.securite.matrice.commun import COMPTES
from web.securite.sessions import creer_jeton


@dataclass(frozen=True)
class Personne:
    """The person of the dossier: a name, a phone and an e-mail drawn for this set-up."""

    accueil: Accueil
    nom: str
    telephone: str
    email: str


def personne(jour: date) -> Personne:
    nom = "Matrice" + secrets.token_hex(4).upper()
    telephone = f"06 {secrets.randbelow(100):02d} {secrets.randbelow(100):02d} 45 67"
    accueil = factories.accueil_rsa(jour, telephone=telephone)
    email = f"{nom.lower()}@example.org"
    accueil = accueil.model_copy(
        update={"usager": accueil.usager.model_copy(update={"nom": nom, "email": email})}
    )
    return Personne(accueil, nom, telephone, email)


async def ouvrir_le_dossier(
    plateforme: Plateforme, sophie: httpx.AsyncClient, accueil: Accueil, jour: date
) -> str:
    """Opened by Sophie, diagnosed, oriented, its contract written and signed."""
    # Quick retries, so that the SMS gateway's outage becomes an incident at once.
    temporal = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await temporal.ouvrir(accueil, factories.SOPHIE, politique_appels=RAPIDE)).parcours_id
    corps = commandes(jour, referent_id="ref-sophie-girard")
    for nom_cmd in ("enregistrer_diagnostic", "decider_orientation", "rediger_contrat"):
        r = await sophie.post(
            f"/api/v1/parcours/{pid}/{nom_cmd.replace('_', '-')}", json=corps[nom_cmd]
        )
        assert r.status_code == 200, r.text
    for signataire in ("usager", "referent"):
        r = await sophie.post(
            f"/api/v1/parcours/{pid}/signer-contrat",
            json={"signataire": signataire, "signe_le": jour.isoformat()},
        )
        assert r.status_code == 200, r.text
    return pid


async def lien_du_carnet(
    simulateur: Simulateur, sophie: httpx.AsyncClient, pid: str, telephone: str
) -> str:
    """The carnet link sent by SMS: its secret, as the person received it."""
    lien = await sophie.post(f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"})
    assert lien.status_code == 200, lien.text

    async def sms() -> str | None:
        recus = await simulateur.sms(telephone=telephone)
        trouve = re.search(r"/carnet/([A-Za-z0-9_-]+)", recus[0]["texte"]) if recus else None
        return trouve.group(1) if trouve else None

    return cast(str, await _attendre(sms, "SMS du lien de carnet"))


async def incident_sms(
    plateforme: Plateforme, simulateur: Simulateur, sophie: httpx.AsyncClient, pid: str
) -> None:
    """The link sent again while the SMS gateway is down: an incident of the dossier."""
    await simulateur.mode("sms", "panne")
    try:
        r = await sophie.post(f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"})
        assert r.status_code == 200, r.text
        await _attendre(
            lambda: _lu(plateforme, select(IncidentRow).where(IncidentRow.parcours_id == pid)),
            "incident de la passerelle SMS",
        )
    finally:
        await simulateur.mode("sms", "normal")


async def passe_a_claire(sophie: httpx.AsyncClient, pid: str) -> None:
    r = await sophie.post(
        f"/api/v1/parcours/{pid}/transferer-referent",
        json={"nouveau_referent_id": "ref-claire-martin", "motif": "Congé de Sophie"},
    )
    assert r.status_code == 200, r.text


async def jumeau(sophie: httpx.AsyncClient, jour: date, nom: str) -> str:
    """The twin, opened by Sophie and handed over to Claire (closed later, its team made)."""
    clos = (
        await sophie.post(
            "/api/v1/parcours",
            json=donnees.accueil(jour, nom=nom + "CLOS") | {"doublon_confirme": True},
        )
    ).json()["id"]
    await passe_a_claire(sophie, clos)
    return cast(str, clos)


async def clore(
    plateforme: Plateforme, claire: httpx.AsyncClient, pid: str, clos: str, jour: date
) -> None:
    """The twin closed, and waited for in the read model with the dossier's link and access."""
    sortie = await claire.post(
        f"/api/v1/parcours/{clos}/prononcer-sortie",
        json={"le": jour.isoformat(), "motif": "demenagement"},
    )
    assert sortie.status_code == 200, sortie.text

    async def pret() -> bool:
        lien_projete = await _lu(
            plateforme, select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid)
        )
        acces = await _lu(
            plateforme,
            select(AccesRow).where(
                AccesRow.parcours_id == pid, col(AccesRow.compte_id) == "ref-sophie-girard"
            ),
        )
        clos_lu = (await claire.get(f"/api/v1/parcours/{clos}")).json()
        return bool(lien_projete and acces and clos_lu["etat"]["sortie"])

    await _attendre(pret, "projection du dossier et clôture du jumeau")


async def equipe_de_suivi(
    plateforme: Plateforme, claire: httpx.AsyncClient, pid: str, clos: str, accueil: Accueil
) -> tuple[str, str]:
    """The teams of the dossier and of its twin (before the twin closes): (a note, a pending
    request to join the twin)."""
    for parcours_id in (pid, clos):
        for compte, role in (
            (COMPTES["membre"], "conseiller_france_travail"),
            (COMPTES["ancien_membre"], "autre"),
        ):
            r = await claire.post(
                f"/api/v1/parcours/{parcours_id}/ajouter-membre",
                json={"compte_id": compte, "role": role},
            )
            assert r.status_code == 200, r.text
        r = await claire.post(
            f"/api/v1/parcours/{parcours_id}/retirer-membre",
            json={"compte_id": COMPTES["ancien_membre"], "motif": "Fin de l'atelier"},
        )
        assert r.status_code == 200, r.text
    twin = (await claire.get(f"/api/v1/parcours/{clos}")).json()["etat"]["usager"]
    projete = select(ParcoursRow.id).where(col(ParcoursRow.id) == clos)
    await _attendre(lambda: _lu(plateforme, projete), "projection du jumeau")  # searched there
    u = accueil.usager
    async with (
        plateforme.client(COMPTES["refuse"]) as julien,
        plateforme.client(COMPTES["membre"]) as karim,
    ):
        for nom, prenom, naissance in (
            (u.nom, u.prenom, u.date_naissance.isoformat()),
            (twin["nom"], twin["prenom"], twin["date_naissance"]),
        ):
            corps = {"nom": nom, "prenom": prenom, "date_naissance": naissance, "role": "cip_siae"}
            r = await julien.post("/api/v1/rattachements", json=corps)
            assert r.status_code == 202, r.text
        note = await karim.post(f"/api/v1/parcours/{pid}/notes", json={"texte": "Vu en atelier"})
        assert note.status_code == 201, note.text
    (refusee,) = (await claire.get(f"/api/v1/parcours/{pid}/rattachements")).json()
    r = await claire.post(f"/api/v1/parcours/{pid}/rattachements/{refusee['id']}/refuser")
    assert r.status_code == 204, r.text
    (en_attente,) = (await claire.get(f"/api/v1/parcours/{clos}/rattachements")).json()
    return note.json()["id"], en_attente["id"]


async def empreintes_actives(plateforme: Plateforme, pid: str) -> frozenset[str]:
    """The fingerprints of the links that open the person's carnet."""
    async with session_de(plateforme) as session:
        rows = (
            await session.exec(select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid))
        ).all()
    return frozenset(r.empreinte for r in rows if not r.revoque)


async def _attendre(quoi: Callable[[], Any], message: str, delai_s: float = 20) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if trouve := await quoi():
            return trouve
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)


@asynccontextmanager
async def session_de(plateforme: Plateforme) -> AsyncIterator[AsyncSession]:
    """A session on the platform's database, its engine disposed of after."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def jeton(plateforme: Plateforme, compte_id: str) -> str:
    """An API token of the account, as the matrix asks with."""
    async with session_de(plateforme) as session:
        compte = await session.get(Compte, compte_id)
        assert compte is not None
        return await creer_jeton(session, compte, "matrice des droits")


async def _lu(plateforme: Plateforme, requete: Any) -> Any:
    async with session_de(plateforme) as session:
        return (await session.exec(requete)).first()
