"""The référent's desk in the cockpit: the search and its table, the accueil form, the
dossier's page and its fragments, the printable carnet, the version's poll. The commands'
forms: test_commandes.py; the pages of other families in their files."""

from __future__ import annotations

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.corps import formulaire
from tests.securite.matrice.commun import (
    LIRE_PAGE,
    OUVRENT,
    OUVRENT_AUSSI,
    PERSONNEL_PAGE,
    TERRITOIRE_PAGE,
    VOIR_PAGE,
    Cas,
    Lignes,
    Route,
    corps_d_accueil,
    ecarts,
    ligne,
    par_nom,
    req,
)
from tests.securite.matrice.dossier import Contexte


def _dans_la_page(r: httpx.Response, ctx: Contexte) -> bool:
    return f"/parcours/{ctx.pid}" in r.text


def _version_signalee(r: httpx.Response, _: Contexte) -> bool:
    return "HX-Trigger" in r.headers


LIGNES: Lignes = {
    ("GET", "/"): [
        Cas("recherche par nom", VOIR_PAGE, req("GET", "/", params=par_nom), voit=_dans_la_page),
        Cas(
            "filtre sur le Chablais",
            ligne("vide vide vide 403 vide vide cnx cnx cnx"),
            req("GET", "/", params=lambda c: par_nom(c, territoire="chablais")),
            voit=_dans_la_page,
        ),
    ],
    ("GET", "/parcours/tableau"): [
        Cas(
            "tableau",
            VOIR_PAGE,
            req("GET", "/parcours/tableau", params=par_nom, htmx=True),
            voit=_dans_la_page,
        )
    ],
    ("GET", "/parcours/nouveau"): [
        Cas("formulaire d'accueil", PERSONNEL_PAGE, req("GET", "/parcours/nouveau"))
    ],
    ("POST", "/parcours/nouveau"): [
        Cas(
            "accueil sur le Bassin annécien",
            TERRITOIRE_PAGE
            | {"referent": "ok", "autre_referent": "ok", "ancien_referent": "ok"}
            | OUVRENT
            | OUVRENT_AUSSI,
            req(
                "POST",
                "/parcours/nouveau",
                data=lambda c: formulaire(corps_d_accueil("Guichet")(c)),
            ),
            ok=frozenset({303}),
            controle=lambda r: r.headers["location"].startswith("/parcours/"),
        ),
        Cas(
            "accueil confié à Léa Dubois",
            TERRITOIRE_PAGE | OUVRENT,
            req(
                "POST",
                "/parcours/nouveau",
                data=lambda c: formulaire(
                    corps_d_accueil("Guichet", referent_id="ref-lea-dubois")(c)
                ),
            ),
            ok=frozenset({303}),
        ),
    ],
    ("GET", "/parcours/{parcours_id}"): [Cas("page", LIRE_PAGE, req("GET", "/parcours/{pid}"))],
    ("GET", "/parcours/{parcours_id}/fragments/{section}"): [
        Cas(section, LIRE_PAGE, req("GET", f"/parcours/{{pid}}/fragments/{section}", htmx=True))
        for section in ("situation", "dossier", "commandes", "timeline", "equipe", "notes")
    ],
    ("GET", "/parcours/{parcours_id}/carnet"): [
        Cas("carnet imprimable", LIRE_PAGE, req("GET", "/parcours/{pid}/carnet"))
    ],
    ("GET", "/parcours/{parcours_id}/version"): [
        Cas(
            "a changé ?",
            VOIR_PAGE,
            req("GET", "/parcours/{pid}/version", params={"v": 0}, htmx=True),
            ok=frozenset({204}),
            voit=_version_signalee,
        )
    ],
    ("GET", "/parcours/{parcours_id}/formulaire/fermer"): [
        Cas("fermer", PERSONNEL_PAGE, req("GET", "/parcours/{pid}/formulaire/fermer", htmx=True))
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
