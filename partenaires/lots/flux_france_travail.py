"""France Travail's « inscriptions », « cessations », « radiations » and « stock » files (CSV)
as internal events: the registrations and their ends that the « principal » extract lacks.

Contract: the files as WebRSA, the open-source RSA software of several départements (CeCILL
v2), integrates them — atolcd/webrsa, app/Console/Command/IntegrationfluxpeShell.php, commit
ceacd4496d9d67e6285a6edc242bb6dd23679fbc. Four kinds of file, separator « ; », a header line
(skipped), cells quoted or not (a whole line may be quoted, and followed by commas);
columns by position: nir (13 characters, its key computed),
identifiantpe, nom, prenom, dtnai (JJ/MM/AAAA), date of the fact (JJ/MM/AAAA), code, motif
(cessations and radiations only), nir2 (the same NIR), then since November 2011 codeinsee,
localite, adresse, ale. A line with a wrong count of cells, two different NIRs, a NIR not of
13 characters or whose key does not check, a malformed identifier or date, or no code, is
rejected with its reason; WebRSA's checks in WebRSA's order. The four motives WebRSA knows by
their code (app/Config/sql/patches/2.x/patch-2.0-rc15.sql) fill an empty motif. Only the facts
are taken over: the code here is ours, the columns, formats and motives are data
(rules/fichiers_partenaires.yaml).

The file's kind is not in the file (WebRSA's operator names it on the command line): it is
recognised by a word of its name, as declared in the rules. The NIR is checked, never carried
on: the parcours is found by the France Travail identifier, as for the other flows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.fr import nir as numero_nir

from core.clock import start_of_day
from partenaires.lots import france_travail
from partenaires.lots.caf import FichierIllisible
from partenaires.lots.regles import identifiant_stable, regles
from schemas.lots import LigneEvenement, LigneSansEvenement

Ligne = LigneEvenement | LigneSansEvenement


def genre(nom: str) -> str | None:
    """« radiations », « cessations »… when a word of the file's name says so (the rules'
    ``fichiers``), else None: the file is then France Travail's « principal » extract."""
    mots = set(re.split(r"[^a-z0-9]+", nom.lower()))
    return next((g for g in regles()["france-travail-flux"]["fichiers"] if g in mots), None)


def lignes_du_fichier(nom: str, contenu: bytes) -> Iterator[Ligne]:
    """The reader France Travail's drop directory uses: one of the four flows, or the extract."""
    g = genre(nom)
    return lignes(g, contenu) if g else france_travail.lignes(contenu)


def lignes(g: str, contenu: bytes) -> Iterator[Ligne]:
    r = regles()["france-travail-flux"]
    try:
        texte = france_travail.texte(contenu)
    except UnicodeDecodeError:
        raise FichierIllisible("Encodage illisible (UTF-8 ou Windows-1252 attendu)") from None
    rangees = csv.reader(io.StringIO(texte, newline=""), delimiter=r["separateur"])
    next(rangees, None)  # the header line
    numero = 0
    for rangee in rangees:
        if not any(c.strip() for c in rangee):
            continue  # a blank line (WebRSA skips them too)
        numero += 1
        yield _ligne(numero, _cellules(rangee, r["separateur"]), g, r)


def _cellules(rangee: list[str], separateur: str) -> list[str]:
    """The cells, as WebRSA reads them from lines a spreadsheet exported: a whole line
    between quotes is read inside them, trailing commas at the end of a line are dropped."""
    if len(rangee) == 1 and separateur in rangee[0]:
        rangee = next(csv.reader([rangee[0].rstrip(",")], delimiter=separateur))
    cellules = [c.strip() for c in rangee]
    cellules[-1] = cellules[-1].rstrip(",").strip()
    return cellules


