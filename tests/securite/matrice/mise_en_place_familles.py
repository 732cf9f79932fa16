"""What the families' rows name besides the dossier (mise_en_place.py), made once by conftest.py's
``contexte``: a partner's event in the queue, an encrypted payload, the administered accounts, an
import, a document, the partner's and the chargé de relation entreprise's accounts, the
employers' data (their company, offer, job dating, social clause), a notification."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, date, datetime
from typing import Any, cast

import httpx
from sqlmodel import select
from temporalio.api.common.v1 import Payload

from core.codec import EncryptionCodec
from core.settings import DEV_CODEC_KEY
from store.comptes import Compte
from store.db import ecriture
from store.notifications import Notification, notifier
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import evenement, numero_caf, signe
from tests.securite.matrice.commun import COMPTES, PARTENAIRE
from tests.securite.matrice.dossier import (
    CLAUSES,
    DOCUMENT,
    EV_MATRICE,
    EVENEMENTS,
    FICHE_VIVIER,
    IMPORT,
    OFFRE_MATRICE,
    OFFRES,
    SIRET_MATRICE,
    STRUCTURE_MATRICE,
    Contexte,
    saisie_clause,
    saisie_evenement,
    saisie_offre,
)
from tests.securite.matrice.mise_en_place import jeton, session_de
from web.securite.mots_de_passe import hacher
from web.securite.sessions import creer_jeton


async def evenement_en_attente(plateforme: Plateforme, jour: date) -> str:
    """A CAF event about nobody the platform follows: it waits in the « à rapprocher » queue."""
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
    return cast(str, en_attente["id"])


async def payload_chiffre() -> dict[str, Any]:
    """An encrypted Temporal payload, as the Temporal UI sends it to the codec."""
    codec = EncryptionCodec.from_spec(DEV_CODEC_KEY)
    (chiffre,) = await codec.encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=b'"Zo\xc3\xa9"')]
    )
    return {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in chiffre.metadata.items()},
                "data": base64.b64encode(chiffre.data).decode(),
            }
        ]
    }


async def comptes_administres(plateforme: Plateforme) -> tuple[str, str, str, dict[str, str]]:
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
        jetons = {nom: await jeton(plateforme, compte_id) for nom, compte_id in ids.items()}
        jeton_cible = (await admin.get(f"/api/v1/comptes/{ids['cible']}/jetons")).json()[0]["id"]
    return (
        structure,
        ids["cible"],
        jeton_cible,
        {COMPTES[role]: jetons[role] for role in ("admin_structure", "admin_territoire")},
    )


async def import_en_attente(plateforme: Plateforme) -> str:
    """An import of the Bassin annécien's coordination, not confirmed."""
    async with plateforme.client("coord-bassin_annecien") as coord:
        r = await coord.post("/api/v1/imports", json=IMPORT)
        assert r.status_code == 201, r.text
        return cast(str, r.json()["id"])


async def document_du_dossier(plateforme: Plateforme, pid: str) -> str:
    async with plateforme.client("ref-claire-martin") as claire:
        r = await claire.post(f"/api/v1/parcours/{pid}/documents", json=DOCUMENT)
        assert r.status_code == 201, r.text
        return cast(str, r.json()["id"])


async def compte_partenaire(plateforme: Plateforme) -> str:
    """A partner system's account: it may send signed events, never read the API."""
    async with session_de(plateforme) as session:
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


async def charge_entreprise(plateforme: Plateforme) -> dict[str, str]:
    """The Bassin annécien's chargé de relation entreprise: its token by its COMPTES name."""
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
    return {COMPTES["charge_entreprise"]: await jeton(plateforme, r.json()["id"])}


async def donnees_employeurs(plateforme: Plateforme, pid: str) -> None:
    """The company of the matrix, its offer, the dossier in the pool and proposed for it, a job
    dating it is invited to and a social clause it is placed on (made by the administration)."""
    async with plateforme.client("admin") as admin:
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
        await _evenement_et_clause(admin, pid)


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


async def notification_de_claire(plateforme: Plateforme, pid: str) -> int:
    async with session_de(plateforme) as session:
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
