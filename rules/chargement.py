"""Reading rule files: YAML → validated models, territory overrides applied.

Runs in activities and tests, never in workflows (file I/O, holidays package).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rules.calendrier import jours_feries_france
from schemas.regles import Echeance, Rappel, RegleRupture, ReglesVigie

RULES_DIR = Path(__file__).resolve().parent


class RegleInvalide(ValueError):
    """A rules file that cannot be trusted: refuse to start rather than guess."""


def lire_yaml(name: str) -> dict[str, Any]:
    with (RULES_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise RegleInvalide(f"{name} : document YAML inattendu")
    return data


def _fusionner(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _fusionner(merged[key], value)
        else:
            merged[key] = value
    return merged


def _appliquer_territoire(
    items: list[dict[str, Any]], overrides: dict[str, Any], what: str, territoire: str
) -> list[dict[str, Any]]:
    known = {item["code"] for item in items}
    unknown = set(overrides) - known
    if unknown:
        raise RegleInvalide(f"{territoire} : {what} inconnues {sorted(unknown)}")
    return [_fusionner(item, overrides.get(item["code"], {})) for item in items]


@lru_cache(maxsize=16)
def _regles_sans_feries(
    territoire: str,
) -> tuple[str, list[Echeance], list[RegleRupture], list[Rappel]]:
    from rules.vigie import EVALUATEURS  # the evaluator defines which rule codes exist

    data = lire_yaml("vigie.yaml")
    overrides = (data.get("territoires") or {}).get(territoire, {})
    echeances = _appliquer_territoire(
        data["echeances"], overrides.get("echeances", {}), "échéances", territoire
    )
    ruptures = _appliquer_territoire(
        data["ruptures"], overrides.get("ruptures", {}), "règles", territoire
    )
    parsed = [RegleRupture.model_validate(r) for r in ruptures]
    unknown = {r.code for r in parsed} - set(EVALUATEURS)
    missing = set(EVALUATEURS) - {r.code for r in parsed}
    if unknown or missing:
        raise RegleInvalide(
            f"vigie.yaml : règles inconnues {sorted(unknown)}, absentes {sorted(missing)}"
        )
    return (
        f"{data['version']}/{territoire}",
        [Echeance.model_validate(e) for e in echeances],
        parsed,
        [Rappel.model_validate(r) for r in data.get("rappels") or []],
    )


def charger_regles_vigie(territoire: str, annee: int) -> ReglesVigie:
    version, echeances, ruptures, rappels = _regles_sans_feries(territoire)
    return ReglesVigie(
        version=version,
        territoire=territoire,
        echeances=echeances,
        ruptures=ruptures,
        rappels=rappels,
        jours_feries=jours_feries_france(range(annee - 1, annee + 4)),
    )
