"""The observatoire pages: every indicator as a DSFR chart beside its accessible table, the
trend from the daily snapshots, and the CSV export of each table (pseudonymised, masked)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from observatoire.catalogue import calculer, trouver
from observatoire.export import (
    cellules_tendance,
    csv_resultat,
    csv_tendance,
    nom_fichier,
    tendance_masquee,
)
from observatoire.graphiques import DonneesGraphique, graphique, graphique_tendance
from observatoire.instantanes import EFFECTIFS, PARTS, SERIES, Tendance, tendance
from observatoire.masquage import SEUIL, cellule, masquer, nombre_fr
from observatoire.modele import Filtres, Resultat, Theme
from schemas.common import Organisme, Territoire
from schemas.contrat import add_months
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.indicateurs import DEPARTEMENT
from web.api.observatoire import FiltresObservatoire, portee_observatoire
from web.cockpit.libelles import en_mots
from web.deps import SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.templating import templates

router = APIRouter(include_in_schema=False)


def a_dessiner(g: DonneesGraphique | None) -> DonneesGraphique | None:
    """The chart, or None when every value is empty, masked or zero: empty axes say nothing,
    « Aucune donnée » says it (issue 22, item 7)."""
    if g is None or not any(v for serie in g.y for v in serie):
        return None
    return g


def _bloc(r: Resultat) -> dict[str, Any]:
    """One indicator as the page shows it: masked like the CSV, its chart drawn from the
    masked figures (the page is no way round the statistical secrecy of the exports)."""
    public, masques = masquer(r)
    g = graphique(public)
    # No chart at all while there are rows: a masked slice would be worked out from the others.
    secret = g is None and bool(public.lignes)
    return {"r": public, "masques": masques, "g": a_dessiner(g), "secret": secret}


def _par_theme(resultats: list[Resultat]) -> list[tuple[Theme, list[dict[str, Any]]]]:
    blocs = [(t, [_bloc(r) for r in resultats if r.indicateur.theme == t]) for t in Theme]
    return [(t, b) for t, b in blocs if b]


def _perimetre(u: Utilisateur, f: Filtres) -> str:
    territoire = f.territoire or u.territoire
    return territoire.label if territoire else "Tout le département"


async def _tendance(session: AsyncSession, u: Utilisateur, f: Filtres, today: date) -> Tendance:
    territoire = f.territoire or u.territoire
    fin = f.au or today
    debut = f.du or add_months(fin, -12) + timedelta(days=1)
    return await tendance(session, territoire.value if territoire else DEPARTEMENT, debut, fin)


@router.get("/observatoire", response_class=HTMLResponse)
async def page(
    request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresObservatoire
) -> Response:
    today = aujourd_hui()
    resultats = await calculer(session, f, today, portee=portee_observatoire(u, f, today))
    evolution = tendance_masquee(await _tendance(session, u, f, today))
    await journaliser(
        session, u, "lecture", "observatoire:page", str(request.url.query)[:300], adresse(request)
    )
    contexte = {
        "u": u,
        "titre": "Observatoire",
        "actif": "observatoire",
        "f": f,
        "jour_reference": f.au or today,
        "perimetre": _perimetre(u, f),
        "themes": _par_theme(resultats),
        "tendance": evolution,
        "tableau_tendance": cellules_tendance(evolution),
        "graphiques_tendance": [
            (
                "Parcours non clos et en rupture",
                a_dessiner(graphique_tendance(evolution, EFFECTIFS)),
            ),
            ("Parts et taux (%)", a_dessiner(graphique_tendance(evolution, PARTS))),
        ],
        "series": SERIES,
        "requete": request.url.query,
        "seuil": SEUIL,
        "nombre": nombre_fr,
        "cellule": cellule,
        "en_mots": en_mots,
        "Territoire": Territoire,
        "Organisme": Organisme,
    }
    return templates.TemplateResponse(request, "observatoire/page.html", contexte)


def _csv(contenu: str, nom: str) -> Response:
    return Response(
        contenu.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )


# Declared before the route of the indicators, whose {code} would capture "evolution".
@router.get("/observatoire/export/evolution.csv")
async def export_evolution(
    request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresObservatoire
) -> Response:
    """The trend table (daily snapshots), masked like every export."""
    today = aujourd_hui()
    portee_observatoire(u, f, today)
    evolution = await _tendance(session, u, f, today)
    await journaliser(
        session,
        u,
        "export",
        "observatoire:evolution.csv",
        str(request.url.query)[:300],
        adresse(request),
    )
    return _csv(csv_tendance(evolution), nom_fichier("evolution", f, today))


@router.get("/observatoire/export/{code}.csv")
async def export_csv(
    code: str, request: Request, u: UtilisateurPage, session: SessionDep, f: FiltresObservatoire
) -> Response:
    """One table as CSV: no names, no identifiers, counts under the threshold masked."""
    today = aujourd_hui()
    perimetre = portee_observatoire(u, f, today)
    if trouver(code) is None:
        raise Refus(404, f"Indicateur inconnu : « {code} »", CodeErreur.INDICATEUR_INCONNU)
    (resultat,) = await calculer(session, f, today, portee=perimetre, codes=[code])
    await journaliser(
        session,
        u,
        "export",
        f"observatoire:{code}.csv",
        str(request.url.query)[:300],
        adresse(request),
    )
    return _csv(csv_resultat(resultat), nom_fichier(code, f, today))
