"""Collective sessions and the parcours (issue 18, item 3): a registration becomes an
appointment of the parcours by its existing command ``convoquer_rdv`` (same SMS and e-mail,
.ics, reminders, outcome, vigie); a withdrawal marks it « annulé »; the attendance typed for
all at once, and the session's cancellation, are given to each parcours by the organiser's own
commands (``noter_presence_session``, ``annuler_rdv_session``), whoever the person's référent
is (those two: services/sessions_collectives_bilans.py). Used by the API and the cockpit.

Who may do what: a référent sees the open sessions of their territory and registers only the
people they follow (the workflow reserves ``convoquer_rdv`` to the parcours' référent); the
organiser of a session (and the référents of its structure) see its list of registered
people — first and last names, never their dossiers — record its attendance and cancel it.
They act in each parcours as ``animateur:<registration>`` (workflows/declaration.py), whom the
workflow lets touch that registration's appointment only, once this service has checked that
they organise the session and that the registration is one of it. Every list read and every
write (the session's, and each parcours') is audit-logged under the real account."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from agendas import sessions
from agendas.service import Introuvable, Proprietaire, SaisieRefusee
from core.clock import local_day
from core.formats import heure, jour_semaine
from schemas.common import Acteur
from schemas.erreurs import CodeErreur
from schemas.invitation import ConvocationSurReservation
from schemas.parcours import ParcoursState
from schemas.rdv import StatutRdv
from schemas.session_collective import (
    DesinscriptionSession,
    Inscription,
    Inscrit,
    SessionCollective,
    SessionSaisie,
)
from services import parcours as dossiers
from services.audit import journaliser
from services.erreurs import Refus
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from store.parcours import ParcoursRow
from store.sessions_collectives import InscriptionSessionRow, SessionCollectiveRow
from workflows.declaration import animateur

INCONNUE = "Session inconnue"


@dataclass(frozen=True)
class Appel:
    """What only the request knows, for the parcours' commands and the audit log."""

    session: AsyncSession
    parcours: ParcoursClient
    u: Utilisateur
    adresse_publique: str
    ip: str | None


def objet(session_id: str) -> str:
    return f"session_collective:{session_id}"


def _refus_saisie(e: SaisieRefusee) -> Refus:
    return Refus(422, str(e), CodeErreur.DONNEES_INVALIDES, [{"champ": e.champ, "message": str(e)}])


def referent(u: Utilisateur) -> Proprietaire:
    if not u.est_referent:
        raise Refus(403, "Les sessions collectives sont celles des référents", "interdit")
    return Proprietaire(
        compte_id=u.id,
        structure=u.structure,
        organisme=u.organisme.value if u.organisme else None,
        territoire=u.territoire.value if u.territoire else None,
    )


def organise(u: Utilisateur, row: SessionCollectiveRow) -> bool:
    """The organiser, or a référent of the same structure (its animators)."""
    if not u.est_referent:
        return False
    return row.compte_id == u.id or (row.structure is not None and row.structure == u.structure)


async def _session_visible(
    db: AsyncSession, u: Utilisateur, session_id: str
) -> SessionCollectiveRow:
    """A session of the asker's territory (or theirs); otherwise as if it did not exist."""
    referent(u)
    try:
        row = await sessions.lire(db, session_id)
    except Introuvable:
        raise Refus(404, INCONNUE, "introuvable") from None
    territoire = u.territoire.value if u.territoire else None
    if row.territoire != territoire and not organise(u, row):
        raise Refus(404, INCONNUE, "introuvable")
    return row


async def session_organisee(
    db: AsyncSession, u: Utilisateur, session_id: str
) -> SessionCollectiveRow:
    row = await _session_visible(db, u, session_id)
    if not organise(u, row):
        raise Refus(403, "Réservé à l'organisateur de la session et à sa structure", "interdit")
    return row


async def creer(a: Appel, saisie: SessionSaisie) -> SessionCollective:
    try:
        row = await sessions.creer(
            a.session, referent(a.u), a.u.nom, saisie, dossiers.aujourd_hui()
        )
    except SaisieRefusee as e:
        raise _refus_saisie(e) from None
    await journaliser(a.session, a.u, "ecriture", objet(row.id), "session créée", a.ip)
    return await sessions.vue(a.session, row)


