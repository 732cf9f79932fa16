"""The administration: structures and accounts (their API, the cockpit's pages, the activation
page, a structure's list of professionals), the audit log, the codec of Temporal UI, one's own
API tokens, the message templates."""

from __future__ import annotations

import base64
import secrets
from typing import Any

import httpx

from tests.administration.outils import un_siret
from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.commun import (
    ADMIN_API,
    ADMIN_PAGE,
    JETONS_PAGE,
    PUBLIC,
    PUBLIC_404,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    req,
)
from tests.securite.matrice.dossier import STRUCTURE_MATRICE, Contexte

# The administration of accounts (every cell written: these rows are about the new roles).
#                           réf  autre ancien coord c.autre admin part usager anon a.str a.ter
ADMIN_COMPTES_API = ligne("  403  403   403    403   403     ok    403  401    401  ok    ok")
ADMIN_COMPTES_PAGE = ligne(" 403  403   403    403   403     ok    cnx  cnx    cnx  ok    ok")
STRUCTURES_API = ligne("     403  403   403    403   403     ok    403  401    401  403   403")
STRUCTURES_PAGE = ligne("    403  403   403    403   403     ok    cnx  cnx    cnx  403   403")


def _nouveau_referent(ctx: Contexte) -> dict[str, str]:
    return {
        "email": f"matrice.{secrets.token_hex(4)}@ml-matrice.fr",
        "nom": "Nouveau Référent",
        "role": "referent",
        "structure_id": ctx.structure,
    }


def _nouvelle_structure(_: Contexte) -> dict[str, Any]:
    return STRUCTURE_MATRICE | {"nom": f"Structure {secrets.token_hex(4)}", "siret": un_siret()}


def _ids(r: httpx.Response) -> list[str]:
    return [x["id"] for x in r.json()]


