"""The projection: the parcours workflow's state, written into the read model (by the activity in
activities/projection.py, and by the rebuild, ops/reconstruction.py).

Idempotent and ordered: a write carrying an older ``version`` than the row's is ignored,
timeline lines are keyed by their sequence number, so retries and late writes are harmless.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ids import reference
from schemas.evenements import CleSujet
from schemas.invitation import StatutInvitation
from schemas.orientation_structure import StatutOrientation
from schemas.parcours import ParcoursState
from schemas.projection import Projection
from schemas.rdv import StatutRdv
from store.agendas import InvitationRow
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


def ligne(s: ParcoursState, p: Projection) -> dict[str, object]:
    """The columns of the parcours row, from the state."""
    prochains = [r.date_heure for r in s.rdvs if r.statut == StatutRdv.PREVU]
    return {
        "version": s.version,
        "reference": reference(s.parcours_id),
        "nom": s.usager.nom,
        "prenom": s.usager.prenom,
        "date_naissance": s.usager.date_naissance,
        "commune": s.usager.commune,
        "territoire": s.territoire.value,
        "organisme": s.organisme.value if s.organisme else None,
        "referent_id": s.referent.referent.id if s.referent else None,
        "referent_nom": s.referent.referent.nom if s.referent else None,
        "transfert_vers_id": s.transfert.vers.id
        if s.transfert and not s.transfert.accuse_le
        else None,
        "phase": s.phase.value,
        "phase_depuis": s.phases[-1].du if s.phases else s.ouvert_le,
        "statut": s.statut.value,
        "motifs": sorted({a.code for a in s.alertes}),
        "prochaine_echeance": p.prochaine_echeance,
        "prochaine_echeance_libelle": p.prochaine_echeance_libelle,
        "prochain_rdv": min(prochains, default=None),
        "derniere_interaction": s.derniere_interaction(),
        "incidents_ouverts": sum(1 for i in s.incidents if i.actif),
        "ouvert_le": s.ouvert_le,
        "clos_le": s.sortie.le if s.sortie else None,
        "sortie_motif": s.sortie.motif.value if s.sortie else None,
        "sortie_positive": s.sortie.positive if s.sortie else None,
        "etat": etat_projete(s),
        "mis_a_jour": datetime.now(UTC),
    }


def etat_projete(s: ParcoursState) -> dict[str, object]:
    """The state's JSON copy in the read model, without what is sent to partners: a payload
    (contacts, a message) lives only in the workflow, until its call succeeds."""
    etat = s.model_dump(mode="json", exclude={"timeline", "regles"})
    etat["operations"] = [
        {**o, "donnees": {}, "resultat": None} for o in etat.get("operations") or []
    ]
    return etat


CLE_NIR = "nir"  # no partner event routes by it (not a CleSujet)


def identifiants(s: ParcoursState) -> list[IdentifiantRow]:
    pairs = set(s.identifiants.pairs())
    pairs |= {(CleSujet.CONVENTION.value, p.id) for p in s.pmsmp}
    pairs |= {(CleSujet.RDV.value, r.id) for r in s.rdvs}
    if s.accueil.nir_empreinte:  # the HMAC of the NIR typed at the accueil: lists find it
        pairs.add((CLE_NIR, s.accueil.nir_empreinte))
    return [IdentifiantRow(cle=k, valeur=v, parcours_id=s.parcours_id) for k, v in sorted(pairs)]


async def ecrire(session: AsyncSession, p: Projection) -> bool:
    """Upsert one projection in the current transaction; False when it was stale."""
    s = p.etat
    row = await session.get(ParcoursRow, s.parcours_id, with_for_update=True)
    fresh = row is None or row.version < s.version
    if fresh:
        values = ligne(s, p)
        if row is None:
            session.add(ParcoursRow.model_validate({"id": s.parcours_id, **values}))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await session.flush()
        await _listes(session, s)
    await _evenements(session, s.parcours_id, p)  # keyed by seq: safe even from a stale write
    return fresh


async def _evenements(session: AsyncSession, parcours_id: str, p: Projection) -> None:
    if not p.evenements:
        return
    seqs = [e.seq for e in p.evenements]
    known = set(
        (
            await session.exec(
                select(EvenementRow.seq).where(
                    EvenementRow.parcours_id == parcours_id, col(EvenementRow.seq).in_(seqs)
                )
            )
        ).all()
    )
    session.add_all(
        [
            EvenementRow(
                parcours_id=parcours_id,
                seq=e.seq,
                enregistre_le=e.enregistre_le,
                le=e.le,
                categorie=e.categorie.value,
                code=e.code,
                libelle=e.libelle,
                auteur_id=e.auteur.id,
                auteur_nom=e.auteur.nom,
                auteur_role=e.auteur.role.value,
                details=e.details,
                sensible=e.sensible,
            )
            for e in p.evenements
            if e.seq not in known
        ]
    )


async def _listes(session: AsyncSession, s: ParcoursState) -> None:
    pid, territoire = s.parcours_id, s.territoire.value
    for table in (
        AlerteRow,
        IncidentRow,
        PhaseRow,
        AccesRow,
        IdentifiantRow,
        AccesUsagerRow,
        InvitationRow,
        OrientationStructureRow,
    ):
        await session.exec(delete(table).where(col(table.parcours_id) == pid))
    organisme = s.organisme.value if s.organisme else None
    referent = s.referent.referent.id if s.referent else None
    session.add_all(
        [
            AlerteRow(
                parcours_id=pid,
                code=a.code,
                cle=a.cle,
                libelle=a.libelle,
                severite=a.severite.value,
                depuis=a.depuis,
                echeance=a.echeance,
                territoire=territoire,
                organisme=organisme,
                referent_id=referent,
            )
            for a in s.alertes
        ]
    )
    session.add_all(
        [
            IncidentRow(
                id=i.id,
                parcours_id=pid,
                territoire=territoire,
                partenaire=i.partenaire.value,
                operation=i.operation.value,
                message=i.message,
                definitif=i.definitif,
                tentatives=i.tentatives,
                premiere_erreur=i.premiere_erreur,
                derniere_erreur=i.derniere_erreur,
                statut=i.statut.value,
                resolution=i.resolution,
            )
            for i in s.incidents
        ]
    )
    session.add_all(
        [
            PhaseRow(parcours_id=pid, ordre=n, phase=ph.phase.value, du=ph.du, au=ph.au)
            for n, ph in enumerate(s.phases)
        ]
    )
    acces = {
        a.compte_id: AccesRow(
            parcours_id=pid, compte_id=a.compte_id, jusqu_au=a.jusqu_au, motif=a.motif
        )
        for a in s.acces_temporaires
    }
    if s.transfert is not None and s.transfert.accuse_le is None:
        acces[s.transfert.vers.id] = AccesRow(
            parcours_id=pid, compte_id=s.transfert.vers.id, motif="transfert en attente"
        )
    if s.consentement.partage_partenaires:  # the members' rule (services/utilisateur.py)
        for m in s.equipe:
            if m.present:
                acces.setdefault(
                    m.membre.id,
                    AccesRow(parcours_id=pid, compte_id=m.membre.id, motif="équipe de suivi"),
                )
    session.add_all(acces.values())
    if not s.clos:  # a closed parcours no longer receives partner events, nor visits of its carnet
        session.add_all(identifiants(s))
        session.add_all(
            [
                AccesUsagerRow(
                    empreinte=a.empreinte,
                    parcours_id=pid,
                    expire_le=a.expire_le,
                    # a secret drawn in the workflow (before the change) never opens the carnet
                    revoque=a.revoque or not a.hors_workflow,
                )
                for a in s.acces_carnet
            ]
        )
        session.add_all(invitations_ouvertes(s))
        session.add_all(liens_d_orientation(s))


def invitations_ouvertes(s: ParcoursState) -> list[InvitationRow]:
    """The booking links that still open a page (issue 18): sent and not booked yet, or
    booked with the appointment still to come (the page then moves or cancels it)."""
    a_venir = {r.id: r.reservation_id for r in s.rdvs if r.statut == StatutRdv.PREVU}
    return [
        InvitationRow(
            empreinte=empreinte,
            parcours_id=s.parcours_id,
            invitation_id=i.id,
            referent_id=i.referent_id,
            motif=i.motif,
            expire_le=i.expire_le,
            reservation_id=a_venir.get(i.rdv_id) if i.rdv_id else None,
        )
        for i in s.invitations
        if i.statut == StatutInvitation.ENVOYEE
        or (i.rdv_id in a_venir and a_venir[i.rdv_id] is not None)
        for empreinte in i.empreintes
    ]


def liens_d_orientation(s: ParcoursState) -> list[OrientationStructureRow]:
    """The structures' answer links (ticket 20), until they expire: an answered one still
    opens its page, which shows the answer given. Only while the person agrees to share."""
    if not s.consentement.partage_partenaires:
        return []
    u = s.usager
    personne = {
        "prenom": u.prenom,
        "nom": u.nom,
        "telephone": u.telephone or "",
        "email": u.email or "",
        "commune": u.commune,
    }
    return [
        OrientationStructureRow(
            empreinte=empreinte,
            parcours_id=s.parcours_id,
            action_id=a.id,
            referent_id=s.referent.referent.id if s.referent else None,
            service=a.prescription.libelle,
            structure=a.prescription.structure,
            motif=a.prescription.motif,
            debut_prevu=a.prescription.debut_prevu,
            expire_le=a.orientation.expire_le,
            statut=a.orientation.statut.value,
            debut_le=a.orientation.debut_le,
            motifs_refus=a.orientation.motifs_refus,
            personne=personne,
        )
        for a in s.actions
        if a.orientation is not None and a.orientation.statut != StatutOrientation.EXPIREE
        for empreinte in a.orientation.empreintes
    ]
