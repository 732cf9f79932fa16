"""Which bassin a parcours opens on: the one of the person's commune, unless the coordination
(or the administration) decides otherwise and says why. Shared by the accueil (web) and the
import of lists (``importation``), so both decide the same way."""

from __future__ import annotations

from dataclasses import dataclass

from referentiels import territoires
from schemas.common import Territoire

CHAMP_MOTIF_BASSIN = "motif_bassin"


@dataclass(frozen=True)
class BassinRefuse(Exception):
    """A choice the caller must correct: ``champ`` is the field to fix."""

    champ: str
    message: str


def choisir_bassin(
    code_postal: str,
    commune: str,
    choisi: Territoire | None,
    *,
    motif: str = "",
    peut_choisir: bool,
) -> tuple[Territoire, str]:
    """(bassin, note for the audit log: "" unless the commune's bassin was overridden)."""
    deduit = territoires.bassin(code_postal, commune)
    if choisi is None:
        if deduit is None:
            raise BassinRefuse(
                "territoire",
                f"Commune « {commune} » ({code_postal}) introuvable en Haute-Savoie : "
                "choisissez le bassin",
            )
        return deduit, ""
    if deduit is None or deduit == choisi:
        return choisi, ""
    if not peut_choisir:
        raise BassinRefuse(
            "territoire",
            f"{commune} est dans le bassin {deduit.label} : seule la coordination peut "
            f"ouvrir le parcours sur le bassin {choisi.label}",
        )
    if len(motif.strip()) < 3:
        raise BassinRefuse(
            CHAMP_MOTIF_BASSIN,
            f"{commune} est dans le bassin {deduit.label} : indiquez le motif du choix "
            f"du bassin {choisi.label}",
        )
    return choisi, f"bassin {choisi.label} au lieu de {deduit.label} : {motif.strip()}"
