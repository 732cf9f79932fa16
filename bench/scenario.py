"""One parcours from accueil to sortie through the JSON API, as two référents would carry it:
Claire (Conseil départemental) records the accueil and the diagnostic and orients towards
France Travail; Karim writes and signs the contract, prescribes an action, meets the person,
prepares an immersion that a hiring makes unnecessary, declares the hiring, pronounces the
sortie. 17 commands, each one HTTP request answered with the new state."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as heure
from typing import Any

import httpx

from core.clock import PARIS

CLAIRE, KARIM = "ref-claire-martin", "ref-karim-benali"
PRENOMS = ["Julie", "Nadia", "Kevin", "Sofiane", "Marie", "Lucas", "Inès", "Thomas", "Aïcha"]
NOMS = ["Martin", "Bernard", "Dubois", "Rossi", "Haddad", "Favre", "Mercier", "Girard"]

Corps = dict[str, Any]


def identifiant_france_travail(rng: random.Random) -> str:
    return f"{rng.randrange(10**7):07d}{rng.choice('ABCDEFGHJK')}"


def numero_caf(rng: random.Random) -> str:
    return f"{rng.randrange(10**6, 9 * 10**6):07d}"  # the simulated CAF knows no 9…


def accueil(jour: date, rng: random.Random, france_travail: str, caf: str | None) -> Corps:
    """A person of her own (no duplicate refusal): random name and birth date."""
    naissance = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
    identifiants = {"france_travail": france_travail} | ({"caf": caf} if caf else {})
    return {
        "accueilli_le": jour.isoformat(),
        "territoire": "bassin_annecien",
        "origine": "caf",
        "usager": {
            "nom": f"{rng.choice(NOMS)}-{rng.randrange(10**6)}",
            "prenom": rng.choice(PRENOMS),
            "date_naissance": naissance.isoformat(),
            "telephone": "06 11 22 33 44",
            "email": "personne@example.org",
            "code_postal": "74000",
            "commune": "Annecy",
        },
        "identifiants": identifiants,
        "consentement": {
            "partage_partenaires": True,
            "themes_sensibles": True,
            "recueilli_le": jour.isoformat(),
        },
    }


def diagnostic(jour: date) -> Corps:
    freins = ["sante", "famille", "mobilite", "logement", "langue", "confiance"]
    freins += ["competences", "numerique"]
    return {
        "realise_le": jour.isoformat(),
        "projet": {"metier_vise": "Préparatrice de commandes", "code_rome": "N1103"},
        "situation": "sans_emploi_inscrit",
        "niveau_formation": "niveau_3",
        "droits": {"rsa": True},
        "disponibilite": "immediate",
        "freins": [
            {"frein": f, "niveau": "bloquant" if f == "mobilite" else "aucun"} for f in freins
        ],
    }


ENTREPRISE = {
    "siret": "73282932000074",
    "raison_sociale": "Logistique des Aravis",
    "etablissement": "Entrepôt de Seynod",
    "commune": "Seynod",
}


def convention(jour: date) -> Corps:
    return {
        "entreprise": ENTREPRISE,
        "tuteur": {"nom": "Favre", "prenom": "Lucie", "fonction": "Cheffe d'équipe"},
        "date_debut": (jour + timedelta(days=10)).isoformat(),
        "date_fin": (jour + timedelta(days=23)).isoformat(),
        "heures_hebdomadaires": 35,
        "horaires": "Du lundi au vendredi, 8 h – 15 h",
        "objectif": "confirmer",
        "metier": "Préparatrice de commandes",
        "code_rome": "N1103",
    }


def _rdv_prevu(etat: Corps) -> str:
    return str(next(r["id"] for r in etat["rdvs"] if r["statut"] == "prevu"))


def j(jour: date) -> str:
    return jour.isoformat()


def demain_10h(jour: date) -> datetime:
    return datetime.combine(jour + timedelta(days=1), heure(10), PARIS)


@dataclass(frozen=True)
class Etape:
    compte: str
    commande: str  # the API path segment
    corps: Callable[[date, Corps], Corps]  # from the day and the last state returned


def etapes() -> list[Etape]:
    """The 16 commands after the accueil, in the order a référent sends them."""
    return [
        Etape(CLAIRE, "enregistrer-diagnostic", lambda d, _: diagnostic(d)),
        Etape(
            CLAIRE,
            "decider-orientation",
            lambda d, _: {
                "decidee_le": j(d),
                "type": "professionnelle",
                "organisme": "france_travail",
                "referent_id": KARIM,
            },
        ),
        Etape(
            KARIM,
            "rediger-contrat",
            lambda d, _: {
                "type": "ppae",
                "date_debut": j(d),
                "date_fin": j(d + timedelta(days=180)),
                "objectifs": [{"libelle": "Retrouver un emploi en logistique"}],
            },
        ),
        Etape(KARIM, "signer-contrat", lambda d, _: {"signataire": "usager", "signe_le": j(d)}),
        Etape(KARIM, "signer-contrat", lambda d, _: {"signataire": "referent", "signe_le": j(d)}),
        Etape(
            KARIM,
            "prescrire-action",
            lambda d, _: {
                "service_id": "permis-solidaire",
                "frein": "mobilite",
                "debut_prevu": j(d + timedelta(days=7)),
            },
        ),
        Etape(
            KARIM,
            "planifier-rdv",
            lambda d, _: {
                "date_heure": demain_10h(d).isoformat(),
                "mode": "sur_place",
                "lieu": "Agence d'Annecy",
                "professionnel": "Karim Benali",
                "objet": "Point d'étape",
            },
        ),
        Etape(
            KARIM,
            "enregistrer-contact",
            lambda d, _: {"le": j(d), "mode": "telephone", "objet": "Préparation de l'entretien"},
        ),
        Etape(KARIM, "renseigner-rdv", lambda _, e: {"rdv_id": _rdv_prevu(e), "statut": "annule"}),
        Etape(KARIM, "prescrire-pmsmp", lambda d, _: convention(d)),
        Etape(KARIM, "signer-pmsmp", lambda d, _: {"signataire": "beneficiaire", "signe_le": j(d)}),
        Etape(KARIM, "signer-pmsmp", lambda d, _: {"signataire": "entreprise", "signe_le": j(d)}),
        Etape(KARIM, "signer-pmsmp", lambda d, _: {"signataire": "tuteur", "signe_le": j(d)}),
        Etape(
            KARIM,
            "annuler-pmsmp",
            lambda d, _: {"annulee_le": j(d), "motif": "Embauche avant le début de l'immersion"},
        ),
        Etape(
            KARIM,
            "declarer-embauche",
            lambda d, _: {
                "type_contrat": "cdi",
                "metier": "Préparatrice de commandes",
                "date_debut": j(d),
                "employeur": ENTREPRISE,
            },
        ),
        Etape(KARIM, "prononcer-sortie", lambda d, _: {"le": j(d), "motif": "emploi_durable"}),
    ]


class EtapeRefusee(RuntimeError):
    pass


@dataclass
class Trajet:
    parcours_id: str = ""
    commandes: int = 0
    latences_s: list[float] = field(default_factory=list)


async def _envoyer(client: httpx.AsyncClient, chemin: str, corps: Corps, trajet: Trajet) -> Corps:
    debut = time.perf_counter()
    reponse = await client.post(chemin, json=corps)
    trajet.latences_s.append(time.perf_counter() - debut)
    if reponse.status_code not in (200, 201):
        raise EtapeRefusee(f"{chemin} : {reponse.status_code} {reponse.text[:300]}")
    trajet.commandes += 1
    vue: Corps = reponse.json()
    return vue


async def parcours_complet(
    clients: dict[str, httpx.AsyncClient],
    jour: date,
    rng: random.Random,
    jusqu_a: int | None = None,
) -> Trajet:
    """Accueil, then every step (or the first ``jusqu_a`` of them: a parcours left open)."""
    trajet = Trajet()
    corps = accueil(jour, rng, identifiant_france_travail(rng), numero_caf(rng))
    vue = await _envoyer(clients[CLAIRE], "/api/v1/parcours", corps, trajet)
    trajet.parcours_id = pid = str(vue["id"])
    for etape in etapes()[:jusqu_a]:
        chemin = f"/api/v1/parcours/{pid}/{etape.commande}"
        vue = await _envoyer(clients[etape.compte], chemin, etape.corps(jour, vue["etat"]), trajet)
    if jusqu_a is None and vue["statut"] != "clos":
        raise EtapeRefusee(f"Parcours {pid} non clos après la sortie : {vue['statut']}")
    return trajet
