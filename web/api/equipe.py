"""JSON API of the équipe de suivi: the team of a parcours, its notes, the requests to join.

Inviting and removing a member are commands of the parcours (POST …/ajouter-membre and
…/retirer-membre, web/api/parcours/commandes.py); everything here reads the dossier through
``services.parcours.lire`` (the one access rule) and is written in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from schemas.common import Organisme
from schemas.equipe import MembreEquipe
from schemas.erreurs import CodeErreur
from schemas.notes import Amendement, ModificationNote, NoteVue, NouvelleNote
from schemas.parcours import ParcoursState
from services import parcours as service
from services.audit import journaliser
from services.utilisateur import Utilisateur, est_referent_du_parcours
from store.comptes import Compte
from store.structures import Structure
from web.api.parcours.commandes import executer
from web.api.parcours.reponses import ERREURS, etag
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.equipe import notes, rattachements
from web.erreurs import Refus
from web.vues import ParcoursVue

router = APIRouter(prefix="/api/v1", tags=["Équipe de suivi"])


class Professionnel(BaseModel):
    compte_id: str
    nom: str
    structure: str
    role: str
    role_libelle: str
    email: str
    telephone: str
    du: date | None = None
    au: date | None = None


class Equipe(BaseModel):
    referent: Professionnel | None
    membres: list[Professionnel]
    anciens_membres: list[Professionnel]


class DemandeVue(BaseModel):
    id: str
    compte_id: str
    nom: str
    structure: str
    role: str
    telephone: str
    motif: str
    cree_le: str


async def _referent(session: Any, s: ParcoursState) -> Professionnel | None:
    if s.referent is None:
        return None
    r = s.referent.referent
    compte = await session.get(Compte, r.id)
    structure = (
        await session.get(Structure, compte.structure_id)
        if compte and compte.structure_id
        else None
    )
    return Professionnel(
        compte_id=r.id,
        nom=r.nom,
        structure=structure.nom if structure else (r.organisme.label if r.organisme else ""),
        role="referent",
        role_libelle="Référent unique",
        email=compte.email if compte else "",
        telephone=(structure.contact_telephone or "") if structure else "",
        du=s.referent.depuis,
    )


def _membre(m: MembreEquipe) -> Professionnel:
    return Professionnel(
        compte_id=m.membre.id,
        nom=m.membre.nom,
        structure=m.structure,
        role=m.role.value,
        role_libelle=m.role.label,
        email=m.email,
        telephone=m.telephone,
        du=m.du,
        au=m.au,
    )


async def equipe_du_parcours(session: Any, s: ParcoursState) -> Equipe:
    return Equipe(
        referent=await _referent(session, s),
        membres=[_membre(m) for m in s.equipe if m.present],
        anciens_membres=[_membre(m) for m in s.equipe if not m.present],
    )


async def _lire(
    parcours: Any, session: Any, u: Utilisateur, parcours_id: str, quoi: str, request: Request
) -> ParcoursState:
    s = await service.lire(parcours, u, parcours_id)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", quoi, adresse(request))
    return s


async def _ecrit(
    session: Any, u: Utilisateur, parcours_id: str, quoi: str, request: Request
) -> None:
    await journaliser(session, u, "ecriture", f"parcours:{parcours_id}", quoi, adresse(request))


@router.get(
    "/parcours/{parcours_id}/equipe",
    response_model=Equipe,
    responses=ERREURS,
    summary="L'équipe de suivi : référent et professionnels, avec leurs coordonnées",
)
async def equipe(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> Equipe:
    s = await _lire(parcours, session, u, parcours_id, "équipe", request)
    return await equipe_du_parcours(session, s)


@router.get(
    "/parcours/{parcours_id}/notes",
    response_model=list[NoteVue],
    responses=ERREURS,
    summary="Les notes de l'équipe que vous pouvez lire, les plus récentes d'abord",
)
async def lister_notes(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    q: Annotated[
        str | None, Query(max_length=100, description="Mots cherchés dans les notes")
    ] = None,
) -> list[NoteVue]:
    s = await _lire(parcours, session, u, parcours_id, "notes", request)
    return await notes.lister(session, u, s, q)


@router.post(
    "/parcours/{parcours_id}/notes",
    status_code=201,
    response_model=NoteVue,
    responses=ERREURS,
    summary="Écrire une note (ce n'est pas un contact avec la personne)",
)
async def ecrire_note(
    parcours_id: str,
    saisie: NouvelleNote,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> NoteVue:
    s = await service.lire(parcours, u, parcours_id)
    note = await notes.ecrire(session, u, s, saisie)
    await _ecrit(session, u, parcours_id, f"note {note.id}", request)
    return note


@router.patch(
    "/parcours/{parcours_id}/notes/{note_id}",
    response_model=NoteVue,
    responses=ERREURS,
    summary="Corriger sa note, pendant le court délai qui suit son écriture",
)
async def modifier_note(
    parcours_id: str,
    note_id: str,
    m: ModificationNote,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> NoteVue:
    s = await service.lire(parcours, u, parcours_id)
    note = await notes.modifier(session, u, s, note_id, m)
    await _ecrit(session, u, parcours_id, f"note {note_id} corrigée", request)
    return note


@router.post(
    "/parcours/{parcours_id}/notes/{note_id}/amendements",
    status_code=201,
    response_model=NoteVue,
    responses=ERREURS,
    summary="Amender une note (une nouvelle note qui la complète)",
)
async def amender_note(
    parcours_id: str,
    note_id: str,
    a: Amendement,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> NoteVue:
    s = await service.lire(parcours, u, parcours_id)
    note = await notes.amender(session, u, s, note_id, a)
    await _ecrit(session, u, parcours_id, f"note {note_id} amendée par {note.id}", request)
    return note


@router.post(
    "/rattachements",
    status_code=202,
    responses={k: v for k, v in ERREURS.items() if k in (401, 403, 422, 429)},
    summary="Demander à rejoindre l'équipe de suivi d'une personne que vous accompagnez",
    description="La réponse est la même, qu'un parcours corresponde ou non : la recherche "
    "compare exactement (identifiants, ou nom, prénom et date de naissance) et ne dit pas si la "
    "personne a un parcours. Le référent décide ; sa décision vous est notifiée.",
)
async def demander_rattachement(
    d: rattachements.DemandeRattachement,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> dict[str, str]:
    await rattachements.demander(session, u, d, request)
    return {"message": rattachements.REPONSE}


def _referent_seul(u: Utilisateur, s: ParcoursState) -> None:
    if not est_referent_du_parcours(u, s):
        raise Refus(
            403,
            "Les demandes de rattachement sont décidées par le référent du parcours",
            "interdit",
        )


@router.get(
    "/parcours/{parcours_id}/rattachements",
    response_model=list[DemandeVue],
    responses=ERREURS,
    summary="Les demandes de rattachement en attente (référent)",
)
async def demandes(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> list[DemandeVue]:
    s = await service.lire(parcours, u, parcours_id)
    _referent_seul(u, s)
    await journaliser(
        session,
        u,
        "lecture",
        f"parcours:{parcours_id}",
        "demandes de rattachement",
        adresse(request),
    )
    return await demandes_vues(session, parcours_id)


async def demandes_vues(session: Any, parcours_id: str) -> list[DemandeVue]:
    vues = []
    for d in await rattachements.en_attente(session, parcours_id):
        compte = await session.get(Compte, d.compte_id)
        structure = (
            await session.get(Structure, compte.structure_id)
            if compte and compte.structure_id
            else None
        )
        vues.append(
            DemandeVue(
                id=d.id,
                compte_id=d.compte_id,
                nom=compte.nom if compte else d.compte_id,
                structure=structure.nom if structure else _organisme(compte),
                role=d.role,
                telephone=d.telephone,
                motif=d.motif,
                cree_le=d.cree_le.isoformat(),
            )
        )
    return vues


def _organisme(compte: Compte | None) -> str:
    return Organisme(compte.organisme).label if compte and compte.organisme else ""


async def decider(
    parcours_id: str,
    demande_id: str,
    accepte: bool,
    u: Utilisateur,
    session: Any,
    parcours: Any,
    request: Request,
) -> ParcoursVue | None:
    """Shared by the API and the cockpit: the acceptance is the « ajouter_membre » command
    (its checks and audit are the command's); the view after it, when accepted."""
    s = await service.lire(parcours, u, parcours_id)
    _referent_seul(u, s)
    d = await rattachements.demande(session, s, demande_id)
    if s.clos:
        raise Refus(
            409, "Le parcours est clos : sa demande reste sans suite", CodeErreur.PARCOURS_CLOS
        )
    v = None
    if accepte:
        invitation = rattachements.invitation(d)
        v = await executer("ajouter_membre", parcours_id, invitation, u, session, parcours, request)
    await rattachements.decider(session, u, s, d, accepte)
    quoi = f"demande de rattachement {d.id} {'acceptée' if accepte else 'refusée'}"
    await _ecrit(session, u, parcours_id, quoi, request)
    return v


@router.post(
    "/parcours/{parcours_id}/rattachements/{demande_id}/accepter",
    response_model=ParcoursVue,
    responses=ERREURS,
    summary="Accepter une demande de rattachement (le professionnel rejoint l'équipe)",
)
async def accepter(
    parcours_id: str,
    demande_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    response: Response,
) -> ParcoursVue:
    v = await decider(parcours_id, demande_id, True, u, session, parcours, request)
    assert v is not None
    response.headers["ETag"] = etag(v.etat)
    return v


@router.post(
    "/parcours/{parcours_id}/rattachements/{demande_id}/refuser",
    status_code=204,
    responses=ERREURS,
    summary="Refuser une demande de rattachement",
)
async def refuser(
    parcours_id: str,
    demande_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> Response:
    await decider(parcours_id, demande_id, False, u, session, parcours, request)
    return Response(status_code=204)
