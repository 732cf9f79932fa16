"""The coordinator's watch (`/coordination`): the map of where people are and where they are
stuck, the ruptures grouped by reason, the incidents grouped by partner, the parcours list
and the « à rapprocher » queue. Filters live in the URL; each part refreshes itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ops import planifications_bloquees
from schemas.common import Organisme, Role, Territoire
from schemas.parcours import Phase, Statut
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte
from web.cockpit import coordination_actions, pages, rapprocher, veille, veille_incidents
from web.cockpit.liste import COLONNES, motifs_des_lignes
from web.cockpit.liste import parametres as liste_parametres
from web.cockpit.sante_connecteurs import sante_connecteurs
from web.deps import SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.requetes import Filtres, lister
from web.securite.requete_auditee import requete_auditee

router = APIRouter(include_in_schema=False)
router.include_router(coordination_actions.router)
router.include_router(rapprocher.router)

SECTIONS = ("carte", "ruptures", "incidents", "parcours", "a_rapprocher")
ANCIENNETES = [
    (7, "7 jours"),
    (15, "15 jours"),
    (30, "30 jours"),
    (60, "60 jours"),
    (90, "90 jours"),
]
PAR_PAGE = 20


def _enum(enum: Any, value: str | None) -> Any:
    return enum(value) if value in {m.value for m in enum} else None


def filtres(
    territoire: Annotated[str | None, Query()] = None,
    organisme: Annotated[str | None, Query()] = None,
    referent: Annotated[str | None, Query(max_length=80)] = None,
    phase: Annotated[str | None, Query()] = None,
    statut: Annotated[str | None, Query()] = None,
    motif: Annotated[str | None, Query(max_length=60)] = None,
    anciennete: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Filtres:
    """Empty fields mean "any"; unknown values are ignored rather than refused."""
    return Filtres(
        territoire=_enum(Territoire, territoire),
        organisme=_enum(Organisme, organisme),
        referent=referent or None,
        phase=_enum(Phase, phase),
        statut=_enum(Statut, statut),
        motif=motif if motif in dict(veille.motifs()) else None,
        anciennete=int(anciennete)
        if anciennete and anciennete.isascii() and anciennete.isdigit() and len(anciennete) <= 4
        else None,
        q=(q or "").strip() or None,
        limit=PAR_PAGE,
        offset=(page - 1) * PAR_PAGE,
    )


FiltresDep = Annotated[Filtres, Depends(filtres)]


def parametres(f: Filtres) -> dict[str, str]:
    values = {
        "territoire": f.territoire.value if f.territoire else None,
        "organisme": f.organisme.value if f.organisme else None,
        "referent": f.referent,
        "phase": f.phase.value if f.phase else None,
        "statut": f.statut.value if f.statut else None,
        "motif": f.motif,
        "anciennete": str(f.anciennete) if f.anciennete else None,
        "q": f.q,
        "page": str(f.offset // f.limit + 1) if f.offset else None,
    }
    return {k: v for k, v in values.items() if v}


def fabrique_url(f: Filtres) -> Callable[..., str]:
    """``url(phase="contrat")``: this view's URL with some filters changed (None removes)."""

    def url(chemin: str = "/coordination", **changes: str | None) -> str:
        values = {**parametres(f), **changes}
        query = urlencode({k: v for k, v in values.items() if v})
        return f"{chemin}?{query}" if query else chemin

    return url


async def _referents(session: AsyncSession, u: Utilisateur, f: Filtres) -> list[Compte]:
    territoire = u.territoire if u.est_coordinateur else f.territoire
    query = select(Compte).where(Compte.role == Role.REFERENT.value)
    if territoire is not None:
        query = query.where(Compte.territoire == territoire.value)
    if f.organisme is not None:
        query = query.where(Compte.organisme == f.organisme.value)
    return list((await session.exec(query.order_by(col(Compte.nom)))).all())


async def _section(
    nom: str, session: AsyncSession, u: Utilisateur, f: Filtres, request: Request
) -> dict[str, Any]:
    today = aujourd_hui()
    if nom == "carte":
        return {"carte": await veille.carte(session, u, f, today)}
    if nom == "ruptures":
        return {"groupes": await veille.ruptures(session, u, f, today)}
    if nom == "incidents":
        return {
            "partenaires": await veille_incidents.incidents(session, u, f, today),
            "arriere": await veille_incidents.arriere_en_retard(session),
            # --- connecteur fichiers FT/CAF : santé des connecteurs (ticket 20, item 7) ---
            "connecteurs": await sante_connecteurs(session, request.app.state.services.settings),
            "planifications": await planifications_bloquees.vigilance(session),
        }
    if nom == "parcours":
        total, rows = await lister(session, u, f, today)
        return {
            "total": total,
            "rows": rows,
            "motifs_lignes": await motifs_des_lignes(session, [r.id for r in rows]),
            "page": f.offset // f.limit + 1,
            "pages": max(1, -(-total // f.limit)),
        }
    return await rapprocher.contexte(session, u, request)


def _autorise(u: Utilisateur) -> None:
    if not (u.est_coordinateur or u.est_admin):
        raise Refus(
            403, "La coordination est réservée aux coordinateurs et administrateurs", "interdit"
        )


async def contexte(
    request: Request, u: Utilisateur, session: AsyncSession, f: Filtres, sections: tuple[str, ...]
) -> dict[str, Any]:
    _autorise(u)
    ctx: dict[str, Any] = {
        "u": u,
        "f": f,
        "url": fabrique_url(f),
        "query": urlencode(parametres(f)),
        "maj": pages.maj(),
        "motifs": veille.motifs(),
        "libelle_motif": dict(veille.motifs()),
        "Territoire": Territoire,
        "Organisme": Organisme,
        "anciennetes": ANCIENNETES,
        "colonnes": COLONNES,
        "parametres": liste_parametres,
    }
    for nom in sections:
        ctx |= await _section(nom, session, u, f, request)
    return ctx


@router.get("/coordination")
async def page(
    request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresDep
) -> Response:
    try:
        ctx = await contexte(request, u, session, f, SECTIONS)
    except Refus as err:
        return pages.page_erreur(request, u, err.status, err.message)
    # Audited when a person opens or filters the view; the parts' periodic refreshes
    # (every 20 s per part) would drown the log without saying anything new.
    detail = requete_auditee(request)
    await journaliser(session, u, "liste", "coordination", detail, adresse(request))
    ctx |= {
        "titre": "Coordination",
        "actif": "coordination",
        "referents": await _referents(session, u, f),
    }
    return pages.rendre(request, "coordination/page.html", ctx)


@router.get("/coordination/fragments/{section}")
async def fragment(
    section: str, request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresDep
) -> Response:
    if section not in SECTIONS:
        return pages.alerte(request, "Partie de page inconnue", status=404)
    try:
        ctx = await contexte(request, u, session, f, (section,))
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    return pages.rendre(request, f"coordination/_{section}.html", ctx)
