"""« Sessions collectives » in the cockpit, linked from « Mon agenda » (issue 18, item 3): a
référent organises an information session at a place of their structure, registers the people
they follow to the open sessions of their territory, and — as organiser — reads the list of
registered people and records everyone's attendance at once. The rules and the audit are the
service's (services/sessions_collectives.py), as for the API."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import col, select

from agendas import service as agendas
from agendas.sessions import maintenant
from core.clock import PARIS, local_day
from core.formats import heure, jour_semaine
from rules.rendez_vous import regles_rendez_vous
from schemas.champ import champs
from schemas.rdv import StatutRdv
from schemas.session_collective import (
    PRESENCES,
    BilanAnnulation,
    BilanPresences,
    DemandeAnnulation,
    Presence,
    SaisiePresences,
    SessionCollective,
    SessionSaisie,
)
from services import sessions_collectives as sessions
from services import sessions_collectives_bilans as bilans
from services.erreurs import Refus
from store.parcours import ParcoursRow
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse

router = APIRouter(include_in_schema=False)
RACINE = "/agenda/sessions"


def _appel(
    request: Request, u: UtilisateurPage, session: SessionDep, parcours: ParcoursDep
) -> sessions.Appel:
    return sessions.Appel(
        session=session,
        parcours=parcours,
        u=u,
        adresse_publique=request.app.state.services.settings.effective_public_url,
        ip=adresse(request),
    )


def _ligne(s: SessionCollective) -> dict[str, Any]:
    return {
        "id": s.id,
        "quand": f"{jour_semaine(local_day(s.debut))}, {heure(s.debut)} – {heure(s.fin)}",
        "titre": s.titre,
        "motif": s.libelle_motif,
        "lieu": f"{s.lieu.nom}, {s.lieu.commune}",
        "places": f"{s.places_libres} sur {s.capacite}",
        "annulee": s.annulee,
    }


async def _page_liste(
    a: sessions.Appel,
    request: Request,
    status: int = 200,
    erreurs: dict[str, str] | None = None,
    saisie: dict[str, str] | None = None,
) -> Response:
    moi = sessions.referent(a.u)
    regles = regles_rendez_vous()
    motifs = sorted(regles.motifs, key=lambda m: not m.collectif)  # collective ones first
    return pages.rendre(
        request,
        "rdv/sessions.html",
        {
            "u": a.u,
            "titre": "Sessions collectives",
            "actif": "agenda",
            "miennes": [_ligne(s) for s in await sessions.mes_sessions(a)],
            "ouvertes": [_ligne(s) for s in await sessions.ouvertes(a)],
            "lieux": await agendas.lieux(a.session, moi),
            "motifs": [(m.code, m.libelle) for m in motifs],
            "erreurs": erreurs or {},
            "saisie": saisie or {},
        },
        status=status,
    )


@router.get(RACINE)
async def liste(
    request: Request, u: UtilisateurPage, session: SessionDep, parcours: ParcoursDep
) -> Response:
    return await _page_liste(_appel(request, u, session, parcours), request)


def _instant(jour: str, h: str) -> datetime | str:
    try:
        return datetime.combine(date.fromisoformat(jour), time.fromisoformat(h), PARIS)
    except ValueError:
        return ""


@router.post(RACINE)
async def creer(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    motif: Annotated[str, Form(max_length=40)] = "",
    titre: Annotated[str, Form(max_length=200)] = "",
    jour: Annotated[str, Form(max_length=10)] = "",
    debut: Annotated[str, Form(max_length=5)] = "",
    fin: Annotated[str, Form(max_length=5)] = "",
    lieu_id: Annotated[str, Form(max_length=80)] = "",
    capacite: Annotated[str, Form(max_length=4)] = "",
    animateur: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    a = _appel(request, u, session, parcours)
    saisie = {
        "motif": motif,
        "titre": titre,
        "jour": jour,
        "debut": debut,
        "fin": fin,
        "lieu_id": lieu_id,
        "capacite": capacite,
        "animateur": animateur,
    }
    try:
        modele = SessionSaisie(
            motif=motif,
            titre=titre,
            debut=_instant(jour, debut),  # "" is refused on its field
            fin=_instant(jour, fin),
            lieu_id=lieu_id,
            capacite=capacite,
            animateur=animateur.strip() or None,
        )
        cree = await sessions.creer(a, modele)
    except ValidationError as e:
        erreurs = {c["champ"]: c["message"] for c in champs(e.errors(), skip_body=False)}
        return await _page_liste(a, request, 422, erreurs, saisie)
    except Refus as e:
        if e.status != 422:
            raise
        erreurs = {c["champ"]: c["message"] for c in e.erreurs}
        return await _page_liste(a, request, 422, erreurs, saisie)
    return RedirectResponse(f"{RACINE}/{cree.id}", status_code=303)


async def _suivis(a: sessions.Appel) -> list[tuple[str, str]]:
    """The people the référent follows, to register one (their parcours open)."""
    rows = await a.session.exec(
        select(ParcoursRow)
        .where(ParcoursRow.referent_id == a.u.id, col(ParcoursRow.statut) != "clos")
        .order_by(col(ParcoursRow.nom), col(ParcoursRow.prenom))
    )
    return [(p.id, f"{p.nom} {p.prenom}") for p in rows.all()]


async def _page_session(
    a: sessions.Appel,
    request: Request,
    session_id: str,
    status: int = 200,
    message: str | None = None,
    bilan: BilanPresences | None = None,
    annulation: BilanAnnulation | None = None,
    erreurs: dict[str, str] | None = None,
) -> Response:
    s = await sessions.vue(a, session_id)
    organisee = await sessions.organisee(a, session_id)
    a_venir = not s.annulee and s.debut > maintenant()
    return pages.rendre(
        request,
        "rdv/session.html",
        {
            "u": a.u,
            "titre": s.titre,
            "actif": "agenda",
            "s": _ligne(s) | {"animateur": s.animateur, "adresse": s.lieu.adresse},
            "organisee": organisee,
            "inscrits": await sessions.inscrits(a, session_id) if organisee else [],
            "presences": [(p.value, p.label) for p in PRESENCES],
            "suivis": await _suivis(a) if not s.annulee else [],
            "message": message,
            "bilan": bilan,
            "annulable": organisee and a_venir,
            "annulation": annulation,
            "erreurs": erreurs or {},
        },
        status=status,
    )


@router.get(RACINE + "/{session_id}")
async def une_session(
    session_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    return await _page_session(_appel(request, u, session, parcours), request, session_id)


@router.post(RACINE + "/{session_id}/inscriptions")
async def inscrire(
    session_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    parcours_id: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    a = _appel(request, u, session, parcours)
    try:
        await sessions.inscrire(a, session_id, parcours_id)
    except Refus as e:
        if e.status != 409:
            raise
        return await _page_session(a, request, session_id, 409, message=e.message)
    return await _page_session(
        a, request, session_id, message="Inscription faite : la personne est prévenue."
    )


@router.post(RACINE + "/{session_id}/presences")
async def presences(
    session_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    """One radio group per registered person, named ``presence-<inscription>``."""
    a = _appel(request, u, session, parcours)
    formulaire = await request.form()
    saisies = [
        Presence(inscription_id=str(nom).removeprefix("presence-"), statut=StatutRdv(valeur))
        for nom, valeur in formulaire.items()
        if str(nom).startswith("presence-") and valeur in {p.value for p in PRESENCES}
    ]
    if not saisies:
        message = "Indiquez la présence d'au moins une personne."
        return await _page_session(a, request, session_id, 422, message=message)
    try:
        bilan = await bilans.presences(a, session_id, SaisiePresences(presences=saisies))
    except Refus as e:
        if e.status not in (409, 422):
            raise
        return await _page_session(a, request, session_id, e.status, message=e.message)
    return await _page_session(a, request, session_id, bilan=bilan)


@router.post(RACINE + "/{session_id}/annulation")
async def annuler(
    session_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    motif: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Every registered person's appointment cancelled and the person told, with the motif."""
    a = _appel(request, u, session, parcours)
    try:
        bilan = await bilans.annuler(a, session_id, DemandeAnnulation(motif=motif))
    except ValidationError as e:
        erreurs = {c["champ"]: c["message"] for c in champs(e.errors(), skip_body=False)}
        return await _page_session(a, request, session_id, 422, erreurs=erreurs)
    except Refus as e:
        if e.status != 409:
            raise
        return await _page_session(a, request, session_id, 409, message=e.message)
    return await _page_session(a, request, session_id, annulation=bilan)
