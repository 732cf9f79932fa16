"""The booking page of an invitation (issue 18), opened with the personal link sent by SMS or
e-mail. No account: the link's secret is the key, until the invitation expires or a slot is
taken; only its fingerprint is stored. Whoever lacks the link learns nothing: an unknown, an
expired and a used link give the same answer. Phone first (390 px wide), plain French."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agendas import reservations, service
from agendas.code import normaliser
from agendas.reservations import CreneauIndisponible
from core.clock import local_day
from core.formats import heure
from core.formats import jour_semaine as jour_long_fr
from rules.rendez_vous import regles_rendez_vous
from schemas.agenda import Creneau, Lieu
from schemas.carnet import empreinte
from schemas.common import Acteur, Role
from schemas.invitation import AnnulationParLaPersonne, ReservationParLaPersonne
from services.audit import journaliser
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from store.agendas import InvitationRow, ReservationRow
from store.comptes import Compte
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, adresse, aujourd_hui, get_limites
from web.templating import templates

router = APIRouter(include_in_schema=False)
Jeton = Annotated[str, Path(max_length=100)]
TITRE = "Prendre rendez-vous"
INVALIDE = (
    "Ce lien n'est pas valable ou a expiré. Appelez votre référent pour obtenir un rendez-vous."
)


def _refus(request: Request, status: int, message: str, attente_s: int | None = None) -> Response:
    return templates.TemplateResponse(
        request,
        "composants/erreur.html",
        {"u": None, "titre": TITRE, "message": message, "status": status},
        status_code=status,
        headers={"Retry-After": str(attente_s)} if attente_s is not None else None,
    )


class LienRefuse(Exception):
    def __init__(self, status: int, message: str, attente_s: int | None = None) -> None:
        super().__init__(message)
        self.status, self.attente_s = status, attente_s


async def _invitation(
    request: Request, session: SessionDep, jeton: str, formulaire: str | None = None
) -> InvitationRow:
    # Only the secret's fingerprint is stored: compare that, never the secret.
    invitation = await session.get(InvitationRow, empreinte(jeton))
    if invitation is None and (code := normaliser(jeton)) not in (None, jeton):
        # a letter's code typed by hand in the address (« k7qm-3xrp-h9td »)
        invitation = await session.get(InvitationRow, empreinte(code))
    if invitation is None or invitation.expire_le <= aujourd_hui():
        # Wrong links only are counted, per address and per form (read, book or move,
        # cancel): the person coming back to their own page is never slowed down; guessing is.
        cle = f"{formulaire or request.method} {adresse(request) or '?'}"
        if attente := get_limites(request).compter("rendez_vous", cle):
            raise LienRefuse(429, "Trop de tentatives : réessayez dans une minute.", attente)
        raise LienRefuse(404, INVALIDE)
    return invitation


def _personne(invitation: InvitationRow) -> Utilisateur:
    return Utilisateur(
        id=f"usager:{invitation.parcours_id}",
        nom="La personne (lien personnel)",
        email="",
        role=Role.USAGER,
        organisme=None,
        territoire=None,
    )


def ou(creneau: Creneau, lieux: dict[str, Lieu]) -> str:
    lieu = lieux.get(creneau.lieu_id or "")
    if lieu is None:
        return creneau.modalite.label
    return f"{lieu.nom}, {lieu.adresse}, {lieu.code_postal} {lieu.commune}"


def _par_jour(creneaux: list[Creneau], lieux: dict[str, Lieu]) -> dict[str, list[dict[str, str]]]:
    par_jour: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in creneaux:
        par_jour[jour_long_fr(local_day(c.debut))].append(
            {
                "heure": heure(c.debut),
                "ou": ou(c, lieux),
                "plage_id": c.plage_id,
                "debut": c.debut.isoformat(),
            }
        )
    return dict(par_jour)


async def _offre(session: SessionDep, invitation: InvitationRow) -> list[Creneau]:
    demain = aujourd_hui() + timedelta(days=1)
    veille = invitation.expire_le - timedelta(days=1)  # the link stops working on expire_le
    return await service.creneaux(
        session, [invitation.referent_id], invitation.motif, demain, veille
    )


async def _page(
    request: Request,
    session: SessionDep,
    invitation: InvitationRow,
    creneaux: list[Creneau],
    *,
    message: str | None = None,
    status: int = 200,
) -> Response:
    motif = regles_rendez_vous().motif(invitation.motif)
    referent = await session.get(Compte, invitation.referent_id)
    lieux = {x.id: x for x in await service.lieux_par_id(session, creneaux)}
    return pages.rendre(
        request,
        "rdv/reservation.html",
        {
            "u": None,
            "titre": TITRE,
            "motif": motif.libelle if motif else invitation.motif,
            "duree": motif.duree_minutes if motif else None,
            "referent": referent.nom if referent else "votre référent",
            "expire_le": jour_long_fr(invitation.expire_le - timedelta(days=1)),
            "par_jour": _par_jour(creneaux, lieux),
            "message": message,
        },
        status=status,
    )


CODE_INVALIDE = (
    "Ce code n'a pas la bonne forme : il a 12 lettres et chiffres, comme « K7QM-3XRP-H9TD ». "
    "Recopiez-le depuis votre courrier."
)


@router.get("/rdv", response_class=HTMLResponse)
async def saisir_le_code(
    request: Request, code: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The page a letter names (issue 18): its code opens the same page as a link. A code of
    the right form goes on to /rdv/<code>, which alone says whether it is valid (and counts
    wrong ones); the code typed is never written back into the page."""
    if code is None:
        return pages.rendre(request, "rdv/code.html", {"u": None, "titre": TITRE, "erreur": None})
    normalise = normaliser(code)
    if normalise is None:
        contexte = {"u": None, "titre": TITRE, "erreur": CODE_INVALIDE}
        return pages.rendre(request, "rdv/code.html", contexte, status=422)
    return RedirectResponse(f"/rdv/{normalise}", status_code=303)


