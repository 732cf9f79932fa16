"""The parcours page: situation (status, reasons, incidents), dossier, the commands allowed
now, the business timeline. Each part is also a fragment that refreshes itself when the
parcours changes (``parcours-modifie``), and a light poll of the read model's version
tells an open page that someone else changed the parcours."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import col, select

from schemas.erreurs import CodeErreur
from schemas.parcours import Categorie, EvenementTimeline, ParcoursState, Phase
from schemas.vigie import Severite
from services.audit import journaliser
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur, peut_lire
from store.parcours import ParcoursRow
from web.cockpit import accueil, carnet, commandes, equipe, lecture_seule, pages, pieces
from web.deps import ServicesDep, SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.requetes import portee
from web.services import TemporalIndisponible
from web.vues import CommandePossible, ParcoursVue, vue
from workflows.declaration import GROUPES

router = APIRouter(include_in_schema=False)
router.include_router(accueil.router)  # /parcours/nouveau before /parcours/{parcours_id}
router.include_router(commandes.router)
router.include_router(carnet.router)
router.include_router(pieces.router)
router.include_router(equipe.router)

SECTIONS = ("situation", "dossier", "equipe", "notes", "commandes", "timeline")
PAR_LIGNE = frozenset({"incident"})  # given from the incident's own row, not as a button
TIMELINE_MAX = 300


def _groupes(cmds: list[CommandePossible]) -> list[tuple[str, list[CommandePossible]]]:
    groupes: dict[str, list[CommandePossible]] = {}
    for c in cmds:
        if c.groupe not in PAR_LIGNE:
            groupes.setdefault(c.groupe, []).append(c)
    return [(GROUPES.get(g, g), cs) for g, cs in groupes.items()]


def _timeline(
    v: ParcoursVue, categorie: Categorie | None, notes: list[EvenementTimeline]
) -> list[EvenementTimeline]:
    lignes = [
        e for e in [*v.etat.timeline, *notes] if categorie is None or e.categorie == categorie
    ]
    return sorted(lignes, key=lambda e: (e.le, e.seq), reverse=True)[:TIMELINE_MAX]


def _chemin(v: ParcoursVue) -> list[tuple[Phase, str]]:
    """The seven phases with, for each, whether the parcours is there, went there, or not yet."""
    vues = {p.phase for p in v.etat.phases}
    return [
        (p, "courante" if p == v.phase else "visitee" if p in vues else "a_venir") for p in Phase
    ]


def contexte(
    v: ParcoursVue,
    u: Utilisateur,
    categorie: Categorie | None,
    de_l_equipe: dict[str, Any] | None = None,
) -> dict[str, Any]:
    s = v.etat
    de_l_equipe = de_l_equipe or {}
    notes = equipe.dans_la_frise(de_l_equipe.get("notes", []))
    return de_l_equipe | {
        "v": v,
        "s": s,
        "u": u,
        "peut": {c.nom for c in v.commandes},
        "groupes": _groupes(v.commandes),
        "timeline": _timeline(v, categorie, notes),
        "categorie": categorie,
        "Categorie": Categorie,
        "chemin": _chemin(v),
        "alertes": sorted(s.alertes, key=lambda a: (a.severite != Severite.RUPTURE, a.depuis)),
        "incidents": [i for i in s.incidents if i.actif],
        "age": s.usager.age_le(aujourd_hui()),
        "maj": pages.maj(),
    }


async def _avec_documents(
    session: Any, ctx: dict[str, Any], v: ParcoursVue, u: Utilisateur
) -> dict[str, Any]:
    """The documents' section, and their lines in the timeline (kept out of the workflow)."""
    rows = await pieces.documents(session, v.id)
    categorie = ctx["categorie"]
    lignes = [e for e in pieces.dans_la_frise(rows) if categorie in (None, e.categorie)]
    timeline = sorted(
        [*ctx["timeline"], *lignes], key=lambda e: (e.le, e.enregistre_le, e.seq), reverse=True
    )
    return ctx | pieces.contexte(v.etat, rows, u) | {"timeline": timeline[:TIMELINE_MAX]}


