"""The matrix's dossier, made once for every family's rows (``contexte``), and the hook that
gives each family's ``test_matrice`` one test per row of its file.

The dossier: a parcours of the Bassin annécien opened by Sophie Girard and handed over to
Claire Martin (not yet acknowledged), so Claire is its référent and Sophie keeps read access
for 30 days. A twin parcours in the same situation is closed: every command on it is refused
for being closed *after* the access checks, so that the commands' rows change nothing.
"""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, cast

import httpx
import pytest
import pytest_asyncio
from sqlmodel import col, select
from temporalio.api.common.v1 import Payload

from core.codec import EncryptionCodec
from core.settings import DEV_CODEC_KEY
from services.parcours_client import ParcoursClient
from store.comptes import Compte
from store.db import ecriture, make_engine, session_factory
from store.notifications import Notification, notifier
from store.parcours import AccesRow, AccesUsagerRow, IncidentRow, ParcoursRow
from tests import factories
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import RAPIDE, evenement, numero_caf, signe
from tests.securite.corps import commandes
from tests.securite.matrice.commun import (
    CLAUSES,
    COMPTES,
    DOCUMENT,
    EV_MATRICE,
    EVENEMENTS,
    FICHE_VIVIER,
    IMPORT,
    OFFRE_MATRICE,
    OFFRES,
    PARTENAIRE,
    SIRET_MATRICE,
    STRUCTURE_MATRICE,
    Contexte,
    saisie_clause,
    saisie_evenement,
    saisie_offre,
)
from web.securite.mots_de_passe import hacher
from web.securite.sessions import creer_jeton


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each family's ``test_matrice``, once per row of its file, read once the whole module
    is loaded: a ``parametrize`` decorator reads ``LIGNES`` where it stands, and rows added
    below it would be routes with a row, never asked."""
    if metafunc.definition.name == "test_matrice":
        lignes = metafunc.module.LIGNES
        ids = [f"{methode} {chemin}" for methode, chemin in lignes]
        metafunc.parametrize("route", list(lignes), ids=ids)


# Made once per session (per process under xdist), for every family file: a second set-up on
# the same platform would be refused (STRUCTURE_MATRICE's name is drawn once, at import), and
# the dossier is the same for every row (docs/reliability.md, « loadfile et pas worksteal »).
@pytest_asyncio.fixture(scope="session")
async def contexte(plateforme: Plateforme, simulateur_session: Simulateur) -> Contexte:
    jour = date.today()
    nom = "Matrice" + secrets.token_hex(4).upper()
    telephone = f"06 {secrets.randbelow(100):02d} {secrets.randbelow(100):02d} 45 67"
    accueil = factories.accueil_rsa(jour, telephone=telephone)
    email = f"{nom.lower()}@example.org"
    accueil = accueil.model_copy(
        update={"usager": accueil.usager.model_copy(update={"nom": nom, "email": email})}
    )
    # Quick retries, so that the SMS gateway's outage becomes an incident at once.
    temporal = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await temporal.ouvrir(accueil, factories.SOPHIE, politique_appels=RAPIDE)).parcours_id
    corps = commandes(jour, referent_id="ref-sophie-girard")
    async with (
        plateforme.client("ref-sophie-girard") as sophie,
        plateforme.client("ref-claire-martin") as claire,
    ):
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
        lien = await sophie.post(
            f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"}
        )
        assert lien.status_code == 200, lien.text

        async def sms() -> str | None:
            recus = await simulateur_session.sms(telephone=telephone)
            trouve = re.search(r"/carnet/([A-Za-z0-9_-]+)", recus[0]["texte"]) if recus else None
            return trouve.group(1) if trouve else None

        secret = await _attendre(sms, "SMS du lien de carnet")
        await simulateur_session.mode("sms", "panne")
        try:
            r = await sophie.post(
                f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"}
            )
            assert r.status_code == 200, r.text
            await _attendre(
                lambda: _lu(plateforme, select(IncidentRow).where(IncidentRow.parcours_id == pid)),
                "incident de la passerelle SMS",
            )
        finally:
            await simulateur_session.mode("sms", "normal")
        await _passe_a_claire(sophie, pid)

        clos = (
            await sophie.post(
                "/api/v1/parcours",
                json=donnees.accueil(jour, nom=nom + "CLOS") | {"doublon_confirme": True},
            )
        ).json()["id"]
        await _passe_a_claire(sophie, clos)
        note, demande = await _equipe_de_suivi(plateforme, claire, pid, clos, accueil)
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

    en_attente = evenement(
        plateforme,
        "caf",
        "fr.caf.rsa.droits-suspendus",
        numero_caf(),
        {"date": jour.isoformat(), "motif": "Contrôle"},
    )
    corps_ev, entetes_ev = signe(plateforme, "caf", en_attente)
    async with plateforme.client() as anonyme:
        envoi = await anonyme.post(
            "/api/v1/partners/caf/events", content=corps_ev, headers=entetes_ev
        )
    assert envoi.json() == {"status": "accepted", "matched": False}, envoi.text

    codec = EncryptionCodec.from_spec(DEV_CODEC_KEY)
    (chiffre,) = await codec.encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=b'"Zo\xc3\xa9"')]
    )
    payload = {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in chiffre.metadata.items()},
                "data": base64.b64encode(chiffre.data).decode(),
            }
        ]
    }
    structure, cible, jeton_cible, jetons = await _comptes_administres(plateforme)
    async with plateforme.client("coord-bassin_annecien") as coord:
        r = await coord.post("/api/v1/imports", json=IMPORT)
        assert r.status_code == 201, r.text
        import_id = r.json()["id"]
    async with plateforme.client("ref-claire-martin") as claire:
        r = await claire.post(f"/api/v1/parcours/{pid}/documents", json=DOCUMENT)
        assert r.status_code == 201, r.text
        document = r.json()["id"]
    return Contexte(
        document=document,
        import_id=import_id,
        pid=pid,
        clos=clos,
        nom=nom,
        lien=secret,
        empreintes=frozenset(await _empreintes_actives(plateforme, pid)),
        contacts=(telephone, telephone.replace(" ", ""), email),
        evenement=en_attente["id"],
        jeton_partenaire=await _compte_partenaire(plateforme),
        jetons=plateforme.jetons | jetons | await _charge_entreprise(plateforme, pid),
        payload=payload,
        plateforme=plateforme,
        jour=jour,
        structure=structure,
        cible=cible,
        jeton_cible=jeton_cible,
        note=note,
        demande=demande,
        notification=await _notification_de_claire(plateforme, pid),
    )


async def _comptes_administres(plateforme: Plateforme) -> tuple[str, str, str, dict[str, str]]:
    """The « Matrice » Mission Locale, its administrator, the Bassin annécien's administrator,
    and an account of that structure with an API token: (structure, account, token id, the
    two administrators' tokens by their COMPTES name)."""
    async with plateforme.client("admin") as admin:
        r = await admin.post("/api/v1/structures", json=STRUCTURE_MATRICE)
        assert r.status_code == 201, r.text
        structure = r.json()["id"]
        ids = {}
        for nom, corps in (
            ("admin_structure", {"role": "admin_structure", "structure_id": structure}),
            ("admin_territoire", {"role": "admin_territoire", "territoire": "bassin_annecien"}),
            ("cible", {"role": "referent", "structure_id": structure}),
        ):
            email = f"{nom.replace('_', '.')}.{secrets.token_hex(3)}@ml-matrice.fr"
            r = await admin.post("/api/v1/comptes", json={"email": email, "nom": nom} | corps)
            assert r.status_code == 201, r.text
            ids[nom] = r.json()["id"]
        jetons = {}
        engine = make_engine(plateforme.settings.effective_database_url)
        try:
            async with session_factory(engine)() as session:
                for nom, compte_id in ids.items():
                    compte = await session.get(Compte, compte_id)
                    assert compte is not None
                    jetons[nom] = await creer_jeton(session, compte, "matrice des droits")
        finally:
            await engine.dispose()
        jeton_cible = (await admin.get(f"/api/v1/comptes/{ids['cible']}/jetons")).json()[0]["id"]
    return (
        structure,
        ids["cible"],
        jeton_cible,
        {COMPTES[role]: jetons[role] for role in ("admin_structure", "admin_territoire")},
    )


async def _charge_entreprise(plateforme: Plateforme, pid: str) -> dict[str, str]:
    """The Bassin annécien's chargé de relation entreprise, its token by its COMPTES name, and
    the company of the matrix (created by the administration)."""
    async with plateforme.client("admin") as admin:
        r = await admin.post(
            "/api/v1/comptes",
            json={
                "email": f"cre.{secrets.token_hex(3)}@spie74.fr",
                "nom": "Chargé entreprises Matrice",
                "role": "charge_entreprise",
                "territoire": "bassin_annecien",
            },
        )
        assert r.status_code == 201, r.text
        compte_id = r.json()["id"]
        entreprise = {"siret": SIRET_MATRICE, "nom": "Matrice", "code_postal": "74000"}
        r = await admin.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
        assert r.status_code == 201, r.text
        r = await admin.post(OFFRES, json=saisie_offre(cast(Contexte, None)))
        assert r.status_code == 201, r.text
        OFFRE_MATRICE["id"] = r.json()["id"]
        async with plateforme.client("ref-claire-martin") as claire:
            fiche = FICHE_VIVIER | {"projets": ["K2204"]}
            r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=fiche)
            assert r.status_code == 200, r.text
        r = await admin.post(
            f"{OFFRES}/{OFFRE_MATRICE['id']}/propositions", json={"parcours_id": pid}
        )
        assert r.status_code == 201, r.text
        OFFRE_MATRICE["proposition"] = r.json()["id"]
        await _evenement_et_clause(admin, pid)  # --- événements et clauses ---
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, compte_id)
            assert compte is not None
            jeton = await creer_jeton(session, compte, "matrice des droits")
    finally:
        await engine.dispose()
    return {COMPTES["charge_entreprise"]: jeton}


