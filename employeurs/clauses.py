"""Social insertion clauses of public contracts (issue 24, item 6): the chargé de relation
entreprise records the contract (buyer, holder company of the directory, hours required,
dates); people are placed on it by their référent or by the chargé; the hours they did are
entered; the report per contract compares the hours done with those required."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.formats import jour, nombre
from employeurs.annuaire import EmployeurRefuse, maintenant
from employeurs.lieux import lieu, refus_champ
from employeurs.une_fois import ajouter_une_fois
from schemas.clause_sociale import ClauseSaisie
from schemas.common import Territoire
from schemas.erreurs import CodeErreur
from store.clauses import ClauseSocialeRow, PlacementClauseRow
from store.db import ecriture
from store.employeurs import EntrepriseRow
from store.parcours import ParcoursRow

DEJA_PLACEE = "Personne déjà placée sur ce marché"


@dataclass(frozen=True)
class Bilan:
    heures_exigees: int
    heures_realisees: float
    heures_restantes: float  # 0 once the clause is met
    part_realisee: float  # % of the hours required (over 100 when exceeded), one decimal
    personnes: int  # placed on the contract, anonymised ones included


def bilan(clause: ClauseSocialeRow, placements: list[PlacementClauseRow]) -> Bilan:
    realisees = sum(p.heures_realisees for p in placements)
    return Bilan(
        heures_exigees=clause.heures_exigees,
        heures_realisees=realisees,
        heures_restantes=max(clause.heures_exigees - realisees, 0),
        part_realisee=round(100 * realisees / clause.heures_exigees, 1),
        personnes=len(placements),
    )


def bassin_saisi(saisie: ClauseSaisie) -> str:
    """The bassin the contract would be in (checked before any write: whose it is)."""
    return lieu(saisie.code_postal, saisie.commune).bassin


async def creer(session: AsyncSession, saisie: ClauseSaisie, par: str) -> ClauseSocialeRow:
    if await session.get(EntrepriseRow, saisie.siret) is None:
        raise refus_champ("siret", "Entreprise titulaire absente de l'annuaire : ajoutez-la")
    if saisie.fin < saisie.debut:
        raise refus_champ("fin", "La fin du marché précède son début")
    ou = lieu(saisie.code_postal, saisie.commune)
    instant = maintenant()
    row = ClauseSocialeRow(
        id=str(uuid.uuid4()),
        **saisie.model_dump(exclude={"commune"}),
        commune=ou.commune,
        commune_insee=ou.commune_insee,
        bassin=ou.bassin,
        cree_par=par,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row


async def modifier(session: AsyncSession, row: ClauseSocialeRow, saisie: ClauseSaisie) -> list[str]:
    """What the creation accepts, checked again, and a period that still holds every placement's
    start (an amendment may lower the hours required below those done: the clause is then
    exceeded, as the report says). Nothing changed when refused; what changed, said without
    anyone's name (for the audit log), or [] when nothing did."""
    if await session.get(EntrepriseRow, saisie.siret) is None:
        raise refus_champ("siret", "Entreprise titulaire absente de l'annuaire : ajoutez-la")
    if saisie.fin < saisie.debut:
        raise refus_champ("fin", "La fin du marché précède son début")
    ou = lieu(saisie.code_postal, saisie.commune)
    # checked in the write transaction: a person placed meanwhile is counted
    await ecriture(session)
    debuts = [p.debut for p in await tous_les_placements(session, row.id)]
    if debuts and min(debuts) < saisie.debut:
        premier = jour(min(debuts), "long")
        raise refus_champ("debut", f"Une personne est placée depuis le {premier}, avant ce début")
    if debuts and max(debuts) > saisie.fin:
        dernier = jour(max(debuts), "long")
        raise refus_champ("fin", f"Une personne est placée à partir du {dernier}, après cette fin")
    apres = saisie.model_dump(exclude={"commune"}) | {
        "commune": ou.commune,
        "commune_insee": ou.commune_insee,
        "bassin": ou.bassin,
    }
    changements = _changements(row, apres)
    for champ, valeur in apres.items():
        setattr(row, champ, valeur)
    row.mis_a_jour = maintenant()
    session.add(row)
    await session.commit()
    return changements


# Free text is named, not quoted: the audit's detail is short, and says what moved.
TEXTES_LIBRES = frozenset({"intitule", "acheteur"})


def _changements(row: ClauseSocialeRow, apres: dict[str, object]) -> list[str]:
    changements = []
    for champ, valeur in apres.items():
        avant = getattr(row, champ)
        if avant == valeur or champ == "commune_insee":
            continue
        changements.append(champ if champ in TEXTES_LIBRES else f"{champ} {avant} → {valeur}")
    return changements


async def charger(session: AsyncSession, clause_id: str) -> ClauseSocialeRow:
    row = await session.get(ClauseSocialeRow, clause_id)
    if row is None:
        raise EmployeurRefuse(404, "Marché introuvable", "clause_inconnue")
    return row


