"""A company's contacts are erased by the retention once the SPIE has left the company alone
past the delay; the company itself, and the contacts of a company still worked with, stay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities
from employeurs import annuaire
from schemas.employeur import ContactSaisi, EntrepriseSaisie
from schemas.retention import DemandeAnonymisation
from store.db import SessionFactory
from store.employeurs import ContactEntrepriseRow, EntrepriseRow

ANCIENNE, ACTIVE = "41852963200022", "77567227200017"


async def test_contacts_oublies_apres_le_delai(sessions: SessionFactory) -> None:
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
    activites = RetentionActivities(sessions, cast(Any, None), delai_jours=365)
    await ActivityEnvironment().run(activites.anonymiser, DemandeAnonymisation(jour=jour))
    async with sessions() as session:
        restants = (await session.exec(select(ContactEntrepriseRow.siret))).all()
        assert list(restants) == [ACTIVE]
        assert await session.get(EntrepriseRow, ANCIENNE) is not None