def _administration() -> Lignes:
    """Structures and accounts: the API, the cockpit's pages, the activation page."""
    api, compte = "/api/v1/comptes", "/api/v1/comptes/{compte_id}"
    page = "/administration/comptes/{compte_id}"
    return {
        ("GET", "/api/v1/structures"): [
            Cas(
                "liste",
                ADMIN_COMPTES_API,
                req("GET", "/api/v1/structures"),
                voit=lambda r, c: c.structure in _ids(r),
            )
        ],
        ("POST", "/api/v1/structures"): [
            Cas(
                "création",
                STRUCTURES_API,
                req("POST", "/api/v1/structures", json=_nouvelle_structure),
                ok=frozenset({201}),
            )
        ],
        ("GET", "/api/v1/structures/{structure_id}"): [
            Cas(
                "la Mission Locale", ADMIN_COMPTES_API, req("GET", "/api/v1/structures/{structure}")
            )
        ],
        ("PUT", "/api/v1/structures/{structure_id}"): [
            Cas(
                "inchangée",
                STRUCTURES_API,
                req("PUT", "/api/v1/structures/{structure}", json=STRUCTURE_MATRICE),
            )
        ],
        ("GET", api): [
            Cas("liste", ADMIN_COMPTES_API, req("GET", api), voit=lambda r, c: c.cible in _ids(r)),
            Cas(
                "demandes en attente", ADMIN_COMPTES_API, req("GET", api, params={"en_attente": 1})
            ),
        ],
        ("POST", api): [
            Cas(
                "un référent de la Mission Locale",
                ADMIN_COMPTES_API,
                req("POST", api, json=_nouveau_referent),
                ok=frozenset({201}),
            ),
            Cas(
                "un administrateur",
                STRUCTURES_API,
                req("POST", api, json=lambda c: _nouveau_referent(c) | {"role": "administrateur"}),
                ok=frozenset({201}),
            ),
        ],
        ("GET", compte): [
            Cas("compte de la Mission Locale", ADMIN_COMPTES_API, req("GET", f"{api}/{{cible}}")),
            Cas(
                "Claire Martin (CD, Bassin annécien)",
                ligne("403 403 403 403 403 ok 403 401 401 404 ok"),
                req("GET", f"{api}/ref-claire-martin"),
            ),
            Cas(
                "Camille Henry (Mission Locale du Chablais)",
                ligne("403 403 403 403 403 ok 403 401 401 404 404"),
                req("GET", f"{api}/ref-camille-henry"),
            ),
        ],
        ("PATCH", compte): [
            Cas(
                "même nom",
                ADMIN_COMPTES_API,
                req("PATCH", f"{api}/{{cible}}", json={"nom": "Cible Matrice"}),
            )
        ],
        **{
            ("GET", f"{compte}/{quoi}"): [
                Cas(quoi, ADMIN_COMPTES_API, req("GET", f"{api}/{{cible}}/{quoi}"))
            ]
            for quoi in ("parcours", "jetons", "journal")
        },
        ("POST", f"{compte}/desactiver"): [
            Cas(
                "sans parcours",
                ADMIN_COMPTES_API,
                req("POST", f"{api}/{{cible}}/desactiver", json={}),
            ),
            Cas(
                "Claire Martin, qui détient des parcours, sans choix",
                ligne("403 403 403 403 403 ok 403 401 401 404 ok"),
                req("POST", f"{api}/ref-claire-martin/desactiver", json={}),
                ok=frozenset({409}),
                controle=lambda r: r.json()["code"] == "parcours_a_remettre",
            ),
        ],
        **{
            ("POST", f"{compte}/{action}"): [
                Cas(action, ADMIN_COMPTES_API, req("POST", f"{api}/{{cible}}/{action}"))
            ]
            for action in ("reactiver", "reinitialiser")
        },
        ("POST", f"{compte}/jetons/{{jeton_id}}/revoquer"): [
            Cas(
                "révoquer",
                ADMIN_COMPTES_API,
                req("POST", f"{api}/{{cible}}/jetons/{{jeton}}/revoquer"),
            )
        ],
        ("GET", "/administration"): [
            Cas(
                "comptes et structures",
                ADMIN_COMPTES_PAGE,
                req("GET", "/administration"),
                voit=lambda r, c: f"/administration/comptes/{c.cible}" in r.text,
            )
        ],
        ("GET", "/administration/structures/nouvelle"): [
            Cas("formulaire", STRUCTURES_PAGE, req("GET", "/administration/structures/nouvelle"))
        ],
        ("POST", "/administration/structures"): [
            Cas(
                "création",
                STRUCTURES_PAGE,
                req("POST", "/administration/structures", data=_nouvelle_structure),
                ok=frozenset({303}),
            )
        ],
        ("GET", "/administration/comptes/nouveau"): [
            Cas("formulaire", ADMIN_COMPTES_PAGE, req("GET", "/administration/comptes/nouveau"))
        ],
        ("POST", "/administration/comptes"): [
            Cas(
                "un référent de la Mission Locale",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes", data=_nouveau_referent),
                ok=frozenset({303}),
            )
        ],
        ("GET", page): [
            Cas(
                "compte de la Mission Locale",
                ADMIN_COMPTES_PAGE,
                req("GET", "/administration/comptes/{cible}"),
            )
        ],
        ("POST", f"{page}/{{action}}"): [
            Cas(
                "réactiver",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes/{cible}/reactiver", data={}),
                ok=frozenset({303}),
            ),
            Cas(
                "action inconnue",
                ligne("403 403 403 403 403 404 cnx cnx cnx 404 404"),
                req("POST", "/administration/comptes/{cible}/supprimer", data={}),
            ),
        ],
        ("POST", f"{page}/jetons/{{jeton_id}}/revoquer"): [
            Cas(
                "révoquer",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes/{cible}/jetons/{jeton}/revoquer", data={}),
                ok=frozenset({303}),
            )
        ],
        **{
            (methode, "/activation/{jeton}"): [
                Cas(
                    "lien inconnu",
                    PUBLIC_404,
                    req(methode, f"/activation/{secrets.token_urlsafe(32)}", data=corps),
                    ok=frozenset({404}),
                )
            ]
            for methode, corps in (("GET", None), ("POST", {"mot_de_passe": "x" * 12}))
        },
    }


_PROFESSIONNELS = {  # --- pilote ---
    "nom_fichier": "professionnels.csv",
    "contenu": base64.b64encode(b"Nom;Courriel\nPro Matrice;pro.matrice@ml-matrice.fr\n").decode(),
}


# The administration of the SPIE previews the messages about a rendez-vous: fictitious data
# only, never the dossier's person (« voit » here means: the previews, and nobody real in them).
def _apercus_fictifs(r: httpx.Response, c: Contexte) -> bool:
    personne = [c.nom, *c.contacts]
    return 'id="modele-rappel"' in r.text and not any(x in r.text for x in personne)


