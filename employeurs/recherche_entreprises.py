"""Connector to the national company directory, « API Recherche d'entreprises »
(recherche-entreprises.api.gouv.fr, DINUM, open without a key): from a SIRET, the
establishment's name, NAF code, address, commune and coordinates.

``GET /search?q=<siret>`` answers the unité légale whose establishment matches, with that
establishment in ``matching_etablissements`` (or as ``siege``). Only what we keep is read, so
that a field added upstream changes nothing; a missing one is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

DELAI_S = 5.0  # a person waits on the form: past that, they type it themselves


@dataclass(frozen=True)
class Etablissement:
    siret: str
    nom: str
    naf: str | None
    adresse: str | None
    code_postal: str | None
    commune_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    ouvert: bool


class AnnuaireIndisponible(Exception):
    """The directory did not answer, or not in its documented form."""


def _nombre(valeur: Any) -> float | None:
    try:
        return float(valeur) if valeur not in (None, "") else None
    except (TypeError, ValueError):
        return None


def lire_reponse(corps: dict[str, Any], siret: str) -> Etablissement | None:
    """The establishment of this SIRET in a /search answer; None when the directory does not
    know it (or keeps it non-diffusible: no name is given then)."""
    for unite in corps.get("results") or []:
        candidats = [*(unite.get("matching_etablissements") or []), unite.get("siege") or {}]
        etab = next((e for e in candidats if e.get("siret") == siret), None)
        nom = unite.get("nom_complet") or unite.get("nom_raison_sociale")
        if etab is None or not nom:
            continue
        enseignes = etab.get("liste_enseignes") or []
        return Etablissement(
            siret=siret,
            nom=str(enseignes[0] if enseignes and not etab.get("est_siege") else nom),
            naf=etab.get("activite_principale") or unite.get("activite_principale"),
            adresse=etab.get("adresse"),
            code_postal=etab.get("code_postal"),
            commune_insee=etab.get("commune"),
            commune=etab.get("libelle_commune"),
            latitude=_nombre(etab.get("latitude")),
            longitude=_nombre(etab.get("longitude")),
            ouvert=etab.get("etat_administratif") == "A",
        )
    return None


async def chercher(http: httpx.AsyncClient, base_url: str, siret: str) -> Etablissement | None:
    try:
        reponse = await http.get(
            f"{base_url.rstrip('/')}/search",
            params={"q": siret, "page": 1, "per_page": 1},
            timeout=DELAI_S,
        )
        reponse.raise_for_status()
        corps = reponse.json()
    except (httpx.HTTPError, ValueError) as err:
        raise AnnuaireIndisponible(str(err)) from err
    if not isinstance(corps, dict):
        raise AnnuaireIndisponible("réponse inattendue")
    return lire_reponse(corps, siret)
