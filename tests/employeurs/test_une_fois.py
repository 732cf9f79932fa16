"""Once per pair, even when two requests come at once: two placements of the same person on a
contract, two invitations to an event, sent together from two connections, give one row and a
409 in French; and the database itself refuses the second row when the check is passed by
both (the unique constraint, turned into the same 409)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import SQLModel, func, select

from employeurs import clauses, evenements
from employeurs.annuaire import EmployeurRefuse
from employeurs.une_fois import ajouter_une_fois
from schemas.clause_sociale import ClauseSaisie
from schemas.employeur import OffreSaisie
from schemas.evenement_employeur import EvenementSaisi
from store.clauses import PlacementClauseRow
from store.db import SessionFactory, ecriture
from store.employeurs import PropositionRow
from store.evenements_employeurs import InvitationEvenementRow
from tests.employeurs.lignes import un_parcours, une_entreprise
from tests.factories import CLAIRE

Ecrire = Callable[[Any], Awaitable[object]]


async def _ensemble(sessions: SessionFactory, ecrire: Ecrire) -> list[object]:
    """The same write from two connections at once: what each gave (a row or the refusal)."""

    async def une(_: int) -> object:
        async with sessions() as session:
            try:
                return await ecrire(session)
            except EmployeurRefuse as err:
                return err

    return list(await asyncio.gather(une(1), une(2)))


def _une_ecrite_une_refusee(resultats: list[object], message: str) -> None:
    refus = [r for r in resultats if isinstance(r, EmployeurRefuse)]
    assert len(refus) == 1, resultats
    assert (refus[0].status, refus[0].message) == (409, message)


async def _nombre(sessions: SessionFactory, table: type[SQLModel], **egal: str) -> int:
    async with sessions() as session:
        requete = select(func.count()).select_from(table)
        for colonne, valeur in egal.items():
            requete = requete.where(getattr(table, colonne) == valeur)
        return int((await session.exec(requete)).one())


async def test_deux_placements_en_meme_temps(sessions: SessionFactory) -> None:
    async with sessions() as session:
        saisie = ClauseSaisie(
            intitule="Voirie du centre",
            acheteur="Commune d'Annecy",
            siret=await une_entreprise(session),
            code_postal="74000",
            commune="Annecy",
            heures_exigees=300,
            debut=date(2026, 1, 1),
            fin=date(2026, 12, 31),
        )
        clause = await clauses.creer(session, saisie, "cre-1")
        parcours = await un_parcours(session)

    async def placer(session: Any) -> object:
        return await clauses.placer(session, clause, parcours, date(2026, 2, 1), "cre-1")

    resultats = await _ensemble(sessions, placer)
    _une_ecrite_une_refusee(resultats, "Personne déjà placée sur ce marché")
    assert await _nombre(sessions, PlacementClauseRow, clause_id=clause.id) == 1


async def test_deux_invitations_en_meme_temps(sessions: SessionFactory) -> None:
    async with sessions() as session:
        saisie = EvenementSaisi(
            nature="job_dating",
            titre="Job dating du bâtiment",
            le=date(2026, 6, 2),
            code_postal="74000",
            commune="Annecy",
            entreprises=[await une_entreprise(session)],
        )
        evenement = await evenements.creer(session, saisie, "cre-1")
        parcours = await un_parcours(session)

    async def inviter(session: Any) -> object:
        return await evenements.inviter(session, evenement, parcours, "ref-claire-martin")

    resultats = await _ensemble(sessions, inviter)
    _une_ecrite_une_refusee(resultats, "Personne déjà invitée à cet événement")
    assert await _nombre(sessions, InvitationEvenementRow, evenement_id=evenement.id) == 1


async def test_la_base_refuse_la_seconde_proposition(sessions: SessionFactory) -> None:
    """Both requests passed the check before either wrote: the constraint refuses the second."""
    from employeurs import offres

    async with sessions() as session:
        siret = await une_entreprise(session, "74200")
        offre = await offres.publier(
            session,
            OffreSaisie(
                siret=siret,
                intitule="Aide-soignant(e)",
                code_rome="J1501",
                code_postal="74200",
                commune="Thonon-les-Bains",
                type_contrat="cdi",
            ),
            CLAIRE,
        )
        parcours = await un_parcours(session, "chablais")

    def proposition() -> PropositionRow:
        instant = datetime.now(UTC)
        return PropositionRow(
            id=str(uuid.uuid4()), offre_id=offre.id, parcours_id=parcours.id,
            statut="a_transmettre", propose_par="cre-1", cree_le=instant, mis_a_jour=instant,
        )  # fmt: skip

    async with sessions() as session:
        await ecriture(session)
        await ajouter_une_fois(session, proposition(), "Offre déjà proposée", "deja_proposee")
        await ecriture(session)
        with pytest.raises(EmployeurRefuse) as refus:
            await ajouter_une_fois(session, proposition(), "Offre déjà proposée", "deja_proposee")
    assert (refus.value.status, refus.value.message) == (409, "Offre déjà proposée")
    assert await _nombre(sessions, PropositionRow, offre_id=offre.id) == 1
