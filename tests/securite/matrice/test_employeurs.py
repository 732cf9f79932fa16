"""The employers (issue 24): the directory of companies, the offers and their matching, the
pool of people ready for a job and the proposals, the job datings and the social clauses —
their API and their cockpit pages. What the set-up creates for these rows (the company, its
offer, the event and the clause the dossier is in): commun.py and conftest.py."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import httpx

from schemas.diagnostic import Frein
from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    CLAUSES,
    EV_MATRICE,
    EVENEMENTS,
    FICHE_VIVIER,
    OFFRE_MATRICE,
    OFFRES,
    SIRET_MATRICE,
    Cas,
    Construire,
    Contexte,
    Lignes,
    Requete,
    Route,
    Valeur,
    ecarts,
    evaluer,
    ligne,
    req,
    saisie_clause,
    saisie_evenement,
    saisie_offre,
)

# --- employeurs ---
# The directory of companies: the chargés de relation entreprise and the administration only.
# The company of the Bassin annécien (SIRET_MATRICE) is the Contexte's; its label is the territory's.
#               réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_API = ligne(
    "           403  403   403    403   403     ok    403  401    401  403   403   403  403   403    ok"
)
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
EMPLOYEURS_PAGE = ligne(
    "           403  403   403    403   403     ok    cnx  cnx    cnx  403   403   403  403   403    ok"
)
VIVIER_PAGE = ligne(
    "           ok   404   404    404   404     ok    cnx  cnx    cnx  404   404   404  404   404    404"
)
_VU = frozenset({303})


def _page_offre(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(_: Contexte, __: str) -> Requete:
        return Requete(methode, f"/offres/{OFFRE_MATRICE['id']}{suite}", data=data)

    return construire


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


def _invitee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [i["parcours_id"] for i in r.json()["invites"]]


def _placee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [p["parcours_id"] for p in r.json()["placements"]]


def _jumeau_clos(r: httpx.Response) -> bool:
    """Allowed, then refused because the closed twin's person is no longer accompanied (or,
    for the chargé, because they are not in the pool)."""
    corps = r.json()
    return bool(corps["code"] == "parcours_clos" or corps["erreurs"][0]["champ"] == "parcours_id")


LIGNES |= {
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
}


# --- employeurs : présence aux événements (page) ---
# One form for the presence and outcome of everyone a référent invited: as the API's
# « présence » row (the référent of the person, the administration; the answer about an
# invitation that does not exist for everyone else, the chargé included). The matrix's event
# is today's: noting is allowed.
LIGNES |= {
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
