"""The parcours list ("mes parcours" for a référent, the territory for a coordinator): filters
and sort kept in the URL, the table refreshed by htmx without reloading the page, alert
reasons written in words."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Organisme, Territoire
from schemas.parcours import Phase, Statut
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.parcours import AlerteRow
from web.cockpit import pages
from web.deps import SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.requetes import TRIS, Filtres, lister
from web.securite.requete_auditee import requete_auditee
from web.templating import templates

router = APIRouter(include_in_schema=False)
PAR_PAGE = 50
COLONNES = [
    ("nom", "Personne"),
    ("phase", "Phase"),
    ("statut", "Statut"),
    (None, "Motifs d'alerte"),
    ("echeance", "Prochaine échéance"),
    ("rdv", "Prochain rendez-vous"),
    ("contact", "Dernier contact"),
    (None, "Référent"),
]


def _vide(value: str | None) -> str | None:
    return value or None


def _enum(enum: Any, v: str | None) -> Any:
    return enum(v) if v in {m.value for m in enum} else None


def filtres(
    territoire: Annotated[str | None, Query()] = None,
    phase: Annotated[str | None, Query()] = None,
    statut: Annotated[str | None, Query()] = None,
    organisme: Annotated[str | None, Query()] = None,
    motif: Annotated[str | None, Query(max_length=60)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tri: str = "echeance",
    descendant: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Filtres:
    """Empty form fields arrive as "": they mean "any"."""
    return Filtres(
        territoire=_enum(Territoire, territoire),
        phase=_enum(Phase, phase),
        statut=_enum(Statut, statut),
        organisme=_enum(Organisme, organisme),
        motif=_vide(motif),
        q=_vide(q),
        tri=tri if tri in TRIS else "echeance",
        descendant=descendant,
        limit=PAR_PAGE,
        offset=(page - 1) * PAR_PAGE,
    )


FiltresDep = Annotated[Filtres, Depends(filtres)]


def parametres(f: Filtres, **changes: object) -> str:
    """This view's query string, with some parameters changed (None removes one)."""
    values: dict[str, object] = {
        "q": f.q,
        "phase": f.phase.value if f.phase else None,
        "statut": f.statut.value if f.statut else None,
        "organisme": f.organisme.value if f.organisme else None,
        "territoire": f.territoire.value if f.territoire else None,
        "motif": f.motif,
        "tri": f.tri if f.tri != "echeance" else None,
        "descendant": "true" if f.descendant else None,
        "page": f.offset // f.limit + 1 if f.offset else None,
        # A référent's list filtered on themselves hides what they handed to someone else.
        "transferes": "masquer" if f.referent else None,
    }
    values.update(changes)
    return urlencode({k: v for k, v in values.items() if v})


async def motifs_des_lignes(
    session: AsyncSession, ids: list[str]
) -> dict[str, list[tuple[str, str]]]:
    """The active reasons of the listed parcours, as (severity, French label): ruptures first."""
    if not ids:
        return {}
    rows = await session.exec(
        select(AlerteRow.parcours_id, AlerteRow.severite, AlerteRow.libelle)
        .where(col(AlerteRow.parcours_id).in_(ids))
        .order_by(col(AlerteRow.severite).desc(), col(AlerteRow.depuis))
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for pid, severite, libelle in rows.all():
        out.setdefault(pid, []).append((severite, libelle))
    return out


TransferesDep = Annotated[str | None, Query(max_length=10)]


async def _contexte(
    request: Request, u: UtilisateurPage, session: SessionDep, f: Filtres, transferes: str | None
) -> dict[str, object]:
    from web.cockpit.veille import motifs  # the vigie's rule labels (shared with coordination)

    # A former référent keeps reading a parcours for a while after handing it over: shown
    # « transféré à … » in the list, and hidden on demand.
    if u.est_referent and transferes == "masquer":
        f.referent = u.id

    total, rows = await lister(session, u, f, aujourd_hui())
    await journaliser(session, u, "liste", "parcours", requete_auditee(request), adresse(request))
    return {
        "u": u,
        "f": f,
        "total": total,
        "rows": rows,
        "motifs_lignes": await motifs_des_lignes(session, [r.id for r in rows]),
        "page": f.offset // f.limit + 1,
        "pages": max(1, -(-total // f.limit)),
        "query": parametres(f),
        "parametres": parametres,
        "colonnes": COLONNES,
        "base_url": "/",
        "fragment_url": "/parcours/tableau",
        "maj": pages.maj(),
        "motifs": motifs(),
        "Territoire": Territoire,
        "Organisme": Organisme,
    }


@router.get("/", response_class=HTMLResponse)
async def liste(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    f: FiltresDep,
    transferes: TransferesDep = None,
) -> Response:
    try:
        ctx = await _contexte(request, u, session, f, transferes)
    except Refus as err:
        return pages.page_erreur(request, u, err.status, err.message)
    titre = (
        "Mes parcours"
        if u.est_referent
        else "Parcours du territoire"
        if u.est_coordinateur
        else "Parcours"
    )
    contexte = {**ctx, "titre": titre, "actif": "parcours", "filtres_actifs": _choisis(u, ctx)}
    return templates.TemplateResponse(request, "parcours/liste.html", contexte)


def _choisis(u: Utilisateur, ctx: dict[str, Any]) -> bool:
    """Whether the person chose a filter or a sort (the phone's filter panel then starts open,
    showing what narrows the list). The territory counts only where it is a choice."""
    f: Filtres = ctx["f"]
    territoire = f.territoire is not None and u.est_admin
    choisis = (f.q, f.phase, f.statut, f.motif, f.organisme, f.referent, f.anciennete)
    return any(choisis) or territoire or f.inclure_clos or f.descendant or f.tri != Filtres.tri


@router.get("/parcours/tableau", response_class=HTMLResponse)
async def tableau(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    f: FiltresDep,
    transferes: TransferesDep = None,
) -> Response:
    """The table alone, for htmx (filters, sort, paging, periodic refresh)."""
    try:
        ctx = await _contexte(request, u, session, f, transferes)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    return templates.TemplateResponse(request, "parcours/_tableau.html", ctx)
