"""What the children (contrat, PMSMP, emploi) report, and how it moves the parcours' phase."""

from __future__ import annotations

from collections.abc import Callable

from schemas.appels import Courriel, Sms, SoumissionPmsmp
from schemas.contrat import EtatContrat
from schemas.emploi import EtatEmploi
from schemas.enfants import Envoi, EvolutionContrat, EvolutionEmploi, EvolutionPmsmp, NoteTimeline
from schemas.incident import TypeOperation
from schemas.parcours import Phase
from schemas.pmsmp import EtatPmsmp, Pmsmp
from workflows.etapes.base import Contexte


def _noter(ctx: Contexte, notes: list[NoteTimeline], envois: list[Envoi]) -> None:
    for n in notes:
        ctx.noter(
            n.categorie,
            n.code,
            n.libelle,
            n.auteur,
            le=n.le,
            details=n.details,
            interaction=n.details.get("interaction") == "oui",
        )
    for e in envois:
        _envoyer(ctx, e)


def _envoyer(ctx: Contexte, e: Envoi) -> None:
    """Children name recipients by role; the parcours knows who they are today."""
    s = ctx.s
    if e.destinataire == "usager":
        if e.sms and s.usager.telephone:
            ctx.lancer_operation(
                TypeOperation.ENVOYER_SMS, Sms(telephone=s.usager.telephone, texte=e.texte)
            )
        if s.usager.email:
            ctx.lancer_operation(
                TypeOperation.ENVOYER_COURRIEL,
                Courriel(destinataire=s.usager.email, sujet=e.sujet, texte=e.texte),
            )
        return
    destinataire = e.destinataire
    if destinataire == "referent":
        if s.referent is None:
            return
        destinataire = f"compte:{s.referent.referent.id}"
    ctx.lancer_operation(
        TypeOperation.ENVOYER_COURRIEL,
        Courriel(destinataire=destinataire, sujet=e.sujet, texte=e.texte),
    )


def contrat(ctx: Contexte, ev: EvolutionContrat) -> bool:
    """Apply the contract's news; False for an older snapshot overtaken by a newer one."""
    s, c = ctx.s, ev.contrat
    if s.contrat is not None and s.contrat.workflow_id == c.workflow_id:
        if c.version < s.contrat.version:
            return False
        s.contrat = c
    else:
        s.contrats_passes = [c if p.workflow_id == c.workflow_id else p for p in s.contrats_passes]
    _noter(ctx, ev.notes, ev.envois)
    if c.etat == EtatContrat.ACTIF and s.phase == Phase.ORIENTATION and c.signatures:
        ctx.changer_phase(Phase.CONTRAT, max(c.signatures.values()))
    return True


def pmsmp(ctx: Contexte, ev: EvolutionPmsmp, soumission: Callable[[], bool] = lambda: True) -> bool:
    """``soumission``: whether this run still registers a validated convention by the invented
    POST (histories from before the Immersion Facilitée connector); asked only when needed."""
    s, p = ctx.s, ev.pmsmp
    avant = next((x for x in s.pmsmp if x.id == p.id), None)
    if avant is not None and p.version < avant.version:
        return False
    s.pmsmp = [p if x.id == p.id else x for x in s.pmsmp]
    _noter(ctx, ev.notes, ev.envois)
    if (
        p.etat == EtatPmsmp.VALIDEE
        and (avant is None or avant.etat != EtatPmsmp.VALIDEE)
        and soumission()
    ):
        _soumettre(ctx, p)
    if p.etat == EtatPmsmp.EN_COURS and s.phase == Phase.CONTRAT:
        ctx.changer_phase(Phase.PMSMP, p.convention.date_debut)
    elif p.etat in (EtatPmsmp.BILAN_FAIT, EtatPmsmp.ANNULEE) and s.phase == Phase.PMSMP:
        ctx.changer_phase(Phase.CONTRAT, ctx.today())
    return True


def emploi(ctx: Contexte, ev: EvolutionEmploi) -> bool:
    s, e = ctx.s, ev.emploi
    if s.emploi is not None and s.emploi.workflow_id == e.workflow_id:
        if e.version < s.emploi.version:
            return False
        s.emploi = e
    _noter(ctx, ev.notes, ev.envois)
    if e.etat == EtatEmploi.TERMINE and s.phase == Phase.EMPLOI and e.fin is not None:
        # Back to accompaniment: within the contract if one runs, else a contract to sign.
        retour = (
            Phase.CONTRAT if s.contrat is not None and s.contrat.en_cours else Phase.ORIENTATION
        )
        ctx.changer_phase(retour, e.fin.le)
    return True


def _soumettre(ctx: Contexte, p: Pmsmp) -> None:
    """A validated convention is registered on the immersion platform (when sharing is agreed)."""
    if not ctx.s.consentement.partage_partenaires:
        return
    c = p.convention
    ctx.lancer_operation(
        TypeOperation.SOUMETTRE_PMSMP,
        SoumissionPmsmp(
            convention_id=p.id,
            siret=c.entreprise.siret,
            raison_sociale=c.entreprise.raison_sociale,
            date_debut=c.date_debut,
            date_fin=c.date_fin,
            objectif=c.objectif.value,
            metier=c.metier,
            heures_hebdomadaires=c.heures_hebdomadaires,
            tuteur=f"{c.tuteur.prenom} {c.tuteur.nom}",
            identifiant_france_travail=ctx.s.identifiants.france_travail,
        ),
    )
