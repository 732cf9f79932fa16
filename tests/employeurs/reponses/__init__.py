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
