"""Synthetic read-model rows for the cockpit at scale, inserted directly with SQLModel's tables:
a département-like spread over territories, phases, statuses, organismes, référents (about 110
parcours each) and alerts. The JSON copy of the state is a real parcours' state (same size)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from core.ids import reference
from store.parcours import AlerteRow, IdentifiantRow, ParcoursRow, PhaseRow

TERRITOIRES = {"bassin_annecien": 40, "genevois_francais": 27, "chablais": 15, "vallee_arve": 18}
PHASES_OUVERTES = {
    "accueil": 6,
    "diagnostic": 9,
    "orientation": 8,
    "contrat": 50,
    "pmsmp": 4,
    "emploi": 23,
}
ORDRE = ["accueil", "diagnostic", "orientation", "contrat", "pmsmp", "emploi", "sortie"]
PART_CLOS = 0.22
STATUTS = {"en_cours": 70, "en_alerte": 16, "en_rupture": 9, "en_incident": 3, "suspendu": 2}
ORGANISMES = {
    "france_travail": 45,
    "conseil_departemental": 30,
    "mission_locale": 12,
    "cap_emploi": 6,
    "siae": 4,
    "plie": 3,
}
ALERTES = {
    "echeance_proche": "Échéance de phase : échéance proche",
    "silence_alerte": "Aucun contact depuis 45 jours",
    "rdv_a_renseigner": "Rendez-vous passé à renseigner",
    "revue_contrat": "Revue du contrat d'engagement à faire avant sa fin",
    "signalement_a_traiter": "Signalement partenaire à traiter : Radiation de France Travail",
    "point_suivi_a_faire": "Point de suivi dans l'emploi à J+90 à faire",
}
RUPTURES = {
    "echeance_depassee": "Échéance de phase : échéance dépassée",
    "silence_rupture": "Aucun contact depuis 90 jours",
    "rdv_non_honores": "2 rendez-vous de suite non honorés",
    "signalement_sans_suite": "Signalement partenaire sans action depuis 15 jours",
    "contrat_termine_sans_suite": "Contrat d'engagement terminé sans renouvellement ni sortie",
    "point_suivi_en_retard": "Point de suivi dans l'emploi à J+90 en retard",
}
PAR_REFERENT = 110
LOT = 2000
PRENOMS = ["Julie", "Nadia", "Kevin", "Sofiane", "Marie", "Lucas", "Inès", "Thomas", "Aïcha"]
NOMS = ["Martin", "Bernard", "Dubois", "Rossi", "Haddad", "Favre", "Mercier", "Girard", "Roux"]


def _tirer(rng: random.Random, poids: dict[str, int]) -> str:
    return rng.choices(list(poids), weights=list(poids.values()))[0]


@dataclass
class Lot:
    parcours: list[dict[str, Any]] = field(default_factory=list)
    alertes: list[dict[str, Any]] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    identifiants: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Generateur:
    total: int
    etat: dict[str, Any]  # a real parcours' state, as the projection writes it
    portefeuille: tuple[str, str, int]  # (référent id, name, parcours): a demo référent's desk
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    today: date = field(default_factory=date.today)
    confies: int = 0  # open parcours given to the demo référent so far

    def referent(self, territoire: str, organisme: str) -> tuple[str, str]:
        part = TERRITOIRES[territoire] * ORGANISMES[organisme] / 10_000
        nombre = max(1, round(self.total * part / PAR_REFERENT))
        n = self.rng.randrange(nombre)
        return f"ref-bench-{territoire}-{organisme}-{n}", f"Référent {organisme} {n}"

    def _alertes(self, pid: str, statut: str, ligne: dict[str, Any]) -> list[dict[str, Any]]:
        codes: list[tuple[str, str, str]] = []
        if statut in ("en_alerte", "en_rupture"):
            code = self.rng.choice(list(ALERTES))
            codes.append((code, ALERTES[code], "alerte"))
        if statut == "en_rupture":
            code = self.rng.choice(list(RUPTURES))
            codes = [(code, RUPTURES[code], "rupture"), *codes[: self.rng.randrange(2)]]
        return [
            {
                "parcours_id": pid,
                "code": code,
                "cle": code,
                "libelle": libelle,
                "severite": severite,
                "depuis": self.today - timedelta(days=self.rng.randrange(120)),
                "echeance": None,
                "territoire": ligne["territoire"],
                "organisme": ligne["organisme"],
                "referent_id": ligne["referent_id"],
            }
            for code, libelle, severite in codes
        ]

    def _phases(self, pid: str, phase: str, ouvert: date) -> list[dict[str, Any]]:
        etapes = ORDRE[: ORDRE.index(phase) + 1]
        jours = [ouvert + timedelta(days=30 * i) for i in range(len(etapes))]
        return [
            {"parcours_id": pid, "ordre": i, "phase": p, "du": d, "au": None}
            for i, (p, d) in enumerate(zip(etapes, jours, strict=True))
        ]

    def ligne(self, i: int) -> tuple[dict[str, Any], str]:
        rng = self.rng
        pid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        clos = rng.random() < PART_CLOS
        phase = "sortie" if clos else _tirer(rng, PHASES_OUVERTES)
        statut = "clos" if clos else _tirer(rng, STATUTS)
        territoire, organisme = _tirer(rng, TERRITOIRES), _tirer(rng, ORGANISMES)
        referent_id, referent_nom = self.referent(territoire, organisme)
        if self.confies < self.portefeuille[2] and not clos:
            territoire, organisme = "bassin_annecien", "conseil_departemental"
            referent_id, referent_nom = self.portefeuille[:2]
            self.confies += 1
        ouvert = self.today - timedelta(days=rng.randrange(30, 900))
        depuis = min(self.today, ouvert + timedelta(days=30 * ORDRE.index(phase)))
        return {
            "id": pid,
            "version": rng.randrange(5, 80),
            "reference": reference(pid),
            "nom": f"{rng.choice(NOMS)}-{i}",
            "prenom": rng.choice(PRENOMS),
            "date_naissance": date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45)),
            "commune": "Annecy",
            "territoire": territoire,
            "organisme": organisme,
            "referent_id": referent_id,
            "referent_nom": referent_nom,
            "transfert_vers_id": None,
            "phase": phase,
            "phase_depuis": depuis,
            "statut": statut,
            "motifs": [],
            "prochaine_echeance": None if clos else self.today + timedelta(rng.randrange(90)),
            "prochaine_echeance_libelle": None,
            "prochain_rdv": None,
            "derniere_interaction": depuis,
            "incidents_ouverts": 1 if statut == "en_incident" else 0,
            "ouvert_le": ouvert,
            "clos_le": self.today - timedelta(days=rng.randrange(300)) if clos else None,
            "sortie_motif": rng.choice(["emploi_durable", "abandon", "demenagement"])
            if clos
            else None,
            "sortie_positive": None,
            "anonymise": False,
            "etat": {**self.etat, "parcours_id": pid, "phase": phase, "statut": statut},
            "mis_a_jour": datetime.now(UTC),
        }, statut

    def lots(self) -> Iterator[Lot]:
        lot = Lot()
        for i in range(self.total):
            ligne, statut = self.ligne(i)
            pid = ligne["id"]
            alertes = self._alertes(pid, statut, ligne)
            ligne["motifs"] = sorted({a["code"] for a in alertes})
            lot.parcours.append(ligne)
            lot.alertes += alertes
            lot.phases += self._phases(pid, ligne["phase"], ligne["ouvert_le"])
            if statut != "clos":
                valeur = f"{self.rng.randrange(10**7):07d}{self.rng.choice('ABCDEFGHJK')}"
                lot.identifiants.append(
                    {"cle": "france_travail", "valeur": valeur, "parcours_id": pid}
                )
            if len(lot.parcours) >= LOT:
                yield lot
                lot = Lot()
        if lot.parcours:
            yield lot


async def inserer(engine: AsyncEngine, generateur: Generateur) -> dict[str, int]:
    """Insert every row, one transaction per batch; returns the number of rows per table."""
    tables = {
        "parcours": ParcoursRow.__table__,  # type: ignore[attr-defined]
        "alertes": AlerteRow.__table__,  # type: ignore[attr-defined]
        "phases": PhaseRow.__table__,  # type: ignore[attr-defined]
        "identifiants": IdentifiantRow.__table__,  # type: ignore[attr-defined]
    }
    comptes = dict.fromkeys(tables, 0)
    for lot in generateur.lots():
        async with engine.begin() as conn:
            for nom, table in tables.items():
                lignes = getattr(lot, nom)
                if lignes:
                    await conn.execute(insert(table), lignes)
                    comptes[nom] += len(lignes)
    return comptes
