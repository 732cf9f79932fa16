"""Storing received events once (idempotency on partner + id) and routing them, in one
transaction with their audit entries (one per event): a single event or a whole batch.

The partner is told « accepted » once the row is committed: from then on the event cannot be
lost. Delivery to the parcours runs behind the answer (``partenaires.livraison``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from partenaires.reception import EvenementValide
from partenaires.refus import RefusEvenement
from partenaires.routage import router_lot
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


class ChampRefuse(BaseModel):
    champ: str = Field(description="Le champ de l'événement à corriger (`data.<champ>`…)")
    message: str


class ResultatEvenement(BaseModel):
    """What became of one event of a batch, at its position in the batch."""

    id: str | None = Field(default=None, description="L'`id` de l'événement, s'il a pu être lu")
    status: Literal["accepted", "duplicate", "refused"] = Field(
        description="« accepted » : enregistré ; « duplicate » : déjà reçu, sans effet ; "
        "« refused » : non enregistré, pour la raison donnée (corrigez-le et renvoyez-le)"
    )
    matched: bool | None = Field(
        default=None, description="Comme pour un événement seul ; absent s'il est refusé"
    )
    code: str | None = Field(default=None, description="Refusé : le code de la raison")
    message: str | None = Field(default=None, description="Refusé : la raison, en français")
    erreurs: list[ChampRefuse] = Field(default=[], description="Refusé : les champs en cause")


class AccuseLot(BaseModel):
    """The answer to a batch: one result per event, in the batch's order."""

    acceptes: int = Field(description="Événements nouveaux, enregistrés")
    doublons: int = Field(description="Événements déjà reçus (même `id`), sans effet")
    refuses: int = Field(description="Événements refusés, non enregistrés")
    resultats: list[ResultatEvenement]


def _ligne(v: EvenementValide, partner_id: str, recu_le: datetime) -> EvenementRecu:
    ev = v.evenement
    return EvenementRecu(
        partenaire=partner_id,
        id=ev.id,
        type=ev.type,
        source=ev.source,
        sujet=ev.subject,
        survenu_le=ev.time.astimezone(UTC),
        recu_le=recu_le,
        data=v.data,
        statut=StatutReception.A_LIVRER.value,
    )


def _trace(row: EvenementRecu, nouveau: bool) -> str:
    etat = "accepted" if nouveau else "duplicate"
    return f"{row.type} {etat} {row.statut} {row.parcours_id or ''}".strip()


async def _deja_recus(
    session: AsyncSession, partner_id: str, ids: list[str]
) -> dict[str, EvenementRecu]:
    rows = await session.exec(
        select(EvenementRecu).where(
            EvenementRecu.partenaire == partner_id, col(EvenementRecu.id).in_(ids)
        )
    )
    return {r.id: r for r in rows.all()}


async def enregistrer_lot(
    session: AsyncSession,
    valides: list[EvenementValide],
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> list[tuple[EvenementRecu, bool]]:
    """Each stored row, and whether it is new: looked up, routed, inserted and audited (one
    entry per event) in one write transaction, in the given order; an id repeated within the
    list is a duplicate of its first occurrence. Concurrent twins: the chain's lock orders
    them, the primary key decides."""
    if not valides:
        return []
    try:
        async with transaction_auditee(session) as audit:
            connus = await _deja_recus(session, partner_id, [v.evenement.id for v in valides])
            resultats, recu_le = [], datetime.min.replace(tzinfo=UTC)
            for v in valides:
                row = connus.get(v.evenement.id)
                if row is None:
                    # strictly increasing: the dispatcher delivers in this order (recu_le)
                    recu_le = max(datetime.now(UTC), recu_le + timedelta(microseconds=1))
                    row = connus[v.evenement.id] = _ligne(v, partner_id, recu_le)
                    resultats.append((row, True))
                else:
                    resultats.append((row, False))
            nouveaux = [row for row, nouveau in resultats if nouveau]
            await router_lot(session, nouveaux)  # reads, in the same transaction
            session.add_all(nouveaux)
            for row, nouveau in resultats:
                objet = f"evenement:{partner_id}/{row.id}"
                trace = _trace(row, nouveau)
                await audit.ajouter(qui, "evenement_partenaire", objet, trace, adresse)
            await session.commit()
    except IntegrityError:  # a twin committed by another process in between
        await session.rollback()
        return await enregistrer_lot(session, valides, partner_id, qui, adresse)
    return resultats


async def enregistrer(
    session: AsyncSession,
    v: EvenementValide,
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> tuple[EvenementRecu, bool]:
    """One event: a batch of one."""
    (resultat,) = await enregistrer_lot(session, [v], partner_id, qui, adresse)
    return resultat


def _accuse(row: EvenementRecu, nouveau: bool) -> AccuseReception:
    return AccuseReception(
        status="accepted" if nouveau else "duplicate",
        matched=row.statut != StatutReception.A_RAPPROCHER.value,
    )


async def recevoir(
    session: AsyncSession,
    v: EvenementValide,
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> AccuseReception:
    """Acknowledge once stored: the dispatcher (``partenaires.livraison``) delivers it
    to its parcours behind the answer, in the order received."""
    return _accuse(*await enregistrer(session, v, partner_id, qui, adresse))


def _refuse(refus: RefusEvenement, brut: object) -> ResultatEvenement:
    id_ = brut.get("id") if isinstance(brut, dict) else None
    return ResultatEvenement(
        id=id_ if isinstance(id_, str) else None,
        status="refused",
        code=refus.code,
        message=refus.message,
        erreurs=[ChampRefuse.model_validate(e) for e in refus.erreurs],
    )


async def recevoir_lot(
    session: AsyncSession,
    analyses: list[EvenementValide | RefusEvenement],
    elements: list[object],
    partner_id: str,
    qui: Utilisateur,
    adresse: str | None,
) -> AccuseLot:
    """Store the batch's valid events in one transaction; every event gets its result, at its
    position: accepted, duplicate, or refused with its reason (never dropped in silence)."""
    valides = [a for a in analyses if isinstance(a, EvenementValide)]
    stockes = iter(await enregistrer_lot(session, valides, partner_id, qui, adresse))
    resultats = []
    for analyse, brut in zip(analyses, elements, strict=True):
        if isinstance(analyse, RefusEvenement):
            resultats.append(_refuse(analyse, brut))
            continue
        accuse = _accuse(*next(stockes))
        resultats.append(
            ResultatEvenement(id=analyse.evenement.id, status=accuse.status, matched=accuse.matched)
        )
    return AccuseLot(
        acceptes=sum(r.status == "accepted" for r in resultats),
        doublons=sum(r.status == "duplicate" for r in resultats),
        refuses=sum(r.status == "refused" for r in resultats),
        resultats=resultats,
    )
