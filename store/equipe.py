"""The équipe de suivi's store: requests to join a team, and the notes its members write.

Membership itself is in the parcours' workflow state (it decides access); what is kept here
is free text typed by professionals, editable for a short while and then only amendable, that
must disappear with the person at anonymisation (activities/retention.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from store import notifications


class NoteRow(SQLModel, table=True):
    """A note of the team: not a contact with the person (it resets no rupture rule)."""

    __tablename__ = "note_equipe"

    id: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    auteur_id: str = Field(index=True)
    auteur_nom: str
    auteur_structure: str = ""
    ecrite_le: datetime
    modifiee_le: datetime | None = None
    texte: str
    visibilite: str = Field(description="equipe | referent (schemas/notes.py)")
    amende: str | None = Field(
        default=None, index=True, description="La note que celle-ci amende (texte figé)"
    )
    destinataire_id: str | None = None


class DemandeRattachementRow(SQLModel, table=True):
    """A professional's request to join a parcours' team, which its référent decides.

    Written only when the search found the person exactly: the asker is never told whether it
    did (web/api/rattachements.py), only the référent's decision, by notification."""

    __tablename__ = "demande_rattachement"

    id: str = Field(primary_key=True)
    parcours_id: str = Field(index=True, foreign_key="parcours.id")
    compte_id: str = Field(index=True, foreign_key="compte.id")
    role: str = Field(description="RoleEquipe (schemas/equipe.py)")
    telephone: str = ""
    motif: str = ""
    cree_le: datetime
    statut: str = Field(default="en_attente", index=True)  # en_attente | acceptee | refusee
    decidee_le: datetime | None = None
    decidee_par: str | None = None


# Kinds of notification (schemas/notifications.py, where the notification centre declares them).
DEMANDE_RATTACHEMENT = "demande_rattachement"
RATTACHEMENT_ACCEPTE = "rattachement_accepte"
RATTACHEMENT_REFUSE = "rattachement_refuse"
NOTE_ADRESSEE = "note_adressee"


async def notifier(
    session: AsyncSession,
    sorte: str,
    objet: str,
    compte_id: str,
    titre: str,
    texte: str,
    *,
    parcours_id: str | None,
    lien: str | None,
) -> None:
    """One in-app notification per fact and per account, of its kind: the notification centre
    and each person's preferences (shown, in the digest, by e-mail) read that kind. Commits."""
    await notifications.notifier(
        session,
        cle=f"{sorte}:{objet}:{compte_id}",
        compte_id=compte_id,
        sorte=sorte,
        titre=titre,
        texte=texte,
        parcours_id=parcours_id,
        objet=objet,
        lien_explicite=lien,
    )
