"""« Se rattacher »: a professional asks to join the team of a person they already accompany,
the référent accepts or refuses, both are notified.

The search must not become a way to learn who has a parcours (the rule of web/api/doublons.py):
it compares exactly (the identifiers at a partner, or the normalised name, first name and date
of birth), and whatever it finds the asker gets the same answer. Only a request that found
an open parcours is written, and only its référent sees it; requests are limited per account
and per hour, found or not, so that the limit itself tells nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import Request
from pydantic import Field, model_validator
from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.champ import ChampInvalide
from schemas.common import LongText, Model, Text
from schemas.equipe import InvitationMembre, RoleEquipe
from schemas.parcours import ParcoursState, Statut
from schemas.usager import IdentifiantsPartenaires
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.db import ecriture
from store.equipe import (
    DEMANDE_RATTACHEMENT,
    RATTACHEMENT_ACCEPTE,
    RATTACHEMENT_REFUSE,
    DemandeRattachementRow,
    notifier,
)
from store.parcours import IdentifiantRow, ParcoursRow, cle_identite
from web.deps import get_limites
from web.erreurs import Refus

REPONSE = (
    "Demande enregistrée. Si un parcours ouvert correspond exactement à ces informations, "
    "son référent la reçoit et vous serez notifié de sa décision."
)
EN_ATTENTE, ACCEPTEE, REFUSEE = "en_attente", "acceptee", "refusee"


class DemandeRattachement(Model):
    """Who the asker accompanies (exact identifiers, or name + first name + date of birth),
    and their place in the team."""

    identifiants: IdentifiantsPartenaires = Field(default_factory=IdentifiantsPartenaires)
    nom: Text | None = None
    prenom: Text | None = None
    date_naissance: date | None = None
    role: RoleEquipe
    telephone: str = Field(default="", max_length=30, pattern=r"^[0-9 +().-]*$")
    motif: LongText = ""

    @model_validator(mode="after")
    def _une_identite(self) -> DemandeRattachement:
        identite = (self.nom, self.prenom, self.date_naissance)
        if any(identite) and not all(identite):
            champ = next(
                c
                for c, v in zip(("nom", "prenom", "date_naissance"), identite, strict=True)
                if not v
            )
            raise ChampInvalide(champ, "Donnez le nom, le prénom et la date de naissance ensemble")
        if not all(identite) and not self.identifiants.pairs():
            raise ChampInvalide(
                "identifiants",
                "Donnez un identifiant exact (CAF, France Travail…) ou le nom, le prénom et la "
                "date de naissance de la personne que vous accompagnez",
            )
        return self


class InvitationAcceptee(InvitationMembre):
    """The invitation the référent's acceptance makes (the request it answers, for the timeline)."""

    demande_id: str


class Decision(Model):
    motif: LongText = ""


async def demander(
    session: AsyncSession, u: Utilisateur, d: DemandeRattachement, request: Request
) -> None:
    """The whole request, for the API and the cockpit: the same effects and the same silence
    whether the person was found or not; audited against the parcours when found."""
    if not u.est_referent:
        raise Refus(
            403,
            "Seul un professionnel qui accompagne des personnes peut demander à rejoindre une "
            "équipe",
            "interdit",
        )
    refuser_si_trop(u, request)
    row = await trouver(session, d)
    demande = await enregistrer(session, u, d, row) if row is not None else None
    objet = f"parcours:{row.id}" if row is not None else "rattachement"
    detail = "demande de rattachement" + ("" if demande is not None else " sans suite")
    await journaliser(
        session, u, "rattachement", objet, detail, request.client.host if request.client else None
    )


def refuser_si_trop(u: Utilisateur, request: Request) -> None:
    if secondes := get_limites(request).compter("rattachement", u.id):
        minutes = (secondes - 1) // 60 + 1
        raise Refus(
            429,
            f"Trop de demandes de rattachement en une heure : réessayez dans {minutes} min",
            "trop_de_requetes",
            attente_s=minutes * 60,
        )


