"""The pool of people ready to work: the référent records a person's fiche (projects,
mobility, hours, consent); the chargés de relation entreprise of the territory see, for an
offer, the people whose fiche fits — only those who consented and are ready."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.annuaire import maintenant
from employeurs.depuis_le_parcours import disponibilite
from employeurs.rapprochement import Candidat, Lieu, OffreCible, Rapprochement, classer
from referentiels import territoires
from referentiels.territoires import Point
from schemas.employeur import Creneau, FicheVivier
from store.db import ecriture
from store.employeurs import EntrepriseRow, OffreRow, VivierRow
from store.parcours import ParcoursRow

# An offer with « horaires décalés » needs the early or late hours: evenings or nights.
CRENEAUX_DECALES = frozenset({Creneau.SOIR})


async def inscrire(session: AsyncSession, parcours: ParcoursRow, fiche: FicheVivier) -> VivierRow:
    await ecriture(session)
    row = await session.get(VivierRow, parcours.id) or VivierRow(
        parcours_id=parcours.id,
        territoire=parcours.territoire,
        commune=parcours.commune,
        pret=fiche.pret,
        consentement=fiche.consentement,
        mis_a_jour=maintenant(),
    )
    for nom, valeur in fiche.model_dump(mode="json").items():
        setattr(row, nom, valeur)
    row.territoire, row.commune = parcours.territoire, parcours.commune
    row.referent_id, row.mis_a_jour = parcours.referent_id, maintenant()
    session.add(row)
    await session.commit()
    return row


def _lieu(nom: str, insee: str | None = None, point: Point | None = None) -> Lieu:
    """A place with its position: the one given, else its commune's town hall (the pool keeps
    the commune's name only, so it is found by name)."""
    if point is None:
        commune = territoires.communes().get(insee or "") or territoires.par_nom(nom)
        point = commune.centre if commune else None
    return Lieu(nom, *point) if point else Lieu(nom)


def candidat(row: VivierRow, etat: dict[str, Any] | None = None) -> Candidat:
    """The person as the matching sees them: their fiche, and of their parcours (``etat``)
    only the latest diagnostic's availability."""
    return Candidat(
        parcours_id=row.parcours_id,
        projets=tuple(row.projets),
        lieu=_lieu(row.commune),
        permis_b=row.permis_b,
        vehicule=row.vehicule,
        distance_max_km=float(row.distance_max_km),
        creneaux=frozenset(Creneau(c) for c in row.creneaux),
        pret=row.pret,
        consentement=row.consentement,
        disponibilite=disponibilite(etat or {}),
    )


def cible(offre: OffreRow, entreprise: EntrepriseRow | None) -> OffreCible:
    sur_place = entreprise is not None and entreprise.commune_insee == offre.commune_insee
    point: Point | None = None
    if sur_place and entreprise:
        latitude, longitude = entreprise.latitude, entreprise.longitude
        if latitude is not None and longitude is not None:
            point = (latitude, longitude)  # the national directory's, more precise
    return OffreCible(
        code_rome=offre.code_rome,
        lieu=_lieu(offre.commune, offre.commune_insee, point),
        permis_requis=offre.permis_requis,
        creneaux=CRENEAUX_DECALES if offre.horaires_decales else frozenset(),
    )


async def pour_une_offre(
    session: AsyncSession, offre: OffreRow, territoire: str
) -> list[tuple[Rapprochement, ParcoursRow]]:
    """The people of the territory's pool this offer fits, best first, with their parcours
    (closed or anonymised parcours are never in it)."""
    requete = (
        select(VivierRow, ParcoursRow)
        .join(ParcoursRow, col(ParcoursRow.id) == col(VivierRow.parcours_id))
        .where(
            VivierRow.territoire == territoire,
            col(VivierRow.consentement).is_(True),
            col(ParcoursRow.clos_le).is_(None),
            col(ParcoursRow.anonymise).is_(False),
        )
    )
    lignes = (await session.exec(requete)).all()
    parcours = {v.parcours_id: p for v, p in lignes}
    entreprise = await session.get(EntrepriseRow, offre.siret) if offre.siret else None
    classes = classer(cible(offre, entreprise), [candidat(v, p.etat) for v, p in lignes])
    return [(r, parcours[r.parcours_id]) for r in classes]


async def du_referent(session: AsyncSession, referent_id: str) -> list[ParcoursRow]:
    """The parcours a référent accompanies whose person is in the pool (ready, open parcours):
    those they may invite to an event with employers."""
    choix = (ParcoursRow.referent_id == referent_id, col(VivierRow.pret).is_(True))
    return await _ouverts_du_vivier(session, *choix)


async def consentants(session: AsyncSession, territoire: str) -> list[ParcoursRow]:
    """The people of a territory's pool who consented to be presented to its chargés de
    relation entreprise (open parcours): those a chargé may place on a contract."""
    choix = (VivierRow.territoire == territoire, col(VivierRow.consentement).is_(True))
    return await _ouverts_du_vivier(session, *choix)


async def _ouverts_du_vivier(session: AsyncSession, *choix: Any) -> list[ParcoursRow]:
    """The open parcours (neither closed nor anonymised) of the pool that meet ``choix``."""
    requete = (
        select(ParcoursRow)
        .join(VivierRow, col(VivierRow.parcours_id) == col(ParcoursRow.id))
        .where(*choix, col(ParcoursRow.clos_le).is_(None), col(ParcoursRow.anonymise).is_(False))
    )
    return list((await session.exec(requete.order_by(col(ParcoursRow.nom)))).all())