async def ouvertes(a: Appel) -> list[SessionCollective]:
    """The sessions a référent may register people to: their territory's, to come."""
    moi = referent(a.u)
    if moi.territoire is None:
        return []
    rows = await sessions.ouvertes(a.session, moi.territoire, sessions.maintenant())
    return [await sessions.vue(a.session, r) for r in rows]


async def mes_sessions(a: Appel) -> list[SessionCollective]:
    """The sessions the asker organises (or their structure does), past ones included."""
    moi = referent(a.u)
    requete = select(SessionCollectiveRow).where(SessionCollectiveRow.compte_id == moi.compte_id)
    if moi.structure is not None:
        requete = select(SessionCollectiveRow).where(
            (col(SessionCollectiveRow.compte_id) == moi.compte_id)
            | (col(SessionCollectiveRow.structure) == moi.structure)
        )
    rows = await a.session.exec(requete.order_by(col(SessionCollectiveRow.debut).desc()))
    return [await sessions.vue(a.session, r) for r in rows.all()]


async def organisee(a: Appel, session_id: str) -> bool:
    """Whether the asker organises this session (sees its list, records its attendance)."""
    return organise(a.u, await _session_visible(a.session, a.u, session_id))


async def vue(a: Appel, session_id: str) -> SessionCollective:
    return await sessions.vue(a.session, await _session_visible(a.session, a.u, session_id))


def _message_complete(refus: sessions.SessionComplete) -> str:
    proposees = "; ".join(
        f"{jour_semaine(local_day(s.debut))} à {heure(sessions.utc(s.debut))} ({s.titre})"
        for s in refus.suivantes
    )
    if not proposees:
        return f"{refus} Aucune autre session de ce motif n'a de place pour l'instant."
    return f"{refus} Prochaines sessions : {proposees}."


async def inscrire(a: Appel, session_id: str, parcours_id: str) -> Inscription:
    """A seat first (its key decides a race), then the parcours' appointment; the seat is
    freed if the parcours refuses it."""
    row = await _session_visible(a.session, a.u, session_id)
    state = await dossiers.lire(a.parcours, a.u, parcours_id)
    dossiers.juger("convoquer_rdv", state, a.u, None)  # only the person's référent
    try:
        inscription = await sessions.inscrire(a.session, row.id, parcours_id, a.u.id)
    except sessions.SessionComplete as refus:
        message = _message_complete(refus)
        champ = [{"champ": "session_id", "message": message}]
        raise Refus(409, message, "session_complete", champ) from None
    except sessions.InscriptionImpossible as refus:
        raise Refus(409, str(refus), CodeErreur.COMMANDE_REFUSEE) from None
    await journaliser(
        a.session, a.u, "ecriture", objet(row.id), f"inscription {inscription.id}", a.ip
    )
    try:
        state = await dossiers.executer(
            a.parcours,
            a.session,
            a.u,
            "convoquer_rdv",
            parcours_id,
            ConvocationSurReservation(reservation_id=inscription.id),
            adresse_publique=a.adresse_publique,
            ip=a.ip,
        )
    except (Refus, CommandeImpossible):
        await sessions.liberer(a.session, inscription.id)  # nothing half-done
        await journaliser(
            a.session, a.u, "ecriture", objet(row.id), f"inscription {inscription.id} rendue", a.ip
        )
        raise
    rdv = next((r for r in state.rdvs if r.reservation_id == inscription.id), None)
    if rdv is not None:
        await sessions.noter_rdv(a.session, inscription.id, rdv.id)
    return Inscription(
        id=inscription.id,
        session_id=row.id,
        parcours_id=parcours_id,
        rdv_id=rdv.id if rdv else None,
    )


async def _inscription(
    db: AsyncSession, row: SessionCollectiveRow, inscription_id: str
) -> InscriptionSessionRow:
    inscription = await db.get(InscriptionSessionRow, inscription_id)
    if inscription is None or inscription.session_id != row.id or inscription.desinscrite_le:
        raise Refus(404, "Inscription inconnue", "introuvable")
    return inscription


