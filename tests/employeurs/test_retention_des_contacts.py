"""The retention: the pool's rows go with the parcours' anonymisation; a company's contacts
go once the SPIE has left the company alone past the delay, while the company itself and the
contacts of a company still worked with stay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities
from core.settings import DEV_CODEC_KEY
from employeurs import annuaire, vivier
from pieces.chiffrement import cles_de
from pieces.service import Coffre
from pieces.stockage import FichiersLocaux
from schemas.employeur import ContactSaisi, EntrepriseSaisie, FicheVivier
from schemas.retention import DemandeAnonymisation
from store.db import SessionFactory
from store.employeurs import ContactEntrepriseRow, EntrepriseRow, VivierRow
from store.parcours import ParcoursRow

ANCIENNE, ACTIVE = "41852963200022", "77567227200017"


async def test_contacts_oublies_apres_le_delai(sessions: SessionFactory, tmp_path: Path) -> None:
    jour = date(2026, 12, 1)
    async with sessions() as session:
        for siret in (ANCIENNE, ACTIVE):
            await annuaire.enregistrer(session, EntrepriseSaisie(siret=siret, nom=f"E {siret}"))
            await annuaire.ajouter_contact(session, siret, ContactSaisi(nom=f"Contact {siret}"))
        ancienne = await session.get(EntrepriseRow, ANCIENNE)
        assert ancienne is not None
        ancienne.mis_a_jour = datetime(2024, 1, 5, tzinfo=UTC)
        session.add(ancienne)
        await session.commit()
    activites = RetentionActivities(
        sessions, cast(Any, None), delai_jours=365, coffre=_coffre(tmp_path)
    )
    await ActivityEnvironment().run(activites.anonymiser, DemandeAnonymisation(jour=jour))
    async with sessions() as session:
        restants = (await session.exec(select(ContactEntrepriseRow.siret))).all()
        assert list(restants) == [ACTIVE]
        assert await session.get(EntrepriseRow, ANCIENNE) is not None


class _TemporalVide:
    """No history left to delete (the test is about the read model's rows)."""

    async def list_workflows(self, _requete: str) -> Any:
        for _ in ():
            yield _


async def test_le_vivier_part_avec_l_anonymisation(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    clos = date(2024, 1, 10)
    parcours = ParcoursRow(
        id="p-vivier",
        version=1,
        reference="P-VIVIER",
        nom="Durand",
        prenom="Léa",
        date_naissance=date(1990, 5, 4),
        commune="Annecy",
        territoire="bassin_annecien",
        phase="sortie",
        phase_depuis=clos,
        statut="clos",
        derniere_interaction=clos,
        ouvert_le=clos,
        clos_le=clos,
        mis_a_jour=datetime.now(UTC),
        etat={},
    )
    async with sessions() as session:
        session.add(parcours)
        await session.commit()
        fiche = FicheVivier(pret=True, consentement=True, projets=["N1103"])
        await vivier.inscrire(session, parcours, fiche)
    activites = RetentionActivities(
        sessions, cast(Any, _TemporalVide()), delai_jours=365, coffre=_coffre(tmp_path)
    )
    bilan = await ActivityEnvironment().run(
        activites.anonymiser, DemandeAnonymisation(jour=date(2026, 12, 1))
    )
    assert bilan.anonymises == ["p-vivier"]
    async with sessions() as session:
        assert await session.get(VivierRow, "p-vivier") is None


def _coffre(tmp_path: Path) -> Coffre:
    """The documents' store the anonymisation empties too (none here)."""
    return Coffre(FichiersLocaux(tmp_path / "pieces"), cles_de(DEV_CODEC_KEY))
