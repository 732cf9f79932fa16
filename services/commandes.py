"""What a client sends for each command, and how it is completed for the workflow (an account
id becomes the référent's identity; the day of the request dates a handover). Below the routes:
the API, the cockpit and the demo loader resolve a command the same way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas import reservations
from agendas import sessions as sessions_collectives
from agendas.outil_externe import outil_de_reservation
from rules.rendez_vous import regles_rendez_vous
from schemas.action import DemandeAction, PrescriptionAction
from schemas.carnet import DemandeLienCarnet, EnvoiLienCarnet
from schemas.common import Acteur, LongText, Organisme, Role, Territoire, Text
from schemas.equipe import InvitationMembre, MembreAjoute, MembreRetire, RetraitMembre
from schemas.erreurs import CodeErreur
from schemas.invitation import (
    ConvocationRdv,
    ConvocationSurReservation,
    DemandeInvitation,
    EnvoiInvitation,
)
from schemas.messages import DemandeMessage, MessageUsager
from schemas.orientation import DecisionOrientation, DecisionOrientationResolue
from schemas.rdv import ReunionMultipartenaire
from schemas.referent import DemandeTransfert, TransfertResolu
from services.erreurs import Refus
from services.territoires import DESCRIPTION_MOTIF
from store import catalogue
from store.agendas import LieuRow, ReservationRow
from store.comptes import Compte
from store.structures import Structure
from workflows.transitions import TRANSITIONS

Resolution = Callable[[AsyncSession, Any, date, str], Awaitable[BaseModel]]


async def acteur_referent(
    session: AsyncSession, compte_id: str, champ: str = "referent_id"
) -> Acteur:
    compte = await session.get(Compte, compte_id)
    if compte is None or not compte.actif or compte.role != Role.REFERENT.value:
        message = f"Aucun référent actif n'a l'identifiant « {compte_id[:80]} »"
        raise Refus(422, message, "referent_inconnu", [{"champ": champ, "message": message}])
    return Acteur(
        id=compte.id,
        nom=compte.nom,
        role=Role.REFERENT,
        organisme=Organisme(compte.organisme) if compte.organisme else None,
        territoire=Territoire(compte.territoire) if compte.territoire else None,
    )


class DemandeOrientation(DecisionOrientation):
    """The decision as a client sends it: with the reason, when the référent designated works
    on another territory (services/territoires.py), which the audit log keeps."""

    motif_hors_territoire: LongText = Field(default="", description=DESCRIPTION_MOTIF)


async def _orientation(session: AsyncSession, d: DemandeOrientation, _: date, __: str) -> BaseModel:
    referent = await acteur_referent(session, d.referent_id)
    decision = d.model_dump(exclude={"motif_hors_territoire"})
    return DecisionOrientationResolue(**decision, referent=referent)


async def _transfert(session: AsyncSession, d: DemandeTransfert, today: date, _: str) -> BaseModel:
    referent = await acteur_referent(session, d.nouveau_referent_id, "nouveau_referent_id")
    return TransfertResolu(**d.model_dump(), nouveau_referent=referent, demande_le=today)


class DemandeReunion(ReunionMultipartenaire):
    """The meeting as a client asks for it: each organisation named in a short text."""

    organismes: list[Text] = Field(min_length=1, max_length=10, description="Organismes invités")


async def _reunion(_: AsyncSession, d: DemandeReunion, __: date, ___: str) -> BaseModel:
    return ReunionMultipartenaire.model_validate(d.model_dump())


async def _action(
    session: AsyncSession, d: DemandeAction, __: date, adresse_publique: str
) -> BaseModel:
    offre = await catalogue.par_id(session, d.service_id)
    if offre is None:
        raise Refus(422, f"Service inconnu du catalogue : « {d.service_id} »", "service_inconnu")
    if offre.archive_le is not None:  # earlier prescriptions keep their copy; no new ones
        raise Refus(
            422,
            f"Service archivé : « {offre.service.nom} » n'est plus publié par data·inclusion",
            "service_archive",
        )
    return PrescriptionAction(
        service_id=d.service_id,
        libelle=offre.service.nom,
        structure=offre.structure.nom,
        thematique=offre.thematique_principale,
        frein=d.frein,
        debut_prevu=d.debut_prevu,
        # the orientation to the structure (ticket 20): its contact as data·inclusion gives it
        motif=d.motif,
        courriel_structure=offre.service.courriel or None,
        adresse_publique=adresse_publique,
    )


async def _lien(
    _: AsyncSession, d: DemandeLienCarnet, __: date, adresse_publique: str
) -> BaseModel:
    return EnvoiLienCarnet(canal=d.canal, adresse_publique=adresse_publique)


async def membre_ajoute(
    session: AsyncSession,
    invitation: InvitationMembre,
    today: date,
    demande_id: str | None = None,
) -> MembreAjoute:
    """The professional's identity, structure and e-mail, from their account (the team sees
    them to reach each other)."""
    membre = await acteur_referent(session, invitation.compte_id, "compte_id")
    compte = await session.get(Compte, invitation.compte_id)
    assert compte is not None
    structure = await session.get(Structure, compte.structure_id) if compte.structure_id else None
    nom_structure = (
        structure.nom
        if structure is not None
        else membre.organisme.label
        if membre.organisme
        else "Structure non renseignée"
    )
    return MembreAjoute(
        membre=membre,
        role=invitation.role,
        structure=nom_structure,
        email=compte.email,
        telephone=invitation.telephone,
        le=today,
        demande_id=demande_id,
    )


async def _invitation(session: AsyncSession, d: InvitationMembre, today: date, _: str) -> BaseModel:
    # an acceptance of a request to join names it (web/equipe/rattachements.py)
    return await membre_ajoute(session, d, today, getattr(d, "demande_id", None))


async def _retrait(_: AsyncSession, d: RetraitMembre, today: date, __: str) -> BaseModel:
    return MembreRetire(**d.model_dump(), le=today)


async def _message(
    _: AsyncSession, d: DemandeMessage, __: date, adresse_publique: str
) -> BaseModel:
    return MessageUsager(**d.model_dump(), adresse_publique=adresse_publique)


async def _invitation_rdv(
    _: AsyncSession, d: DemandeInvitation, __: date, adresse_publique: str
) -> BaseModel:
    regles = regles_rendez_vous()
    motif = regles.motif(d.motif)
    if motif is None:
        message = f"Motif inconnu : « {d.motif} »"
        raise Refus(
            422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": "motif", "message": message}]
        )
    return EnvoiInvitation(
        motif=motif.code,
        libelle=motif.libelle,
        canal=d.canal,
        adresse_publique=adresse_publique,
        outil=outil_de_reservation(motif),  # --- rdv dans l'outil externe ---
    )


async def _convocation(
    session: AsyncSession, d: ConvocationSurReservation, __: date, ___: str
) -> BaseModel:
    """A convocation names a slot booked in the agenda (POST /api/v1/agenda/convocations
    books it, then gives this command): its day, place and motif come from the booking. A
    registration to a collective session (agendas/sessions.py) is such a booking too."""
    inscription = (
        await sessions_collectives.convocation(session, d.reservation_id)
        if d.reservation_id.startswith(sessions_collectives.PREFIXE)
        else None
    )
    if inscription is not None:
        return inscription
    prise = await session.get(ReservationRow, d.reservation_id)
    motif = regles_rendez_vous().motif(prise.motif) if prise is not None else None
    if prise is None or prise.annulee_le is not None or motif is None:
        message = "Aucun créneau réservé sous cet identifiant"
        raise Refus(
            422,
            message,
            CodeErreur.DONNEES_INVALIDES,
            [{"champ": "reservation_id", "message": message}],
        )
    lieu = await session.get(LieuRow, prise.lieu_id) if prise.lieu_id else None
    creneau = reservations.creneau(prise)
    return ConvocationRdv(
        reservation_id=prise.id,
        parcours_id=prise.parcours_id,
        motif=motif.code,
        libelle=motif.libelle,
        debut=creneau.debut,
        fin=creneau.fin,
        modalite=creneau.modalite,
        lieu=f"{lieu.nom}, {lieu.adresse}, {lieu.code_postal} {lieu.commune}" if lieu else None,
    )


async def _telle_quelle(_: AsyncSession, body: BaseModel, __: date, ___: str) -> BaseModel:
    return body


RESOLUTIONS: dict[str, tuple[type[BaseModel], Resolution]] = {
    "decider_orientation": (DemandeOrientation, _orientation),
    "transferer_referent": (DemandeTransfert, _transfert),
    "prescrire_action": (DemandeAction, _action),
    "envoyer_lien_carnet": (DemandeLienCarnet, _lien),
    "inviter_rdv": (DemandeInvitation, _invitation_rdv),
    "convoquer_rdv": (ConvocationSurReservation, _convocation),  # agenda18
    "planifier_reunion": (DemandeReunion, _reunion),
    "ajouter_membre": (InvitationMembre, _invitation),
    "retirer_membre": (RetraitMembre, _retrait),
    "envoyer_message": (DemandeMessage, _message),
}


def modele_api(nom: str) -> type[BaseModel]:
    return RESOLUTIONS[nom][0] if nom in RESOLUTIONS else TRANSITIONS[nom].modele


async def resoudre(
    session: AsyncSession,
    nom: str,
    body: BaseModel,
    today: date,
    adresse_publique: str = "http://localhost:8000",
) -> BaseModel:
    fn = RESOLUTIONS[nom][1] if nom in RESOLUTIONS else _telle_quelle
    return await fn(session, body, today, adresse_publique)
