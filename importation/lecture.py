"""A spreadsheet as headers and rows of text, whatever the file: XLSX (openpyxl) or CSV
(the csv module; its delimiter sniffed, UTF-8 or Windows-1252 as Excel writes them)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

LIGNES_MAX = 20_000


class FichierIllisible(Exception):
    """The file cannot be read as a table; the message says why, in French."""


@dataclass(frozen=True)
class Tableau:
    entetes: list[str]
    lignes: list[list[str]]  # each as long as ``entetes``


def lire(nom_fichier: str, contenu: bytes) -> Tableau:
    nom = nom_fichier.lower()
    if nom.endswith((".xlsx", ".xlsm")):
        brut = _xlsx(contenu)
    elif nom.endswith((".csv", ".txt")):
        brut = _csv(contenu)
    else:
        raise FichierIllisible("Format non pris en charge : envoyez un fichier .xlsx ou .csv")
    return _tableau(brut)


def _tableau(brut: list[list[str]]) -> Tableau:
    lignes = [ligne for ligne in brut if any(c.strip() for c in ligne)]
    if not lignes:
        raise FichierIllisible("Le fichier est vide")
    entetes = [e.strip() for e in lignes[0]]
    if len(lignes) - 1 > LIGNES_MAX:
        raise FichierIllisible(f"Plus de {LIGNES_MAX} lignes : découpez le fichier")
    largeur = len(entetes)
    return Tableau(entetes, [(ligne + [""] * largeur)[:largeur] for ligne in lignes[1:]])


def _texte_de_cellule(valeur: object) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, datetime):  # Excel dates: no time of day in a date of birth
        return valeur.date().isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))  # a CAF number typed as a number, not « 1234567.0 »
    return str(valeur).strip()


def _xlsx(contenu: bytes) -> list[list[str]]:
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not XLSX
        raise FichierIllisible("Fichier XLSX illisible : est-ce bien un classeur Excel ?") from err
    feuille = classeur.worksheets[0]
    lignes = [
        [_texte_de_cellule(v) for v in ligne] for ligne in feuille.iter_rows(values_only=True)
    ]
    classeur.close()
    return lignes


def decoder(contenu: bytes) -> str:
    """UTF-8 (with or without BOM) when it is; otherwise Windows-1252, what Excel in French
    writes as « CSV (séparateur : point-virgule) »."""
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", errors="replace")


def _csv(contenu: bytes) -> list[list[str]]:
    texte = decoder(contenu)
    try:
        dialecte: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            texte[:8192], delimiters=";,\t|"
        )
    except csv.Error:
        dialecte = csv.excel  # one column, or too little to tell: the default comma
    return [[c.strip() for c in ligne] for ligne in csv.reader(io.StringIO(texte), dialecte)]