async def _parcours_ou_rien(services: ServicesDep) -> ParcoursClient | None:
    """The parcours' client, or None when Temporal cannot be reached (the page then reads
    the read model instead of answering 503)."""
    try:
        return await services.parcours()
    except TemporalIndisponible:
        return None


ParcoursOuRien = Annotated[ParcoursClient | None, Depends(_parcours_ou_rien)]
INJOIGNABLE = Refus(
    503,
    "Le moteur de parcours (Temporal) est injoignable : réessayez dans un instant",
    CodeErreur.TEMPORAL_INDISPONIBLE,
)


async def _etat(
    u: Utilisateur, session: Any, parcours: ParcoursClient | None, parcours_id: str
) -> tuple[ParcoursState, datetime | None]:
    """The workflow's state; with Temporal unreachable, the read model's copy and when it was
    written. Who may not read it, or a parcours the read model lacks: the 503 as before (the
    same for a parcours that does not exist: nothing leaks)."""
    try:
        if parcours is None:
            raise INJOIGNABLE
        return await pages.etat(parcours, u, parcours_id), None
    except Refus as err:
        if err.code not in lecture_seule.INDISPONIBLE:
            raise
        projete = await lecture_seule.etat_projete(session, parcours_id)
        if projete is None or not peut_lire(u, projete[0], aujourd_hui()):
            raise
        return projete


async def _charger(
    request: Request,
    u: Utilisateur,
    session: Any,
    parcours: ParcoursClient | None,
    parcours_id: str,
    quoi: str,
) -> tuple[ParcoursVue, datetime | None]:
    state, projete_le = await _etat(u, session, parcours, parcours_id)
    if projete_le is not None:
        quoi += " (modèle de lecture, Temporal injoignable)"
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", quoi, adresse(request))
    v = vue(state, u)
    if projete_le is not None:  # no command can be carried out now: none is offered
        v = v.model_copy(update={"commandes": [], "lecture_seule": True})
    return v, projete_le


def _categorie(value: str | None) -> Categorie | None:
    return Categorie(value) if value in {c.value for c in Categorie} else None


@router.get("/parcours/{parcours_id}")
async def page(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursOuRien,
    categorie: Annotated[str | None, Query()] = None,
) -> Response:
    try:
        v, projete_le = await _charger(request, u, session, parcours, parcours_id, "cockpit")
    except Refus as err:
        return pages.page_erreur(request, u, err.status, err.message, parcours=True)
    ctx = contexte(v, u, _categorie(categorie), await equipe.contexte(session, u, v.etat))
    ctx = await _avec_documents(session, ctx, v, u) | {"projete_le": projete_le}
    titre = f"{v.etat.usager.prenom} {v.etat.usager.nom.upper()}"
    return pages.rendre(request, "parcours/fiche.html", ctx | {"titre": titre, "actif": "parcours"})


@router.get("/parcours/{parcours_id}/fragments/{section}")
async def fragment(
    parcours_id: str,
    section: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursOuRien,
    categorie: Annotated[str | None, Query()] = None,
) -> Response:
    if section not in SECTIONS:
        return pages.alerte(request, "Partie de page inconnue", status=404)
    try:
        v, projete_le = await _charger(
            request, u, session, parcours, parcours_id, f"cockpit:{section}"
        )
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    ctx = contexte(v, u, _categorie(categorie), await equipe.contexte(session, u, v.etat))
    ctx |= {"projete_le": projete_le}
    if section == "timeline":
        ctx = await _avec_documents(session, ctx, v, u)
    return pages.rendre(request, f"parcours/_{section}.html", ctx)


@router.get("/parcours/{parcours_id}/version")
async def version(
    parcours_id: str,
    u: UtilisateurPage,
    session: SessionDep,
    v: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Polled by an open page: if the read model saw a newer version, every part refreshes."""
    current = (
        await session.exec(
            select(col(ParcoursRow.version)).where(
                ParcoursRow.id == parcours_id, portee(u, aujourd_hui())
            )
        )
    ).first()
    headers = {"HX-Trigger": pages.PARCOURS_MODIFIE} if current is not None and current > v else {}
    return Response(status_code=204, headers=headers)


@router.get("/parcours/{parcours_id}/formulaire/fermer")
async def fermer(parcours_id: str, u: UtilisateurPage) -> Response:
    return pages.vide()
