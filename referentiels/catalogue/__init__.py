"""The territory's offer of services, stored in the national data·inclusion format (schema v1,
package `data-inclusion-schema`), searchable by thématique, territory, commune and words.

The JSON files beside this module are the data; they are validated against the national
schema when first loaded, so a malformed entry stops the platform instead of misleading it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data_inclusion.schema.v1 import Service, Structure, Thematique

from referentiels import territoires
from schemas.common import Territoire

DOSSIER = Path(__file__).resolve().parent
DEPARTEMENT = "74"


@dataclass(frozen=True)
class Offre:
    service: Service
    structure: Structure

    @property
    def thematique_principale(self) -> str:
        return str(sorted(t.value for t in self.service.thematiques or [])[0].split("--")[0])


@lru_cache(maxsize=1)
def offres() -> tuple[Offre, ...]:
    structures = {s.id: s for s in (Structure.model_validate(x) for x in _lire("structures.json"))}
    return tuple(
        Offre(service, structures[service.structure_id])
        for service in (Service.model_validate(x) for x in _lire("services.json"))
    )


def _lire(nom: str) -> list[dict[str, object]]:
    data = json.loads((DOSSIER / nom).read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _simplifier(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _couvre(offre: Offre, territoire: Territoire | None, commune: str | None) -> bool:
    zone = set(offre.service.zone_eligibilite or [])
    if DEPARTEMENT in zone or "france" in zone:
        return True
    if commune is not None:
        return commune in zone
    if territoire is not None:
        bassins = territoires.bassins_par_insee()  # every commune of 74 (rules/bassins.yaml)
        return any(bassins.get(code) == territoire for code in zone)
    return True


def rechercher(
    *,
    thematique: str | None = None,
    territoire: Territoire | None = None,
    commune: str | None = None,
    texte: str | None = None,
) -> list[Offre]:
    """Services matching every criterion given. ``thematique`` is a data·inclusion code or its
    top-level family (``mobilite``); ``commune`` an INSEE code."""
    found = []
    for offre in offres():
        codes = {t.value for t in offre.service.thematiques or []}
        if thematique and not any(
            c == thematique or c.startswith(f"{thematique}--") for c in codes
        ):
            continue
        if not _couvre(offre, territoire, commune):
            continue
        if texte and _simplifier(texte) not in _simplifier(
            f"{offre.service.nom} {offre.service.description} {offre.structure.nom}"
        ):
            continue
        found.append(offre)
    return sorted(found, key=lambda o: o.service.nom)


def familles() -> list[str]:
    """Top-level thématiques (``mobilite``, ``numerique``…) of the national schema."""
    return sorted({t.value.split("--")[0] for t in Thematique})


def par_id(service_id: str) -> Offre | None:
    return next((o for o in offres() if o.service.id == service_id), None)
