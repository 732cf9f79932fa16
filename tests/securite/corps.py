"""A valid JSON body for every command of the transition table, as a client would send it.

Shared by the role × route matrix (the body must pass validation so that the access checks
are what answers) and by the hostile-input tests (each field in turn is made hostile).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from core.clock import PARIS
from tests.api import donnees

ENTREPRISE = {
    "siret": "73282932000074",
    "raison_sociale": "Logistique des Aravis",
    "etablissement": "Entrepôt de Seynod",
    "commune": "Seynod",
}


def _moment(jour: date, jours: int = 1) -> str:
    return datetime.combine(jour + timedelta(days=jours), time(10, 0), tzinfo=PARIS).isoformat()


def commandes(jour: date, referent_id: str = "ref-claire-martin") -> dict[str, dict[str, Any]]:
    j = jour.isoformat()
    dans_un_mois = (jour + timedelta(days=30)).isoformat()
    return {
        "enregistrer_diagnostic": donnees.diagnostic(jour),
        "decider_orientation": {
            "decidee_le": j,
            "type": "socio_professionnelle",
            "organisme": "conseil_departemental",
            "referent_id": referent_id,
            "motif_ecart": "Choix de la personne, accompagnée par le Département",
        },
        "demander_reorientation": {"demandee_le": j, "motif": "Projet à revoir"},
        "transferer_referent": {"nouveau_referent_id": referent_id, "motif": "Congé long"},
        "accuser_transfert": {"accuse_le": j},
        "rediger_contrat": donnees.contrat(jour),
        "signer_contrat": {"signataire": "usager", "signe_le": j},
        "reviser_contrat": {"realisee_le": j, "bilan": "Point d'étape"},
        "ajouter_avenant": {"signe_le": j, "motif": "Nouvel objectif"},
        "renouveler_contrat": {"decide_le": j, "nouvelle_date_fin": dans_un_mois},
        "signaler_manquement": {"etape": "avertissement", "le": j, "motif": "Absences"},
        "prescrire_action": {"service_id": "inconnu", "debut_prevu": j},
        "mettre_a_jour_action": {"action_id": "a-1", "statut": "en_cours", "le": j},
        "prescrire_pmsmp": {
            "entreprise": ENTREPRISE,
            "tuteur": {"nom": "Perret", "prenom": "Alain", "fonction": "Chef d'équipe"},
            "date_debut": (jour + timedelta(days=3)).isoformat(),
            "date_fin": (jour + timedelta(days=10)).isoformat(),
            "heures_hebdomadaires": 35,
            "horaires": "8 h – 16 h",
            "objectif": "decouvrir",
            "metier": "Préparateur",
        },
        "signer_pmsmp": {"signataire": "beneficiaire", "signe_le": j},
        "valider_pmsmp": {"validee_le": j},
        "annuler_pmsmp": {"annulee_le": j, "motif": "Entreprise indisponible"},
        "rediger_bilan_pmsmp": {"redige_le": j, "resultat": "realisee"},
        "declarer_embauche": donnees.embauche_cdi(jour),
        "enregistrer_point_suivi": {"jalon_jours": 30, "realise_le": j, "deroulement": "bien"},
        "declarer_fin_emploi": {"le": j, "motif": "fin_contrat"},
        "planifier_rdv": donnees.rdv_demain(jour),
        "renseigner_rdv": {"rdv_id": "r-1", "statut": "honore"},
        "regler_rappels": {"active": False, "motif": "Hospitalisation"},
        "enregistrer_contact": {"le": j, "mode": "telephone", "objet": "Nouvelles"},
        "planifier_reunion": {
            "date_heure": _moment(jour, 7),
            "organismes": ["france_travail", "conseil_departemental"],
            "objet": "Situation bloquée",
        },
        "modifier_consentement": {
            "partage_partenaires": True,
            "themes_sensibles": False,
            "recueilli_le": j,
        },
        "modifier_identifiants": {"caf": "1234567"},
        "suspendre_parcours": {"le": j, "motif": "Hospitalisation"},
        "reprendre_parcours": {"le": j},
        "rectifier_identite": {
            "usager": donnees.accueil(jour)["usager"],
            "motif": "Erreur de saisie",
        },
        "envoyer_lien_carnet": {"canal": "sms"},
        "envoyer_message": {"canal": "sms", "texte": "Bonjour {prenom}, rappelez-moi."},
        "inviter_rdv": {"motif": "accompagnement"},
        "revoquer_liens_carnet": {"motif": "Téléphone perdu"},
        "relancer_referent": {"message": "Pouvez-vous reprendre contact ?"},
        "relancer_incident": {"incident_id": "i-1"},
        "resoudre_incident": {"incident_id": "i-1", "motif": "Traité par téléphone"},
        "prononcer_sortie": {"le": j, "motif": "demenagement"},
    }


def formulaire(corps: dict[str, Any], prefixe: str = "") -> list[tuple[str, str]]:
    """The same body as the cockpit's form posts it (web/cockpit/lecture.py reads it back):
    dotted paths, numbered rows, ticked boxes as « on », unticked ones as ``_present.``."""
    champs: list[tuple[str, str]] = []
    for cle, valeur in corps.items():
        chemin = f"{prefixe}{cle}"
        if isinstance(valeur, dict):
            champs += formulaire(valeur, f"{chemin}.")
        elif isinstance(valeur, list):
            for i, element in enumerate(valeur):
                if isinstance(element, dict):
                    champs += formulaire(element, f"{chemin}.{i}.")
                else:
                    champs.append((chemin, str(element)))
        elif isinstance(valeur, bool):
            champs.append((chemin, "on") if valeur else (f"_present.{chemin}", "1"))
        elif valeur is not None:
            champs.append((chemin, str(valeur)))
    return champs