async def _evenement_et_clause(admin: httpx.AsyncClient, pid: str) -> None:
    r = await admin.post(EVENEMENTS, json=saisie_evenement(cast(Contexte, None)))
    assert r.status_code == 201, r.text
    EV_MATRICE["evenement"] = r.json()["id"]
    r = await admin.post(CLAUSES, json=saisie_clause(cast(Contexte, None)))
    assert r.status_code == 201, r.text
    EV_MATRICE["clause"] = r.json()["id"]
    corps = {"parcours_id": pid}
    r = await admin.post(f"{EVENEMENTS}/{EV_MATRICE['evenement']}/invitations", json=corps)
    assert r.status_code == 201, r.text
    EV_MATRICE["invitation"] = r.json()["id"]
    corps |= {"debut": date.today().isoformat()}
    r = await admin.post(f"{CLAUSES}/{EV_MATRICE['clause']}/placements", json=corps)
    assert r.status_code == 201, r.text
    EV_MATRICE["placement"] = r.json()["id"]
    # its hours declared, as the row of the hours enters them: taking the placement away is
    # then refused (409) whatever the order of the rows, and the placement stays for the others
    heures = {"heures_realisees": 12}
    r = await admin.put(
        f"{CLAUSES}/{EV_MATRICE['clause']}/placements/{r.json()['id']}", json=heures
    )
    assert r.status_code == 200, r.text


