"""The référents' agendas and the rendez-vous (issue 18): one's own places, slots, absences
and free times, the booking page of an invitation and the letter's code (its link or code is
the only key), « Mon agenda », convoking on a slot, the collective sessions by the API and in
the cockpit."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    PUBLIC,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import Contexte

# --- agendas et rendez-vous ---
# A référent's own agenda (issue 18): every référent reads and writes their own, no one else
# has one. Each cell is written: the account administrators are not référents.
#                       réf  autre ancien coord c.autre admin part usager anon a.str a.ter
# A chargé de relation entreprise is no référent: no agenda either.
AGENDA_API = ligne("    ok   ok    ok     403   403     403   403  401    401  403   403") | {
    "charge_entreprise": "403"
}


def _lieu_unique(_: Contexte) -> dict[str, str]:
    return {
        "nom": f"Lieu {secrets.token_hex(4)}",
        "adresse": "1 rue de la Matrice",
        "code_postal": "74000",
        "commune": "Annecy",
    }


def _plage_unique(_: Contexte) -> dict[str, Any]:
    # A Saturday years ahead, its own: never overlaps another test's plage.
    jour = date(2031, 1, 4) + timedelta(weeks=secrets.randbelow(2000))
    return {
        "jour": "5",
        "debut": "08:00",
        "fin": "08:30",
        "modalite": "telephone",
        "motifs": ["accompagnement"],
        "du": jour.isoformat(),
        "au": jour.isoformat(),
    }


def _agenda() -> Lignes:
    racine = "/api/v1/agenda"
    liste = frozenset({200})
    return {
        ("GET", f"{racine}/lieux"): [Cas("lieux", AGENDA_API, req("GET", f"{racine}/lieux"))],
        ("POST", f"{racine}/lieux"): [
            Cas(
                "ajouter un lieu",
                AGENDA_API,
                req("POST", f"{racine}/lieux", json=_lieu_unique),
                ok=frozenset({201}),
            )
        ],
        ("GET", f"{racine}/plages"): [
            Cas("plages", AGENDA_API, req("GET", f"{racine}/plages"), ok=liste)
        ],
        ("POST", f"{racine}/plages"): [
            Cas(
                "ouvrir une plage",
                AGENDA_API,
                req("POST", f"{racine}/plages", json=_plage_unique),
                ok=frozenset({201}),
            )
        ],
        ("DELETE", f"{racine}/plages/{{plage_id}}"): [
            Cas(  # allowed, then not found: no one reaches another's plage (tests/agendas)
                "retirer une plage inconnue",
                AGENDA_API,
                req("DELETE", f"{racine}/plages/plage-inconnue"),
                ok=frozenset({404}),
            )
        ],
        ("GET", f"{racine}/absences"): [
            Cas("absences", AGENDA_API, req("GET", f"{racine}/absences"))
        ],
        ("POST", f"{racine}/absences"): [
            Cas(
                "déclarer une absence",
                AGENDA_API,
                req(
                    "POST",
                    f"{racine}/absences",
                    json={"du": "2031-01-01", "au": "2031-01-02", "motif": "Congés"},
                ),
                ok=frozenset({201}),
            )
        ],
        ("GET", f"{racine}/creneaux"): [
            Cas(
                "créneaux libres",
                AGENDA_API,
                req("GET", f"{racine}/creneaux", params={"motif": "accompagnement"}),
            )
        ],
    }


# The booking page of an invitation: its link is the only key. The person's carnet link is
# not one, nor any credential: every cell is the same 404 as for a link that never existed.
RESERVATION_PAR_LIEN = ligne("404 404 404 404 404 404 404 404 404 404 404")


def _reservation() -> Lignes:
    choix = {"plage_id": "plage-inconnue", "debut": "2031-01-04T08:00:00+00:00"}
    return {
        ("GET", "/rdv/{jeton}"): [
            Cas("page de réservation", RESERVATION_PAR_LIEN, req("GET", "/rdv/{lien}"))
        ],
        ("POST", "/rdv/{jeton}"): [
            Cas("réserver", RESERVATION_PAR_LIEN, req("POST", "/rdv/{lien}", data=choix))
        ],
    }


LIGNES: Lignes = {**_agenda(), **_reservation()}

# --- agenda18 : rendez-vous déplacé ou annulé par la personne ---
# Cancelling is given by the link too: nobody else, whatever their credentials.
LIGNES[("POST", "/rdv/{jeton}/annuler")] = [
    Cas("annuler son rendez-vous", RESERVATION_PAR_LIEN, req("POST", "/rdv/{lien}/annuler"))
]
# « Mon agenda » in the cockpit: a référent's own page, like the agenda's API.
LIGNES[("GET", "/agenda")] = [
    Cas(
        "mon agenda",
        ligne("ok ok ok 403 403 403 cnx cnx cnx 403 403") | {"charge_entreprise": "403"},
        req("GET", "/agenda"),
    )
]
# Convoking on a slot of one's own agenda, for a parcours that does not exist: every référent
# is then told 404, the others cannot convoke at all. The command's own route: test_commandes.py.
LIGNES[("POST", "/api/v1/agenda/convocations")] = [
    Cas(
        "convoquer sur un créneau",
        AGENDA_API,
        req(
            "POST",
            "/api/v1/agenda/convocations",
            json={
                "parcours_id": "parcours-inexistant",
                "motif": "accompagnement",
                "plage_id": "plage-inconnue",
                "debut": "2031-01-06T08:00:00+00:00",
            },
        ),
        ok=frozenset({404}),
    )
]

# --- sessions collectives ---
# Collective sessions (issue 18, item 3): the référents' own, like the agenda. A session that
# does not exist is the same 404 for every référent (who organises which session, and who
# registers whom, is tested in tests/agendas/test_sessions_collectives.py); the others never
# reach it. Creating one at a place that is not the asker's is refused on that field.
_SESSIONS = "/api/v1/sessions-collectives"


def _session_inconnue(r: httpx.Response) -> bool:
    return bool(r.json()["message"] == "Session inconnue")


def _saisie_session(_: Contexte) -> dict[str, Any]:
    debut = datetime(2031, 1, 6, 9, tzinfo=UTC) + timedelta(weeks=secrets.randbelow(500))
    return {
        "motif": "information_collective",
        "titre": "Information collective",
        "debut": debut.isoformat(),
        "fin": (debut + timedelta(hours=2)).isoformat(),
        "lieu_id": "lieu-inconnu",
        "capacite": 12,
    }


LIGNES |= {
    ("GET", _SESSIONS): [
        Cas(
            "sessions ouvertes du territoire",
            AGENDA_API,
            req("GET", _SESSIONS),
            controle=lambda r: isinstance(r.json(), list),
        )
    ],
    ("POST", _SESSIONS): [
        Cas(
            "organiser à un lieu qui n'est pas le sien",
            AGENDA_API,
            req("POST", _SESSIONS, json=_saisie_session),
            ok=frozenset({422}),
            controle=lambda r: r.json()["erreurs"][0]["champ"] == "lieu_id",
        )
    ],
    ("GET", f"{_SESSIONS}/{{session_id}}/inscrits"): [
        Cas(
            "liste des inscrits",
            AGENDA_API,
            req("GET", f"{_SESSIONS}/sess-inconnue/inscrits"),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_SESSIONS}/{{session_id}}/inscriptions"): [
        Cas(
            "inscrire la personne du dossier",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/inscriptions",
                json=lambda c: {"parcours_id": c.pid},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("DELETE", f"{_SESSIONS}/{{session_id}}/inscriptions/{{inscription_id}}"): [
        Cas(
            "désinscrire",
            AGENDA_API,
            req("DELETE", f"{_SESSIONS}/sess-inconnue/inscriptions/insc-inconnue"),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_SESSIONS}/{{session_id}}/presences"): [
        Cas(
            "présence pour tous",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/presences",
                json={"presences": [{"inscription_id": "insc-inconnue", "statut": "honore"}]},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
}

# The cockpit's pages of the same: a référent's, like « Mon agenda ».
SESSIONS_PAGE = ligne("ok ok ok 403 403 403 cnx cnx cnx 403 403") | {"charge_entreprise": "403"}
_PAGE_SESSIONS = "/agenda/sessions"
LIGNES |= {
    ("GET", _PAGE_SESSIONS): [
        Cas(
            "sessions collectives",
            SESSIONS_PAGE,
            req("GET", _PAGE_SESSIONS),
            controle=lambda r: "Organiser une session" in r.text,
        )
    ],
    ("POST", _PAGE_SESSIONS): [
        Cas(
            "organiser à un lieu qui n'est pas le sien",
            SESSIONS_PAGE,
            req(
                "POST",
                _PAGE_SESSIONS,
                data=lambda c: (
                    _saisie_session(c)
                    | {"jour": "2031-01-06", "debut": "09:00", "fin": "11:00", "capacite": "12"}
                ),
            ),
            ok=frozenset({422}),
            controle=lambda r: "Ce lieu n&#39;est pas un lieu de votre structure" in r.text,
        )
    ],
    ("GET", f"{_PAGE_SESSIONS}/{{session_id}}"): [
        Cas(
            "une session",
            SESSIONS_PAGE,
            req("GET", f"{_PAGE_SESSIONS}/sess-inconnue"),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/inscriptions"): [
        Cas(
            "inscrire depuis la page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/inscriptions",
                data=lambda c: {"parcours_id": c.pid},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/presences"): [
        Cas(
            "présence pour tous depuis la page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/presences",
                data={"presence-insc-inconnue": "honore"},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
}

# --- sessions18 : annuler une session collective ---
# Its organiser (and the référents of their structure) only, like its list of registered people:
# a session that does not exist is the same 404 for every référent.
LIGNES |= {
    ("POST", f"{_SESSIONS}/{{session_id}}/annulation"): [
        Cas(
            "annuler une session",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/annulation",
                json={"motif": "L'intervenante est malade"},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/annulation"): [
        Cas(
            "annuler une session depuis sa page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/annulation",
                data={"motif": "L'intervenante est malade"},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
}

# --- messages18c : courrier d'invitation ---
# The page where a person types the code of their letter (issue 18): public like the login form,
# and it opens nothing by itself: a code of the right form goes on to /rdv/<code>, whose rows
# above say whom it opens for (the code's owner only); a wrong form is told, and never echoed.
LIGNES[("GET", "/rdv")] = [
    Cas(
        "saisir le code d'un courrier",
        PUBLIC,
        req("GET", "/rdv"),
        controle=lambda r: "Code de rendez-vous" in r.text,
    ),
    Cas(
        "un code de la bonne forme",
        PUBLIC,
        req("GET", "/rdv", params={"code": "k7qm-3xrp-h9td"}),
        ok=frozenset({303}),
        controle=lambda r: r.headers["location"] == "/rdv/K7QM3XRPH9TD",
    ),
    Cas(
        "un code mal formé",
        PUBLIC,
        req("GET", "/rdv", params={"code": "k7qm-zz"}),
        ok=frozenset({422}),
        controle=lambda r: "pas la bonne forme" in r.text and "k7qm-zz" not in r.text,
    ),
]


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
