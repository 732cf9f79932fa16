"""One's own notifications in the cockpit: the centre, its counter, opening or reading one,
the preferences. The preview of a message to the person: test_commandes.py."""

from __future__ import annotations

import httpx

from schemas.notifications import SORTES
from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    PERSONNEL_PAGE,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import Contexte

# --- notifications et messages à la personne ---
# One's own notifications: every account has a centre; Claire's notification about the dossier
# is hers alone (404 for anyone else, word for word the answer for one that does not exist).
NOTIFICATION_DE_CLAIRE = ligne("ok 404 404 404 404 404 cnx cnx cnx")
MES_NOTIFICATIONS = ligne("ok vide vide vide vide vide cnx cnx cnx")
PREFERENCES_PAR_DEFAUT = {
    "application": [s.code for s in SORTES.values() if s.dans_application],
    "courriel": [s.code for s in SORTES.values() if s.recapitulatif],
}


def _notification_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return f"Notification de la matrice {ctx.pid}" in r.text


LIGNES: Lignes = {
    ("GET", "/notifications"): [
        Cas(
            "mes notifications",
            MES_NOTIFICATIONS,
            req("GET", "/notifications"),
            voit=_notification_vue,
        )
    ],
    ("GET", "/notifications/compteur"): [
        Cas(
            "compteur de l'en-tête",
            PERSONNEL_PAGE,
            req("GET", "/notifications/compteur", params={"n": 3}, htmx=True),
            controle=lambda r: 'href="/notifications"' in r.text,
        )
    ],
    ("POST", "/notifications/{notification_id}/ouvrir"): [
        Cas(
            "ouvrir celle de Claire",
            NOTIFICATION_DE_CLAIRE,
            req("POST", "/notifications/{notification}/ouvrir"),
            ok=frozenset({303}),
            controle=lambda r: r.headers["location"].startswith("/parcours/"),
        )
    ],
    ("POST", "/notifications/{notification_id}/lue"): [
        Cas(
            "marquer lue celle de Claire",
            NOTIFICATION_DE_CLAIRE,
            req("POST", "/notifications/{notification}/lue", htmx=True),
            # the answer is Claire's list, unread first: with 50 unread ones before it (a long
            # run gives her that many), the one just read is rightly no longer on it
            voit=lambda r, _: 'id="liste-notifications"' in r.text,
        )
    ],
    ("POST", "/notifications/tout-lire"): [
        Cas(
            "tout marquer lu",
            MES_NOTIFICATIONS,
            req("POST", "/notifications/tout-lire", htmx=True),
            voit=_notification_vue,
        )
    ],
    ("GET", "/notifications/preferences"): [
        Cas("préférences", PERSONNEL_PAGE, req("GET", "/notifications/preferences"))
    ],
    ("POST", "/notifications/preferences"): [
        Cas(
            "préférences par défaut",
            PERSONNEL_PAGE,
            req("POST", "/notifications/preferences", data=PREFERENCES_PAR_DEFAUT),
            controle=lambda r: "Préférences enregistrées" in r.text,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
