"""Lists as départements and the CAF send them: XLSX and CSV built in memory."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import date
from typing import Any

from openpyxl import Workbook

ENTETES = [
    "N° allocataire",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Adresse",
    "CP",
    "Ville",
    "Téléphone portable",
    "Courriel",
]


def personnes(n: int, prefixe: str | None = None) -> list[list[Any]]:
    """``n`` distinct people of the bassin annécien (a unique name prefix per call)."""
    prefixe = prefixe or "Imp" + secrets.token_hex(3).upper()
    return [
        [
            f"{secrets.randbelow(10**7):07d}",
            f"{prefixe}-{i:04d}",
            "Camille",
            date(1980 + i % 20, 1 + i % 12, 1 + i % 28),  # an Excel date cell
            f"{i} rue de la Paix",
            "74000",
            "ANNECY",
            f"06 12 34 {i % 100:02d} 56",
            f"camille.{prefixe.lower()}.{i}@example.org",
        ]
        for i in range(n)
    ]


def xlsx(lignes: list[list[Any]], entetes: list[str] = ENTETES) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.append(entetes)
    for ligne in lignes:
        feuille.append(ligne)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def demande(contenu: bytes, nom_fichier: str = "liste.xlsx", **extra: Any) -> dict[str, Any]:
    return {
        "source": "caf",
        "nom_fichier": nom_fichier,
        "contenu": base64.b64encode(contenu).decode(),
        **extra,
    }
