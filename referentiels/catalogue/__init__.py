"""The territory's offer of services, stored in the national data·inclusion format (schema v1,
package `data-inclusion-schema`), searchable by thématique, territory, commune and words.

The JSON files beside this module are the data; they are validated against the national
schema when first loaded, so a malformed entry stops the platform instead of misleading it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from data_inclusion.schema.v1 import Service, Structure, Thematique

from referentiels import territoires
from referentiels.territoires import Point, distance_km
from schemas.common import Territoire

DOSSIER = Path(__file__).resolve().parent
DEPARTEMENT = "74"


@dataclass(frozen=True)
class Offre:
    service: Service
    structure: Structure
    archive_le: datetime | None = None  # gone from data·inclusion: kept, no longer offered

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
    if not zone:  # data·inclusion leaves it empty when the producer sets no restriction
        return offre.service.code_insee is None or _dans(offre, territoire, commune)
    if DEPARTEMENT in zone or "france" in zone:
        return True
    if commune is not None:
        return commune in zone
    if territoire is not None:
        bassins = territoires.bassins_par_insee()  # every commune of 74 (rules/bassins.yaml)
        return any(bassins.get(code) == territoire for code in zone)
    return True


def _dans(offre: Offre, territoire: Territoire | None, commune: str | None) -> bool:
    """A service without eligibility zone serves its own surroundings: its commune, bassin."""
    bassins = territoires.bassins_par_insee()
    lieu = bassins.get(offre.service.code_insee or "")
    if commune is not None:
        return offre.service.code_insee == commune or lieu == bassins.get(commune)
    if territoire is not None:
        return lieu == territoire
    return True


def point_du_service(offre: Offre) -> Point | None:
    """Where the service is received, else its structure: data·inclusion's coordinates; when
    neither was geocoded, the town hall of the service's commune."""
    for lieu in (offre.service, offre.structure):
        if lieu.latitude is not None and lieu.longitude is not None:
            return (lieu.latitude, lieu.longitude)
    for code in (offre.service.code_insee, offre.structure.code_insee):
        if code and (point := territoires.centre(code)) is not None:
            return point
    return None


@dataclass(frozen=True)
class Trouvaille:
    offre: Offre
    distance_km: float | None  # None unless both points are known


def rechercher_autour(
    parmi: Iterable[Offre],
    *,
    thematique: str | None = None,
    territoire: Territoire | None = None,
    commune: str | None = None,
    texte: str | None = None,
    depuis: Point | None = None,
    rayon_km: float | None = None,
) -> list[Trouvaille]:
    """``rechercher`` over the given offers, with the distance from ``depuis`` when both points
    are known: within ``rayon_km`` (services without a point are kept, distance unknown), the
    nearest first, then the others by name."""
    found = []
    for offre in rechercher(
        thematique=thematique, territoire=territoire, commune=commune, texte=texte, parmi=parmi
    ):
        point = point_du_service(offre)
        distance = distance_km(depuis, point) if depuis and point else None
        if rayon_km is not None and distance is not None and distance > rayon_km:
            continue
        found.append(Trouvaille(offre, distance))
    return sorted(found, key=lambda t: (t.distance_km is None, t.distance_km or 0.0))


def rechercher(
    *,
    thematique: str | None = None,
    territoire: Territoire | None = None,
    commune: str | None = None,
    texte: str | None = None,
    parmi: Iterable[Offre] | None = None,
) -> list[Offre]:
    """Services matching every criterion given. ``thematique`` is a data·inclusion code or its
    top-level family (``mobilite``); ``commune`` an INSEE code. ``parmi``: the offers to search
    (default: this file's catalogue, the fallback without the data·inclusion connector)."""
    found = []
    for offre in offres() if parmi is None else parmi:
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
