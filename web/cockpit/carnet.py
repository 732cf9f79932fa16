"""The carnet de bord the person takes home: plain French (FALC — short sentences, one idea
each), printable. Nothing sensitive: no diagnostic detail, no alert, no incident."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import PARIS
from core.formats import heure, jour_semaine, premier_du_mois
from schemas.action import ACTIONS_CLOSES
from schemas.emploi import EtatEmploi
from schemas.parcours import Categorie, ParcoursState
from schemas.rdv import ModeRdv, StatutRdv
from services.audit import journaliser
from store.comptes import Compte
from store.structures import Structure
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus
from web.vues import vue

router = APIRouter(include_in_schema=False)

DECISIONS = {Categorie.ORIENTATION, Categorie.CONTRAT, Categorie.PMSMP, Categorie.EMPLOI}
MODES = {
    ModeRdv.SUR_PLACE: "Vous venez sur place.",
    ModeRdv.TELEPHONE: "C'est un rendez-vous par téléphone : on vous appelle.",
    ModeRdv.VISIO: "C'est un rendez-vous en visioconférence.",
}


def jour_long(d: date) -> str:
    return jour_semaine(d)


def moment_long(m: datetime) -> str:
    local = m.astimezone(PARIS)
    return f"Le {jour_long(local.date())} à {heure(local)}."


@dataclass
class Rubrique:
    titre: str
    phrases: list[str] = field(default_factory=list)
    liste: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ContactReferent:
    """How the person reaches their référent: the référent's professional address, and the
    telephone of the structure they work in (accounts carry no telephone of their own)."""

    email: str
    telephone: str | None
    structure: str | None


async def contact_du_referent(session: AsyncSession, s: ParcoursState) -> ContactReferent | None:
    if s.referent is None:
        return None
    compte = await session.get(Compte, s.referent.referent.id)
    if compte is None or not compte.actif:
        return None  # a référent who left: no address that nobody reads
    structure = await session.get(Structure, compte.structure_id) if compte.structure_id else None
    return ContactReferent(
        email=compte.email,
        telephone=structure.contact_telephone if structure else None,
        structure=structure.nom if structure else None,
    )


def _referent(s: ParcoursState, contact: ContactReferent | None) -> Rubrique:
    r = Rubrique("Votre référent")
    if s.referent is None:
        r.phrases.append("Vous n'avez pas encore de référent.")
        return r
    r.phrases.append(f"Votre référent s'appelle {s.referent.referent.nom}.")
    if s.organisme is not None:
        r.phrases.append(f"Il ou elle travaille à : {s.organisme.label}.")
    r.phrases.append("C'est la personne à contacter si vous avez une question.")
    if contact is not None:
        r.liste.append(f"Par courriel : {contact.email}")
        if contact.telephone:
            r.liste.append(f"Par téléphone : {contact.telephone} ({contact.structure})")
    return r


def _rdvs(s: ParcoursState, maintenant: datetime) -> Rubrique:
    r = Rubrique("Vos prochains rendez-vous")
    prochains = sorted(
        (x for x in s.rdvs if x.statut == StatutRdv.PREVU and x.date_heure >= maintenant),
        key=lambda x: x.date_heure,
    )
    if not prochains:
        r.phrases.append("Vous n'avez pas de rendez-vous prévu pour le moment.")
    for x in prochains:
        lieu = f" Adresse : {x.lieu}." if x.lieu else ""
        r.liste.append(
            f"{moment_long(x.date_heure)} Avec : {x.professionnel}. Pour : {x.objet}."
            f" {MODES[x.mode]}{lieu}"
        )
    return r


def _contrat(s: ParcoursState) -> Rubrique | None:
    c = s.contrat
    if c is None:
        return None
    r = Rubrique("Votre contrat d'engagement")
    r.phrases.append(f"C'est un {c.type.label}.")
    r.phrases.append(f"Il commence le {jour_long(c.date_debut)}.")
    r.phrases.append(f"Il finit le {jour_long(c.date_fin)}.")
    r.phrases.append("Vos objectifs :")
    r.liste = [f"{o.libelle} ({o.statut.label.lower()})" for o in c.objectifs]
    if c.engagements_usager:
        r.phrases.append(f"Vous vous engagez à : {c.engagements_usager}")
    if c.engagements_referent:
        r.phrases.append(f"Votre référent s'engage à : {c.engagements_referent}")
    return r


def _actions(s: ParcoursState) -> Rubrique | None:
    actives = [a for a in s.actions if a.statut not in ACTIONS_CLOSES]
    if not actives:
        return None
    r = Rubrique("Vos actions")
    r.liste = [
        f"{a.prescription.libelle}, avec {a.prescription.structure}. "
        f"À partir du {jour_long(a.prescription.debut_prevu)}."
        for a in actives
    ]
    return r


def _immersion_emploi(s: ParcoursState) -> Rubrique | None:
    r = Rubrique("Votre immersion et votre emploi")
    if (p := s.pmsmp_en_cours) is not None:
        cv = p.convention
        r.phrases.append(f"Vous découvrez le métier : {cv.metier}.")
        r.phrases.append(
            f"L'entreprise : {cv.entreprise.raison_sociale}, à {cv.entreprise.commune}."
        )
        r.phrases.append(f"Du {jour_long(cv.date_debut)} au {jour_long(cv.date_fin)}.")
        r.phrases.append(f"Votre tuteur : {cv.tuteur.prenom} {cv.tuteur.nom}.")
    if s.emploi is not None and s.emploi.etat != EtatEmploi.TERMINE:
        e = s.emploi.embauche
        r.phrases.append(f"Vous travaillez chez {e.employeur.raison_sociale}.")
        r.phrases.append(f"Votre métier : {e.metier}. Votre contrat : {e.type_contrat.label}.")
        r.phrases.append(f"Vous avez commencé le {jour_long(e.date_debut)}.")
    return r if r.phrases else None


def _decisions(s: ParcoursState) -> Rubrique:
    r = Rubrique("Ce qui a été décidé")
    faits = [e for e in s.timeline if e.categorie in DECISIONS and not e.sensible]
    r.liste = [f"{jour_long(e.le)} : {premier_du_mois(e.libelle)}." for e in reversed(faits[-8:])]
    if not r.liste:
        r.phrases.append("Rien n'a encore été décidé.")
    return r


def rubriques(
    s: ParcoursState, maintenant: datetime, contact: ContactReferent | None = None
) -> list[Rubrique]:
    parts = [
        _referent(s, contact),
        _rdvs(s, maintenant),
        _contrat(s),
        _actions(s),
        _immersion_emploi(s),
        _decisions(s),
    ]
    return [p for p in parts if p is not None]


@router.get("/parcours/{parcours_id}/carnet")
async def carnet(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    try:
        state = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.page_erreur(request, u, err.status, err.message, parcours=True)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", "carnet", adresse(request))
    v = vue(state, u)
    maintenant = datetime.now(UTC)
    ctx = {
        "u": u,
        "v": v,
        "s": v.etat,
        "titre": f"Carnet de bord de {v.etat.usager.prenom} {v.etat.usager.nom.upper()}",
        "rubriques": rubriques(v.etat, maintenant, await contact_du_referent(session, v.etat)),
        "imprime_le": jour_long(maintenant.astimezone(PARIS).date()),
        "actif": "parcours",
    }
    return pages.rendre(request, "parcours/carnet.html", ctx)
