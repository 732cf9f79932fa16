"""docs/donnees-personnelles.md: the details of the person shared with a structure (its
answer link's row) go with the parcours' anonymisation, and are written only with consent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities
from core.settings import DEV_CODEC_KEY
from pieces.chiffrement import cles_de
from pieces.service import Coffre
from pieces.stockage import FichiersLocaux
from schemas.action import Action, PrescriptionAction
from schemas.orientation_structure import OrientationStructure
from schemas.parcours import ParcoursState
from schemas.retention import DemandeAnonymisation
from store.db import SessionFactory
from store.orientations_structures import OrientationStructureRow
from store.parcours import ParcoursRow
from store.projection import liens_d_orientation
from tests.factories import accueil_rsa

CLOS = date(2024, 1, 10)


class _TemporalVide:
    """No history left to delete (the test is about the read model's rows)."""

    async def list_workflows(self, _requete: str) -> Any:
        for _ in ():
            yield _


def _etat(partage: bool) -> ParcoursState:
    a = accueil_rsa(CLOS)
    action = Action(
        id="action-1",
        prescription=PrescriptionAction(
            service_id="fle-annecy",
            libelle="Atelier de français langue étrangère",
            structure="Maison de l'emploi du Bassin annécien",
            thematique="lecture-ecriture-calcul",
            debut_prevu=CLOS,
        ),
        mis_a_jour_le=CLOS,
        orientation=OrientationStructure(envoyee_le=CLOS, expire_le=CLOS, empreintes=["e" * 64]),
    )
    consentement = a.consentement.model_copy(update={"partage_partenaires": partage})
    return ParcoursState(
        parcours_id="p-orientation",
        ouvert_le=CLOS,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=consentement,
        actions=[action],
    )


def test_sans_consentement_aucune_ligne() -> None:
    assert [r.personne["nom"] for r in liens_d_orientation(_etat(True))] == [
        accueil_rsa(CLOS).usager.nom
    ]
    assert liens_d_orientation(_etat(False)) == []


async def test_la_ligne_part_avec_l_anonymisation(sessions: SessionFactory, tmp_path: Path) -> None:
    parcours = ParcoursRow(
        id="p-orientation",
        version=1,
        reference="P-ORIENT",
        nom="Durand",
        prenom="Léa",
        date_naissance=date(1990, 5, 4),
        commune="Annecy",
        territoire="bassin_annecien",
        phase="sortie",
        phase_depuis=CLOS,
        statut="clos",
        derniere_interaction=CLOS,
        ouvert_le=CLOS,
        clos_le=CLOS,
        mis_a_jour=datetime.now(UTC),
        etat={},
    )
    async with sessions() as session:
        session.add(parcours)
        await session.commit()
        session.add_all(liens_d_orientation(_etat(True)))
        await session.commit()
        assert await session.get(OrientationStructureRow, "e" * 64) is not None
    coffre = Coffre(FichiersLocaux(tmp_path / "pieces"), cles_de(DEV_CODEC_KEY))
    activites = RetentionActivities(
        sessions, cast(Any, _TemporalVide()), delai_jours=365, coffre=coffre
    )
    bilan = await ActivityEnvironment().run(
        activites.anonymiser, DemandeAnonymisation(jour=date(2026, 12, 1))
    )
    assert bilan.anonymises == ["p-orientation"]
    async with sessions() as session:
        assert await session.get(OrientationStructureRow, "e" * 64) is None
