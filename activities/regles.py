"""Rules as activities: loading the vigie's rules for a territory (holidays included), and
proposing an orientation. Their results are recorded in the workflow history."""

from __future__ import annotations

from temporalio import activity

from rules.chargement import charger_regles_vigie
from rules.orientation import faits_du_diagnostic, proposer, regles_orientation
from schemas.orientation import PropositionOrientation
from schemas.projection import ChargementRegles, DemandeProposition
from schemas.regles import ReglesVigie


@activity.defn(name="regles.charger_vigie")
async def charger_vigie(demande: ChargementRegles) -> ReglesVigie:
    return charger_regles_vigie(demande.territoire, demande.annee)


@activity.defn(name="regles.proposer_orientation")
async def proposer_orientation(demande: DemandeProposition) -> PropositionOrientation:
    faits = faits_du_diagnostic(demande.diagnostic, demande.date_naissance)
    return proposer(faits, regles_orientation(), demande.diagnostic.realise_le)
