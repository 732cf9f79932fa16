"""Sortie: the end of the parcours. Children are asked to close; the read model keeps it all."""

from __future__ import annotations

from datetime import date

from schemas.common import Ordre
from schemas.enfants import Cloture
from schemas.parcours import Categorie, ParcoursState, Phase
from schemas.sortie import Sortie
from workflows.declaration import OUVERTES, REFERENT_OU_COORDINATION, Transition
from workflows.etapes.base import Commande, Contexte, verifier_jour


def verifier(s: ParcoursState, sortie: Sortie, today: date) -> None:
    verifier_jour(s, sortie.le, today, "La date de sortie", "le")


def enfants_en_cours(s: ParcoursState) -> list[str]:
    ids = []
    if s.contrat is not None and s.contrat.en_cours:
        ids.append(s.contrat.workflow_id)
    ids += [p.workflow_id for p in s.pmsmp if p.en_cours]
    if s.emploi is not None and s.emploi.etat.value == "en_cours":
        ids.append(s.emploi.workflow_id)
    return ids


async def prononcer(ctx: Contexte, ordre: Ordre[Sortie]) -> None:
    sortie, s = ordre.donnees, ctx.s
    for workflow_id in enfants_en_cours(s):
        await ctx.signaler(
            workflow_id,
            "clore",
            Cloture(motif="sortie du parcours", le=sortie.le, auteur=ordre.auteur),
        )
    s.sortie = sortie
    s.alertes = []
    qualite = "positive" if sortie.positive else "non positive"
    commentaire = f" — {sortie.commentaire}" if sortie.commentaire else ""
    ctx.noter(
        Categorie.SORTIE,
        "sortie",
        f"Sortie {qualite} : {sortie.motif.label}{commentaire}",
        ordre.auteur,
        le=sortie.le,
        details={"motif": sortie.motif.value, "positive": "oui" if sortie.positive else "non"},
    )
    ctx.changer_phase(Phase.SORTIE, sortie.le)


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "prononcer_sortie",
        "Prononcer la sortie",
        Sortie,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="sortie",
        vers=Phase.SORTIE,
    ),
]

COMMANDES = {"prononcer_sortie": Commande(prononcer, verifier)}
