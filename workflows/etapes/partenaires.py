"""Facts pushed by partner systems, applied by the time they happened, never twice."""

from __future__ import annotations

from temporalio import workflow

from core.clock import local_day
from schemas.common import Acteur
from schemas.evenements import (
    CATALOGUE,
    CleSujet,
    DataRdvSolidarites,
    Effet,
    EvenementPartenaire,
    FaitPartenaire,
)
from schemas.parcours import Categorie
from schemas.rdv import Contact, ModeContact, ModeRdv, Rdv, StatutRdv
from schemas.vigie import SignalementPartenaire
from workflows.etapes import invitations
from workflows.etapes.base import Contexte
from workflows.etapes.rdv import appliquer_resultat

MEMOIRE_EVENEMENTS = 2000  # ids kept for de-duplication (partners retry within hours, not years)

STATUT_RDV = {
    "fr.rdv.rdv.honore": StatutRdv.HONORE,
    "fr.rdv.rdv.excuse": StatutRdv.EXCUSE,
    "fr.rdv.rdv.non-honore": StatutRdv.NON_HONORE,
    "fr.rdv.usager.rdv-honore": StatutRdv.HONORE,
    "fr.rdv.usager.rdv-excuse": StatutRdv.EXCUSE,
    "fr.rdv.usager.rdv-non-honore": StatutRdv.NON_HONORE,
    "fr.rdv.usager.rdv-annule": StatutRdv.ANNULE,
}
# workflow.patched() id: RDV-Solidarités appointments are placed in the parcours' list (issue 20).
RDV_SOLIDARITES = "rdv-solidarites-dans-les-rdvs-du-parcours"
PREFIXE_RDV_SOLIDARITES = "rdvs-"


def deja_applique(ctx: Contexte, ev: EvenementPartenaire) -> bool:
    return ev.id in ctx.s.evenements_appliques


async def appliquer(ctx: Contexte, ev: EvenementPartenaire) -> str | None:
    """Apply the event; returns the id of a child workflow that must receive it too."""
    s, d = ctx.s, ev.definition
    s.evenements_appliques = [*s.evenements_appliques[-MEMOIRE_EVENEMENTS + 1 :], ev.id]
    auteur = Acteur.partenaire(ev.partenaire.value, ev.partenaire.label)
    le = local_day(ev.survenu_le)
    details = {"evenement_id": ev.id, "type": ev.type}
    if d.fait is not None:
        known = s.situation_partenaires.get(d.fait)
        if known is not None and known.depuis > ev.survenu_le:
            ctx.noter(
                Categorie.PARTENAIRE,
                "evenement_anterieur",
                f"{d.libelle} — fait antérieur à la situation connue, sans effet",
                auteur,
                le=le,
                details=details,
            )
            return None
        assert d.valeur is not None
        s.situation_partenaires[d.fait] = FaitPartenaire(
            valeur=d.valeur, depuis=ev.survenu_le, evenement_id=ev.id
        )
        _lever_signalements_depasses(ctx, d.fait, ev)
    motif = ev.data.get("motif")
    ctx.noter(
        Categorie.PARTENAIRE,
        ev.type,
        d.libelle + (f" : {motif}" if motif else ""),
        auteur,
        le=le,
        details=details,
    )
    if d.effet == Effet.SIGNALEMENT:
        s.signalements.append(
            SignalementPartenaire(evenement_id=ev.id, type=ev.type, libelle=d.libelle, le=le)
        )
    elif d.effet == Effet.RDV:
        _resultat_rdv(ctx, ev)
    elif d.effet == Effet.PMSMP:
        convention = str(ev.data.get("convention_id", ""))
        return next((p.workflow_id for p in s.pmsmp if p.id == convention and p.en_cours), None)
    return None


def _lever_signalements_depasses(ctx: Contexte, fait: str, ev: EvenementPartenaire) -> None:
    """A newer fact of the same family (rights reopened, new registration) resolves the break."""
    if ev.definition.effet == Effet.SIGNALEMENT:
        return
    for i, sig in enumerate(ctx.s.signalements):
        if (
            sig.traite_le is None
            and CATALOGUE[sig.type].fait == fait
            and sig.le <= local_day(ev.survenu_le)
        ):
            ctx.s.signalements[i] = sig.model_copy(update={"traite_le": local_day(ev.survenu_le)})


def _rdv_solidarites(ctx: Contexte, ev: EvenementPartenaire) -> str:
    """The parcours' copy of a RDV-Solidarités appointment: added when first heard of, moved
    while still planned (a rdv « updated » with a new time). Returns its id in the parcours."""
    d = DataRdvSolidarites.model_validate(ev.data)
    rdv_id = PREFIXE_RDV_SOLIDARITES + d.rdv_id
    index = next((i for i, r in enumerate(ctx.s.rdvs) if r.id == rdv_id), None)
    copie = Rdv(
        id=rdv_id,
        date_heure=d.date_heure,
        mode=ModeRdv(d.mode),
        lieu=d.lieu,
        professionnel=d.professionnel or "RDV-Solidarités",
        objet=d.objet,
        source=ev.partenaire.value,
        participation_id=d.participation_id,
    )
    if index is None:
        ctx.s.rdvs.append(copie)
    elif ctx.s.rdvs[index].statut == StatutRdv.PREVU:
        avant = ctx.s.rdvs[index]
        ctx.s.rdvs[index] = copie.model_copy(
            update={
                "rappels_envoyes": avant.rappels_envoyes,
                "participation_id": d.participation_id or avant.participation_id,
            }
        )
    return rdv_id


def _resultat_rdv(ctx: Contexte, ev: EvenementPartenaire) -> None:
    rdv_id = str(ev.data.get("rdv_id", ""))
    if ev.definition.cle == CleSujet.RDV_SOLIDARITES:
        if not workflow.patched(RDV_SOLIDARITES):
            return
        rdv_id = _rdv_solidarites(ctx, ev)
        # --- rdv dans l'outil externe --- the invitation whose link took it is answered
        annule = STATUT_RDV.get(ev.type) == StatutRdv.ANNULE
        if ev.type not in STATUT_RDV or annule:
            invitations.rdv_de_l_outil(ctx, rdv_id, annule, local_day(ev.survenu_le))
        if ev.type not in STATUT_RDV:  # planned or moved: no outcome yet
            return
    rdv = next((r for r in ctx.s.rdvs if r.id == rdv_id), None)
    if rdv is None or rdv.statut != StatutRdv.PREVU:
        return
    appliquer_resultat(ctx, rdv_id, STATUT_RDV[ev.type], ev.partenaire.label)
    if STATUT_RDV[ev.type] == StatutRdv.HONORE:
        ctx.s.contacts.append(_contact_du_rdv(ev))


def _contact_du_rdv(ev: EvenementPartenaire) -> Contact:
    return Contact(
        le=local_day(ev.survenu_le), mode=ModeContact.ENTRETIEN, objet="Rendez-vous honoré"
    )
