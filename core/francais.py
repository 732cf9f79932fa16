"""French articles for labels: « la rupture », « de l'alerte », « au référent »…

Elision and contraction are never written by hand (« Fin de l'rupture », « réservé à le
référent » came from that): a label goes through ``le``, ``du``, ``au`` or ``un``, which look
up the gender of its first word in ``GENRES`` and elide before a vowel or a silent h. A label
whose first word is missing from the lexicon raises ``KeyError``, so the test that renders
every label catches a new one before a person reads a wrong article.

A group that already carries its article (« le référent du parcours ») is contracted with
``a_groupe`` / ``de_groupe``: « au référent du parcours », « du référent du parcours ».
"""

from __future__ import annotations

from typing import Literal

Genre = Literal["m", "f", "mp", "fp"]  # masculine/feminine, singular or plural

# Gender and number of the head word (first word, lower-cased) of every label the code puts
# an article before. Keep sorted.
GENRES: dict[str, Genre] = {
    "accueil": "m",
    "action": "f",
    "administrateur": "m",
    "administration": "f",
    "alerte": "f",
    "contrat": "m",
    "coordinateur": "m",
    "coordination": "f",
    "diagnostic": "m",
    "emploi": "m",
    "identifiant": "m",
    "immersion": "f",
    "numéro": "m",
    "orientation": "f",
    "parcours": "m",
    "personne": "f",
    "référent": "m",
    "rupture": "f",
    "siret": "m",
    "sortie": "f",
    "suivi": "m",
}

_VOYELLES = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
# Words whose h is aspirated: no elision (« le handicap »). Every other h is silent.
_H_ASPIRE = frozenset({"handicap", "hauteur", "hall", "hausse", "haut"})


def _tete(libelle: str) -> str:
    return libelle.split(maxsplit=1)[0].lower().strip("«»\"'(")


def _elide(mot: str) -> bool:
    if not mot:
        return False
    if mot[0] == "h":
        return mot not in _H_ASPIRE
    return mot[0] in _VOYELLES


def _corps(libelle: str) -> str:
    """The label as it reads after an article: lower-cased first letter, acronyms kept."""
    premier = libelle.split(maxsplit=1)[0]
    if premier.isupper() and len(premier) > 1:  # SIRET, CAF…
        return libelle
    return libelle[:1].lower() + libelle[1:]


def genre(libelle: str) -> Genre:
    return GENRES[_tete(libelle)]


def le(libelle: str) -> str:
    """« le contrat », « la rupture », « l'alerte », « les … »."""
    g, corps = genre(libelle), _corps(libelle)
    if g in ("mp", "fp"):
        return f"les {corps}"
    if _elide(_tete(libelle)):
        return f"l'{corps}"
    return f"{'le' if g == 'm' else 'la'} {corps}"


def _contracte(preposition: Literal["à", "de"], groupe: str) -> str:
    """« à » or « de » before a group that starts with its article (or with none)."""
    mot, _, reste = groupe.partition(" ")
    fusion = {"à": {"le": "au", "les": "aux"}, "de": {"le": "du", "les": "des"}}[preposition]
    if mot in fusion:
        return f"{fusion[mot]} {reste}"
    return f"{preposition} {groupe}"


def du(libelle: str) -> str:
    """« du contrat », « de la rupture », « de l'alerte », « des … »."""
    return _contracte("de", le(libelle))


def au(libelle: str) -> str:
    """« au contrat », « à la rupture », « à l'alerte », « aux … »."""
    return _contracte("à", le(libelle))


def un(libelle: str) -> str:
    """« un identifiant », « une alerte », « des … »."""
    g = genre(libelle)
    article = {"m": "un", "f": "une", "mp": "des", "fp": "des"}[g]
    return f"{article} {_corps(libelle)}"


def a_groupe(groupe: str) -> str:
    """« à » + a group that carries its article: « au référent du parcours »."""
    return _contracte("à", groupe)


def de_groupe(groupe: str) -> str:
    """« de » + a group that carries its article: « du nouveau référent »."""
    return _contracte("de", groupe)
