"""French labels for codes that have none elsewhere (rupture rules, months)."""

from __future__ import annotations

from datetime import date

from core.formats import mois_annee

# The rules of rules/vigie.yaml: their own labels carry placeholders ({echeance}, {jours}…).
REGLES = {
    "echeance_proche": "Échéance proche",
    "echeance_depassee": "Échéance dépassée",
    "silence_alerte": "Sans contact (alerte)",
    "silence_rupture": "Sans contact depuis trop longtemps",
    "rdv_non_honores": "Rendez-vous non honorés",
    "rdv_a_renseigner": "Rendez-vous à renseigner",
    "invitation_sans_reponse": "Invitation à prendre rendez-vous sans réponse",
    "invitation_expiree": "Invitation à prendre rendez-vous expirée",
    "signalement_a_traiter": "Signalement partenaire à traiter",
    "signalement_sans_suite": "Signalement partenaire sans suite",
    "revue_contrat": "Revue du contrat à faire",
    "contrat_termine_sans_suite": "Contrat terminé sans suite",
    "bilan_pmsmp_attendu": "Bilan d'immersion attendu",
    "pmsmp_sans_bilan": "Immersion terminée sans bilan",
    "point_suivi_a_faire": "Point de suivi dans l'emploi à faire",
    "point_suivi_en_retard": "Point de suivi dans l'emploi en retard",
    "sans_referent": "Aucun référent actif",
    "transfert_non_accuse": "Transfert non accusé",
    "reprise_depassee": "Date de reprise dépassée",
}


def regle(code: str) -> str:
    return REGLES.get(code, code.replace("_", " ").capitalize())


def mois_fr(premier: date) -> str:
    return mois_annee(premier)
