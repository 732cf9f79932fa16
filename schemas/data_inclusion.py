"""Messages of the data·inclusion synchronisation (workflow ↔ activities): counts only, so
that the workflow's history stays small whatever the size of the national offer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from schemas.common import Model

Ressource = Literal["structures", "services"]


class DemandePage(Model):
    ressource: Ressource
    page: int
    taille: int
    code_departement: str
    marque: datetime  # start of this synchronisation: every row seen in it gets this mark


class BilanPage(Model):
    ressource: Ressource
    page: int
    pages: int  # from the API's `pages`: the workflow stops after the last one
    total: int
    recus: int
    ajoutes: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    reapparus: int = 0
    rejetes: int = 0  # not conforming to the national schema: logged, counted, not stored


class DemandeArchivage(Model):
    marque: datetime


class BilanSynchronisation(Model):
    structures: int = 0
    services: int = 0
    ajoutes: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    reapparus: int = 0
    rejetes: int = 0
    archives: int = 0
    archivage_reporte: bool = False  # the listing changed while read: nothing archived
