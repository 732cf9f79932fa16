"""The search of the offer where the référent prescribes a service: by thématique, commune
and distance, over the data·inclusion catalogue (store/catalogue.py). A fragment shown above
the form « Prescrire une action »; each result opens that form with the service chosen.

Distances are measured from the chosen commune's town hall (referentiels/territoires) to the
service's point (data·inclusion's latitude and longitude, else its commune's town hall): within
the radius chosen, the nearest first, each with its distance. Without a commune to measure
from, the page says that the radius was not applied."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from referentiels import territoires
from referentiels.catalogue import familles, rechercher_autour
from schemas.parcours import ParcoursState
from services.audit import journaliser
from store import catalogue
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus
from web.securite.sensible import proteger
from workflows.transitions import TRANSITIONS, qualites

router = APIRouter(include_in_schema=False)  # a cockpit fragment, not the API
COMMANDE = "prescrire_action"
RAYONS_KM = (5, 10, 20, 50)
LIMITE = 30  # results shown: the search narrows further


def _commune_de(s: ParcoursState) -> str | None:
    trouvee = territoires.trouver(s.usager.code_postal, s.usager.commune)
    return trouvee.insee if trouvee else None


def _invalide(request: Request, champ: str, message: str) -> Response:
    return pages.alerte(request, f"{champ} : {message}", status=422)


@router.get("/parcours/{parcours_id}/services")
async def rechercher_services(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    thematique: Annotated[str, Query(max_length=80)] = "",
    commune: Annotated[str | None, Query(max_length=5)] = None,
    rayon_km: Annotated[str, Query(max_length=3)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    try:
        s = proteger(await pages.etat(parcours, u, parcours_id), u)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    if not qualites(u.acteur, s) & TRANSITIONS[COMMANDE].qui:
        return pages.alerte(
            request, "La prescription est réservée à l'équipe du parcours", status=403
        )
    if thematique and thematique not in familles():
        return _invalide(request, "Thématique", "inconnue du référentiel data·inclusion")
    code = _commune_de(s) if commune is None else commune or None
    if code is not None and code not in territoires.communes():
        return _invalide(request, "Commune", "code INSEE inconnu en Haute-Savoie")
    if rayon_km and (not rayon_km.isdigit() or int(rayon_km) not in RAYONS_KM):
        return _invalide(
            request, "Distance", f"choisissez parmi {', '.join(map(str, RAYONS_KM))} km"
        )
    depuis = territoires.centre(code) if code else None
    trouves = rechercher_autour(
        await catalogue.offres(session),
        thematique=thematique or None,
        commune=code,
        texte=q or None,
        depuis=depuis,
        rayon_km=float(rayon_km) if rayon_km and depuis else None,
    )
    await journaliser(
        session,
        u,
        "lecture",
        f"parcours:{parcours_id}",
        "cockpit:recherche-services",
        adresse(request),
    )
    return pages.rendre(
        request,
        "parcours/_recherche_services.html",
        {
            "parcours_id": parcours_id,
            "familles": familles(),
            "communes": sorted(territoires.communes().values(), key=lambda c: c.nom),
            "rayons": RAYONS_KM,
            "choisi": {
                "thematique": thematique,
                "commune": code or "",
                "rayon_km": rayon_km,
                "q": q,
            },
            "resultats": trouves[:LIMITE],
            "nombre": len(trouves),
            "distance_possible": depuis is not None,
            "synchronise": await catalogue.synchronise(session),
        },
    )
