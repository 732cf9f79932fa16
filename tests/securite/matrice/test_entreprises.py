"""The employers' companies and offers (issue 24): the directory of companies and its import,
the offers and their matching, the pool of people ready for a job and the proposals — their API
and their cockpit pages. What the set-up creates for these rows (the company, its offer, the
dossier in the pool and proposed for it): dossier.py and mise_en_place.py."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from schemas.diagnostic import Frein
from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    EMPLOYEURS_API,
    EMPLOYEURS_PAGE,
    Cas,
    Construire,
    Lignes,
    Requete,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import (
    FICHE_VIVIER,
    OFFRE_MATRICE,
    OFFRES,
    SIRET_MATRICE,
    Contexte,
    saisie_offre,
)

# --- entreprises ---
# The directory of companies: the chargés de relation entreprise and the administration only
# (EMPLOYEURS_API). The company of the Bassin annécien (SIRET_MATRICE) is the Contexte's; its
# label is the territory's.
_ENTREPRISES = "/api/v1/entreprises"
LIGNES: Lignes = {
    ("GET", _ENTREPRISES): [Cas("annuaire", EMPLOYEURS_API, req("GET", _ENTREPRISES))],
    ("POST", _ENTREPRISES): [
        Cas(
            "ajout",
            EMPLOYEURS_API,
            req("POST", _ENTREPRISES, json=lambda _: {"siret": un_siret(), "nom": "Matrice SA"}),
            ok=frozenset({201}),
        )
    ],
    ("POST", f"{_ENTREPRISES}/depuis-les-parcours"): [
        Cas(
            "des PMSMP et embauches",
            EMPLOYEURS_API,
            req("POST", f"{_ENTREPRISES}/depuis-les-parcours"),
        )
    ],
    ("GET", f"{_ENTREPRISES}/{{siret}}"): [
        Cas("fiche", EMPLOYEURS_API, req("GET", f"{_ENTREPRISES}/{SIRET_MATRICE}"))
    ],
    ("PUT", f"{_ENTREPRISES}/{{siret}}/label"): [
        Cas(
            "label du territoire",
            EMPLOYEURS_API,
            req("PUT", f"{_ENTREPRISES}/{SIRET_MATRICE}/label", json={"inclusif": True}),
        )
    ],
    ("POST", f"{_ENTREPRISES}/{{siret}}/contacts"): [
        Cas(
            "contact",
            EMPLOYEURS_API,
            req("POST", f"{_ENTREPRISES}/{SIRET_MATRICE}/contacts", json={"nom": "M. Matrice"}),
            ok=frozenset({201}),
        )
    ],
}


def _offre(methode: str, suite: str = "", json: Any = None) -> Construire:
    def construire(_: Contexte, __: str) -> Requete:
        return Requete(methode, f"{OFFRES}/{OFFRE_MATRICE['id']}{suite}", json=json)

    return construire


LIGNES |= {
    ("GET", OFFRES): [Cas("offres", EMPLOYEURS_API, req("GET", OFFRES))],
    ("POST", OFFRES): [
        Cas("saisie", EMPLOYEURS_API, req("POST", OFFRES, json=saisie_offre), ok=frozenset({201}))
    ],
    ("GET", f"{OFFRES}/{{offre_id}}"): [Cas("une offre", EMPLOYEURS_API, _offre("GET"))],
    ("PUT", f"{OFFRES}/{{offre_id}}/statut"): [
        Cas("suspendue", EMPLOYEURS_API, _offre("PUT", "/statut", {"statut": "suspendue"}))
    ],
}
# The pool: the référent of the parcours writes the person's fiche (the administration too);
# everyone else gets the answer about a parcours that does not exist.
#           réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
VIVIER_API = ligne(
    "       ok   404   404    404   404     ok    403  401    401  404   404   404  404   404    404"
)


def _rien_des_freins(r: httpx.Response) -> bool:
    """Of each person, the chargé reads the fit and whether the latest diagnostic says she is
    available (« disponible »), never a frein: the diagnostic is not theirs to read."""
    dit = " ".join(raison for p in r.json() for raison in p["raisons"]).casefold()
    tous_dits = all(isinstance(p["disponible"], bool) for p in r.json())
    return tous_dits and not any(f.label.casefold() in dit for f in Frein)


LIGNES |= {
    ("PUT", "/api/v1/parcours/{parcours_id}/vivier"): [
        Cas("fiche", VIVIER_API, req("PUT", "/api/v1/parcours/{pid}/vivier", json=FICHE_VIVIER))
    ],
    ("GET", f"{OFFRES}/{{offre_id}}/rapprochement"): [
        Cas(
            "personnes proposables",
            EMPLOYEURS_API,
            _offre("GET", "/rapprochement"),
            controle=_rien_des_freins,
        )
    ],
}


def _proposition(_: Contexte, __: str) -> Requete:
    url = f"/api/v1/propositions/{OFFRE_MATRICE['proposition']}"
    return Requete("PUT", url, json={"statut": "entretien"})


def _hors_vivier(r: httpx.Response) -> bool:
    """Allowed, then refused because the person is not in the pool for this offer."""
    return bool(r.json()["erreurs"][0]["champ"] == "parcours_id")


LIGNES |= {
    ("POST", f"{OFFRES}/{{offre_id}}/propositions"): [
        Cas(
            "à une personne hors du vivier de l'offre",
            EMPLOYEURS_API,
            _offre("POST", "/propositions", {"parcours_id": "hors-vivier"}),
            ok=frozenset({422}),
            controle=_hors_vivier,
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/propositions"): [
        Cas("offres proposées", VIVIER_API, req("GET", "/api/v1/parcours/{pid}/propositions"))
    ],
    ("PUT", "/api/v1/propositions/{proposition_id}"): [Cas("entretien", VIVIER_API, _proposition)],
}


# --- pages employeurs ---
# The cockpit's pages of the directory and the offers (issue 24): as their API, with the login
# page for whoever has no account; the matching, like its API, for the offer's territory. The
# référent's page « Vers l'emploi »: as the pool's API (the answer about a parcours that does
# not exist for everyone else). Writes answer 303 to the page they change.
#               réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
VIVIER_PAGE = ligne(
    "           ok   404   404    404   404     ok    cnx  cnx    cnx  404   404   404  404   404    404"
)
_VU = frozenset({303})


def _page_offre(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(_: Contexte, __: str) -> Requete:
        return Requete(methode, f"/offres/{OFFRE_MATRICE['id']}{suite}", data=data)

    return construire


def _page_proposition(_: Contexte, __: str) -> Requete:
    url = f"/propositions/{OFFRE_MATRICE['proposition']}"
    return Requete("POST", url, data={"statut": "entretien"})


_ENTREPRISE_PAGE = f"/entreprises/{SIRET_MATRICE}"
_FICHE_VIVIER_PAGE = {"pret": "oui", "consentement": "oui", "projets": ["K2204"]}
LIGNES |= {
    ("GET", "/entreprises"): [Cas("annuaire", EMPLOYEURS_PAGE, req("GET", "/entreprises"))],
    ("GET", "/entreprises/nouvelle"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/entreprises/nouvelle"))
    ],
    ("POST", "/entreprises"): [
        Cas(
            "ajout",
            EMPLOYEURS_PAGE,
            req("POST", "/entreprises", data=lambda _: {"siret": un_siret(), "nom": "Matrice"}),
            ok=_VU,
        )
    ],
    ("GET", "/entreprises/{siret}"): [
        Cas(
            "fiche",
            EMPLOYEURS_PAGE,
            req("GET", _ENTREPRISE_PAGE),
            controle=lambda r: SIRET_MATRICE in r.text,
        )
    ],
    ("POST", "/entreprises/{siret}/label"): [
        Cas(
            "label du territoire",
            EMPLOYEURS_PAGE,
            req("POST", f"{_ENTREPRISE_PAGE}/label", data={"inclusif": "oui"}),
            ok=_VU,
        )
    ],
    ("POST", "/entreprises/{siret}/contacts"): [
        Cas(
            "contact",
            EMPLOYEURS_PAGE,
            req("POST", f"{_ENTREPRISE_PAGE}/contacts", data={"nom": "M. Matrice"}),
            ok=_VU,
        )
    ],
    ("GET", "/offres"): [Cas("offres", EMPLOYEURS_PAGE, req("GET", "/offres"))],
    ("GET", "/offres/nouvelle"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/offres/nouvelle"))
    ],
    ("GET", "/offres/metiers"): [
        Cas(
            "métiers du ROME",
            EMPLOYEURS_PAGE,
            req("GET", "/offres/metiers", params={"metier": "agent entretien"}),
        )
    ],
    ("POST", "/offres"): [
        Cas("saisie", EMPLOYEURS_PAGE, req("POST", "/offres", data=saisie_offre), ok=_VU)
    ],
    ("GET", "/offres/{offre_id}"): [Cas("une offre", EMPLOYEURS_PAGE, _page_offre("GET"))],
    ("POST", "/offres/{offre_id}/statut"): [
        Cas(
            "suspendue",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/statut", {"statut": "suspendue"}),
            ok=_VU,
        )
    ],
    ("GET", "/offres/{offre_id}/rapprochement"): [
        Cas(
            "personnes proposables",
            EMPLOYEURS_PAGE,
            _page_offre("GET", "/rapprochement"),
            controle=lambda r: "À qui proposer" in r.text,
        )
    ],
    ("POST", "/offres/{offre_id}/propositions"): [
        Cas(
            "à une personne hors du vivier de l'offre",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/propositions", {"parcours_id": "hors-vivier"}),
            ok=frozenset({422}),
            controle=lambda r: "pas dans le vivier pour cette offre" in r.text,
        )
    ],
    ("GET", "/parcours/{parcours_id}/emploi"): [
        Cas("vers l'emploi", VIVIER_PAGE, req("GET", "/parcours/{pid}/emploi"))
    ],
    ("POST", "/parcours/{parcours_id}/vivier"): [
        Cas(
            "fiche du vivier",
            VIVIER_PAGE,
            req("POST", "/parcours/{pid}/vivier", data=_FICHE_VIVIER_PAGE),
            ok=_VU,
        )
    ],
    ("POST", "/propositions/{proposition_id}"): [
        Cas("entretien", VIVIER_PAGE, _page_proposition, ok=_VU)
    ],
}


# --- offres FT et import d'entreprises ---
# Importing companies from a file is the directory's: chargés de relation entreprise and the
# administration. A preview (nothing written), whose body lists the file's new company.
_SIRET_IMPORT = un_siret()


def _fichier_d_entreprises(_: Contexte) -> dict[str, Any]:
    texte = (
        f"SIRET;Raison sociale;Code postal;Commune\n{_SIRET_IMPORT};Matrice Import;74000;Annecy\n"
    )
    return {"nom_fichier": "entreprises.csv", "contenu": base64.b64encode(texte.encode()).decode()}


LIGNES[("POST", f"{_ENTREPRISES}/import")] = [
    Cas(
        "aperçu d'un fichier d'entreprises",
        EMPLOYEURS_API,
        req("POST", f"{_ENTREPRISES}/import", json=_fichier_d_entreprises),
        controle=lambda r: r.json()["ajoutees"] == [_SIRET_IMPORT] and not r.json()["enregistre"],
    )
]


# --- employeurs : offres sans SIRET ---
# An offer of France Travail without SIRET is attached to a company of the directory by a
# chargé de relation entreprise (or the administration), as the offer's other writes. The
# matrix's offer is attached to its own company again: the answer names it.
LIGNES |= {
    ("PUT", f"{OFFRES}/{{offre_id}}/entreprise"): [
        Cas(
            "rattachée à une entreprise de l'annuaire",
            EMPLOYEURS_API,
            _offre("PUT", "/entreprise", {"siret": SIRET_MATRICE}),
            controle=lambda r: r.json()["siret"] == SIRET_MATRICE,
        )
    ],
    ("POST", "/offres/{offre_id}/entreprise"): [
        Cas(
            "rattachée à une entreprise de l'annuaire",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/entreprise", {"siret": SIRET_MATRICE}),
            ok=_VU,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