LIGNES: Lignes = {
    ("OPTIONS", "/codec/decode"): [
        Cas("préambule CORS", PUBLIC, req("OPTIONS", "/codec/decode"), ok=frozenset({204}))
    ],
    ("OPTIONS", "/codec/encode"): [
        Cas("préambule CORS", PUBLIC, req("OPTIONS", "/codec/encode"), ok=frozenset({204}))
    ],
    ("GET", "/api/v1/audit"): [
        Cas(
            "recherche",
            ADMIN_API,
            req("GET", "/api/v1/audit", params=lambda c: {"objet": f"parcours:{c.pid}"}),
            voit=lambda r, _: r.json()["total"] > 0,
        )
    ],
    ("GET", "/administration/audit"): [
        Cas(
            "page d'audit",
            ADMIN_PAGE,
            req("GET", "/administration/audit", params=lambda c: {"objet": f"parcours:{c.pid}"}),
            controle=lambda r: (
                'id="journal-audit"' in r.text and "export.csv?objet=parcours" in r.text
            ),
        )
    ],
    ("GET", "/compte/jetons"): [Cas("mes jetons", JETONS_PAGE, req("GET", "/compte/jetons"))],
    ("POST", "/compte/jetons"): [
        Cas(
            "créer un jeton",
            JETONS_PAGE,
            req("POST", "/compte/jetons", data={"nom": "Matrice", "duree_jours": "30"}),
        )
    ],
    ("POST", "/compte/jetons/revoquer"): [
        Cas(
            "révoquer un jeton",
            JETONS_PAGE,
            req("POST", "/compte/jetons/revoquer", data={"empreinte": "0" * 64}),
        )
    ],
    ("GET", "/api/v1/audit/export.csv"): [
        Cas(
            "export",
            ADMIN_API,
            req("GET", "/api/v1/audit/export.csv", params={"action": "connexion"}),
        )
    ],
    ("GET", "/api/v1/audit/verification"): [
        Cas("chaîne", ADMIN_API, req("GET", "/api/v1/audit/verification"))
    ],
    ("POST", "/codec/decode"): [
        Cas(
            "déchiffrer",
            ADMIN_API,
            req("POST", "/codec/decode", json=lambda c: c.payload),
            controle=lambda r: (
                base64.b64decode(r.json()["payloads"][0]["data"]) == '"Zoé"'.encode()
            ),
        )
    ],
    ("POST", "/codec/encode"): [
        Cas("chiffrer", ADMIN_API, req("POST", "/codec/encode", json=lambda c: c.payload))
    ],
    **_administration(),
    # --- pilote ---
    # A structure's list of professionals (issue 16): its account administrators, as for one
    # account typed by hand. The preview (not confirmed) creates nothing; the body names the row.
    ("POST", "/api/v1/structures/{structure_id}/comptes/import"): [
        Cas(
            "aperçu de la liste de la Mission Locale",
            ADMIN_COMPTES_API,
            req("POST", "/api/v1/structures/{structure}/comptes/import", json=_PROFESSIONNELS),
            controle=lambda r: r.json()["lignes"][0]["email"] == "pro.matrice@ml-matrice.fr",
        )
    ],
    # --- pilote16b : une structure modifiée au cockpit (issue 16) ---
    # The administration of the SPIE only, as the API's PUT: the form shows the structure, and
    # sending it back unchanged is accepted (303), audited with no difference.
    ("GET", "/administration/structures/{structure_id}/modifier"): [
        Cas(
            "la Mission Locale",
            STRUCTURES_PAGE,
            req("GET", "/administration/structures/{structure}/modifier"),
            voit=lambda r, c: f'value="{STRUCTURE_MATRICE["siret"]}"' in r.text,
        )
    ],
    ("POST", "/administration/structures/{structure_id}/modifier"): [
        Cas(
            "inchangée",
            STRUCTURES_PAGE,
            req("POST", "/administration/structures/{structure}/modifier", data=STRUCTURE_MATRICE),
            ok=frozenset({303}),
        )
    ],
    # --- messages18 : modèles de messages (issue 18, item 6) ---
    ("GET", "/administration/messages"): [
        Cas(
            "modèles de messages",
            STRUCTURES_PAGE,
            req("GET", "/administration/messages"),
            voit=_apercus_fictifs,
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
