"""The employers' job datings and social clauses (issue 24, items 5 and 6): their API and
their cockpit pages, the presences noted and the hours entered. What the set-up creates for these
rows (the job dating the dossier is invited to, the social clause it is placed on):
dossier.py and mise_en_place.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    EMPLOYEURS_API,
    EMPLOYEURS_PAGE,
    Cas,
    Construire,
    Lignes,
    Requete,
    Route,
    Valeur,
    ecarts,
    evaluer,
    ligne,
    req,
)
from tests.securite.matrice.dossier import (
    CLAUSES,
    EV_MATRICE,
    EVENEMENTS,
    Contexte,
    saisie_clause,
    saisie_evenement,
)

_VU = frozenset({303})  # a write from a page answers 303 to the page it changes

# --- événements et clauses ---
# Job datings and social clauses (issue 24, items 5 and 6): read by the professionals who
# accompany and the chargés de relation entreprise; created by the chargé of the territory (and
# the administration); a référent invites or places the people they accompany and notes
# presence or hours; the chargé of the territory sees the people invited or placed, the
# référent only their own. The event and the contract are the Bassin annécien's; the dossier
# is invited to the one and placed on the other.
#                réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_LIRE = ligne(
    "            ok   ok    ok     ok    ok      ok    403  401    401  403   403   ok   ok    ok     ok"
)
EMPLOYEURS_PERSONNES = ligne(
    "            ok   vide  vide   vide  vide    ok    403  401    401  403   403   vide vide  vide   ok"
)
EMPLOYEURS_POUR_LES_SIENS = ligne(
    "            ok   404   404    404   404     ok    403  401    401  403   403   404  404   404    404"
)
EMPLOYEURS_HEURES = ligne(
    "            ok   404   404    404   404     ok    403  401    401  403   403   404  404   404    ok"
)


def _chez(base: str, cle: str, methode: str, suite: str = "", json: Valeur = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"{base}/{EV_MATRICE[cle]}{suite.format(**EV_MATRICE)}"
        return Requete(methode, url, json=evaluer(json, ctx))

    return construire


def _invitee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [i["parcours_id"] for i in r.json()["invites"]]


def _placee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [p["parcours_id"] for p in r.json()["placements"]]


def _jumeau_clos(r: httpx.Response) -> bool:
    """Allowed, then refused because the closed twin's person is no longer accompanied (or,
    for the chargé, because they are not in the pool)."""
    corps = r.json()
    return bool(corps["code"] == "parcours_clos" or corps["erreurs"][0]["champ"] == "parcours_id")


LIGNES: Lignes = {
    ("GET", EVENEMENTS): [Cas("événements", EMPLOYEURS_LIRE, req("GET", EVENEMENTS))],
    ("POST", EVENEMENTS): [
        Cas(
            "création",
            EMPLOYEURS_API,
            req("POST", EVENEMENTS, json=saisie_evenement),
            ok=frozenset({201}),
        )
    ],
    ("GET", f"{EVENEMENTS}/{{evenement_id}}"): [
        Cas(
            "un événement et ses invités",
            EMPLOYEURS_PERSONNES,
            _chez(EVENEMENTS, "evenement", "GET"),
            voit=_invitee_vue,
        )
    ],
    ("PUT", f"{EVENEMENTS}/{{evenement_id}}"): [
        Cas(
            "modification",
            EMPLOYEURS_API,
            _chez(EVENEMENTS, "evenement", "PUT", json=saisie_evenement),
        )
    ],
    ("POST", f"{EVENEMENTS}/{{evenement_id}}/invitations"): [
        Cas(
            "inviter le jumeau clos",
            EMPLOYEURS_POUR_LES_SIENS,
            _chez(
                EVENEMENTS, "evenement", "POST", "/invitations", lambda c: {"parcours_id": c.clos}
            ),
            ok=frozenset({409}),
            controle=_jumeau_clos,
        )
    ],
    ("PUT", f"{EVENEMENTS}/{{evenement_id}}/invitations/{{invitation_id}}"): [
        Cas(
            "présence",
            EMPLOYEURS_POUR_LES_SIENS,
            _chez(
                EVENEMENTS,
                "evenement",
                "PUT",
                "/invitations/{invitation}",
                {"presence": "presente", "suite": "entretien"},
            ),
        )
    ],
    ("GET", CLAUSES): [Cas("marchés", EMPLOYEURS_LIRE, req("GET", CLAUSES))],
    ("POST", CLAUSES): [
        Cas(
            "création",
            EMPLOYEURS_API,
            req("POST", CLAUSES, json=saisie_clause),
            ok=frozenset({201}),
        )
    ],
    ("GET", f"{CLAUSES}/{{clause_id}}"): [
        Cas(
            "un marché, son bilan et ses placements",
            EMPLOYEURS_PERSONNES,
            _chez(CLAUSES, "clause", "GET"),
            voit=_placee_vue,
        )
    ],
    ("POST", f"{CLAUSES}/{{clause_id}}/placements"): [
        Cas(
            "placer le jumeau clos",
            EMPLOYEURS_POUR_LES_SIENS | {"charge_entreprise": "ok"},
            _chez(
                CLAUSES,
                "clause",
                "POST",
                "/placements",
                lambda c: {"parcours_id": c.clos, "debut": date.today().isoformat()},
            ),
            ok=frozenset({409, 422}),
            controle=_jumeau_clos,
        )
    ],
    ("PUT", f"{CLAUSES}/{{clause_id}}/placements/{{placement_id}}"): [
        Cas(
            "heures réalisées",
            EMPLOYEURS_HEURES,
            _chez(CLAUSES, "clause", "PUT", "/placements/{placement}", {"heures_realisees": 12}),
        )
    ],
}


# --- employeurs : pages des événements ---
# The cockpit's pages of the job datings, as their API: read by the professionals who accompany
# and the chargés de relation entreprise, created by the chargé of the territory (and the
# administration); a référent inscribes the people they accompany (the matrix's dossier is
# already invited: allowed, then refused as a conflict), everyone else gets the answer about a
# parcours that does not exist. The login page for whoever has no account.
#                   réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EVENEMENTS_PAGE_LIRE = ligne(
    "               ok   ok    ok     ok    ok      ok    cnx  cnx    cnx  403   403   ok   ok    ok     ok"
)
EVENEMENTS_PAGE_SIENS = ligne(
    "               ok   404   404    404   404     ok    cnx  cnx    cnx  403   403   404  404   404    404"
)


def _page_evenement(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"/evenements-employeurs/{EV_MATRICE['evenement']}{suite}"
        return Requete(methode, url, data=evaluer(data, ctx))

    return construire


LIGNES |= {
    ("GET", "/evenements-employeurs"): [
        Cas(
            "événements",
            EVENEMENTS_PAGE_LIRE,
            req("GET", "/evenements-employeurs"),
            controle=lambda r: "Job dating Matrice" in r.text,
        )
    ],
    ("GET", "/evenements-employeurs/nouveau"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/evenements-employeurs/nouveau"))
    ],
    ("POST", "/evenements-employeurs"): [
        Cas(
            "création",
            EMPLOYEURS_PAGE,
            req("POST", "/evenements-employeurs", data=saisie_evenement),
            ok=_VU,
        )
    ],
    ("GET", "/evenements-employeurs/{evenement_id}"): [
        Cas(
            "un événement",
            EVENEMENTS_PAGE_LIRE,
            _page_evenement("GET"),
            controle=lambda r: "Job dating Matrice" in r.text,
        )
    ],
    ("POST", "/evenements-employeurs/{evenement_id}/invitations"): [
        Cas(
            "inscrire le dossier, déjà invité",
            EVENEMENTS_PAGE_SIENS,
            _page_evenement("POST", "/invitations", lambda ctx: {"parcours_id": ctx.pid}),
            ok=frozenset({409}),
            controle=lambda r: "déjà invitée" in r.text,
        )
    ],
    # --- employeurs : présence aux événements (page) ---
    # One form for the presence and outcome of everyone a référent invited: as the API's
    # « présence » row (the référent of the person, the administration; the answer about an
    # invitation that does not exist for everyone else, the chargé included). The matrix's event
    # is today's: noting is allowed.
    ("POST", "/evenements-employeurs/{evenement_id}/presences"): [
        Cas(
            "présence et suite du dossier",
            EVENEMENTS_PAGE_SIENS,
            _page_evenement(
                "POST",
                "/presences",
                lambda _: {
                    f"presence-{EV_MATRICE['invitation']}": "presente",
                    f"suite-{EV_MATRICE['invitation']}": "entretien",
                },
            ),
            ok=_VU,
        )
    ],
}


# --- employeurs : pages des clauses sociales ---
# The cockpit's pages of the social clauses, as their API: read by the professionals who
# accompany and the chargés de relation entreprise (the page shows the people placed that the
# API shows: the chargé of the territory sees the dossier, a référent only their own); created
# by the chargé of the territory and the administration; a person placed and hours entered by
# their référent or the chargé of the territory (the closed twin: allowed, then refused, as
# closed or as outside the pool). The login page for whoever has no account.
#                   réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
CLAUSES_PAGE_PERSONNES = ligne(
    "               ok   vide  vide   vide  vide    ok    cnx  cnx    cnx  403   403   vide vide  vide   ok"
)
CLAUSES_PAGE_SIENS = ligne(
    "               ok   404   404    404   404     ok    cnx  cnx    cnx  403   403   404  404   404    ok"
)


def _page_clause(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"/clauses-sociales/{EV_MATRICE['clause']}{suite.format(**EV_MATRICE)}"
        return Requete(methode, url, data=evaluer(data, ctx))

    return construire


def _placement_dans_la_page(r: httpx.Response, ctx: Contexte) -> bool:
    return f'id="placement-{ctx.pid}"' in r.text


LIGNES |= {
    ("GET", "/clauses-sociales"): [
        Cas(
            "marchés de tous les bassins",
            EVENEMENTS_PAGE_LIRE,
            req("GET", "/clauses-sociales", params={"bassin": ""}),
            controle=lambda r: "Marché Matrice" in r.text,
        )
    ],
    ("GET", "/clauses-sociales/nouveau"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/clauses-sociales/nouveau"))
    ],
    ("POST", "/clauses-sociales"): [
        Cas(
            "création",
            EMPLOYEURS_PAGE,
            req("POST", "/clauses-sociales", data=saisie_clause),
            ok=_VU,
        )
    ],
    ("GET", "/clauses-sociales/{clause_id}"): [
        Cas(
            "un marché, son bilan et ses placements",
            CLAUSES_PAGE_PERSONNES,
            _page_clause("GET"),
            voit=_placement_dans_la_page,
            controle=lambda r: 'id="bilan-exigees">100 h<' in r.text,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/placements"): [
        Cas(
            "placer le jumeau clos",
            CLAUSES_PAGE_SIENS,
            _page_clause(
                "POST",
                "/placements",
                lambda c: {"parcours_id": c.clos, "debut": date.today().isoformat()},
            ),
            ok=frozenset({409, 422}),
            controle=lambda r: "est clos" in r.text or "pas dans le vivier" in r.text,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/placements/{placement_id}"): [
        Cas(
            "heures réalisées",
            CLAUSES_PAGE_SIENS,
            _page_clause("POST", "/placements/{placement}", {"heures_realisees": "12"}),
            ok=_VU,
        )
    ],
}


# --- employeurs : modifier un marché, retirer un placement ---
# Changing a contract: whoever may create it (API and page); the set-up's contract typed again
# as it is, so that the other rows find it unchanged. Taking a placement away: whoever may
# enter its hours; the dossier's placement has hours declared (conftest.py), so an allowed
# request is refused for them (409, what to do said) and the placement stays.
def _retrait_refuse(r: httpx.Response) -> bool:
    return bool(r.json()["code"] == "heures_declarees")


LIGNES |= {
    ("PUT", f"{CLAUSES}/{{clause_id}}"): [
        Cas(
            "modification",
            EMPLOYEURS_API,
            _chez(CLAUSES, "clause", "PUT", json=saisie_clause),
            controle=lambda r: r.json()["heures_exigees"] == 100 and r.json()["placements"] is None,
        )
    ],
    ("DELETE", f"{CLAUSES}/{{clause_id}}/placements/{{placement_id}}"): [
        Cas(
            "retrait d'un placement aux heures déclarées",
            EMPLOYEURS_HEURES,
            _chez(CLAUSES, "clause", "DELETE", "/placements/{placement}"),
            ok=frozenset({409}),
            controle=_retrait_refuse,
        )
    ],
    ("GET", "/clauses-sociales/{clause_id}/modifier"): [
        Cas(
            "formulaire du marché tel qu'il est",
            EMPLOYEURS_PAGE,
            _page_clause("GET", "/modifier"),
            controle=lambda r: 'value="Marché Matrice"' in r.text,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/modifier"): [
        Cas(
            "modification",
            EMPLOYEURS_PAGE,
            _page_clause("POST", "/modifier", saisie_clause),
            ok=_VU,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/placements/{placement_id}/retrait"): [
        Cas(
            "retrait d'un placement aux heures déclarées",
            CLAUSES_PAGE_SIENS,
            _page_clause("POST", "/placements/{placement}/retrait"),
            ok=frozenset({409}),
            controle=lambda r: "elles comptent au bilan" in r.text,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
