"""The conditions a command may need besides its phase and who gives it: each returns the
French refusal, or ``None`` when the command is possible, and says what it asks for (``exige``:
the API's documentation of each command is derived from it)."""

from __future__ import annotations

from schemas.contrat import EtatContrat
from schemas.emploi import EtatEmploi
from schemas.incident import StatutOperation, TypeOperation
from schemas.parcours import ParcoursState
from schemas.pmsmp import EtatPmsmp
from schemas.rdv import StatutRdv
from workflows.declaration import Condition, exige


def contrat_dans(*etats: EtatContrat) -> Condition:
    attendus = " ou ".join(f"« {e.label} »" for e in etats)

    def check(s: ParcoursState) -> str | None:
        if s.contrat is None:
            return "Aucun contrat d'engagement n'a été rédigé"
        if s.contrat.etat not in etats:
            return (
                f"Le contrat d'engagement est « {s.contrat.etat.label} » : il doit être {attendus}"
            )
        return None

    return exige(f"un contrat d'engagement {attendus}")(check)


@exige("aucun contrat d'engagement en cours")
def sans_contrat_en_cours(s: ParcoursState) -> str | None:
    if s.contrat is not None and s.contrat.en_cours:
        return "Un contrat d'engagement est déjà en cours : modifiez-le par avenant"
    return None


def pmsmp_dans(*etats: EtatPmsmp) -> Condition:
    attendus = " ou ".join(f"« {e.label} »" for e in etats)

    def check(s: ParcoursState) -> str | None:
        p = s.pmsmp_en_cours
        if p is None:
            return "Aucune immersion (PMSMP) en cours"
        if p.etat not in etats:
            return f"L'immersion est « {p.etat.label} » : elle doit être {attendus}"
        return None

    return exige(f"une immersion (PMSMP) {attendus}")(check)


@exige("aucune immersion (PMSMP) en cours")
def sans_pmsmp_en_cours(s: ParcoursState) -> str | None:
    if s.pmsmp_en_cours is not None:
        return "Une immersion est déjà en cours : terminez-la (bilan) ou annulez-la d'abord"
    return None


@exige("un emploi en cours de suivi")
def emploi_en_cours(s: ParcoursState) -> str | None:
    if s.emploi is None or s.emploi.etat == EtatEmploi.TERMINE:
        return "Aucun emploi en cours de suivi"
    return None


@exige("aucun emploi en cours de suivi")
def sans_emploi_en_cours(s: ParcoursState) -> str | None:
    if s.emploi is not None and s.emploi.etat != EtatEmploi.TERMINE:
        return "Un emploi est déjà suivi : déclarez d'abord sa fin"
    return None


@exige("un transfert de référent en attente d'accusé de réception")
def transfert_en_attente(s: ParcoursState) -> str | None:
    if s.transfert is None or s.transfert.accuse_le is not None:
        return "Aucun transfert de référent en attente"
    return None


@exige("au moins une action prescrite")
def a_des_actions(s: ParcoursState) -> str | None:
    return None if s.actions else "Aucune action prescrite"


@exige("un rendez-vous en attente de son issue")
def rdv_prevu(s: ParcoursState) -> str | None:
    if not any(r.statut == StatutRdv.PREVU for r in s.rdvs):
        return "Aucun rendez-vous en attente d'issue"
    return None


@exige("un incident ouvert")
def incident_actif(s: ParcoursState) -> str | None:
    return None if any(i.actif for i in s.incidents) else "Aucun incident ouvert"


@exige("un parcours suspendu")
def suspendu(s: ParcoursState) -> str | None:
    return None if s.suspension is not None else "Le parcours n'est pas suspendu"


@exige("un parcours non suspendu")
def non_suspendu(s: ParcoursState) -> str | None:
    return "Le parcours est déjà suspendu" if s.suspension is not None else None


@exige("un téléphone ou un courriel connu de la personne")
def joignable(s: ParcoursState) -> str | None:
    if not (s.usager.telephone or s.usager.email):
        return "Ni téléphone ni courriel connus : renseignez-en un par une rectification"
    return None


@exige("le partage avec les partenaires accordé, et aucune inscription faite ou en cours")
def inscriptible_rdv_solidarites(s: ParcoursState) -> str | None:
    if not s.consentement.partage_partenaires:
        return "La personne n'a pas accepté le partage de ses informations avec les partenaires"
    if s.identifiants.rdv_solidarites is not None:
        return "La personne est déjà inscrite dans RDV-Solidarités"
    # the tool's user creation has no idempotency key: one call at a time, or twins
    en_vol = (StatutOperation.EN_COURS, StatutOperation.EN_INCIDENT)
    if any(
        o.type == TypeOperation.INSCRIRE_RDV_SOLIDARITES and o.statut in en_vol
        for o in s.operations
    ):
        return "L'inscription dans RDV-Solidarités est déjà en cours"
    return None


@exige("un référent, et un téléphone, un courriel ou une adresse postale de la personne")
def invitable(s: ParcoursState) -> str | None:
    """Without phone nor e-mail, the invitation goes by letter (issue 18). Only the update's
    validator and its lock see this: a refused update leaves no event in the history, so the
    histories recorded before replay as they are; the letter itself is behind a patch."""
    if s.referent is None:
        return "Aucun référent : l'invitation ouvre l'agenda du référent"
    if not (s.usager.telephone or s.usager.email or s.usager.adresse):
        return (
            "Ni téléphone, ni courriel, ni adresse postale connus : renseignez-en un par une "
            "rectification"
        )
    return None


@exige("un lien de carnet actif")
def lien_actif(s: ParcoursState) -> str | None:
    return None if any(not a.revoque for a in s.acces_carnet) else "Aucun lien de carnet actif"


@exige("un diagnostic réalisé")
def diagnostic_fait(s: ParcoursState) -> str | None:
    return None if s.diagnostics else "Réalisez d'abord le diagnostic"


@exige("au moins un professionnel dans l'équipe de suivi")
def equipe_non_vide(s: ParcoursState) -> str | None:
    return None if any(m.present for m in s.equipe) else "L'équipe de suivi est vide"