async def lister(session: AsyncSession, bassin: Territoire | None = None) -> list[ClauseSocialeRow]:
    requete = select(ClauseSocialeRow)
    if bassin is not None:
        requete = requete.where(ClauseSocialeRow.bassin == bassin.value)
    return list((await session.exec(requete.order_by(col(ClauseSocialeRow.debut)))).all())


async def tous_les_placements(session: AsyncSession, clause_id: str) -> list[PlacementClauseRow]:
    requete = select(PlacementClauseRow).where(PlacementClauseRow.clause_id == clause_id)
    return list((await session.exec(requete)).all())


async def placements(
    session: AsyncSession, clause_id: str, referent_id: str | None = None
) -> list[tuple[PlacementClauseRow, ParcoursRow]]:
    """The people placed (with their parcours, never an anonymised one); only those a référent
    accompanies when ``referent_id`` is given."""
    requete = (
        select(PlacementClauseRow, ParcoursRow)
        .join(ParcoursRow, col(ParcoursRow.id) == col(PlacementClauseRow.parcours_id))
        .where(PlacementClauseRow.clause_id == clause_id, col(ParcoursRow.anonymise).is_(False))
    )
    if referent_id is not None:
        requete = requete.where(ParcoursRow.referent_id == referent_id)
    lignes = await session.exec(requete.order_by(col(ParcoursRow.nom), col(ParcoursRow.prenom)))
    return [(p, r) for p, r in lignes.all()]


async def accompagnes(session: AsyncSession, referent_id: str) -> list[ParcoursRow]:
    """The people a référent accompanies (open parcours, not anonymised): whom they may place,
    in the pool or not."""
    requete = select(ParcoursRow).where(
        ParcoursRow.referent_id == referent_id,
        col(ParcoursRow.clos_le).is_(None),
        col(ParcoursRow.anonymise).is_(False),
    )
    return list((await session.exec(requete.order_by(col(ParcoursRow.nom)))).all())


async def placer(
    session: AsyncSession, clause: ClauseSocialeRow, parcours: ParcoursRow, debut: date, par: str
) -> PlacementClauseRow:
    if not clause.debut <= debut <= clause.fin:
        raise refus_champ("debut", "Le placement commence pendant le marché")
    if parcours.clos_le is not None:
        raise EmployeurRefuse(
            409, "Le parcours de cette personne est clos", CodeErreur.PARCOURS_CLOS
        )
    # checked in the write transaction; two requests at once: the unique constraint
    await ecriture(session)
    deja = select(PlacementClauseRow).where(
        PlacementClauseRow.clause_id == clause.id,
        PlacementClauseRow.parcours_id == parcours.id,
    )
    if (await session.exec(deja)).first() is not None:
        raise EmployeurRefuse(409, DEJA_PLACEE, "deja_placee")
    instant = maintenant()
    row = PlacementClauseRow(
        id=str(uuid.uuid4()),
        clause_id=clause.id,
        parcours_id=parcours.id,
        debut=debut,
        place_par=par,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ajouter_une_fois(session, row, DEJA_PLACEE, "deja_placee")
    return row


async def charger_placement(
    session: AsyncSession, clause_id: str, placement_id: str
) -> PlacementClauseRow:
    row = await session.get(PlacementClauseRow, placement_id)
    if row is None or row.clause_id != clause_id or row.parcours_id is None:
        raise EmployeurRefuse(404, "Placement introuvable", "placement_inconnu")
    return row


HEURES_DECLAREES = (
    "Des heures sont déclarées pour ce placement ({heures} h) : elles comptent au bilan du "
    "marché. Remettez-les à 0 si elles ont été saisies par erreur, puis retirez le placement"
)


async def retirer(session: AsyncSession, row: PlacementClauseRow) -> None:
    """A placement made by mistake is taken away, with nothing of it left in the report. One
    whose hours are declared is refused (409): they were worked and count in the report and the
    observatoire; set to 0 first (a write of its own, audited) if they were a mistake too."""
    await ecriture(session)  # the hours as they are now, not as they were read
    courant = await session.get(PlacementClauseRow, row.id, populate_existing=True)
    if courant is None:  # taken away meanwhile
        raise EmployeurRefuse(404, "Placement introuvable", "placement_inconnu")
    if courant.heures_realisees > 0:
        message = HEURES_DECLAREES.format(heures=nombre(courant.heures_realisees))
        raise EmployeurRefuse(409, message, "heures_declarees")
    await session.delete(courant)
    await session.commit()


async def saisir_heures(
    session: AsyncSession, row: PlacementClauseRow, heures: float
) -> PlacementClauseRow:
    await ecriture(session)
    row.heures_realisees, row.mis_a_jour = heures, maintenant()
    session.add(row)
    await session.commit()
    return row
