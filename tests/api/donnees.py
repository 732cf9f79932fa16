"""JSON bodies as a client of the API would send them."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from core.clock import PARIS

# A commune of each bassin: the accueil deduces the bassin from it (rules/bassins.yaml).
COMMUNES = {
    "bassin_annecien": {"commune": "Annecy", "code_postal": "74000"},
    "genevois_francais": {"commune": "Annemasse", "code_postal": "74100"},
    "chablais": {"commune": "Thonon-les-Bains", "code_postal": "74200"},
    "vallee_arve": {"commune": "Cluses", "code_postal": "74300"},
}


def dans(corps: dict[str, Any], territoire: str) -> dict[str, Any]:
    """The same accueil for a person living in a commune of this bassin."""
    return corps | {"territoire": territoire, "usager": corps["usager"] | COMMUNES[territoire]}


def accueil(jour: date, **usager: Any) -> dict[str, Any]:
    return {
        "accueilli_le": jour.isoformat(),
        "territoire": "bassin_annecien",
        "origine": "caf",
        "usager": {
            "nom": "Martin",
            "prenom": "Julie",
            "date_naissance": "1985-06-02",
            "telephone": "06 11 22 33 44",
            "email": "julie.martin@example.org",
            "code_postal": "74000",
            "commune": "Annecy",
            **usager,
        },
        # one of its own: the accueil takes a shared identifier for the same person (doublon)
        "identifiants": {"france_travail": f"{secrets.randbelow(10**7):07d}A"},
        "consentement": {
            "partage_partenaires": True,
            "themes_sensibles": True,
            "recueilli_le": jour.isoformat(),
        },
    }


def diagnostic(jour: date, bloquants: tuple[str, ...] = ()) -> dict[str, Any]:
    freins = [
        "sante",
        "famille",
        "mobilite",
        "logement",
        "langue",
        "confiance",
        "competences",
        "numerique",
    ]
    return {
        "realise_le": jour.isoformat(),
        "projet": {"metier_vise": "Préparatrice de commandes", "code_rome": "N1103"},
        "situation": "sans_emploi_inscrit",
        "niveau_formation": "niveau_3",
        "droits": {"rsa": True},
        "disponibilite": "immediate",
        "freins": [
            {"frein": f, "niveau": "bloquant" if f in bloquants else "aucun"} for f in freins
        ],
    }


def contrat(jour: date, mois: int = 6) -> dict[str, Any]:
    fin = date(
        jour.year + (jour.month - 1 + mois) // 12,
        (jour.month - 1 + mois) % 12 + 1,
        min(jour.day, 28),
    )
    return {
        "type": "ppae",
        "date_debut": jour.isoformat(),
        "date_fin": fin.isoformat(),
        "objectifs": [{"libelle": "Retrouver un emploi en logistique"}],
    }


def rdv_demain(jour: date) -> dict[str, Any]:
    moment = datetime.combine(jour + timedelta(days=1), time(10, 0), tzinfo=PARIS)
    return {
        "date_heure": moment.isoformat(),
        "mode": "sur_place",
        "lieu": "Agence d'Annecy",
        "professionnel": "Karim Benali",
        "objet": "Point d'étape",
    }


def embauche_cdi(jour: date) -> dict[str, Any]:
    return {
        "type_contrat": "cdi",
        "metier": "Préparatrice de commandes",
        "date_debut": jour.isoformat(),
        "employeur": {
            "siret": "73282932000074",
            "raison_sociale": "Logistique des Aravis",
            "etablissement": "Entrepôt de Seynod",
            "commune": "Seynod",
        },
    }


def convention(debut: date, jours: int = 10, objectif: str = "confirmer") -> dict[str, Any]:
    """A PMSMP convention starting that day, lasting that many days (30 at most is valid)."""
    return {
        "entreprise": {
            "siret": "73282932000074",
            "raison_sociale": "Logistique des Aravis",
            "etablissement": "Entrepôt de Seynod",
            "commune": "Seynod",
        },
        "tuteur": {"nom": "Perret", "prenom": "Alain", "fonction": "Chef d'équipe"},
        "date_debut": debut.isoformat(),
        "date_fin": (debut + timedelta(days=jours - 1)).isoformat(),
        "heures_hebdomadaires": 35,
        "horaires": "Du lundi au vendredi, 8 h – 12 h et 13 h 30 – 16 h 30",
        "objectif": objectif,
        "metier": "Préparatrice de commandes",
    }
