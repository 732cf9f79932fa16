"""The fields an import knows, and which column of the file holds each: proposed from the
headers (the mapping a source last used first, then usual names), confirmed by a person."""

from __future__ import annotations

from dataclasses import dataclass

from referentiels.territoires import simplifier


@dataclass(frozen=True)
class Champ:
    code: str
    libelle: str
    obligatoire: bool
    synonymes: tuple[str, ...]


CHAMPS: tuple[Champ, ...] = (
    Champ(
        "nom", "Nom", True, ("nom", "nom de naissance", "nom d'usage", "nom usage", "nom famille")
    ),
    Champ("prenom", "Prénom", True, ("prenom", "prénoms", "prenoms")),
    Champ(
        "date_naissance",
        "Date de naissance",
        True,
        ("date de naissance", "naissance", "date naissance", "ddn", "né le", "nee le"),
    ),
    Champ("code_postal", "Code postal", True, ("code postal", "cp", "code post")),
    Champ("commune", "Commune", True, ("commune", "ville", "localité", "commune de résidence")),
    Champ("adresse", "Adresse", False, ("adresse", "adresse postale", "voie", "rue")),
    Champ(
        "telephone",
        "Téléphone",
        False,
        (
            "téléphone",
            "tel",
            "tél",
            "portable",
            "mobile",
            "numéro de téléphone",
            "telephone portable",
        ),
    ),
    Champ("email", "Courriel", False, ("courriel", "email", "e-mail", "mail", "adresse mail")),
    Champ(
        "caf",
        "Numéro allocataire CAF",
        False,
        ("numéro caf", "n° allocataire", "numéro allocataire", "matricule caf", "caf", "num caf"),
    ),
    Champ(
        "france_travail",
        "Identifiant France Travail",
        False,
        ("identifiant france travail", "id france travail", "france travail", "id ft", "ide pe"),
    ),
    Champ(
        "nir",
        "NIR",
        False,
        (
            "nir",
            "numéro de sécurité sociale",
            "n° de sécurité sociale",
            "n° sécurité sociale",
            "numéro sécu",
            "n° sécu",
            "nss",
            "numéro insee",
        ),
    ),
)
PAR_CODE = {c.code: c for c in CHAMPS}
OBLIGATOIRES = tuple(c.code for c in CHAMPS if c.obligatoire)


def proposer(
    entetes: list[str],
    enregistree: dict[str, str] | None = None,
    champs: tuple[Champ, ...] = CHAMPS,
) -> dict[str, str]:
    """field → header: the source's saved mapping where its headers are still there, then the
    usual names (compared without accents, case, spaces or punctuation). ``champs``: the
    fields of the list (people by default, or a structure's professionals)."""
    presents = set(entetes)
    codes = {c.code for c in champs}
    proposee = {
        champ: entete
        for champ, entete in (enregistree or {}).items()
        if champ in codes and entete in presents
    }
    pris = set(proposee.values())
    for champ in champs:
        if champ.code in proposee:
            continue
        noms = {simplifier(s) for s in (*champ.synonymes, champ.libelle, champ.code)}
        for entete in entetes:
            if entete not in pris and simplifier(entete) in noms:
                proposee[champ.code] = entete
                pris.add(entete)
                break
    return proposee


def manquants(
    correspondance: dict[str, str], entetes: list[str], champs: tuple[Champ, ...] = CHAMPS
) -> list[dict[str, str]]:
    """The errors of a mapping, by field: required field without column, unknown column."""
    erreurs = []
    par_code = {c.code: c for c in champs}
    for code, champ in par_code.items():
        entete = correspondance.get(code)
        if entete and entete not in entetes:
            message = f"Colonne « {entete} » absente du fichier"
            erreurs.append({"champ": f"correspondance.{code}", "message": message})
        elif not entete and champ.obligatoire:
            message = f"Indiquez la colonne du champ « {champ.libelle} »"
            erreurs.append({"champ": f"correspondance.{code}", "message": message})
    inconnus = set(correspondance) - set(par_code)
    erreurs += [
        {"champ": f"correspondance.{c}", "message": "Champ inconnu"} for c in sorted(inconnus)
    ]
    return erreurs
