"""Routes that answer everyone the same: health, documentation, login, the footer's pages;
and Prometheus' route, which answers no one without its own token."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    PUBLIC,
    PUBLIC_404,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import Contexte

LIGNES: Lignes = {
    # Public: the same answer for everyone.
    ("GET", "/healthz"): [Cas("santé", PUBLIC, req("GET", "/healthz"))],
    ("GET", "/livez"): [Cas("vivacité", PUBLIC, req("GET", "/livez"))],
    ("GET", "/readyz"): [Cas("préparation", PUBLIC, req("GET", "/readyz"))],
    ("GET", "/openapi.json"): [Cas("schéma", PUBLIC, req("GET", "/openapi.json"))],
    ("GET", "/docs"): [Cas("documentation", PUBLIC, req("GET", "/docs"))],
    ("GET", "/static"): [
        Cas("feuille de style", PUBLIC, req("GET", "/static/app/parcours.css")),
        Cas(
            "Swagger UI de la documentation",
            PUBLIC,
            req("GET", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
        ),
    ],
    ("GET", "/connexion"): [Cas("formulaire", PUBLIC, req("GET", "/connexion"))],
    ("POST", "/connexion"): [  # without the login form's cookie: refused, whoever posts
        Cas(
            "sans jeton du formulaire",
            PUBLIC,
            req("POST", "/connexion", data={"email": "admin@spie74.fr", "mot_de_passe": "x"}),
            ok=frozenset({403}),
        )
    ],
    ("GET", "/connexion/oidc"): [  # no identity provider configured in the tests
        Cas("non activée", PUBLIC, req("GET", "/connexion/oidc"), ok=frozenset({404}))
    ],
    ("GET", "/connexion/oidc/retour"): [
        Cas("sans code", PUBLIC, req("GET", "/connexion/oidc/retour"), ok=frozenset({401}))
    ],
    ("POST", "/deconnexion"): [
        Cas("déconnexion", PUBLIC, req("POST", "/deconnexion"), ok=frozenset({303}))
    ],
    # The footer's pages (DSFR, issue 22 item 13): public, read before logging in.
    ("GET", "/mentions-legales"): [
        Cas(
            "mentions",
            PUBLIC_404,
            req("GET", "/mentions-legales"),
            controle=lambda r: "Mentions légales" in r.text,
        )
    ],
    ("GET", "/donnees-personnelles"): [
        Cas(
            "données personnelles",
            PUBLIC_404,
            req("GET", "/donnees-personnelles"),
            controle=lambda r: "Responsable du traitement" in r.text,
        )
    ],
    ("GET", "/accessibilite"): [
        Cas(
            "déclaration",
            PUBLIC_404,
            req("GET", "/accessibilite"),
            controle=lambda r: "non conforme" in r.text,
        )
    ],
    # --- exploitation ---
    # Prometheus' own route: its bearer token (METRICS_TOKEN) only, never a session or an API
    # token. The platform under test has none: the route answers as if it did not exist, to
    # everyone (with a token: tests/supervision/test_metriques.py).
    ("GET", "/metrics"): [
        Cas(
            "métriques",
            ligne("404 404 404 404 404 404 404 404 404"),
            req("GET", "/metrics"),
            ok=frozenset({404}),
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
