"""A form for any command, driven by its pydantic model: one ``Champ`` per field, and the
way back from the posted form to the nested dict the model validates.

Field paths are dotted (``usager.nom``, ``objectifs.0.libelle``) so that the server's
validation errors (``champ``) land beside the right input.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from core.clock import PARIS
from web.cockpit.libelles import AIDES, libelle

Brut = Mapping[str, list[str]]  # a posted form: name → values


@dataclass
class Champ:
    chemin: str
    nom: str
    libelle: str
    genre: str  # texte, texte_long, date, datetime, nombre, booleen, oui_non, choix, cases,
    #             groupe, liste, cache
    requis: bool = False
    valeur: Any = ""
    choix: list[tuple[str, str]] = field(default_factory=list)
    enfants: list[Champ] = field(default_factory=list)
    lignes: list[list[Champ]] = field(default_factory=list)
    erreur: str | None = None
    aide: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    contexte: str = ""  # the enclosing group's label, for the error summary

    @property
    def id(self) -> str:
        return "champ-" + self.chemin.replace(".", "-")


@dataclass
class Reglages:
    """What the generic rendering cannot guess, keyed by path without row numbers."""

    choix: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    caches: set[str] = field(default_factory=set)
    exclus: set[str] = field(default_factory=set)
    lignes: dict[str, int] = field(default_factory=dict)
    attrs: dict[str, dict[str, str]] = field(default_factory=dict)


def motif(chemin: str) -> str:
    """``objectifs.2.frein`` → ``objectifs.frein``: the key of ``Reglages``."""
    return ".".join(p for p in chemin.split(".") if not p.isdigit())


def deballer(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _est_modele(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _longueur_max(info: FieldInfo) -> int:
    return max((getattr(m, "max_length", None) or 0 for m in info.metadata), default=0)


def _longueur_min(info: FieldInfo) -> int:
    return max((getattr(m, "min_length", None) or 0 for m in info.metadata), default=0)


def genre(annotation: Any, info: FieldInfo) -> str | None:
    """The kind of input for a field type; None for what a form does not edit."""
    t, optionnel = deballer(annotation)
    if _est_modele(t):
        return "groupe"
    if get_origin(t) is list:
        return "liste" if _est_modele(get_args(t)[0]) else "cases"
    if isinstance(t, type) and issubclass(t, Enum):
        return "choix"
    if t is bool:
        return "oui_non" if optionnel else "booleen"
    if t is datetime:
        return "datetime"
    if t is date:
        return "date"
    if t in (int, float):
        return "nombre"
    if t is str:
        return "texte_long" if _longueur_max(info) >= 1000 else "texte"
    return None


def affichable(v: Any) -> Any:
    if isinstance(v, datetime):
        local = v.astimezone(PARIS) if v.tzinfo else v
        return local.strftime("%Y-%m-%dT%H:%M")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if v is None:
        return ""
    return v


def defaut(info: FieldInfo) -> Any:
    """A field's plain default, shown in the empty form (factories are left alone)."""
    return None if info.default is PydanticUndefined else info.default


def _choix_enum(t: Any) -> list[tuple[str, str]]:
    return [(m.value, getattr(m, "label", str(m.value))) for m in t]


def construire(
    modele: type[BaseModel],
    valeurs: Mapping[str, Any],
    erreurs: Mapping[str, str],
    reglages: Reglages,
    prefixe: str = "",
    contexte: str = "",
) -> list[Champ]:
    """The fields of ``modele`` filled with ``valeurs`` (nested, raw) and ``erreurs`` (by path)."""
    champs = []
    for nom, info in modele.model_fields.items():
        chemin = f"{prefixe}{nom}"
        cle = motif(chemin)
        kind = genre(info.annotation, info)
        if kind is None or cle in reglages.exclus:
            continue
        t, optionnel = deballer(info.annotation)
        c = Champ(
            chemin=chemin,
            nom=nom,
            libelle=libelle(cle, nom, info.description),
            genre="cache" if cle in reglages.caches else kind,
            requis=info.is_required() and not optionnel and kind != "booleen",
            valeur=affichable(valeurs[nom] if nom in valeurs else defaut(info)),
            erreur=erreurs.get(chemin),
            aide=AIDES.get(nom),
            attrs=reglages.attrs.get(cle, {}),
            contexte=contexte,
        )
        if cle in reglages.choix:
            c.choix = reglages.choix[cle]
            c.genre = "cases" if kind == "cases" else ("cache" if c.genre == "cache" else "choix")
        elif kind == "choix":
            c.choix = _choix_enum(t)
        if kind == "groupe":
            c.enfants = construire(
                t, valeurs.get(nom) or {}, erreurs, reglages, f"{chemin}.", c.libelle
            )
        elif kind == "liste":
            c.lignes = _lignes(get_args(t)[0], info, valeurs.get(nom), erreurs, reglages, chemin)
        elif kind == "cases":
            c.valeur = [str(v) for v in valeurs.get(nom) or []]
        champs.append(c)
    return champs


def _lignes(
    modele: type[BaseModel],
    info: FieldInfo,
    rows: Any,
    erreurs: Mapping[str, str],
    reglages: Reglages,
    chemin: str,
) -> list[list[Champ]]:
    rows = list(rows or [])
    n = max(len(rows), _longueur_min(info), reglages.lignes.get(motif(chemin), 0), 1)
    # never more rows than the model accepts: a row may hold a long list (the ROME's 1 584
    # métiers for a contract objective), and a posted form names up to 999 rows
    if plafond := _longueur_max(info):
        n, rows = min(n, plafond), rows[:plafond]
    rows += [{}] * (n - len(rows))
    nom = libelle(motif(chemin), chemin.rsplit(".", 1)[-1], info.description)
    return [
        construire(modele, _dict(r), erreurs, reglages, f"{chemin}.{i}.", f"{nom} n° {i + 1}")
        for i, r in enumerate(rows)
    ]


def _dict(row: Any) -> Mapping[str, Any]:
    return row.model_dump() if isinstance(row, BaseModel) else row


def chemins(champs: list[Champ]) -> set[str]:
    """Every path rendered (to tell field errors from errors about the whole form)."""
    out: set[str] = set()
    for c in champs:
        out.add(c.chemin)
        out |= chemins(c.enfants)
        for ligne in c.lignes:
            out |= chemins(ligne)
    return out
