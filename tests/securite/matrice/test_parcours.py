"""The parcours by the API: accueil, search, the dossier, its contract and its export; what
every professional reads to fill it in (catalogue, directory, who am I); the person's carnet,
by their own link. The commands: test_commandes.py; the cockpit's pages: test_cockpit.py."""

from __future__ import annotations

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    CRE_AUTREMENT,
    EXPORT_DOSSIER,
    LIRE_API,
    OUVRENT,
    OUVRENT_AUSSI,
    PERSONNEL_API,
    TERRITOIRE_API,
    VOIR_API,
    Cas,
    Lignes,
    Route,
    corps_d_accueil,
    ecarts,
    est_un_pdf,
    ligne,
    par_nom,
    req,
)
from tests.securite.matrice.dossier import Contexte

# The directory of référents and organismes is for the professionals who accompany people; the
# account administrators have their own lists of accounts (/api/v1/comptes).
ANNUAIRE_SANS_ADMINS_DE_COMPTES = {"admin_structure": "403", "admin_territoire": "403"}


def _dans_la_liste(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [p["id"] for p in r.json()["items"]]


LIGNES: Lignes = {
    ("POST", "/api/v1/parcours"): [
        Cas(
            "accueil sur le Bassin annécien",
            TERRITOIRE_API
            | {"referent": "ok", "autre_referent": "ok", "ancien_referent": "ok"}
            | OUVRENT
            | OUVRENT_AUSSI
            | CRE_AUTREMENT,
            req("POST", "/api/v1/parcours", json=corps_d_accueil("Ouvert")),
            ok=frozenset({201}),
        ),
        # The cell of « autre_referent » is Marc's own; another référent may not open a
        # parcours in someone else's name.
        Cas(
            "accueil confié à Marc Roux",
            ligne("403 ok 403 ok 403 ok 403 401 401")
            | {"ancien_membre": "403", "refuse": "403"}
            | CRE_AUTREMENT,
            req(
                "POST",
                "/api/v1/parcours",
                json=corps_d_accueil("Confie", referent_id="ref-marc-roux"),
            ),
            ok=frozenset({201}),
        ),
    ],
    ("GET", "/api/v1/parcours"): [
        Cas(
            "recherche par nom",
            VOIR_API,
            req("GET", "/api/v1/parcours", params=par_nom),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le référent Claire Martin",
            # a chargé de relation entreprise may filter on a référent (and finds no dossier)
            ligne("ok 403 403 ok vide ok 403 401 401 vide vide") | {"charge_entreprise": "vide"},
            req(
                "GET", "/api/v1/parcours", params=lambda c: par_nom(c, referent="ref-claire-martin")
            ),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le Bassin annécien",
            ligne("ok vide ok ok 403 ok 403 401 401"),
            req(
                "GET", "/api/v1/parcours", params=lambda c: par_nom(c, territoire="bassin_annecien")
            ),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le Chablais",
            ligne("vide vide vide 403 vide vide 403 401 401"),
            req("GET", "/api/v1/parcours", params=lambda c: par_nom(c, territoire="chablais")),
            voit=_dans_la_liste,
        ),
    ],
    ("GET", "/api/v1/parcours/{parcours_id}"): [
        Cas("dossier", LIRE_API, req("GET", "/api/v1/parcours/{pid}"))
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/contrat.pdf"): [
        Cas(
            "contrat signé",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/contrat.pdf"),
            controle=est_un_pdf,
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/export"): [
        Cas("droit d'accès", EXPORT_DOSSIER, req("GET", "/api/v1/parcours/{pid}/export"))
    ],
    ("GET", "/api/v1/catalogue/services"): [
        Cas(
            "recherche",
            PERSONNEL_API,
            req("GET", "/api/v1/catalogue/services", params={"q": "permis"}),
        )
    ],
    ("GET", "/api/v1/catalogue/thematiques"): [
        Cas("familles", PERSONNEL_API, req("GET", "/api/v1/catalogue/thematiques"))
    ],
    ("GET", "/api/v1/moi"): [
        Cas(
            "qui suis-je",
            PERSONNEL_API,
            req("GET", "/api/v1/moi"),
            controle=lambda r: set(r.json()) == {"id", "nom", "role", "organisme", "territoire"},
        )
    ],
    ("GET", "/api/v1/referents"): [
        Cas(
            "annuaire de son périmètre",
            PERSONNEL_API | ANNUAIRE_SANS_ADMINS_DE_COMPTES | CRE_AUTREMENT,
            req("GET", "/api/v1/referents"),
            controle=lambda r: (
                bool(r.json())
                and all(set(x) == {"id", "nom", "organisme", "territoire"} for x in r.json())
            ),
        ),
        Cas(
            "annuaire du Bassin annécien",
            ligne("ok ok ok ok 403 ok 403 401 401")
            | ANNUAIRE_SANS_ADMINS_DE_COMPTES
            | CRE_AUTREMENT,
            req("GET", "/api/v1/referents", params={"territoire": "bassin_annecien"}),
            controle=lambda r: (
                "ref-claire-martin" in [x["id"] for x in r.json()]
                and {x["territoire"] for x in r.json()} == {"bassin_annecien"}
            ),
        ),
        Cas(
            "annuaire du Chablais",
            ligne("403 403 403 403 ok ok 403 401 401") | CRE_AUTREMENT,
            req("GET", "/api/v1/referents", params={"territoire": "chablais"}),
            controle=lambda r: {x["territoire"] for x in r.json()} == {"chablais"},
        ),
    ],
    ("GET", "/api/v1/organismes"): [
        Cas(
            "organismes de son périmètre",
            PERSONNEL_API | ANNUAIRE_SANS_ADMINS_DE_COMPTES | CRE_AUTREMENT,
            req("GET", "/api/v1/organismes"),
            controle=lambda r: "france_travail" in [x["organisme"] for x in r.json()],
        ),
        Cas(
            "organismes du Chablais",
            ligne("403 403 403 403 ok ok 403 401 401") | CRE_AUTREMENT,
            req("GET", "/api/v1/organismes", params={"territoire": "chablais"}),
            controle=lambda r: all(x["territoires"] == ["chablais"] for x in r.json()),
        ),
    ],
    # The person's own carnet: their link opens it; a session or a token never does.
    ("GET", "/carnet/{jeton}"): [
        Cas(
            "par le lien personnel",
            ligne("404 404 404 404 404 404 404 ok 404"),
            req("GET", "/carnet/{lien}"),
            controle=lambda r: "Mon carnet de bord" in r.text,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
