"""Diagnostic socio-professionnel: first diagnostic, then re-diagnoses that keep the history."""

from __future__ import annotations

from datetime import date

from schemas.common import Ordre
from schemas.diagnostic import Diagnostic, NiveauFrein
from schemas.parcours import Categorie, ParcoursState, Phase
from workflows.declaration import OUVERTES, REFERENT, CommandeRefusee, Transition
from workflows.etapes.base import Commande, Contexte, verifier_jour


def verifier(s: ParcoursState, d: Diagnostic, today: date) -> None:
    verifier_jour(s, d.realise_le, today, "La date du diagnostic", "realise_le")
    if d.contient_sensible() and not s.consentement.themes_sensibles:
        raise CommandeRefusee(
            "Sans le consentement de la personne, les informations de santé et de justice "
            "ne peuvent pas être enregistrées : laissez ces rubriques vides"
        )
    if s.diagnostics and d.realise_le < s.diagnostics[-1].realise_le:
        raise CommandeRefusee(
            "Un nouveau diagnostic ne peut pas précéder le précédent", champ="realise_le"
        )


def _resume(d: Diagnostic) -> str:
    bloquants = d.freins_au_niveau(NiveauFrein.BLOQUANT)
    travail = d.freins_au_niveau(NiveauFrein.A_TRAVAILLER)
    parts = [d.situation.label]
    if bloquants:
        parts.append(f"{len(bloquants)} frein(s) bloquant(s)")
    if travail:
        parts.append(f"{len(travail)} à travailler")
    return " ; ".join(parts)


async def appliquer(ctx: Contexte, ordre: Ordre[Diagnostic]) -> None:
    d, s = ordre.donnees, ctx.s
    precedent = s.diagnostic
    s.diagnostics.append(d)
    if precedent is None:
        libelle = f"Diagnostic réalisé : {_resume(d)}"
        details = {}
    else:
        changes = d.changements_depuis(precedent)
        libelle = "Nouveau diagnostic" + (
            f" : {', '.join(changes)}" if changes else " (sans changement)"
        )
        details = {"changements": " | ".join(changes)}
    ctx.noter(
        Categorie.DIAGNOSTIC,
        "diagnostic",
        libelle,
        ordre.auteur,
        le=d.realise_le,
        details=details,
        sensible=d.contient_sensible(),
        interaction=True,
    )
    if s.phase == Phase.ACCUEIL:
        ctx.changer_phase(Phase.DIAGNOSTIC, d.realise_le)
    if s.phase == Phase.DIAGNOSTIC:
        await ctx.proposer_orientation()


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "enregistrer_diagnostic",
        "Enregistrer le diagnostic",
        Diagnostic,
        OUVERTES - {Phase.PMSMP},
        REFERENT,
        groupe="diagnostic",
        vers=Phase.DIAGNOSTIC,
    ),
]

COMMANDES = {"enregistrer_diagnostic": Commande(appliquer, verifier)}
