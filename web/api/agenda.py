"""A référent's own agenda: places of their structure, opening slots, leave, free slots.

Only référents have an agenda; each reads and writes their own (the path names no account,
so that no one can reach another's). Every write is audit-logged."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from agendas import reservations, service
from agendas.reservations import CreneauIndisponible
from agendas.service import Introuvable, Proprietaire, SaisieRefusee
from core.clock import local_day
from core.formats import heure as heure_fr
from core.formats import jour_semaine as jour_fr
from schemas.agenda import Absence, AbsenceSaisie, Creneau, Lieu, LieuSaisi, Plage, PlageSaisie
from schemas.erreurs import CodeErreur
from schemas.invitation import ConvocationSurReservation, DemandeConvocation
from schemas.rdv import ModeRdv
from services import parcours as dossiers
from services.audit import journaliser
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from web.api.parcours.commandes import executer
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Erreur, Refus
from web.vues import ParcoursVue

router = APIRouter(prefix="/api/v1/agenda", tags=["Agenda"])

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Réservé aux référents"},
    422: {"model": Erreur, "description": "Saisie invalide (champ nommé)"},
}


def proprietaire(u: Utilisateur) -> Proprietaire:
    if not u.est_referent:
        raise Refus(403, "L'agenda est celui d'un référent", "interdit")
    return Proprietaire(
        compte_id=u.id,
        structure=u.structure,
        organisme=u.organisme.value if u.organisme else None,
        territoire=u.territoire.value if u.territoire else None,
    )


def _refus(e: SaisieRefusee) -> Refus:
    return Refus(422, str(e), CodeErreur.DONNEES_INVALIDES, [{"champ": e.champ, "message": str(e)}])


async def _noter(session: SessionDep, u: Utilisateur, request: Request, detail: str) -> None:
    await journaliser(session, u, "ecriture", f"agenda:{u.id}", detail, adresse(request))


@router.get("/lieux", response_model=list[Lieu], responses=ERREURS, summary="Lieux de ma structure")
async def lister_lieux(u: UtilisateurApi, session: SessionDep) -> list[Lieu]:
    return await service.lieux(session, proprietaire(u))


@router.post(
    "/lieux", status_code=201, response_model=Lieu, responses=ERREURS, summary="Ajouter un lieu"
)
async def creer_lieu(
    saisie: LieuSaisi, u: UtilisateurApi, session: SessionDep, request: Request
) -> Lieu:
    try:
        lieu = await service.creer_lieu(session, proprietaire(u), saisie)
    except SaisieRefusee as e:
        raise _refus(e) from None
    await _noter(session, u, request, f"lieu {lieu.id} ajouté")
    return lieu


@router.get("/plages", response_model=list[Plage], responses=ERREURS, summary="Mes plages")
async def lister_plages(u: UtilisateurApi, session: SessionDep) -> list[Plage]:
    return await service.plages(session, [proprietaire(u).compte_id])


@router.post(
    "/plages",
    status_code=201,
    response_model=Plage,
    responses=ERREURS,
    summary="Ouvrir une plage",
)
async def ouvrir_plage(
    saisie: PlageSaisie, u: UtilisateurApi, session: SessionDep, request: Request
) -> Plage:
    try:
        plage = await service.ouvrir_plage(session, proprietaire(u), saisie)
    except SaisieRefusee as e:
        raise _refus(e) from None
    await _noter(session, u, request, f"plage {plage.id} ouverte")
    return plage


@router.delete(
    "/plages/{plage_id}",
    status_code=204,
    responses=ERREURS | {404: {"model": Erreur, "description": "Plage inconnue"}},
    summary="Retirer une plage (les rendez-vous pris restent)",
)
async def retirer_plage(
    plage_id: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> Response:
    try:
        await service.retirer_plage(session, proprietaire(u), plage_id)
    except Introuvable:
        raise Refus(404, "Plage inconnue", "introuvable") from None
    await _noter(session, u, request, f"plage {plage_id} retirée")
    return Response(status_code=204)


@router.get("/absences", response_model=list[Absence], responses=ERREURS, summary="Mes absences")
async def lister_absences(u: UtilisateurApi, session: SessionDep) -> list[Absence]:
    return await service.absences(session, [proprietaire(u).compte_id], aujourd_hui())


@router.post(
    "/absences",
    status_code=201,
    response_model=Absence,
    responses=ERREURS,
    summary="Déclarer une absence (aucun créneau proposé)",
)
async def ajouter_absence(
    saisie: AbsenceSaisie, u: UtilisateurApi, session: SessionDep, request: Request
) -> Absence:
    absence = await service.ajouter_absence(session, proprietaire(u), saisie)
    await _noter(session, u, request, f"absence {absence.id} déclarée")
    return absence


@router.get(
    "/creneaux",
    response_model=list[Creneau],
    responses=ERREURS,
    summary="Mes créneaux libres pour un motif",
)
async def lister_creneaux(
    u: UtilisateurApi,
    session: SessionDep,
    motif: str = Query(description="Code du motif (rules/rendez_vous.yaml)"),
    du: date | None = Query(default=None, description="Premier jour (défaut : aujourd'hui)"),
    au: date | None = Query(default=None, description="Dernier jour (défaut : 14 jours après)"),
) -> list[Creneau]:
    debut = du or aujourd_hui()
    try:
        return await service.creneaux(
            session, [proprietaire(u).compte_id], motif, debut, au or debut + timedelta(days=14)
        )
    except SaisieRefusee as e:
        raise _refus(e) from None


@router.post(
    "/convocations",
    response_model=ParcoursVue,
    responses=ERREURS
    | {
        404: {"model": Erreur, "description": "Parcours introuvable"},
        409: {"model": Erreur, "description": "Créneau pris entre-temps (créneaux suivants)"},
    },
    summary="Convoquer une personne sur un créneau libre de mon agenda",
    description=(
        "Réserve le créneau (comme une réservation par la personne : un créneau pris "
        "entre-temps est refusé avec les créneaux suivants), puis donne au parcours la "
        "commande « convoquer_rdv » : la personne est prévenue par SMS et courriel, avec le "
        "fichier .ics. Si le parcours refuse la commande, le créneau est libéré."
    ),
)
async def convoquer(
    demande: DemandeConvocation,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> ParcoursVue:
    # Book first (the quarters' key decides a race), then command; undo the booking if refused.
    moi = proprietaire(u)
    await dossiers.lire(parcours, u, demande.parcours_id)
    jour = local_day(demande.debut)
    try:
        offerts = await service.creneaux(session, [moi.compte_id], demande.motif, jour, jour)
    except SaisieRefusee as e:
        raise _refus(e) from None
    creneau = next(
        (c for c in offerts if c.plage_id == demande.plage_id and c.debut == demande.debut), None
    )
    try:
        if creneau is None:
            raise CreneauIndisponible(
                reservations.DEJA_PRIS, await reservations.suivants(session, _demande(demande, moi))
            )
        prise = await reservations.reserver(session, creneau, demande.parcours_id)
    except CreneauIndisponible as refus:
        suivants = ", ".join(
            f"{jour_fr(local_day(c.debut))} à {heure_fr(c.debut)}" for c in refus.suivants
        )
        message = f"{refus} Créneaux suivants : {suivants}." if suivants else str(refus)
        raise Refus(
            409, message, "creneau_pris", [{"champ": "debut", "message": message}]
        ) from None
    try:
        return await executer(
            "convoquer_rdv",
            demande.parcours_id,
            ConvocationSurReservation(reservation_id=prise.id),
            u,
            session,
            parcours,
            request,
        )
    except (Refus, CommandeImpossible):
        await reservations.annuler(session, prise.id)  # nothing half-done
        raise


def _demande(d: DemandeConvocation, moi: Proprietaire) -> Creneau:
    """The slot asked for, to find the next ones (only its référent, motif and start count)."""
    return Creneau(
        compte_id=moi.compte_id,
        plage_id=d.plage_id,
        motif=d.motif,
        debut=d.debut,
        fin=d.debut,
        modalite=ModeRdv.TELEPHONE,
    )
