"""Anonymisation of closed parcours past their retention delay: their Temporal histories are
deleted, their read-model rows keep only what the statistics need."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from importation.regles import regles as regles_imports
from pieces.service import Coffre, effacer_du_parcours
from schemas.retention import BilanAnonymisation, DemandeAnonymisation
from store.agendas import CreneauPrisRow, InvitationRow, ReservationRow
from store.anonymisation import (
    ANONYME,
    bassin,
    contient,
    details_anonymes,
    etat_anonyme,
    instant_au_mois,
    jour_au_mois,
    ligne_d_import_effacee,
    naissance_anonyme,
)
from store.clauses import PlacementClauseRow
from store.comptes import SessionRow
from store.db import SessionFactory, ecriture
from store.employeurs import ContactEntrepriseRow, EntrepriseRow, PropositionRow, VivierRow
from store.equipe import DemandeRattachementRow, NoteRow
from store.evenements_employeurs import InvitationEvenementRow
from store.evenements_partenaires import EvenementRecu
from store.imports import ImportLigneRow, ImportRow
from store.notifications import Envoi, LienEnAttente, Notification
from store.orientations_structures import OrientationStructureRow
from store.parcours import (
    AccesRow,
    AccesUsagerRow,
    AlerteRow,
    EvenementRow,
    IdentifiantRow,
    IncidentRow,
    ParcoursRow,
    PhaseRow,
)
from store.sessions_collectives import InscriptionSessionRow, PlaceSessionRow

LOT = 50
EFFACEE = "Détail de la ligne effacé à la fin de sa durée de conservation"


async def _detacher_des_employeurs(session: AsyncSession, parcours_id: str) -> None:
    """An invitation to an employers' event and a placement on a social clause say who the
    person is only by their parcours: it goes, the presence, outcome and hours stay (the event's
    and the contract's figures stay right, and name nobody)."""
    for table in (InvitationEvenementRow, PlacementClauseRow):
        await session.exec(
            update(table).where(col(table.parcours_id) == parcours_id).values(parcours_id=None)
        )


class RetentionActivities:
    def __init__(
        self, sessions: SessionFactory, temporal: Client, delai_jours: int, coffre: Coffre
    ) -> None:
        self.sessions, self.temporal, self.delai_jours = sessions, temporal, delai_jours
        self.coffre = coffre  # the documents' store: their bytes go with the parcours

    @activity.defn(name="retention.anonymiser")
    async def anonymiser(self, demande: DemandeAnonymisation) -> BilanAnonymisation:
        delai = self.delai_jours if demande.delai_jours is None else demande.delai_jours
        limite = demande.jour - timedelta(days=delai)
        async with self.sessions() as session:
            rows = (
                await session.exec(
                    select(ParcoursRow)
                    .where(
                        col(ParcoursRow.clos_le) <= limite, col(ParcoursRow.anonymise).is_(False)
                    )
                    .limit(LOT)
                )
            ).all()
        anonymises, supprimes = [], 0
        for row in rows:
            activity.heartbeat(row.id)
            supprimes += await self._supprimer_historiques(row)
            await self._anonymiser_lignes(row.id)
            anonymises.append(row.id)
        await self._oublier_adresses(limite)
        await self._oublier_contacts_d_entreprises(limite)
        await self._oublier_lignes_d_import(demande.jour)
        return BilanAnonymisation(anonymises=anonymises, historiques_supprimes=supprimes)

    async def _supprimer_historiques(self, row: ParcoursRow) -> int:
        """Every run of the parcours and of its children (histories hold personal data)."""
        ids = [f"parcours-{row.id}"]
        etat = row.etat
        for cle in ("contrat", "emploi"):
            if etat.get(cle):
                ids.append(etat[cle]["workflow_id"])
        for cle in ("contrats_passes", "emplois_passes", "pmsmp"):
            ids += [x["workflow_id"] for x in etat.get(cle) or [] if x.get("workflow_id")]
        count = 0
        for workflow_id in ids:
            async for execution in self.temporal.list_workflows(f"WorkflowId = '{workflow_id}'"):
                try:
                    await self.temporal.workflow_service.delete_workflow_execution(
                        DeleteWorkflowExecutionRequest(
                            namespace=self.temporal.namespace,
                            workflow_execution=WorkflowExecution(
                                workflow_id=workflow_id, run_id=execution.run_id
                            ),
                        )
                    )
                    count += 1
                except RPCError as err:
                    if err.status != RPCStatusCode.NOT_FOUND:
                        raise
        return count

    async def _anonymiser_lignes(self, parcours_id: str) -> None:
        """Every store that holds something of the person (docs/donnees-personnelles.md)."""
        async with self.sessions() as session:
            await ecriture(session)
            row = await session.get(ParcoursRow, parcours_id)
            if row is None or row.anonymise:
                return
            identifiants = await _identifiants(session, row)
            operations = [str(o.get("id")) for o in row.etat.get("operations") or []]
            _parcours(row)
            await _evenements(session, parcours_id)
            await _listes(session, parcours_id)
            await _evenements_partenaires(session, parcours_id, identifiants)
            await _messages(session, parcours_id, operations)
            # the documents' bytes, then their rows (names may say who the person is)
            await effacer_du_parcours(session, self.coffre, parcours_id)
            # an imported list's row holds the person's columns as the file gave them
            # the team's notes are free text about the person; a request to join names them
            # the pool of people ready to work holds their projects and mobility (issue 24)
            for table in (
                IdentifiantRow,
                AccesRow,
                AccesUsagerRow,
                AlerteRow,
                ImportLigneRow,
                NoteRow,
                DemandeRattachementRow,
                VivierRow,
                PropositionRow,
                OrientationStructureRow,  # the person's details shared with a structure
            ):
                await session.exec(delete(table).where(col(table.parcours_id) == parcours_id))
            await _rendez_vous(session, parcours_id)
            await _detacher_des_employeurs(session, parcours_id)
            await session.commit()

    async def _oublier_adresses(self, limite: date) -> None:
        """Sessions keep the address they were opened from while they live; past the
        retention delay, the address goes (the audit keeps the professionals' own)."""
        async with self.sessions() as session:
            await ecriture(session)
            await session.exec(
                update(SessionRow)
                .where(col(SessionRow.vu_le) < datetime.combine(limite, time(), UTC))
                .values(adresse=None)
            )
            await session.commit()

    async def _oublier_lignes_d_import(self, jour: date) -> None:
        """A list's rows that led to no parcours keep the person's columns for the delay of
        rules/imports.yaml after the upload; then their number and outcome only. Not those of
        an import still running: it reads them."""
        delai = timedelta(days=regles_imports().conservation_lignes_non_retenues_jours)
        anciens = select(ImportRow.id).where(
            col(ImportRow.cree_le) < datetime.combine(jour - delai, time(), UTC),
            col(ImportRow.statut) != "en_cours",
        )
        non_retenues = or_(
            col(ImportLigneRow.resultat).is_(None),
            col(ImportLigneRow.resultat).in_(("rejetee", "echec")),
        )
        async with self.sessions() as session:
            await ecriture(session)
            lignes = (
                await session.exec(
                    select(ImportLigneRow).where(
                        col(ImportLigneRow.import_id).in_(anciens),
                        non_retenues,
                        or_(  # not already done
                            col(ImportLigneRow.message).is_(None),
                            col(ImportLigneRow.message) != EFFACEE,
                        ),
                    )
                )
            ).all()
            for ligne in lignes:
                ligne_d_import_effacee(ligne, EFFACEE)
                session.add(ligne)
            await session.commit()

    async def _oublier_contacts_d_entreprises(self, limite: date) -> None:
        """A company's contacts are people too: once the SPIE has not touched the company for
        the retention delay, they go (the company, its label and its offers stay)."""
        endormies = select(EntrepriseRow.siret).where(
            col(EntrepriseRow.mis_a_jour) < datetime.combine(limite, time(), UTC)
        )
        async with self.sessions() as session:
            await ecriture(session)
            await session.exec(
                delete(ContactEntrepriseRow).where(col(ContactEntrepriseRow.siret).in_(endormies))
            )
            await session.commit()


def _parcours(row: ParcoursRow) -> None:
    row.nom, row.prenom, row.referent_nom = ANONYME, "", None
    row.date_naissance = naissance_anonyme(row.date_naissance)
    row.commune = bassin(row.territoire)
    row.etat = etat_anonyme(row.etat)
    row.ouvert_le = jour_au_mois(row.ouvert_le) or row.ouvert_le
    row.phase_depuis = jour_au_mois(row.phase_depuis) or row.phase_depuis
    row.derniere_interaction = jour_au_mois(row.derniere_interaction) or row.ouvert_le
    row.clos_le = jour_au_mois(row.clos_le)
    row.prochaine_echeance, row.prochaine_echeance_libelle, row.prochain_rdv = None, None, None
    row.transfert_vers_id = None
    row.anonymise = True


async def _identifiants(session: AsyncSession, row: ParcoursRow) -> list[str]:
    """The person's identifiers at partners, read before they are erased."""
    valeurs = set(
        (
            await session.exec(
                select(IdentifiantRow.valeur).where(IdentifiantRow.parcours_id == row.id)
            )
        ).all()
    )
    valeurs |= {str(v) for v in (row.etat.get("identifiants") or {}).values() if v}
    return sorted(valeurs)


async def _evenements(session: AsyncSession, parcours_id: str) -> None:
    for e in (
        await session.exec(select(EvenementRow).where(EvenementRow.parcours_id == parcours_id))
    ).all():
        e.libelle, e.auteur_nom, e.details = e.code, e.auteur_role, details_anonymes(e.details)
        e.le = jour_au_mois(e.le) or e.le
        e.enregistre_le = instant_au_mois(e.enregistre_le) or e.enregistre_le


async def _listes(session: AsyncSession, parcours_id: str) -> None:
    for p in (
        await session.exec(select(PhaseRow).where(PhaseRow.parcours_id == parcours_id))
    ).all():
        p.du, p.au = jour_au_mois(p.du) or p.du, jour_au_mois(p.au)
    for i in (
        await session.exec(select(IncidentRow).where(IncidentRow.parcours_id == parcours_id))
    ).all():
        # A partner's error message may quote what was sent (an address, a number).
        i.message, i.resolution = ANONYME, None
        i.premiere_erreur = instant_au_mois(i.premiere_erreur) or i.premiere_erreur
        i.derniere_erreur = instant_au_mois(i.derniere_erreur) or i.derniere_erreur


async def _evenements_partenaires(
    session: AsyncSession, parcours_id: str, identifiants: list[str]
) -> None:
    """The events delivered to the parcours, and those about the person that never found it
    (waiting « à rapprocher », their subject one of the person's identifiers)."""
    recus = (
        await session.exec(
            select(EvenementRecu).where(
                or_(
                    col(EvenementRecu.parcours_id) == parcours_id,
                    col(EvenementRecu.parcours_id).is_(None),
                )
            )
        )
    ).all()
    for recu in recus:
        if recu.parcours_id is None and not contient(recu.sujet, identifiants):
            continue
        recu.sujet, recu.data, recu.motif = ANONYME, {}, None
        recu.survenu_le = instant_au_mois(recu.survenu_le) or recu.survenu_le
        recu.recu_le = instant_au_mois(recu.recu_le) or recu.recu_le
        recu.livre_le = instant_au_mois(recu.livre_le)


async def _messages(session: AsyncSession, parcours_id: str, operations: list[str]) -> None:
    """The outbox (phones, e-mail addresses) and the in-app notifications about the parcours:
    their use ended with it. Rows written before they named their parcours are found by the
    operations' idempotency keys."""
    await session.exec(
        delete(Envoi).where(
            or_(col(Envoi.parcours_id) == parcours_id, col(Envoi.idempotence).in_(operations))
        )
    )
    await session.exec(delete(LienEnAttente).where(col(LienEnAttente.idempotence).in_(operations)))
    cles = [f"{o}:%" for o in operations]
    await session.exec(
        delete(Notification).where(
            or_(
                col(Notification.parcours_id) == parcours_id,
                col(Notification.lien) == f"/parcours/{parcours_id}",
                *[col(Notification.cle).like(c) for c in cles],
            )
        )
    )


async def _rendez_vous(session: AsyncSession, parcours_id: str) -> None:
    """Bookings in the agendas and registrations to collective sessions: who is received
    when. A future one frees its slot or seat."""
    await session.exec(delete(InvitationRow).where(col(InvitationRow.parcours_id) == parcours_id))
    reservations = select(ReservationRow.id).where(ReservationRow.parcours_id == parcours_id)
    await session.exec(
        delete(CreneauPrisRow).where(col(CreneauPrisRow.reservation_id).in_(reservations))
    )
    await session.exec(delete(ReservationRow).where(col(ReservationRow.parcours_id) == parcours_id))
    # Who was registered to which collective session, and came or not: their seat is freed.
    await session.exec(
        delete(PlaceSessionRow).where(col(PlaceSessionRow.parcours_id) == parcours_id)
    )
    await session.exec(
        delete(InscriptionSessionRow).where(col(InscriptionSessionRow.parcours_id) == parcours_id)
    )
