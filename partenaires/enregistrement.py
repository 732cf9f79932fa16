"""Storing a received event once (idempotency on partner + id) and routing it, in one
transaction with its audit entry.

The partner is told « accepted » once the row is committed: from then on the event cannot be
lost. Delivery to the parcours runs behind the answer (``partenaires.livraison``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from partenaires.reception import EvenementValide
from partenaires.routage import router
from services.audit import transaction_auditee
from services.utilisateur import Utilisateur
from store.evenements_partenaires import EvenementRecu, StatutReception


class AccuseReception(BaseModel):
    status: Literal["accepted", "duplicate"] = Field(
        description="« accepted » : nouvel événement ; « duplicate » : déjà reçu, sans effet"
    )
    matched: bool = Field(
        description="true : un parcours ouvert porte l'identifiant du `subject` et reçoit "
        "l'événement ; false : il attend le rapprochement d'un coordinateur. Le parcours "
        "lui-même n'est jamais nommé : la réponse ne doit rien apprendre d'une personne"
    )


def _ligne(v: EvenementValide, partner_id: str) -> EvenementRecu:
    ev = v.evenement
    return EvenementRecu(
        partenaire=partner_id,
        id=ev.id,
        type=ev.type,
        source=ev.source,
        sujet=ev.subject,
        survenu_le=ev.time.astimezone(UTC),
        recu_le=datetime.now(UTC),
        data=v.data,
        statut=StatutReception.A_LIVRER.value,
    )


def _trace(row: EvenementRecu, nouveau: bool) -> str:
    etat = "accepted" if nouveau else "duplicate"
    return f"{row.type} {etat} {row.statut} {row.parcours_id or ''}".strip()


async def enregistrer(
    session: AsyncSession,
    v: EvenementValide,
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> tuple[EvenementRecu, bool]:
    """The stored row, and whether it is new: looked up, routed, inserted and audited in one
    write transaction. Concurrent twins: the chain's lock orders them, the primary key decides."""
    cle = (partner_id, v.evenement.id)
    objet = f"evenement:{partner_id}/{v.evenement.id}"
    try:
        async with transaction_auditee(session) as audit:
            row = await session.get(EvenementRecu, cle)
            nouveau = row is None
            if row is None:
                row = _ligne(v, partner_id)
                await router(session, row)  # a read, in the same transaction
                session.add(row)
            await audit.ajouter(qui, "evenement_partenaire", objet, _trace(row, nouveau), adresse)
            await session.commit()
    except IntegrityError:  # a twin committed by another process in between
        await session.rollback()
        return await enregistrer(session, v, partner_id, qui, adresse)
    return row, nouveau


async def recevoir(
    session: AsyncSession,
    v: EvenementValide,
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> AccuseReception:
    """Acknowledge once stored: the dispatcher (``partenaires.livraison``) delivers it
    to its parcours behind the answer, in the order received."""
    row, nouveau = await enregistrer(session, v, partner_id, qui, adresse)
    return AccuseReception(
        status="accepted" if nouveau else "duplicate",
        matched=row.statut != StatutReception.A_RAPPROCHER.value,
    )
