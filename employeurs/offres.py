"""Job offers entered by the chargés de relation entreprise: a company of the directory, a
ROME code, a place (its bassin from the commune), a contract, hours and constraints, a status,
and the label « offre inclusive » when the employer commits to it."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.annuaire import EmployeurRefuse, bassin_de, commune_de, maintenant
from schemas.common import Acteur, Territoire
from schemas.employeur import OffreSaisie, SourceOffre, StatutOffre
from schemas.erreurs import CodeErreur
from store.db import ecriture
from store.employeurs import EntrepriseRow, OffreRow


async def publier(session: AsyncSession, saisie: OffreSaisie, auteur: Acteur) -> OffreRow:
    if await session.get(EntrepriseRow, saisie.siret) is None:
        message = "Entreprise absente de l'annuaire : ajoutez-la d'abord"
        raise EmployeurRefuse(
            422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": "siret", "message": message}]
        )
    commune = commune_de(saisie.code_postal, saisie.commune)
    instant = maintenant()
    row = OffreRow(
        id=str(uuid.uuid4()),
        **saisie.model_dump(exclude={"commune", "type_contrat"}),
        commune=commune.nom if commune else saisie.commune,
        commune_insee=commune.insee if commune else None,
        bassin=bassin_de(commune, saisie.code_postal, saisie.commune),
        type_contrat=saisie.type_contrat.value,
        statut=StatutOffre.OUVERTE.value,
        source=SourceOffre.SAISIE.value,
        cree_par=auteur.id,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row


async def charger(session: AsyncSession, offre_id: str) -> OffreRow:
    row = await session.get(OffreRow, offre_id)
    if row is None:
        raise EmployeurRefuse(404, "Offre introuvable", "offre_inconnue")
    return row


async def changer_statut(session: AsyncSession, offre_id: str, statut: StatutOffre) -> OffreRow:
    row = await charger(session, offre_id)
    await ecriture(session)
    row.statut, row.mis_a_jour = statut.value, maintenant()
    session.add(row)
    await session.commit()
    return row


async def entreprise_de(session: AsyncSession, row: OffreRow) -> EntrepriseRow | None:
    """The offer's company of the directory; None while it is not identified (an offer of
    France Travail without SIRET)."""
    return await session.get(EntrepriseRow, row.siret) if row.siret else None


def nom_entreprise(row: OffreRow, entreprise: EntrepriseRow | None) -> str:
    """The directory's name; else the one France Travail gave (or the SIRET)."""
    if entreprise is not None:
        return entreprise.nom
    return row.entreprise_nom or row.siret or "Entreprise non identifiée"


async def rattacher(session: AsyncSession, offre_id: str, siret: str) -> OffreRow:
    """The company of the directory an offer is from, chosen by a chargé de relation
    entreprise for an offer France Travail gave without SIRET (or to correct it). A later
    import keeps it while France Travail still gives none."""
    row = await charger(session, offre_id)
    if await session.get(EntrepriseRow, siret) is None:
        message = "Entreprise absente de l'annuaire : ajoutez-la d'abord"
        raise EmployeurRefuse(
            422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": "siret", "message": message}]
        )
    await ecriture(session)
    row.siret, row.mis_a_jour = siret, maintenant()
    session.add(row)
    await session.commit()
    return row


async def lister(
    session: AsyncSession,
    bassin: Territoire | None = None,
    statut: StatutOffre | None = None,
    inclusives: bool = False,
) -> list[OffreRow]:
    requete = select(OffreRow)
    if bassin is not None:
        requete = requete.where(OffreRow.bassin == bassin.value)
    if statut is not None:
        requete = requete.where(OffreRow.statut == statut.value)
    if inclusives:
        requete = requete.where(col(OffreRow.inclusive).is_(True))
    return list((await session.exec(requete.order_by(col(OffreRow.cree_le).desc()))).all())
