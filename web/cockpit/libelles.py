"""French labels of form fields and of command groups, where the schemas give none.

A field's label is, in order: this table (by dotted path, then by name), the field's
``description``, then its name made readable.
"""

from __future__ import annotations

import re

CHAMPS: dict[str, str] = {
    "accueilli_le": "Date de l'accueil",
    "accuse_le": "Date de l'accusé de réception",
    "action_id": "Action",
    "active": "Suspendre les rappels",
    "adresse": "Adresse postale",
    "annulee_le": "Date d'annulation",
    "besoins_exprimes": "Besoins exprimés par la personne",
    "bilan": "Bilan de la revue",
    "code_postal": "Code postal",
    "compte_id": "Professionnel",
    "role": "Rôle dans l'équipe de suivi",
    "code_rome": "Code ROME du métier",
    "commentaire": "Commentaire",
    "commentaire_justice": "Commentaire sur le suivi justice",
    "commune": "Commune",
    "competences_observees": "Compétences observées",
    "consentement": "Consentement de la personne",
    "date_debut": "Date de début",
    "date_embauche": "Date d'embauche prévue",
    "date_fin": "Date de fin",
    "date_heure": "Date et heure",
    "date_naissance": "Date de naissance",
    "debut_prevu": "Début prévu",
    "decide_le": "Date de la décision",
    "decidee_le": "Date de la décision",
    "decision": "Décision",
    "demandee_le": "Date de la demande",
    "deroulement": "Comment cela se passe",
    "disponibilite": "Disponibilité",
    "droits": "Droits ouverts",
    "email": "Adresse électronique",
    "embauche_proposee": "Une embauche est proposée",
    "employeur": "Employeur",
    "engagements_referent": "Engagements du référent",
    "engagements_usager": "Engagements de la personne",
    "entreprise": "Entreprise d'accueil",
    "etape": "Étape de la procédure",
    "fin_periode_essai": "Fin de la période d'essai",
    "fonction": "Fonction",
    "frein": "Frein travaillé",
    "freins": "Freins périphériques",
    "heures_hebdomadaires": "Heures par semaine",
    "heures_manquees": "Heures manquées",
    "horaires": "Horaires",
    "identifiants": "Identifiants chez les partenaires",
    "incident_id": "Incident",
    "jalon_jours": "Jalon du suivi",
    "jusqu_au": "Reprise prévue le",
    "le": "Date",
    "libelle": "Intitulé",
    "lieu": "Lieu",
    "message": "Message au référent",
    "metier": "Métier",
    "metier_vise": "Métier visé",
    "mode": "Mode",
    "motif": "Motif",
    "motif_ecart": "Motif de l'écart avec la proposition",
    "nir": "Numéro de sécurité sociale (facultatif)",
    "niveau": "Niveau",
    "niveau_formation": "Niveau de formation",
    "nom": "Nom",
    "nouveau_referent_id": "Nouveau référent",
    "nouvelle_date_fin": "Nouvelle date de fin",
    "objectif": "Objectif de l'immersion",
    "objectifs": "Objectifs",
    "objectifs.code_rome": "Métier visé (facultatif)",
    "objet": "Objet",
    "organisme": "Organisme référent",
    "organismes": "Organismes invités",
    "origine": "Origine de l'accueil",
    "prenom": "Prénom",
    "professionnel": "Professionnel rencontré",
    "projet": "Projet professionnel",
    "raison_sociale": "Raison sociale",
    "rdv_id": "Rendez-vous",
    "realise_le": "Date de réalisation",
    "realisee_le": "Date de la revue",
    "recueilli_le": "Consentement recueilli le",
    "redige_le": "Date du bilan",
    "referent_id": "Référent unique",
    "renouvellement_de": "Renouvellement de la convention",
    "resultat": "Résultat",
    "rsa": "Revenu de solidarité active (RSA)",
    "service_id": "Service de l'offre territoriale",
    "signataire": "Signataire",
    "signe_le": "Date de signature",
    "signe_par_beneficiaire": "Bilan signé par la personne",
    "siret": "Numéro SIRET",
    "situation": "Situation professionnelle",
    "statut": "Statut",
    "structure": "Structure",
    "suivi_justice": "Suivi PJJ ou SPIP en cours",
    "telephone": "Téléphone",
    "temps_plein": "À temps plein",
    "territoire": "Territoire",
    "thematique": "Thématique",
    "tuteur": "Tuteur",
    "type": "Type",
    "type_contrat": "Type de contrat",
    "type_contrat_propose": "Type de contrat proposé",
    "usager": "La personne",
    "validee_le": "Date de validation",
    "doublon_confirme": "Ouvrir quand même un second parcours pour cette personne",
}

# Hints shown under a field (DSFR "fr-hint-text").
AIDES: dict[str, str] = {
    "code_postal": "Haute-Savoie ou Ain, par exemple 74000",
    "telephone": "Par exemple 06 12 34 56 78",
    "siret": "14 chiffres",
    "france_travail": "7 chiffres et une lettre ou un chiffre",
    "caf": "7 chiffres",
    "nir": "15 chiffres, clé comprise ; seule son empreinte est gardée, pour retrouver la "
    "personne dans les listes importées",
    "salarie": "SIRET de l'employeur et matricule, séparés par « : »",
    "motif_ecart": "Obligatoire si la décision diffère de la proposition des règles",
    "heures_hebdomadaires": "48 heures au plus",
    "date_heure": "Heure de Paris",
}

# GROUPES (the command groups' titles) is declared with the commands: workflows/declaration.py


def libelle(chemin: str, nom: str, description: str | None) -> str:
    if chemin in CHAMPS:
        return CHAMPS[chemin]
    if nom in CHAMPS:
        return CHAMPS[nom]
    if description:
        return description
    return nom.replace("_", " ").capitalize()


# Timeline event codes quoted by the observatoire's definitions (« orientation_decidee »…):
# the API documentation keeps the codes, the cockpit page says them in words.
EVENEMENTS: dict[str, str] = {
    "alerte_levee": "rupture signalée par la vigie",
    "alerte_close": "fin de la rupture",
    "orientation_decidee": "orientation décidée",
    "contrat_signe": "contrat signé",
    "pmsmp_prescrite": "immersion prescrite",
    "pmsmp_bilan": "bilan de l'immersion",
    "embauche": "embauche déclarée",
    "emploi_termine": "fin de l'emploi",
}
_CODE_CITE = re.compile(r"« ([a-z]+(?:_[a-z]+)*) »")
_FICHIERS = re.compile(r" \((?:rules|observatoire)/[\w./]+\)")


def en_mots(texte: str) -> str:
    """An observatoire definition for people: event codes in words, no file paths."""
    texte = _FICHIERS.sub("", texte)
    return _CODE_CITE.sub(lambda m: f"« {EVENEMENTS.get(m.group(1), m.group(1))} »", texte)