async def trouver(session: AsyncSession, d: DemandeRattachement) -> ParcoursRow | None:
    memes = []
    if d.nom and d.prenom and d.date_naissance:
        cle = cle_identite(d.nom, d.prenom, d.date_naissance)
        memes.append(col(ParcoursRow.cle_identite) == cle)
    if paires := d.identifiants.pairs():
        porteurs = select(IdentifiantRow.parcours_id).where(
            or_(
                *(
                    and_(col(IdentifiantRow.cle) == k, col(IdentifiantRow.valeur) == v)
                    for k, v in paires
                )
            )
        )
        memes.append(col(ParcoursRow.id).in_(porteurs))
    requete = (
        select(ParcoursRow)
        .where(or_(*memes), col(ParcoursRow.statut) != Statut.CLOS.value)
        .order_by(col(ParcoursRow.ouvert_le))
        .limit(1)
    )
    return (await session.exec(requete)).first()


async def enregistrer(
    session: AsyncSession, u: Utilisateur, d: DemandeRattachement, row: ParcoursRow
) -> DemandeRattachementRow | None:
    """The request, unless the asker already follows the parcours or already asked."""
    if row.referent_id == u.id or u.id in _membres(row):
        return None
    deja = await session.exec(
        select(DemandeRattachementRow).where(
            DemandeRattachementRow.parcours_id == row.id,
            DemandeRattachementRow.compte_id == u.id,
            DemandeRattachementRow.statut == EN_ATTENTE,
        )
    )
    if deja.first() is not None:
        return None
    demande = DemandeRattachementRow(
        id=str(uuid.uuid4()),
        parcours_id=row.id,
        compte_id=u.id,
        role=d.role.value,
        telephone=d.telephone,
        motif=d.motif,
        cree_le=datetime.now(UTC),
    )
    await ecriture(session)
    session.add(demande)
    await session.commit()
    if row.referent_id:
        await notifier(
            session,
            DEMANDE_RATTACHEMENT,
            demande.id,
            row.referent_id,
            "Demande de rattachement",
            f"{u.nom} demande à rejoindre l'équipe de suivi du parcours {row.reference} "
            f"({d.role.label}).",
            parcours_id=row.id,
            lien=f"/parcours/{row.id}#equipe",
        )
    return demande


def _membres(row: ParcoursRow) -> set[str]:
    return {
        str((m.get("membre") or {}).get("id"))
        for m in row.etat.get("equipe") or []
        if m.get("au") is None
    }


async def en_attente(session: AsyncSession, parcours_id: str) -> list[DemandeRattachementRow]:
    requete = select(DemandeRattachementRow).where(
        DemandeRattachementRow.parcours_id == parcours_id,
        DemandeRattachementRow.statut == EN_ATTENTE,
    )
    return list((await session.exec(requete.order_by(col(DemandeRattachementRow.cree_le)))).all())


async def demande(
    session: AsyncSession, s: ParcoursState, demande_id: str
) -> DemandeRattachementRow:
    d = await session.get(DemandeRattachementRow, demande_id)
    if d is None or d.parcours_id != s.parcours_id:
        raise Refus(404, "Demande de rattachement introuvable", "demande_inconnue")
    if d.statut != EN_ATTENTE:
        raise Refus(409, "Cette demande a déjà été décidée", "demande_decidee")
    return d


async def decider(
    session: AsyncSession,
    u: Utilisateur,
    s: ParcoursState,
    d: DemandeRattachementRow,
    accepte: bool,
) -> None:
    """Record the référent's decision and tell the asker."""
    await ecriture(session)
    d.statut = ACCEPTEE if accepte else REFUSEE
    d.decidee_le, d.decidee_par = datetime.now(UTC), u.id
    session.add(d)
    await session.commit()
    ref = s.parcours_id[:8]
    if accepte:
        titre, texte, sorte = (
            "Rattachement accepté",
            f"{u.nom} vous a ajouté à l'équipe de suivi du parcours {ref}.",
            RATTACHEMENT_ACCEPTE,
        )
        lien: str | None = f"/parcours/{s.parcours_id}"
    else:
        titre, texte, sorte = (
            "Rattachement refusé",
            f"{u.nom} n'a pas accepté votre demande de rejoindre l'équipe de suivi du parcours {ref}.",
            RATTACHEMENT_REFUSE,
        )
        lien = None
    await notifier(
        session, sorte, d.id, d.compte_id, titre, texte, parcours_id=s.parcours_id, lien=lien
    )


def invitation(d: DemandeRattachementRow) -> InvitationAcceptee:
    return InvitationAcceptee(
        compte_id=d.compte_id, role=RoleEquipe(d.role), telephone=d.telephone, demande_id=d.id
    )
