"""The dossier every row asks about (``Contexte``), and what the set-up (mise_en_place.py)
creates for the rows to name: the « Matrice » structure, an import, a document, the
employers' company, offer, job dating and social clause."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme


@dataclass
class Contexte:
    pid: str  # the dossier, open
    clos: str  # its closed twin
    nom: str
    lien: str  # secret of the person's carnet link
    empreintes: frozenset[str]  # fingerprints of the links that open the carnet
    contacts: tuple[str, ...]  # the person's phone (as typed and without spaces), e-mail
    evenement: str  # a CAF event waiting in the « à rapprocher » queue
    jeton_partenaire: str
    jetons: dict[str, str]
    payload: dict[str, Any]  # an encrypted Temporal payload, as the Temporal UI sends it
    plateforme: Plateforme
    jour: date = field(default_factory=date.today)
    structure: str = ""  # the « Matrice » Mission Locale
    cible: str = ""  # an account of that structure, that every kind of administrator manages
    jeton_cible: str = ""  # the id of one of its API tokens
    import_id: str = ""  # an import of the Bassin annécien's coordination, not confirmed
    document: str = ""  # a PDF attached to the dossier by its référent
    note: str = ""  # a note of the team on the dossier, by its member
    demande: str = ""  # a request to join the closed twin's team, pending
    notification: int = 0  # --- notifications --- one of Claire's, about the dossier

    def inconnu(self) -> Contexte:
        """The same requests about parcours that do not exist."""
        return replace(
            self,
            pid=str(uuid.uuid4()),
            clos=str(uuid.uuid4()),
            import_id=str(uuid.uuid4()),
            notification=0,
        )


STRUCTURE_MATRICE = {
    "nom": "Mission Locale Matrice " + secrets.token_hex(3),
    "type": "mission_locale",
    "siret": un_siret(),
    "territoires": ["bassin_annecien"],
}
# A list of one person who lives outside Haute-Savoie: its row is rejected, so confirming the
# import opens nothing.
CSV_IMPORT = "Nom;Prénom;Date de naissance;CP;Commune\nHorsdu;Département;01/02/1990;69000;Lyon\n"
IMPORT = {
    "source": "matrice",
    "nom_fichier": "liste.csv",
    "contenu": base64.b64encode(CSV_IMPORT.encode()).decode(),
}
# --- documents ---
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
DOCUMENT = {
    "type": "attestation",
    "nom_fichier": "attestation.pdf",
    "contenu": base64.b64encode(PDF).decode(),
}
# --- employeurs ---
# The company of the Bassin annécien (its label is the territory's), an offer of it, the
# dossier proposed for it, a job dating the dossier is invited to, a social clause it is
# placed on: made by the administration, their ids kept here once made.
SIRET_MATRICE = un_siret()
OFFRES = "/api/v1/offres"
OFFRE_MATRICE: dict[str, str] = {}  # its id, once the Contexte has made it
FICHE_VIVIER = {"pret": True, "consentement": True, "projets": ["N1103"], "creneaux": ["matin"]}
EVENEMENTS, CLAUSES = "/api/v1/evenements-employeurs", "/api/v1/clauses-sociales"
EV_MATRICE: dict[str, str] = {}  # ids of the event, the invitation, the contract, the placement


def saisie_offre(_: Contexte) -> dict[str, Any]:
    return {
        "siret": SIRET_MATRICE,
        "intitule": "Agent d'entretien",
        "code_rome": "K2204",
        "code_postal": "74000",
        "commune": "Annecy",
        "type_contrat": "cdd",
    }


def saisie_evenement(_: Contexte) -> dict[str, Any]:
    return {
        "nature": "job_dating",
        "titre": "Job dating Matrice",
        "le": date.today().isoformat(),
        "code_postal": "74000",
        "commune": "Annecy",
        "entreprises": [SIRET_MATRICE],
    }


def saisie_clause(_: Contexte) -> dict[str, Any]:
    return {
        "intitule": "Marché Matrice",
        "acheteur": "Commune d'Annecy",
        "siret": SIRET_MATRICE,
        "code_postal": "74000",
        "commune": "Annecy",
        "heures_exigees": 100,
        "debut": (date.today() - timedelta(days=10)).isoformat(),
        "fin": (date.today() + timedelta(days=100)).isoformat(),
    }