async def _suit(a: Appel, parcours_id: str) -> bool:
    """Whether the asker is the person's référent (whom the workflow lets cancel their
    appointments): they may withdraw them from any session."""
    try:
        state = await dossiers.lire(a.parcours, a.u, parcours_id)
        dossiers.juger("renseigner_rdv", state, a.u, None)
    except Refus:
        return False
    return True


async def _rdv_prevu(a: Appel, i: InscriptionSessionRow) -> bool:
    """Whether the registration's appointment is still to come in the parcours (one already
    marked otherwise has nothing left to cancel or tell: the seat is just freed)."""
    if i.rdv_id is None:
        return False
    state = await a.parcours.etat(i.parcours_id)
    return any(r.id == i.rdv_id and r.statut == StatutRdv.PREVU for r in state.rdvs)


async def desinscrire(a: Appel, session_id: str, inscription_id: str) -> None:
    """The person's référent, or the session's organiser, withdraws them before it begins: the
    appointment is « annulé » in the parcours and the person told (SMS, e-mail with the .ics
    that removes the event, or a letter), then the seat is freed. Anyone else: as if the
    registration did not exist."""
    row = await _session_visible(a.session, a.u, session_id)
    inscription = await _inscription(a.session, row, inscription_id)
    par_l_organisateur = not await _suit(a, inscription.parcours_id)
    if par_l_organisateur and not organise(a.u, row):
        raise Refus(404, "Inscription inconnue", "introuvable")
    if not sessions.ouverte(row, sessions.maintenant()):
        raise Refus(409, "La session a commencé ou est annulée", CodeErreur.COMMANDE_REFUSEE)
    if await _rdv_prevu(a, inscription):
        desinscription = DesinscriptionSession(
            inscription_id=inscription.id, session=row.titre, par_l_organisateur=par_l_organisateur
        )
        resultat = await commander(a, row, inscription, "desinscrire_session", desinscription)
        if isinstance(resultat, str):  # the seat stays, so that nothing is half-done
            raise Refus(409, resultat, CodeErreur.COMMANDE_REFUSEE)
    await sessions.liberer(a.session, inscription.id)
    await journaliser(
        a.session, a.u, "ecriture", objet(row.id), f"désinscription {inscription.id}", a.ip
    )


async def noms_des(db: AsyncSession, ids: set[str]) -> dict[str, ParcoursRow]:
    rows = await db.exec(select(ParcoursRow).where(col(ParcoursRow.id).in_(ids)))
    return {p.id: p for p in rows.all()}


async def inscrits(a: Appel, session_id: str) -> list[Inscrit]:
    """The organiser's list: a first and last name per seat, nothing of the dossier."""
    row = await session_organisee(a.session, a.u, session_id)
    en_cours = await sessions.inscriptions(a.session, row.id)
    noms = await noms_des(a.session, {i.parcours_id for i in en_cours})
    liste = [
        Inscrit(
            inscription_id=i.id,
            prenom=noms[i.parcours_id].prenom if i.parcours_id in noms else "",
            nom=noms[i.parcours_id].nom if i.parcours_id in noms else "(dossier effacé)",
            presence=StatutRdv(i.presence) if i.presence else None,
        )
        for i in en_cours
    ]
    await journaliser(
        a.session, a.u, "liste", objet(row.id), f"liste des inscrits ({len(liste)})", a.ip
    )
    return liste


def _animateur(a: Appel, i: InscriptionSessionRow) -> Acteur:
    return animateur(i.id, a.u.nom)


async def commander(
    a: Appel, row: SessionCollectiveRow, i: InscriptionSessionRow, nom: str, donnees: BaseModel
) -> ParcoursState | str:
    """Give one registered person's parcours the organiser's command (the workflow lets the
    organiser touch only the appointment this registration became): its new state, or why
    not, in French."""
    try:
        state = await a.parcours.commander(i.parcours_id, nom, donnees, _animateur(a, i))
    except CommandeImpossible as e:
        return str(e)
    await journaliser(
        a.session, a.u, "ecriture", f"parcours:{i.parcours_id}", f"{nom} ({objet(row.id)})", a.ip
    )
    return state
