"""First steps of a parcours: accueil, diagnostic, orientation proposal, refusals."""

from __future__ import annotations

import pytest

from schemas.common import Organisme
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.parcours import Phase, Statut
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.factories import CLAIRE, KARIM, accueil_rsa, diagnostic


async def test_accueil_puis_diagnostic_propose_une_orientation(
    parcours: ParcoursClient, aujourd_hui
):
    etat = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    assert etat.phase == Phase.ACCUEIL
    assert etat.statut == Statut.EN_COURS
    assert etat.referent is not None
    assert etat.referent.referent.id == CLAIRE.id

    etat = await parcours.commander(
        etat.parcours_id, "enregistrer_diagnostic", diagnostic(aujourd_hui), CLAIRE
    )

    assert etat.phase == Phase.DIAGNOSTIC
    assert etat.proposition_orientation is not None
    assert etat.proposition_orientation.organisme == Organisme.FRANCE_TRAVAIL
    assert etat.proposition_orientation.regle_code == "pret_emploi"
    assert [e.code for e in etat.timeline][:3] == ["accueil", "diagnostic", "orientation_proposee"]


async def test_une_commande_hors_phase_est_refusee_en_francais(
    parcours: ParcoursClient, aujourd_hui
):
    etat = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    decision = DecisionOrientationResolue(
        decidee_le=aujourd_hui,
        type=TypeOrientation.PROFESSIONNELLE,
        organisme=Organisme.FRANCE_TRAVAIL,
        referent_id=KARIM.id,
        referent=KARIM,
    )
    with pytest.raises(CommandeImpossible) as refus:
        await parcours.commander(etat.parcours_id, "decider_orientation", decision, CLAIRE)
    assert refus.value.status == 409
    assert "n'est pas possible en phase « Accueil »" in refus.value.message
    apres = await parcours.etat(etat.parcours_id)
    assert apres.timeline == etat.timeline