def _colonnes(cellules: list[str], g: str, r: dict[str, Any]) -> dict[str, str] | str:
    """The cells by name, or why the line has not the expected count (both layouts, before
    and since November 2011, are accepted: WebRSA takes either, as told)."""
    avant = r["fichiers"][g]["colonnes"]
    depuis = avant + r["colonnes_depuis_novembre_2011"]
    for noms in (depuis, avant):
        if len(cellules) == len(noms):
            return dict(zip(noms, cellules, strict=True))
    return (
        f"{len(cellules)} cellules au lieu de {len(avant)} "
        f"(ou {len(depuis)} avec les colonnes de novembre 2011)"
    )


def _date(valeur: str, r: dict[str, Any]) -> date | None:
    try:
        return datetime.strptime(valeur, r["format_date"]).date()
    except ValueError:
        return None


def _nir_valide(nir: str) -> bool:
    """The file carries 13 characters; the key is computed, then the whole checked."""
    try:
        numero_nir.validate(nir + numero_nir.calc_check_digits(nir))
    except (ValidationError, ValueError):
        return False
    return True


def _refus(c: dict[str, str], r: dict[str, Any]) -> str | None:
    """Why WebRSA would reject this line, in its order of checks; None if the line is sound."""
    nir, nir2 = c["nir"].replace(" ", ""), c["nir2"].replace(" ", "")
    if nir != nir2:
        return "Les deux NIR de la ligne (nir et nir2) diffèrent"
    if len(nir) != r["longueur_nir"]:
        return f"NIR (nir) sur {len(nir)} caractères au lieu de {r['longueur_nir']}"
    if not re.fullmatch(r["identifiant"], c["identifiantpe"].replace(" ", "")):
        return (
            "Identifiant France Travail (identifiantpe) mal formé : 7 chiffres, un chiffre ou "
            "une lettre, puis 3 chiffres attendus"
        )
    if _date(c["dtnai"], r) is None:
        return "Date de naissance (dtnai) absente ou mal formée : JJ/MM/AAAA attendu"
    if _date(c["date"], r) is None:
        return "Date du fait (date) absente ou mal formée : JJ/MM/AAAA attendu"
    if not re.fullmatch(r"[^ ]+", c["code"]):
        return "Code (code) absent ou avec des espaces"
    if not _nir_valide(nir):
        return "NIR (nir) invalide : sa clé ne se calcule pas ou ne correspond pas"
    return None


def _ligne(numero: int, cellules: list[str], g: str, r: dict[str, Any]) -> Ligne:
    c = _colonnes(cellules, g, r)
    if isinstance(c, str):
        return LigneSansEvenement(numero=numero, raison=c)
    if raison := _refus(c, r):
        return LigneSansEvenement(numero=numero, raison=raison)
    fichier = r["fichiers"][g]
    le = _date(c["date"], r)
    assert le is not None
    # The platform records the 8 first characters (7 digits and a key, as the parcours
    # carry it); the 3 last digits of the flux's identifier are not a person's.
    sujet = c["identifiantpe"].replace(" ", "")[: r["longueur_identifiant_plateforme"]]
    return LigneEvenement(
        numero=numero,
        # As the extract does for a registration: the same fact from either file is one event.
        id=identifiant_stable("france-travail", sujet, fichier["type"], le.isoformat()),
        type=fichier["type"],
        sujet=sujet,
        survenu_le=start_of_day(le),
        data=_donnees(c, le, fichier, r["motifs"]),
        parcours_connus_seulement=fichier.get("parcours_connus_seulement", False),
    )


def _donnees(
    c: dict[str, str], le: date, fichier: dict[str, Any], motifs: dict[str, str]
) -> dict[str, Any]:
    if "motif" not in fichier["colonnes"]:  # a registration: its code is its category
        return {"date_inscription": le.isoformat(), "categorie": c["code"]}
    code = c["code"]
    motif = c["motif"] or motifs.get(code) or f"motif non précisé (code {code})"
    return {"date": le.isoformat(), "motif": motif, "code": code}
