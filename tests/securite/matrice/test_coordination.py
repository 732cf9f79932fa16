"""The coordination's watch: its pages, the partner events waiting to be attached to a parcours
(« à rapprocher »), the incidents of calls to partners, the imports of lists (issue 16)."""

from __future__ import annotations

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    COORD_API,
    COORD_PAGE,
    PERSONNEL_API,
    RATTACHER_API,
    RATTACHER_PAGE,
    TERRITOIRE_PAGE,
    VOIR_API,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    refuse_car_clos,
    req,
)
from tests.securite.matrice.dossier import IMPORT, Contexte


def _incident_vu(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [i["parcours_id"] for i in r.json()["incidents"]]


def _evenement_vu(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.evenement in [e["id"] for e in r.json()["items"]]


_IMPORT_FORMULAIRE = dict(IMPORT)
_CORRESPONDANCE = {
    "nom": "Nom",
    "prenom": "Prénom",
    "date_naissance": "Date de naissance",
    "code_postal": "CP",
    "commune": "Commune",
}

LIGNES: Lignes = {
    ("GET", "/api/v1/partners/a-rapprocher"): [
        Cas(
            "file",
            COORD_API,
            req("GET", "/api/v1/partners/a-rapprocher", params={"limit": 500}),
            voit=_evenement_vu,
        )
    ],
    ("POST", "/api/v1/partners/{partner_id}/events/{event_id}/rattacher"): [
        Cas(
            "rattacher au parcours clos",
            RATTACHER_API,
            req(
                "POST",
                "/api/v1/partners/caf/events/{evenement}/rattacher",
                json=lambda c: {"parcours_id": c.clos},
            ),
            ok=frozenset({409}),
            controle=refuse_car_clos,
        )
    ],
    ("GET", "/api/v1/incidents"): [
        Cas(
            "incidents SMS",
            VOIR_API,
            req("GET", "/api/v1/incidents", params={"partenaire": "sms", "limit": 500}),
            voit=_incident_vu,
        ),
        Cas(
            "filtre sur le Bassin annécien",
            ligne("ok vide ok ok 403 ok 403 401 401"),
            req(
                "GET",
                "/api/v1/incidents",
                params={"partenaire": "sms", "territoire": "bassin_annecien", "limit": 500},
            ),
            voit=_incident_vu,
        ),
    ],
    ("POST", "/api/v1/incidents/relance"): [  # a partner without incidents: nothing is retried
        Cas(
            "relance groupée",
            PERSONNEL_API,
            req("POST", "/api/v1/incidents/relance", json={"partenaire": "immersion"}),
        )
    ],
    # Cockpit: the coordination's watch.
    ("GET", "/coordination"): [
        Cas("veille", COORD_PAGE, req("GET", "/coordination")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req("GET", "/coordination", params={"territoire": "bassin_annecien"}),
        ),
    ],
    ("GET", "/coordination/fragments/{section}"): [
        Cas(section, COORD_PAGE, req("GET", f"/coordination/fragments/{section}", htmx=True))
        for section in ("carte", "ruptures", "incidents", "parcours", "a_rapprocher")
    ],
    ("POST", "/coordination/incidents/relancer"): [
        Cas(
            "relance groupée",
            COORD_PAGE,
            req(
                "POST",
                "/coordination/incidents/relancer",
                data={"partenaire": "immersion"},
                htmx=True,
            ),
        )
    ],
    ("GET", "/coordination/rapprocher/recherche"): [
        Cas(
            "recherche d'un parcours",
            ligne("403 403 403 ok vide ok cnx cnx cnx"),
            req(
                "GET",
                "/coordination/rapprocher/recherche",
                params=lambda c: {"partenaire": "caf", "evenement_id": c.evenement, "q": c.nom},
                htmx=True,
            ),
            voit=lambda r, c: f'value="{c.pid}"' in r.text,
        )
    ],
    ("POST", "/coordination/rapprocher"): [
        Cas(
            "rattacher au parcours clos",
            RATTACHER_PAGE,
            req(
                "POST",
                "/coordination/rapprocher",
                data=lambda c: {
                    "partenaire": "caf",
                    "evenement_id": c.evenement,
                    "parcours_id": c.clos,
                },
                htmx=True,
            ),
            ok=frozenset({409}),
            controle=refuse_car_clos,
        )
    ],
    # Imports of lists (issue 16): the coordination of the import's territory, the administration.
    ("POST", "/api/v1/imports"): [
        Cas("aperçu", COORD_API, req("POST", "/api/v1/imports", json=IMPORT), ok=frozenset({201}))
    ],
    ("GET", "/api/v1/imports/{import_id}"): [
        Cas("consulter", RATTACHER_API, req("GET", "/api/v1/imports/{import_id}"))
    ],
    ("PUT", "/api/v1/imports/{import_id}/correspondance"): [
        Cas(
            "corriger",
            RATTACHER_API,
            req(
                "PUT",
                "/api/v1/imports/{import_id}/correspondance",
                json={"correspondance": _CORRESPONDANCE},
            ),
            ok=frozenset({200, 409}),  # 409 once the confirmation row has run
        )
    ],
    ("POST", "/api/v1/imports/{import_id}/confirmer"): [
        Cas(  # its only row is rejected: confirming opens nothing
            "confirmer",
            RATTACHER_API,
            req("POST", "/api/v1/imports/{import_id}/confirmer"),
            ok=frozenset({202}),
        )
    ],
    ("GET", "/api/v1/imports/{import_id}/rapport.csv"): [
        Cas("rapport", RATTACHER_API, req("GET", "/api/v1/imports/{import_id}/rapport.csv"))
    ],
    ("GET", "/imports"): [Cas("page", COORD_PAGE, req("GET", "/imports"))],
    ("POST", "/imports"): [
        Cas(
            "envoyer",
            COORD_PAGE,
            req("POST", "/imports", data=_IMPORT_FORMULAIRE),
            ok=frozenset({303}),
        )
    ],
    ("GET", "/imports/{import_id}"): [
        Cas("aperçu", RATTACHER_PAGE, req("GET", "/imports/{import_id}"))
    ],
    ("POST", "/imports/{import_id}/correspondance"): [
        Cas(
            "corriger",
            RATTACHER_PAGE,
            req("POST", "/imports/{import_id}/correspondance", data=_CORRESPONDANCE),
            ok=frozenset({303, 409}),  # 409 once the confirmation row has run
        )
    ],
    ("POST", "/imports/{import_id}/confirmer"): [
        Cas(
            "confirmer",
            RATTACHER_PAGE,
            req("POST", "/imports/{import_id}/confirmer"),
            ok=frozenset({303}),
        )
    ],
    ("GET", "/imports/{import_id}/progression"): [
        Cas(
            "avancement",
            RATTACHER_PAGE,
            req("GET", "/imports/{import_id}/progression", htmx=True),
        )
    ],
    ("GET", "/imports/{import_id}/rapport.csv"): [
        Cas("rapport", RATTACHER_PAGE, req("GET", "/imports/{import_id}/rapport.csv"))
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
