"""Inbound adapter for Immersion Facilitée's ``convention.updated`` callback: authenticate it as
the real service does, find our PMSMP, and turn the convention's state into the platform's
PMSMP events, which then take the path of a CloudEvent (same checks, idempotent storage,
matching, dispatcher, audit).

Contract (gip-inclusion/immersion-facile, commit cd676358befab6b481b326b25f0e649abc6e1423):
- back/src/domains/core/api-consumer/adapters/HttpSubscribersGateway.ts: the callback is a POST
  of ``{"payload": {"convention": ConventionReadDto}, "subscribedEvent": "convention.updated"}``
  with, as its only credentials, the ``callbackHeaders`` the subscriber chose when subscribing
  (no body signature, no timestamp). The platform subscribes with
  ``authorization: <secret>``: a callback is accepted only if it carries that exact value.
- BroadcastToPartnersOnConventionUpdates.ts: one POST per update, never retried (a failure is
  only recorded on their side): the daily read of the conventions covers what is missed.
- The whole convention comes with each update: the events are derived from its state, with
  stable ids (``<convention>.signee``…), so a repeated state is a duplicate, not a new fact.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.partners import PartnerConfig
from partenaires.reception import EvenementValide, analyser
from partenaires.refus import RefusEvenement
from schemas.caracteres import problemes
from schemas.champ import champs
from schemas.erreurs import CodeErreur
from schemas.evenements import CleSujet
from schemas.immersion_facilitee import (
    STATUTS_SIGNES,
    Convention,
    RappelConventionModifiee,
    StatutBilan,
    StatutConvention,
)
from schemas.parcours import Statut
from store.parcours import IdentifiantRow, ParcoursRow

PREFIXE_INCONNUE = "immersion-facilitee:"  # subject of a convention no PMSMP matches
RESULTAT = {
    StatutBilan.COMPLETED: "realisee",
    StatutBilan.FINISHED: "realisee",
    StatutBilan.PARTIALLY_COMPLETED: "partielle",
    StatutBilan.ABANDONED: "partielle",
    StatutBilan.DID_NOT_SHOW: "non_presente",
}
ANNULATIONS = {
    StatutConvention.REJECTED: "refusée sur Immersion Facilitée",
    StatutConvention.CANCELLED: "annulée sur Immersion Facilitée",
    StatutConvention.DEPRECATED: "rendue obsolète sur Immersion Facilitée",
}


def authentifier(secret: str | None, entetes: Mapping[str, str]) -> None:
    """The ``authorization`` header must be the secret given at subscription (constant time)."""
    presente = entetes.get("authorization", "")
    if not secret or not presente or not hmac.compare_digest(presente.encode(), secret.encode()):
        raise RefusEvenement(
            401,
            "Rappel non authentifié : l'en-tête « authorization » doit porter la valeur "
            "donnée dans « callbackHeaders » lors de la souscription",
            "authentification_invalide",
        )


def lire_rappel(corps: bytes) -> Convention:
    try:
        brut = json.loads(corps.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise RefusEvenement(
            400, f"Corps illisible : JSON UTF-8 attendu ({err})", CodeErreur.JSON_INVALIDE
        ) from None
    if isinstance(brut, dict) and (erreurs := problemes(brut)):
        raise RefusEvenement(
            422, "Rappel invalide : caractères interdits", CodeErreur.DONNEES_INVALIDES, erreurs
        )
    try:
        return RappelConventionModifiee.model_validate(brut).payload.convention
    except ValidationError as err:
        raise RefusEvenement(
            422,
            "Rappel invalide : corrigez les champs indiqués",
            CodeErreur.DONNEES_INVALIDES,
            champs(err.errors(), skip_body=False),
        ) from None


@dataclass(frozen=True)
class _Candidate:
    pmsmp_id: str
    date_debut: str
    en_cours: bool


async def _candidates(session: AsyncSession, siret: str) -> list[_Candidate]:
    """Our PMSMP with this company, on open parcours (read from the projection)."""
    # no DISTINCT over the JSON column (PostgreSQL has no equality on json): a subquery
    avec_pmsmp = select(IdentifiantRow.parcours_id).where(
        IdentifiantRow.cle == CleSujet.CONVENTION.value
    )
    rows = await session.exec(
        select(ParcoursRow.etat).where(
            col(ParcoursRow.id).in_(avec_pmsmp),
            col(ParcoursRow.statut) != Statut.CLOS.value,
        )
    )
    found = []
    for etat in rows.all():
        for p in (etat or {}).get("pmsmp") or []:
            convention = p.get("convention") or {}
            if (convention.get("entreprise") or {}).get("siret") == siret:
                en_cours = p.get("etat") not in ("bilan_fait", "annulee")
                found.append(_Candidate(p["id"], str(convention.get("date_debut")), en_cours))
    return found


async def pmsmp_de(session: AsyncSession, convention: Convention) -> str | None:
    """Our PMSMP for this convention: the prefilled link carries the company's SIRET, the
    person and company enter the dates; same SIRET and same start, else the only one of that
    SIRET still running. Anything else is left to a coordinator."""
    candidates = await _candidates(session, convention.siret)
    debut = convention.date_start.date().isoformat()
    memes = [c for c in candidates if c.date_debut == debut]
    if len(memes) == 1:
        return memes[0].pmsmp_id
    en_cours = [c for c in (memes or candidates) if c.en_cours]
    return en_cours[0].pmsmp_id if len(en_cours) == 1 else None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def faits(c: Convention, pmsmp_id: str) -> list[tuple[str, str, datetime, dict[str, Any]]]:
    """(id, type, when, data) of the facts this state of the convention shows, in order."""
    ref = {"convention_id": pmsmp_id, "convention_immersion_facilitee": c.id}
    out: list[tuple[str, str, datetime, dict[str, Any]]] = []
    signatures = [s.signed_at for s in c.signatories.presents() if s.signed_at is not None]
    if signatures and (c.signee or c.status in STATUTS_SIGNES):
        le = max(signatures)
        out.append(
            (
                f"{c.id}.signee",
                "fr.immersion.convention.signee",
                le,
                {**ref, "date": le.date().isoformat()},
            )
        )
    if c.status == StatutConvention.ACCEPTED_BY_VALIDATOR and c.date_validation is not None:
        le = c.date_validation
        out.append(
            (
                f"{c.id}.validee",
                "fr.immersion.convention.validee",
                le,
                {**ref, "date": le.date().isoformat()},
            )
        )
    if c.status in ANNULATIONS:
        le = c.updated_at or c.date_validation or datetime.now(UTC)
        motif = f"Convention {ANNULATIONS[c.status]}"
        if c.status_justification:
            motif += f" : {c.status_justification}"
        out.append(
            (
                f"{c.id}.{c.status.value.lower()}",
                "fr.immersion.convention.annulee",
                le,
                {**ref, "date": le.date().isoformat(), "motif": motif[:500]},
            )
        )
    if c.assessment is not None:
        b, le = c.assessment, c.assessment.created_at
        data = {
            **ref,
            "resultat": RESULTAT[b.status],
            "embauche_proposee": bool(b.ended_with_a_job),
            "date": le.date().isoformat(),
        }
        out.append((f"{c.id}.bilan", "fr.immersion.bilan.redige", le, data))
    return out


def traduire(c: Convention, pmsmp_id: str | None, config: PartnerConfig) -> list[EvenementValide]:
    """Each fact as the CloudEvent a partner would have sent, checked by the same ``analyser``."""
    sujet = pmsmp_id or f"{PREFIXE_INCONNUE}{c.id}"
    valides = []
    for ident, type_, le, data in faits(c, sujet):
        ev = {
            "specversion": "1.0",
            "id": ident,
            "source": config.source,
            "type": type_,
            "subject": sujet,
            "time": _iso(le),
            "datacontenttype": "application/json",
            "data": data,
        }
        valides.append(analyser(json.dumps(ev).encode(), config, ident))
    return valides