@router.get("/rdv/{jeton}", response_class=HTMLResponse)
async def choisir(jeton: Jeton, request: Request, session: SessionDep) -> Response:
    try:
        invitation = await _invitation(request, session, jeton)
    except LienRefuse as refus:
        return _refus(request, refus.status, str(refus), refus.attente_s)
    await journaliser(
        session,
        _personne(invitation),
        "lecture",
        f"parcours:{invitation.parcours_id}",
        "invitation à prendre rendez-vous (lien personnel)",
    )
    if (prise := await _reservation_en_cours(session, invitation)) is not None:
        return await _page_du_rdv(request, session, invitation, prise)
    return await _page(request, session, invitation, await _offre(session, invitation))


@router.post("/rdv/{jeton}", response_class=HTMLResponse)
async def reserver(
    jeton: Jeton,
    request: Request,
    session: SessionDep,
    parcours: ParcoursDep,
    plage_id: Annotated[str, Form(max_length=80)] = "",
    debut: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        invitation = await _invitation(request, session, jeton)
    except LienRefuse as refus:
        return _refus(request, refus.status, str(refus), refus.attente_s)
    offre = await _offre(session, invitation)
    demande = next(
        (c for c in offre if c.plage_id == plage_id and c.debut.isoformat() == debut), None
    )
    ancienne = await _reservation_en_cours(session, invitation)
    if ancienne is not None and not modifiable(ancienne):
        return await _page_du_rdv(request, session, invitation, ancienne, status=409)
    try:
        if demande is None:
            raise CreneauIndisponible(
                reservations.DEJA_PRIS, offre[: reservations.SUIVANTS_PROPOSES]
            )
        prise = await reservations.reserver(session, demande, invitation.parcours_id)
    except CreneauIndisponible as refus:
        message = f"{refus} Choisissez un autre créneau."
        if ancienne is not None:
            return await _page_du_rdv(
                request, session, invitation, ancienne, message=message, status=409
            )
        return await _page(
            request, session, invitation, refus.suivants, message=message, status=409
        )
    lieux = {x.id: x for x in await service.lieux_par_id(session, [demande])}
    personne = _personne(invitation)
    try:
        await parcours.commander(
            invitation.parcours_id,
            "reserver_rdv" if ancienne is None else "deplacer_rdv",
            ReservationParLaPersonne(
                invitation_id=invitation.invitation_id,
                reservation_id=prise.id,
                debut=demande.debut,
                modalite=demande.modalite,
                lieu=ou(demande, lieux) if demande.lieu_id else None,
                fin=demande.fin,
            ),
            Acteur(id=personne.id, nom=personne.nom, role=Role.USAGER),
        )
    except CommandeImpossible:
        await reservations.annuler(session, prise.id)  # nothing half-done: the slot is free again
        return _refus(request, 409, INVALIDE)
    if ancienne is not None:  # the new slot is the appointment's now: the old one is free
        await reservations.annuler(session, ancienne.id)
    await journaliser(
        session,
        personne,
        "ecriture",
        f"parcours:{invitation.parcours_id}",
        "rendez-vous " + ("pris" if ancienne is None else "déplacé") + " (lien personnel)",
    )
    return pages.rendre(
        request,
        "rdv/confirme.html",
        {
            "u": None,
            "titre": "Rendez-vous confirmé",
            "deplace": ancienne is not None,
            "jour": jour_long_fr(local_day(demande.debut)),
            "heure": heure(demande.debut),
            "ou": ou(demande, lieux),
            "acces": lieux[demande.lieu_id].acces if demande.lieu_id in lieux else "",
        },
    )


# --- the appointment taken: moved or cancelled by the person, up to the rules' delay ---------


def modifiable(prise: ReservationRow) -> bool:
    """Until the rules' delay before the appointment (rules/rendez_vous.yaml)."""
    delai = regles_rendez_vous().reservation.modifiable_jusqu_a_heures_avant
    return datetime.now(UTC) < reservations.creneau(prise).debut - timedelta(hours=delai)


async def _reservation_en_cours(
    session: SessionDep, invitation: InvitationRow
) -> ReservationRow | None:
    if invitation.reservation_id is None:
        return None
    prise = await session.get(ReservationRow, invitation.reservation_id)
    return prise if prise is not None and prise.annulee_le is None else None


async def _page_du_rdv(
    request: Request,
    session: SessionDep,
    invitation: InvitationRow,
    prise: ReservationRow,
    *,
    message: str | None = None,
    status: int = 200,
) -> Response:
    """The appointment taken, with « Déplacer » (the free slots) and « Annuler » while the
    rules' delay allows, and a word to call the référent once it does not."""
    actuel = reservations.creneau(prise)
    lieux = {x.id: x for x in await service.lieux_par_id(session, [actuel])}
    ouvert = modifiable(prise)
    autres = (
        [c for c in await _offre(session, invitation) if c.debut != actuel.debut] if ouvert else []
    )
    delai = regles_rendez_vous().reservation.modifiable_jusqu_a_heures_avant
    return pages.rendre(
        request,
        "rdv/mon_rendez_vous.html",
        {
            "u": None,
            "titre": "Votre rendez-vous",
            "jour": jour_long_fr(local_day(actuel.debut)),
            "heure": heure(actuel.debut),
            "ou": ou(actuel, lieux),
            "modifiable": ouvert,
            "delai": delai,
            "par_jour": _par_jour(autres, lieux),
            "message": message,
        },
        status=status,
    )


@router.post("/rdv/{jeton}/annuler", response_class=HTMLResponse)
async def annuler(
    jeton: Jeton, request: Request, session: SessionDep, parcours: ParcoursDep
) -> Response:
    try:
        invitation = await _invitation(request, session, jeton, "ANNULER")
    except LienRefuse as refus:
        return _refus(request, refus.status, str(refus), refus.attente_s)
    prise = await _reservation_en_cours(session, invitation)
    if prise is None:
        return _refus(request, 404, INVALIDE)
    if not modifiable(prise):
        return await _page_du_rdv(request, session, invitation, prise, status=409)
    personne = _personne(invitation)
    try:
        await parcours.commander(
            invitation.parcours_id,
            "annuler_rdv",
            AnnulationParLaPersonne(invitation_id=invitation.invitation_id),
            Acteur(id=personne.id, nom=personne.nom, role=Role.USAGER),
        )
    except CommandeImpossible:
        return _refus(request, 409, INVALIDE)
    await reservations.annuler(session, prise.id)  # the slot is offered to others again
    await journaliser(
        session,
        personne,
        "ecriture",
        f"parcours:{invitation.parcours_id}",
        "rendez-vous annulé (lien personnel)",
    )
    return pages.rendre(
        request,
        "rdv/annule.html",
        {
            "u": None,
            "titre": "Rendez-vous annulé",
            "jour": jour_long_fr(local_day(reservations.creneau(prise).debut)),
            "heure": heure(reservations.creneau(prise).debut),
            "expire_le": jour_long_fr(invitation.expire_le - timedelta(days=1)),
        },
    )
