"""The team's notes: who may read and write them, the short delay to correct one, amendments.

Read and write rights follow the dossier's (services/utilisateur.py: peut_lire), narrowed:
a note « référent seul » is read by the référent and its author; writing is for the référent
and the members of the team — not for a coordinator, a former référent or the administration,
who read the dossier without accompanying the person. Every read and write is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from rules.equipe import regles_notes
from schemas.erreurs import CodeErreur
from schemas.notes import Amendement, ModificationNote, NoteVue, NouvelleNote, Visibilite
from schemas.parcours import ParcoursState
from services.utilisateur import Utilisateur, est_referent_du_parcours, membre_peut_lire
from store.db import ecriture
from store.equipe import NOTE_ADRESSEE, NoteRow, notifier
from web.equipe.activite import prevenir_le_referent
from web.erreurs import Refus


def peut_ecrire(u: Utilisateur, s: ParcoursState) -> bool:
    return est_referent_du_parcours(u, s) or membre_peut_lire(u, s)


def _visible(u: Utilisateur, s: ParcoursState, n: NoteRow) -> bool:
    if n.visibilite == Visibilite.EQUIPE.value:
        return True
    return n.auteur_id == u.id or est_referent_du_parcours(u, s)


def modifiable(n: NoteRow, maintenant: datetime) -> bool:
    return maintenant - _utc(n.ecrite_le) <= regles_notes().delai_modification


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def vue(n: NoteRow, u: Utilisateur, maintenant: datetime) -> NoteVue:
    visibilite = Visibilite(n.visibilite)
    return NoteVue(
        id=n.id,
        parcours_id=n.parcours_id,
        auteur_id=n.auteur_id,
        auteur_nom=n.auteur_nom,
        auteur_structure=n.auteur_structure,
        ecrite_le=_utc(n.ecrite_le),
        modifiee_le=_utc(n.modifiee_le) if n.modifiee_le else None,
        texte=n.texte,
        visibilite=visibilite,
        visibilite_libelle=visibilite.label,
        amende=n.amende,
        destinataire_id=n.destinataire_id,
        modifiable=n.auteur_id == u.id and modifiable(n, maintenant),
    )


async def lister(
    session: AsyncSession, u: Utilisateur, s: ParcoursState, q: str | None = None
) -> list[NoteVue]:
    """The notes this person may read, newest first; ``q``: words the text must contain
    (case-insensitive, a plain substring — not a pattern)."""
    rows = reversed(await toutes(session, s.parcours_id))
    mots = (q or "").strip().casefold()  # a dossier holds few notes: compared here, no LIKE
    maintenant = datetime.now(UTC)
    return [
        vue(n, u, maintenant)
        for n in rows
        if _visible(u, s, n) and (not mots or mots in n.texte.casefold())
    ]


async def toutes(session: AsyncSession, parcours_id: str) -> list[NoteRow]:
    """Every note of the parcours (the person's right-of-access export)."""
    requete = select(NoteRow).where(NoteRow.parcours_id == parcours_id)
    return list((await session.exec(requete.order_by(col(NoteRow.ecrite_le)))).all())


def _refuser_ecriture(u: Utilisateur, s: ParcoursState) -> None:
    if not peut_ecrire(u, s):
        raise Refus(
            403,
            "Les notes sont écrites par le référent et les membres de l'équipe de suivi",
            "interdit",
        )
    if s.clos:
        raise Refus(
            409,
            "Le parcours est clos : aucune note ne peut plus y être écrite",
            CodeErreur.PARCOURS_CLOS,
        )


def _destinataires(s: ParcoursState) -> dict[str, str]:
    """Who a note may be addressed to: the référent and the team present."""
    equipe = {m.membre.id: m.membre.nom for m in s.equipe if m.present}
    if s.referent is not None:
        equipe[s.referent.referent.id] = s.referent.referent.nom
    return equipe


async def _structure(u: Utilisateur, s: ParcoursState) -> str:
    membre = next((m for m in s.equipe if m.membre.id == u.id and m.present), None)
    if membre is not None:
        return membre.structure
    return u.organisme.label if u.organisme else ""


async def ecrire(
    session: AsyncSession, u: Utilisateur, s: ParcoursState, saisie: NouvelleNote
) -> NoteVue:
    _refuser_ecriture(u, s)
    destinataire = saisie.destinataire_id
    if destinataire is not None and (destinataire not in _destinataires(s) or destinataire == u.id):
        message = "Adressez la note au référent ou à un membre de l'équipe de suivi"
        raise Refus(
            422, message, "destinataire", [{"champ": "destinataire_id", "message": message}]
        )
    note = NoteRow(
        id=str(uuid.uuid4()),
        parcours_id=s.parcours_id,
        auteur_id=u.id,
        auteur_nom=u.nom,
        auteur_structure=await _structure(u, s),
        ecrite_le=datetime.now(UTC),
        texte=saisie.texte,
        visibilite=saisie.visibilite.value,
        destinataire_id=saisie.destinataire_id,
    )
    await _enregistrer(session, note)
    prevenu = note.destinataire_id
    if prevenu is not None and not _visible_par(note, prevenu, s):
        prevenu = None
    if prevenu is not None:
        await notifier(
            session,
            NOTE_ADRESSEE,
            note.id,
            prevenu,
            "Une note vous est adressée",
            f"{u.nom} vous adresse une note sur le parcours {s.parcours_id[:8]}.",
            parcours_id=s.parcours_id,
            lien=f"/parcours/{s.parcours_id}#notes",
        )
    await prevenir_le_referent(session, u, s, note.id, "une note", "notes", deja_prevenu=prevenu)
    return vue(note, u, datetime.now(UTC))


def _visible_par(n: NoteRow, compte_id: str, s: ParcoursState) -> bool:
    """A note « référent seul » addressed to a member would tell them it exists: not notified."""
    referent = s.referent.referent.id if s.referent else None
    return n.visibilite == Visibilite.EQUIPE.value or compte_id in (referent, n.auteur_id)


async def _enregistrer(session: AsyncSession, note: NoteRow) -> None:
    await ecriture(session)
    session.add(note)
    try:
        await session.commit()
    except IntegrityError:
        # A note refers to the parcours' row of the read model, which its projection writes
        # just after the opening: a note written in that moment would have been a 500.
        await session.rollback()
        raise Refus(
            409,
            "Le parcours vient d'être ouvert et n'est pas encore enregistré : "
            "réessayez dans quelques secondes",
            "parcours_pas_encore_enregistre",
            attente_s=2,
        ) from None


async def _note(session: AsyncSession, u: Utilisateur, s: ParcoursState, note_id: str) -> NoteRow:
    n = await session.get(NoteRow, note_id)
    if n is None or n.parcours_id != s.parcours_id or not _visible(u, s, n):
        raise Refus(404, "Note introuvable", "note_inconnue")
    return n


async def modifier(
    session: AsyncSession, u: Utilisateur, s: ParcoursState, note_id: str, m: ModificationNote
) -> NoteVue:
    _refuser_ecriture(u, s)
    n = await _note(session, u, s, note_id)
    if n.auteur_id != u.id:
        raise Refus(403, "Seul son auteur corrige une note ; les autres l'amendent", "interdit")
    maintenant = datetime.now(UTC)
    if not modifiable(n, maintenant):
        minutes = regles_notes().modifiable_minutes
        raise Refus(
            409,
            f"Une note se corrige dans les {minutes} minutes qui suivent son écriture : "
            "amendez-la plutôt",
            "note_figee",
        )
    await ecriture(session)
    n.texte, n.modifiee_le = m.texte, maintenant
    session.add(n)
    await session.commit()
    return vue(n, u, maintenant)


async def amender(
    session: AsyncSession, u: Utilisateur, s: ParcoursState, note_id: str, a: Amendement
) -> NoteVue:
    """A new note that completes a frozen one, with the same visibility."""
    _refuser_ecriture(u, s)
    n = await _note(session, u, s, note_id)
    amendement = NoteRow(
        id=str(uuid.uuid4()),
        parcours_id=s.parcours_id,
        auteur_id=u.id,
        auteur_nom=u.nom,
        auteur_structure=await _structure(u, s),
        ecrite_le=datetime.now(UTC),
        texte=a.texte,
        visibilite=n.visibilite,
        amende=n.id,
    )
    await _enregistrer(session, amendement)
    return vue(amendement, u, datetime.now(UTC))
