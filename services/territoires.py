"""A parcours is followed on its territory: designating a référent of another one (accueil,
orientation, transfer) is the coordination's or the administration's decision, with its
reason recorded (issue 14, item 7). The forms only offer the territory's référents; the
server decides, whatever a client sends."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.common import Acteur, Territoire
from schemas.orientation import DecisionOrientationResolue
from schemas.referent import TransfertResolu
from services.erreurs import Refus
from services.utilisateur import Utilisateur

CHAMP_MOTIF = "motif_hors_territoire"
DESCRIPTION_MOTIF = (
    "Motif, quand le référent désigné exerce sur un autre territoire "
    "(décision de la coordination ou de l'administration)"
)


def referent_designe(donnees: BaseModel) -> tuple[Acteur, str, str] | None:
    """The référent a command designates, the field that named them, the reason's field."""
    if isinstance(donnees, DecisionOrientationResolue):
        return donnees.referent, "referent_id", CHAMP_MOTIF
    if isinstance(donnees, TransfertResolu):
        return donnees.nouveau_referent, "nouveau_referent_id", "motif"
    return None


def _refus(champ: str, message: str) -> Refus:
    return Refus(422, message, "referent_hors_territoire", [{"champ": champ, "message": message}])


def verifier_territoire(
    u: Utilisateur,
    referent: Acteur,
    territoire: Territoire,
    *,
    champ: str,
    motif: str,
    champ_motif: str = CHAMP_MOTIF,
) -> str:
    """ "" when the référent works on the parcours' territory; the note the audit log keeps
    when the coordination or the administration decides otherwise; else 422 naming the field."""
    if referent.territoire == territoire:
        return ""
    ailleurs = referent.territoire.label if referent.territoire else "aucun territoire"
    if not (u.est_admin or (u.est_coordinateur and u.territoire == territoire)):
        raise _refus(
            champ,
            f"{referent.nom} exerce sur le territoire {ailleurs}, pas sur le territoire "
            f"{territoire.label} : seule sa coordination ou l'administration peut confier le "
            "parcours à un référent d'un autre territoire",
        )
    if len(motif.strip()) < 3:
        raise _refus(
            champ_motif,
            f"{referent.nom} exerce sur le territoire {ailleurs} : indiquez le motif de cette "
            "désignation hors territoire",
        )
    return f"référent hors territoire ({referent.id}, {ailleurs}) : {motif.strip()}"