async def _equipe_de_suivi(
    plateforme: Plateforme, claire: httpx.AsyncClient, pid: str, clos: str, accueil: Any
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


async def _notification_de_claire(plateforme: Plateforme, pid: str) -> int:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            await notifier(
                session,
                cle=f"matrice:{pid}",
                compte_id=COMPTES["referent"],
                sorte="transfert_a_accuser",
                titre="Transfert d'un parcours",
                texte=f"Notification de la matrice {pid}",
                parcours_id=pid,
            )
            n = (
                await session.exec(select(Notification).where(Notification.cle == f"matrice:{pid}"))
            ).one()
            assert n.id is not None
            return n.id
    finally:
        await engine.dispose()


async def _attendre(quoi: Callable[[], Any], message: str, delai_s: float = 20) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if trouve := await quoi():
            return trouve
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)


async def _compte_partenaire(plateforme: Plateforme) -> str:
    """A partner system's account: it may send signed events, never read the API."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, PARTENAIRE)
            if compte is None:
                await ecriture(session)
                compte = Compte(
                    id=PARTENAIRE,
                    email="si@caf74.example",
                    nom="CAF (système)",
                    role="partenaire",
                    mot_de_passe=hacher(secrets.token_urlsafe()),
                    cree_le=datetime.now(UTC),
                )
                session.add(compte)
                await session.commit()
            return await creer_jeton(session, compte, "matrice des droits")
    finally:
        await engine.dispose()


async def _lu(plateforme: Plateforme, requete: Any) -> Any:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return (await session.exec(requete)).first()
    finally:
        await engine.dispose()


async def _empreintes_actives(plateforme: Plateforme, pid: str) -> list[str]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = (
                await session.exec(select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid))
            ).all()
    finally:
        await engine.dispose()
    return [r.empreinte for r in rows if not r.revoque]


async def _passe_a_claire(sophie: httpx.AsyncClient, pid: str) -> None:
    r = await sophie.post(
        f"/api/v1/parcours/{pid}/transferer-referent",
        json={"nouveau_referent_id": "ref-claire-martin", "motif": "Congé de Sophie"},
    )
    assert r.status_code == 200, r.text
