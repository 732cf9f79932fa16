"""The référent hears of what the team writes in the dossier: a note or a document added by a
member (or by the coordination) becomes a notification of the référent, so that a shared
dossier is not one the référent must reread every day to learn what changed (issue 17).

The note's text and the file's name are not copied into the notification: they may name the
person or carry sensitive facts; the notification leads to the dossier, which applies the
rights of the moment."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.parcours import ParcoursState
from services.utilisateur import Utilisateur
from store.notifications import notifier

ACTIVITE_EQUIPE = "activite_equipe"


async def prevenir_le_referent(
    session: AsyncSession,
    u: Utilisateur,
    s: ParcoursState,
    objet: str,
    quoi: str,
    ancre: str,
    *,
    deja_prevenu: str | None = None,
) -> bool:
    """``quoi``: « une note », « un document (CV) »… ``deja_prevenu``: an account already told of
    this very fact (the addressee of a note). False when nobody was told."""
    referent = s.referent.referent.id if s.referent else None
    if referent is None or referent in (u.id, deja_prevenu):
        return False
    return await notifier(
        session,
        cle=f"{ACTIVITE_EQUIPE}:{objet}:{referent}",
        compte_id=referent,
        sorte=ACTIVITE_EQUIPE,
        titre="Nouveau dans un dossier que vous suivez",
        texte=f"{u.nom} a ajouté {quoi} au parcours {s.parcours_id[:8]}.",
        parcours_id=s.parcours_id,
        lien_explicite=f"/parcours/{s.parcours_id}#{ancre}",
    )
