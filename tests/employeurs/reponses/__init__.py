"""Answers of the public APIs recorded in their documented form (no network in tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

DOSSIER = Path(__file__).resolve().parent


def lue(nom: str) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads((DOSSIER / nom).read_text(encoding="utf-8"))
    return corps


def recherche_entreprises(appels: list[httpx.Request] | None = None) -> httpx.MockTransport:
    """recherche-entreprises as it answers /search?q=<siret>: the recorded answer of a SIRET
    it knows, an empty result for any other."""

    def repondre(requete: httpx.Request) -> httpx.Response:
        if appels is not None:
            appels.append(requete)
        fichier = DOSSIER / f"recherche_entreprises_{requete.url.params.get('q')}.json"
        nom = fichier.name if fichier.exists() else "recherche_entreprises_vide.json"
        return httpx.Response(200, json=lue(nom))

    return httpx.MockTransport(repondre)


URL_JETON = "https://ft.test/connexion/oauth2/access_token?realm=%2Fpartenaire"
URL_OFFRES = "https://ft.test/partenaire/offresdemploi"
CLIENT_ID, CLIENT_SECRET = "PAR_spie74_test", "secret-de-test-9f3b27c1d4"


def offres_enregistrees() -> list[dict[str, Any]]:
    """The offers of the recorded pages of the département's search, in their order."""
    pages = ("france_travail_offres_74_0-1.json", "france_travail_offres_74_2-3.json")
    return [o for p in pages for o in lue(p)["corps"]["resultats"]]


class FranceTravailEnregistre:
    """France Travail's token endpoint and offers search as recorded: the offers sliced by
    ``range`` with 206 / 200 / 204 and ``Content-Range: offres <début>-<fin>/<total>``;
    ``pannes`` are answered first, one per call to the search."""

    def __init__(self) -> None:
        self.offres = offres_enregistrees()
        self.pannes: list[httpx.Response] = []
        self.jetons_refuses = False
        self.appels: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.repondre)

    def repondre(self, requete: httpx.Request) -> httpx.Response:
        self.appels.append(requete)
        if requete.url.path.endswith("/access_token"):
            return self._jeton(requete)
        if self.pannes:
            return self.pannes.pop(0)
        if (
            requete.headers.get("authorization")
            != f"Bearer {lue('france_travail_jeton.json')['access_token']}"
        ):
            return httpx.Response(401, json={"message": "Invalid access token"})
        debut, fin = (int(n) for n in requete.url.params["range"].split("-"))
        if debut > 1000 or fin > 1149 or not 0 <= fin - debut < 150:
            # the API's bounds on ``range``: 1 150 offers per search at most
            return httpx.Response(
                400, json={"codeHttp": 400, "message": "Valeur du paramètre « range » incorrecte."}
            )
        offres = self._de_la_fenetre(requete.url.params)
        tranche = offres[debut : fin + 1]
        if not tranche:
            return httpx.Response(204)
        plage = f"offres {debut}-{debut + len(tranche) - 1}/{len(offres)}"
        statut = 200 if len(tranche) == len(offres) else 206
        enregistree = lue("france_travail_offres_74_0-1.json")
        corps = {**enregistree["corps"], "resultats": tranche}
        return httpx.Response(statut, json=corps, headers={"Content-Range": plage})

    def _de_la_fenetre(self, parametres: httpx.QueryParams) -> list[dict[str, Any]]:
        """The offers created between ``minCreationDate`` and ``maxCreationDate`` (both
        included, to the second) when they are given."""
        if "minCreationDate" not in parametres:
            return self.offres
        depuis, jusqu_a = parametres["minCreationDate"], parametres["maxCreationDate"]
        return [o for o in self.offres if depuis <= o["dateCreation"][:19] + "Z" <= jusqu_a]

    def _jeton(self, requete: httpx.Request) -> httpx.Response:
        from urllib.parse import parse_qs

        formulaire = {k: v[0] for k, v in parse_qs(requete.content.decode()).items()}
        bons = formulaire.get("client_id") == CLIENT_ID and (
            formulaire.get("client_secret") == CLIENT_SECRET
        )
        if self.jetons_refuses or not bons or formulaire.get("grant_type") != "client_credentials":
            return httpx.Response(
                401,
                json={
                    "error": "invalid_client",
                    "error_description": "Client authentication failed",
                },
            )
        return httpx.Response(200, json=lue("france_travail_jeton.json"))
