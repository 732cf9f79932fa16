"""Every route of the application has its rows in the matrix, in one family's file, and every
row is a route of the application: a route added without its rows fails here."""

from __future__ import annotations

from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.lignes import LIGNES, en_double
from web.app import create_app


def routes_de_l_application(plateforme: Plateforme) -> set[tuple[str, str]]:
    app = create_app(plateforme.settings)
    routes = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            routes.add(("GET", str(route.path)))
            continue
        for methode in route.methods or ():
            if methode != "HEAD":
                routes.add((methode, str(route.path)))
    return routes


def test_chaque_route_a_sa_ligne(plateforme: Plateforme) -> None:
    routes = routes_de_l_application(plateforme)
    sans_ligne = sorted(routes - set(LIGNES))
    sans_route = sorted(set(LIGNES) - routes)
    assert not sans_ligne, f"Routes sans ligne dans la matrice des droits : {sans_ligne}"
    assert not sans_route, f"Lignes de la matrice sans route : {sans_route}"
    assert not en_double(), f"Routes dont les lignes sont dans deux fichiers : {en_double()}"
    assert all(LIGNES.values())
