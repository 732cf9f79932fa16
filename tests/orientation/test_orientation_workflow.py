"""Ticket 20, item 2, in the parcours workflow (time-skipping server): prescribing a service
sends its structure an e-mail with an answer link; the structure's refusal closes the action
and raises « orientation_refusee »; with no answer by the vigie's delay the orientation
expires, the action closes and « orientation_expiree » is raised. Without the person's
consent, nothing is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from schemas.action import PrescriptionAction, StatutAction
from schemas.common import Acteur, Organisme, Role
from schemas.diagnostic import Frein
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.orientation_structure import ReponseStructure, StatutOrientation
from schemas.usager import Consentement
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, diagnostic, plus
from tests.fixtures.simulateur import Simulateur
from tests.workflows.temps import aller_au, attendre, codes

STRUCTURE_COURRIEL = "orientations@mobil-emploi.example.org"


async def attendre_que(quoi: Callable[[], Awaitable[list[Any]]], message: str) -> None:
    limite = asyncio.get_running_loop().time() + 30
    while not await quoi():
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après 30 s : {message}")
        await asyncio.sleep(0.1)


async def _en_orientation(pc: ParcoursClient, jour: date, partage: bool = True) -> str:
    entree = accueil_rsa(jour)
    if not partage:
        entree = entree.model_copy(
            update={
                "consentement": Consentement(
                    partage_partenaires=False, themes_sensibles=False, recueilli_le=jour
                )
            }
        )
    pid = (await pc.ouvrir(entree, CLAIRE)).parcours_id
    bloquants = (Frein.LOGEMENT, Frein.MOBILITE)
    await pc.commander(pid, "enregistrer_diagnostic", diagnostic(jour, bloquants=bloquants), CLAIRE)
    await pc.commander(
        pid,
        "decider_orientation",
        DecisionOrientationResolue(
            decidee_le=jour,
            type=TypeOrientation.SOCIALE,
            organisme=Organisme.CONSEIL_DEPARTEMENTAL,
            referent_id=CLAIRE.id,
            referent=CLAIRE,
        ),
        CLAIRE,
    )
    return pid


def _prescription(jour: date) -> PrescriptionAction:
    return PrescriptionAction(
        service_id="permis-solidaire",
        libelle="Auto-école solidaire",
        structure="Mobil'Emploi",
        thematique="mobilite",
        debut_prevu=plus(jour, 7),
        motif="Permis B nécessaire pour les offres en horaires décalés",
        courriel_structure=STRUCTURE_COURRIEL,
        adresse_publique="http://localhost:8000",
    )


def _structure(pid: str) -> Acteur:
    return Acteur(id=f"structure:{pid}", nom="Mobil'Emploi", role=Role.PARTENAIRE)


async def test_refusee_par_la_structure(
    parcours: ParcoursClient, aujourd_hui: date, simulateur: Simulateur
) -> None:
    pid = await _en_orientation(parcours, aujourd_hui)
    s = await parcours.commander(pid, "prescrire_action", _prescription(aujourd_hui), CLAIRE)
    (action,) = s.actions
    assert action.orientation is not None
    assert action.orientation.statut == StatutOrientation.OUVERTE
    s = await attendre(parcours, pid, lambda st: bool(st.actions[0].orientation.empreintes))  # type: ignore[union-attr]
    (courriel,) = await simulateur.courriels(destinataire=STRUCTURE_COURRIEL)
    assert "Claire Martin vous adresse une personne" in str(courriel)
    assert "/orientation/" in str(courriel)

    refus = ReponseStructure(action_id=action.id, decision="refusee")
    with pytest.raises(CommandeImpossible, match="Cochez au moins un motif"):
        await parcours.commander(pid, "repondre_orientation", refus, _structure(pid))
    with pytest.raises(CommandeImpossible, match="réservé à la structure sollicitée"):
        await parcours.commander(
            pid, "repondre_orientation", refus, _structure("un-autre-parcours")
        )
    refus = refus.model_copy(update={"motifs_refus": ["session-complète"]})
    s = await parcours.commander(pid, "repondre_orientation", refus, _structure(pid))
    action = s.actions[0]
    assert action.statut == StatutAction.ANNULEE
    assert action.orientation is not None
    assert action.orientation.statut == StatutOrientation.REFUSEE
    assert "orientation_refusee" in codes(s)
    with pytest.raises(CommandeImpossible, match="n'attend plus de réponse"):
        await parcours.commander(pid, "repondre_orientation", refus, _structure(pid))

    async def au_referent() -> list[dict[str, object]]:
        return [
            c
            for c in await simulateur.courriels(destinataire="claire.martin@hautesavoie.fr")
            if "Réponse de Mobil'Emploi à votre orientation" in str(c)
        ]

    await attendre_que(au_referent, "le courriel au référent")


async def test_expiree_sans_reponse(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _en_orientation(parcours, aujourd_hui)
    s = await parcours.commander(pid, "prescrire_action", _prescription(aujourd_hui), CLAIRE)
    expire_le = s.actions[0].orientation.expire_le  # type: ignore[union-attr]
    assert expire_le == plus(aujourd_hui, 30)
    await aller_au(temporal_env, expire_le)
    s = await attendre(parcours, pid, lambda st: "orientation_expiree" in codes(st))
    action = s.actions[0]
    assert action.orientation is not None
    assert action.orientation.statut == StatutOrientation.EXPIREE
    assert action.statut == StatutAction.ANNULEE
    assert "orientation_expiree" in [e.code for e in s.timeline]


async def test_sans_consentement_rien_n_est_envoye(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    pid = await _en_orientation(parcours, aujourd_hui, partage=False)
    s = await parcours.commander(pid, "prescrire_action", _prescription(aujourd_hui), CLAIRE)
    assert s.actions[0].orientation is None
    assert s.operations == [o for o in s.operations if o.type.value != "envoyer_courriel"]
    (note,) = [e for e in s.timeline if e.code == "orientation_non_transmise"]
    assert "n'a pas consenti au partage" in note.libelle


async def test_acceptee_avec_une_date(parcours: ParcoursClient, aujourd_hui: date) -> None:
    pid = await _en_orientation(parcours, aujourd_hui)
    s = await parcours.commander(pid, "prescrire_action", _prescription(aujourd_hui), CLAIRE)
    accord = ReponseStructure(
        action_id=s.actions[0].id, decision="acceptee", debut_le=plus(aujourd_hui, -1)
    )
    with pytest.raises(CommandeImpossible, match="date d'entrée à partir d'aujourd'hui"):
        await parcours.commander(pid, "repondre_orientation", accord, _structure(pid))
    accord = accord.model_copy(update={"debut_le": plus(aujourd_hui, 14)})
    s = await parcours.commander(pid, "repondre_orientation", accord, _structure(pid))
    action = s.actions[0]
    assert action.statut == StatutAction.PREVUE
    assert action.orientation is not None
    assert action.orientation.statut == StatutOrientation.VALIDEE
    assert action.orientation.debut_le == plus(aujourd_hui, 14)
    assert not {"orientation_refusee", "orientation_expiree"} & codes(s)
