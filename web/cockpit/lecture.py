"""The way back from a posted form to the nested dict its pydantic model validates, and the
server's errors sorted into those beside a field and those about the whole form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, get_args

from pydantic import BaseModel

from core.clock import PARIS
from web.cockpit.formulaires import Brut, affichable, deballer, defaut, genre


def lire(modele: type[BaseModel], brut: Brut, prefixe: str = "") -> dict[str, Any]:
    """The nested dict to validate, from the posted form. Empty inputs are left out so
    that defaults apply and required fields are reported missing."""
    out: dict[str, Any] = {}
    for nom, info in modele.model_fields.items():
        chemin = f"{prefixe}{nom}"
        kind = genre(info.annotation, info)
        t, optionnel = deballer(info.annotation)
        if kind == "groupe":
            sous = lire(t, brut, f"{chemin}.")
            if sous or not optionnel:
                out[nom] = sous
        elif kind == "liste":
            sous_modele = get_args(t)[0]
            rows = [lire(sous_modele, brut, f"{chemin}.{i}.") for i in indices(brut, chemin)]
            rows = [r for r in rows if _rempli(sous_modele, r)]
            if rows or not optionnel:
                out[nom] = rows
        elif kind == "cases":
            out[nom] = [v for v in brut.get(chemin, []) if v]
        elif kind == "booleen":
            if f"{chemin}" in brut or f"_present.{chemin}" in brut:
                out[nom] = "on" in brut.get(chemin, [])
        elif kind is not None:
            valeur = (brut.get(chemin) or [""])[-1].strip()
            if valeur:
                out[nom] = _heure_de_paris(valeur) if kind == "datetime" else valeur
    return out


def _heure_de_paris(valeur: str) -> str:
    """``datetime-local`` inputs carry no zone: they mean Paris time."""
    try:
        moment = datetime.fromisoformat(valeur)
    except ValueError:
        return valeur
    return (moment if moment.tzinfo else moment.replace(tzinfo=PARIS)).isoformat()


def indices(brut: Brut, chemin: str) -> list[int]:
    """Row numbers posted for a list field."""
    found = set()
    for key in brut:
        key = key.removeprefix("_present.")
        if key.startswith(f"{chemin}."):
            head = key[len(chemin) + 1 :].split(".", 1)[0]
            if head.isascii() and head.isdigit() and len(head) <= 3:  # at most 999 rows
                found.add(int(head))
    return sorted(found)


def _rempli(modele: type[BaseModel], row: Mapping[str, Any]) -> bool:
    """A row counts when something differs from the empty form: typed text, a choice other
    than the field's default (an unticked box or an untouched default select do not count)."""
    for nom, valeur in row.items():
        info = modele.model_fields[nom]
        if isinstance(valeur, dict):
            if _rempli(deballer(info.annotation)[0], valeur):
                return True
        elif valeur not in ("", None, [], False) and str(valeur) != str(affichable(defaut(info))):
            return True
    return False


def repartir(erreurs: list[dict[str, str]], rendus: set[str]) -> tuple[dict[str, str], list[str]]:
    """Field errors by path, and the messages about the form as a whole."""
    par_champ: dict[str, str] = {}
    generales: list[str] = []
    for e in erreurs:
        chemin = e.get("champ", "").removeprefix("donnees.")
        if chemin in rendus:
            par_champ.setdefault(chemin, e.get("message", ""))
        else:
            generales.append(e.get("message", ""))
    return par_champ, generales
