"""The équipe de suivi (issue 17): the team and its notes on the dossier, the requests to join
a team and their decision, by the API and in the cockpit. Adding and removing a member are
commands of the parcours: test_commandes.py."""

from __future__ import annotations

import secrets

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    COMPTES,
    LIRE_API,
    LIRE_PAGE,
    PERSONNEL_PAGE,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    refuse_car_clos,
    req,
)
from tests.securite.matrice.dossier import Contexte

# --- équipe de suivi (issue 17) ---
# Karim Benali is in the team of the dossier and of its closed twin and wrote a note on the
# dossier; Isabelle Fournier was in both teams and left; Julien Morel asked to join the
# dossier's team and was refused, and asked to join the twin's (still pending). Writing on
# the closed twin is refused for being closed, after every check, so these rows change nothing.
#                              réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EQUIPE_ECRIRE = ligne(
    "        ok   404   403    403   404     403   403  401    401  404   404   ok   404   404"
)
EQUIPE_REFERENT = ligne(
    "      ok   404   403    403   404     403   403  401    401  404   404   403  404   404"
)
SE_RATTACHER = ligne(
    "         ok   ok    ok     403   403     403   403  401    401  403   403   ok   ok    ok    403"
)


def _note_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.note in [n["id"] for n in r.json()]


def _membre_vu(r: httpx.Response, _: Contexte) -> bool:
    return [m["compte_id"] for m in r.json()["membres"]] == [COMPTES["membre"]]


def _personne_inconnue(_: Contexte) -> dict[str, str]:
    nom = "Inconnue" + secrets.token_hex(4)
    return {"nom": nom, "prenom": "Eve", "date_naissance": "1990-01-01", "role": "tuteur"}


def _equipe() -> Lignes:
    pid, notes = "/api/v1/parcours/{parcours_id}", "/api/v1/parcours/{parcours_id}/notes"
    demande = f"{pid}/rattachements/{{demande_id}}"
    note = {"texte": "Note de la matrice"}
    return {
        ("GET", f"{pid}/equipe"): [
            Cas("équipe", LIRE_API, req("GET", "/api/v1/parcours/{pid}/equipe"), voit=_membre_vu)
        ],
        ("GET", notes): [
            Cas("notes", LIRE_API, req("GET", "/api/v1/parcours/{pid}/notes"), voit=_note_vue)
        ],
        ("POST", notes): [
            Cas(
                "note sur le parcours clos",
                EQUIPE_ECRIRE,
                req("POST", "/api/v1/parcours/{clos}/notes", json=note),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
        ],
        ("PATCH", f"{notes}/{{note_id}}"): [
            Cas(
                "correction sur le parcours clos",
                EQUIPE_ECRIRE,
                req("PATCH", "/api/v1/parcours/{clos}/notes/{note}", json=note),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
        ],
        ("POST", f"{notes}/{{note_id}}/amendements"): [
            Cas(
                "amendement sur le parcours clos",
                EQUIPE_ECRIRE,
                req("POST", "/api/v1/parcours/{clos}/notes/{note}/amendements", json=note),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
        ],
        ("POST", "/api/v1/rattachements"): [
            Cas(
                "demande sur une personne inconnue",
                SE_RATTACHER,
                req("POST", "/api/v1/rattachements", json=_personne_inconnue),
                ok=frozenset({202}),
            )
        ],
        ("GET", f"{pid}/rattachements"): [
            Cas(
                "demandes en attente",
                EQUIPE_REFERENT,
                req("GET", "/api/v1/parcours/{clos}/rattachements"),
                voit=lambda r, c: c.demande in [d["id"] for d in r.json()],
            )
        ],
        **{
            ("POST", f"{demande}/{decision}"): [
                Cas(
                    f"{decision} sur le parcours clos",
                    EQUIPE_REFERENT,
                    req("POST", f"/api/v1/parcours/{{clos}}/rattachements/{{demande}}/{decision}"),
                    ok=frozenset({409}),
                    controle=refuse_car_clos,
                )
            ]
            for decision in ("accepter", "refuser")
        },
    }


EQUIPE_ECRIRE_PAGE = ligne(
    "   ok   404   403    403   404     403   cnx  cnx    cnx  404   404   ok   404   404"
)
EQUIPE_REFERENT_PAGE = ligne(
    " ok   404   403    403   404     403   cnx  cnx    cnx  404   404   403  404   404"
)
SE_RATTACHER_PAGE = ligne(
    "    ok   ok    ok     403   403     403   cnx  cnx    cnx  403   403   ok   ok    ok    403"
)


def _equipe_cockpit() -> Lignes:
    notes = "/parcours/{parcours_id}/notes"
    return {
        ("GET", notes): [
            Cas(
                "chercher",
                LIRE_PAGE,
                req("GET", "/parcours/{pid}/notes", params={"q": "atelier"}, htmx=True),
                voit=lambda r, c: f"note-{c.note}" in r.text,
            )
        ],
        ("POST", notes): [
            Cas(
                "note sur le parcours clos",
                EQUIPE_ECRIRE_PAGE,
                req("POST", "/parcours/{clos}/notes", data={"texte": "Note"}, htmx=True),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
        ],
        ("POST", "/parcours/{parcours_id}/rattachements/{demande_id}/{decision}"): [
            Cas(
                f"{decision} sur le parcours clos",
                EQUIPE_REFERENT_PAGE,
                req("POST", f"/parcours/{{clos}}/rattachements/{{demande}}/{decision}", htmx=True),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
            for decision in ("accepter", "refuser")
        ],
        ("GET", "/rattachement"): [Cas("formulaire", PERSONNEL_PAGE, req("GET", "/rattachement"))],
        ("POST", "/rattachement"): [
            Cas(
                "demande sur une personne inconnue",
                SE_RATTACHER_PAGE,
                req("POST", "/rattachement", data=_personne_inconnue),
                controle=lambda r: "Demande enregistrée" in r.text,
            )
        ],
    }


LIGNES: Lignes = {**_equipe(), **_equipe_cockpit()}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
