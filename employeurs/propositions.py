"""Offers proposed to people of the pool: a chargé de relation entreprise proposes an offer to
a person it fits; the référent tells the person and records what came of it. « Embauchée »
gives the hiring to declare in the parcours (the existing ``declarer_embauche`` command, sent
by the route: this package never talks to Temporal)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import vivier
from employeurs.annuaire import EmployeurRefuse, maintenant
from employeurs.une_fois import ajouter_une_fois
from referentiels.rome import libelle_metier
from schemas.emploi import CONTRATS_A_DUREE, DeclarationEmbauche, TypeContratTravail
from schemas.employeur import StatutProposition, SuiteProposition
from schemas.entreprise import Entreprise
from schemas.erreurs import CodeErreur
from store.db import ecriture
from store.employeurs import EntrepriseRow, OffreRow, PropositionRow

DEJA_PROPOSEE = "Offre déjà proposée à cette personne"


def _champ(champ: str, message: str) -> EmployeurRefuse:
    return EmployeurRefuse(
        422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
    )


async def proposer(
    session: AsyncSession, offre: OffreRow, parcours_id: str, territoire: str, par: str
) -> PropositionRow:
    """Only to a person the offer fits (consent, ready, project, distance, hours), once."""
    trouves = {p.id: r for r, p in await vivier.pour_une_offre(session, offre, territoire)}
    if parcours_id not in trouves:
        raise _champ("parcours_id", "Cette personne n'est pas dans le vivier pour cette offre")
    # checked in the write transaction; two requests at once: the unique constraint
    await ecriture(session)
    deja = select(PropositionRow).where(
        PropositionRow.offre_id == offre.id, PropositionRow.parcours_id == parcours_id
    )
    if (await session.exec(deja)).first() is not None:
        raise EmployeurRefuse(409, DEJA_PROPOSEE, "deja_proposee")
    instant = maintenant()
    row = PropositionRow(
        id=str(uuid.uuid4()),
        offre_id=offre.id,
        parcours_id=parcours_id,
        statut=StatutProposition.A_TRANSMETTRE.value,
        raisons=list(trouves[parcours_id].raisons),
        propose_par=par,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ajouter_une_fois(session, row, DEJA_PROPOSEE, "deja_proposee")
    return row


async def du_parcours(session: AsyncSession, parcours_id: str) -> list[PropositionRow]:
    requete = select(PropositionRow).where(PropositionRow.parcours_id == parcours_id)
    return list((await session.exec(requete.order_by(col(PropositionRow.cree_le)))).all())


async def de_l_offre(session: AsyncSession, offre_id: str) -> list[PropositionRow]:
    requete = select(PropositionRow).where(PropositionRow.offre_id == offre_id)
    return list((await session.exec(requete.order_by(col(PropositionRow.cree_le)))).all())


async def charger(session: AsyncSession, proposition_id: str) -> PropositionRow:
    row = await session.get(PropositionRow, proposition_id)
    if row is None:
        raise EmployeurRefuse(404, "Proposition introuvable", "proposition_inconnue")
    return row


async def embauche(
    session: AsyncSession, row: PropositionRow, suite: SuiteProposition
) -> DeclarationEmbauche:
    """The hiring to declare for « embauchée », from the offer and its company."""
    offre = await session.get(OffreRow, row.offre_id)
    if offre is None:
        raise EmployeurRefuse(409, "L'offre n'existe plus", "offre_inconnue")
    entreprise = await session.get(EntrepriseRow, offre.siret) if offre.siret else None
    if entreprise is None:  # a hiring declares its employer's SIRET
        raise EmployeurRefuse(
            409,
            "Entreprise de l'offre non identifiée : le chargé de relation entreprise doit "
            "d'abord la rattacher à une entreprise de l'annuaire",
            "entreprise_non_identifiee",
        )
    if suite.date_debut is None:
        raise _champ("date_debut", "La date de début de l'emploi est requise")
    contrat = TypeContratTravail(offre.type_contrat)
    if contrat in CONTRATS_A_DUREE and suite.date_fin is None:
        raise _champ("date_fin", "Un contrat à durée déterminée a une date de fin")
    return DeclarationEmbauche(
        type_contrat=contrat,
        employeur=Entreprise(
            siret=entreprise.siret,
            raison_sociale=entreprise.nom,
            etablissement=entreprise.adresse or entreprise.nom,
            commune=offre.commune,
        ),
        metier=libelle_metier(offre.code_rome),
        date_debut=suite.date_debut,
        date_fin=suite.date_fin,
        heures_hebdomadaires=offre.heures_hebdomadaires,
        temps_plein=(offre.heures_hebdomadaires or 35) >= 35,
    )


async def suivre(
    session: AsyncSession, row: PropositionRow, statut: StatutProposition
) -> PropositionRow:
    await ecriture(session)
    row.statut, row.mis_a_jour = statut.value, maintenant()
    session.add(row)
    if statut == StatutProposition.EMBAUCHEE:
        offre = await session.get(OffreRow, row.offre_id)
        if offre is not None:
            offre.statut, offre.mis_a_jour = "pourvue", row.mis_a_jour
            session.add(offre)
    await session.commit()
    return row


DeclarerEmbauche = Callable[[DeclarationEmbauche], Awaitable[object]]


async def noter_la_suite(
    session: AsyncSession,
    row: PropositionRow,
    suite: SuiteProposition,
    declarer: DeclarerEmbauche,
) -> PropositionRow:
    """What the référent records. « Embauchée » first declares the hiring in the parcours
    through ``declarer`` (the parcours' command, given by the caller): if that is refused,
    the proposition is left as it was."""
    if suite.statut == StatutProposition.EMBAUCHEE:
        await declarer(await embauche(session, row, suite))
    return await suivre(session, row, suite.statut)
