"""The France Travail extract of job seekers (CSV) as internal events: one registration per line.

Contract: the « principal » extract France Travail sends the département, as
gip-inclusion/carnet-de-bord reads it — backend/cdb/cdb_csv/models/csv_row.py (PrincipalCsvRow),
backend/cdb/cdb_csv/pe.py and backend/tests/fixtures/
i03300c.j.extract_spie_carnet_spie_carnet_de_bord_principal.csv, commit
e0fe72120e7fec28d919b84d076fb1db62962d3f (2024-02-29): separator « ; », a header line, empty
cells written « NULL », dates « 2019-10-17 00:00:00.0 », ``brsa`` « O » for a RSA
beneficiary. The columns used are named in rules/fichiers_partenaires.yaml (a département
whose extract differs changes them there, like rdv-insertion's file configurations).

The extract lists the people registered: it has no radiation, so it only gives
« fr.france-travail.demandeur.inscrit » (radiations and cessations come from France Travail's
own files, partenaires/lots/flux_france_travail.py). Lines of people who are not RSA beneficiaries have
no effect (« sans suite »), as in carnet-de-bord.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from core.clock import start_of_day
from partenaires.lots.caf import FichierIllisible
from partenaires.lots.regles import identifiant_stable, regles
from schemas.lots import LigneEvenement, LigneSansEvenement

Ligne = LigneEvenement | LigneSansEvenement
INSCRIT = "fr.france-travail.demandeur.inscrit"


def texte(contenu: bytes) -> str:
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:  # older extracts are in Windows-1252
        return contenu.decode("cp1252", errors="strict")


def lignes(contenu: bytes) -> Iterator[Ligne]:
    r = regles()["france-travail"]
    try:
        lu = texte(contenu)
    except UnicodeDecodeError:
        raise FichierIllisible("Encodage illisible (UTF-8 ou Windows-1252 attendu)") from None
    lecteur = csv.DictReader(io.StringIO(lu, newline=""), delimiter=r["separateur"])
    colonnes = r["colonnes"]
    manquantes = [c for c in colonnes.values() if c not in (lecteur.fieldnames or [])]
    if manquantes:
        raise FichierIllisible(f"Colonnes absentes de l'en-tête : {', '.join(manquantes)}")
    for numero, cellules in enumerate(lecteur, start=1):
        yield _ligne(numero, cellules, r)


def _ligne(numero: int, cellules: dict[str, Any], r: dict[str, Any]) -> Ligne:
    def valeur(nom: str) -> str | None:
        v = cellules.get(r["colonnes"][nom])
        v = v.strip() if isinstance(v, str) else None
        return None if not v or v == r["vide"] else v

    if None in cellules:  # more cells than the header names
        return LigneSansEvenement(numero=numero, raison="Plus de cellules que de colonnes")
    identifiant = valeur("identifiant")
    if identifiant is None:
        return LigneSansEvenement(numero=numero, raison="Identifiant du demandeur absent")
    if (valeur("brsa") or "").upper() not in r["oui"]:
        return LigneSansEvenement(
            numero=numero, raison="Sans suite : pas bénéficiaire du RSA (brsa)", refusee=False
        )
    brut = valeur("date_inscription")
    try:
        inscrit_le = datetime.strptime(brut or "", r["format_date"]).date()
    except ValueError:
        colonne = r["colonnes"]["date_inscription"]
        return LigneSansEvenement(
            numero=numero, raison=f"Date d'inscription ({colonne}) absente ou mal formée"
        )
    data: dict[str, Any] = {"date_inscription": inscrit_le.isoformat()}
    if categorie := valeur("categorie"):
        data["categorie"] = categorie
    if code := valeur("code_motif"):
        data["code_motif_inscription"] = code
    if motif := valeur("motif"):
        data["motif_inscription"] = motif
    return LigneEvenement(
        numero=numero,
        id=identifiant_stable("france-travail", identifiant, INSCRIT, inscrit_le.isoformat()),
        type=INSCRIT,
        sujet=identifiant,
        survenu_le=start_of_day(inscrit_le),
        data=data,
    )
