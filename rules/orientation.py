"""Orientation rules: an ordered list, first match wins, a catch-all last. No ``eval``:
conditions are a tiny tree of comparisons on named facts, checked when the file is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rules.chargement import RegleInvalide, lire_yaml
from schemas.common import Organisme
from schemas.diagnostic import Diagnostic, Frein, NiveauFrein
from schemas.orientation import PropositionOrientation, TypeOrientation

Faits = dict[str, Any]

FAITS: dict[str, str] = {
    "age": "Âge de la personne le jour du diagnostic (années)",
    "rsa": "Bénéficiaire du RSA (vrai/faux)",
    "are": "Bénéficiaire de l'ARE (vrai/faux)",
    "aah": "Bénéficiaire de l'AAH (vrai/faux)",
    "rqth": "RQTH / bénéficiaire de l'obligation d'emploi (vrai/faux)",
    "situation": "Situation professionnelle (code)",
    "niveau_formation": "Niveau de formation (code)",
    "disponibilite": "Disponibilité (immediate, sous_trois_mois, non_disponible)",
    "projet_defini": "Un métier visé est renseigné (vrai/faux)",
    "freins_bloquants": "Nombre de freins au niveau « bloquant »",
    "freins_a_travailler": "Nombre de freins au niveau « à travailler »",
    **{
        f"frein_{f.value}": f"Niveau du frein « {f.label} » (aucun, a_travailler, bloquant)"
        for f in Frein
    },
}

OPERATEURS: dict[str, Callable[[Any, Any], bool]] = {
    "egal": lambda a, b: bool(a == b),
    "different": lambda a, b: bool(a != b),
    "inf": lambda a, b: bool(a < b),
    "inf_egal": lambda a, b: bool(a <= b),
    "sup": lambda a, b: bool(a > b),
    "sup_egal": lambda a, b: bool(a >= b),
    "dans": lambda a, b: a in b,
    "entre": lambda a, b: bool(b[0] <= a <= b[1]),
}


def faits_du_diagnostic(diagnostic: Diagnostic, date_naissance: date) -> Faits:
    jour = diagnostic.realise_le
    age = (
        jour.year
        - date_naissance.year
        - ((jour.month, jour.day) < (date_naissance.month, date_naissance.day))
    )
    faits: Faits = {
        "age": age,
        **diagnostic.droits.model_dump(),
        "situation": diagnostic.situation.value,
        "niveau_formation": diagnostic.niveau_formation.value,
        "disponibilite": diagnostic.disponibilite.value,
        "projet_defini": diagnostic.projet.code_rome is not None
        or bool(diagnostic.projet.metier_vise),
        "freins_bloquants": len(diagnostic.freins_au_niveau(NiveauFrein.BLOQUANT)),
        "freins_a_travailler": len(diagnostic.freins_au_niveau(NiveauFrein.A_TRAVAILLER)),
    }
    faits.update({f"frein_{f.frein.value}": f.niveau.value for f in diagnostic.freins})
    return faits


def verifier_condition(cond: Any, where: str) -> None:
    """Refuse at load time any condition the evaluator would not understand."""
    if not isinstance(cond, dict) or len(cond) == 0:
        raise RegleInvalide(f"{where} : condition vide ou mal formée")
    if "toujours" in cond:
        return
    if "tous" in cond or "un_de" in cond:
        for i, sub in enumerate(cond.get("tous") or cond.get("un_de") or []):
            verifier_condition(sub, f"{where}[{i}]")
        return
    if "non" in cond:
        verifier_condition(cond["non"], f"{where}.non")
        return
    if cond.get("fait") not in FAITS:
        raise RegleInvalide(f"{where} : fait inconnu « {cond.get('fait')} »")
    if cond.get("op") not in OPERATEURS:
        raise RegleInvalide(f"{where} : opérateur inconnu « {cond.get('op')} »")
    if "valeur" not in cond:
        raise RegleInvalide(f"{where} : valeur manquante")


def evaluer_condition(cond: dict[str, Any], faits: Faits) -> bool:
    if "toujours" in cond:
        return bool(cond["toujours"])
    if "tous" in cond:
        return all(evaluer_condition(c, faits) for c in cond["tous"])
    if "un_de" in cond:
        return any(evaluer_condition(c, faits) for c in cond["un_de"])
    if "non" in cond:
        return not evaluer_condition(cond["non"], faits)
    return OPERATEURS[cond["op"]](faits[cond["fait"]], cond["valeur"])


@dataclass(frozen=True)
class RegleOrientation:
    code: str
    libelle: str
    quand: dict[str, Any]
    type: TypeOrientation
    organisme: Organisme


@dataclass(frozen=True)
class JeuDeRegles:
    version: str
    regles: tuple[RegleOrientation, ...]


def parser(data: dict[str, Any]) -> JeuDeRegles:
    regles = []
    for i, raw in enumerate(data.get("regles") or []):
        where = f"orientation.yaml règle {i + 1} ({raw.get('code', '?')})"
        verifier_condition(raw.get("quand"), where)
        try:
            prop = raw["proposition"]
            regles.append(
                RegleOrientation(
                    raw["code"],
                    raw["libelle"],
                    raw["quand"],
                    TypeOrientation(prop["type"]),
                    Organisme(prop["organisme"]),
                )
            )
        except (KeyError, ValueError) as err:
            raise RegleInvalide(f"{where} : {err}") from err
    if not regles or "toujours" not in regles[-1].quand:
        raise RegleInvalide("orientation.yaml : la dernière règle doit s'appliquer toujours")
    if any("toujours" in r.quand for r in regles[:-1]):
        raise RegleInvalide("orientation.yaml : seule la dernière règle peut s'appliquer toujours")
    if len({r.code for r in regles}) != len(regles):
        raise RegleInvalide("orientation.yaml : deux règles portent le même code")
    return JeuDeRegles(str(data["version"]), tuple(regles))


@lru_cache(maxsize=1)
def regles_orientation() -> JeuDeRegles:
    return parser(lire_yaml("orientation.yaml"))


def proposer(faits: Faits, jeu: JeuDeRegles, jour: date) -> PropositionOrientation:
    regle = next(r for r in jeu.regles if evaluer_condition(r.quand, faits))
    return PropositionOrientation(
        type=regle.type,
        organisme=regle.organisme,
        regle_code=regle.code,
        regle_libelle=regle.libelle,
        version_regles=jeu.version,
        calculee_le=jour,
    )
