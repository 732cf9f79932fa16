"""RDV-Solidarités' outgoing webhooks, translated into the platform's ``fr.rdv.usager.*`` events.

Contract taken from the public source code (facts restated, no code copied):
- betagouv/rdv-solidarites.fr @ 4c061097aa64431e18c2155531d1fe31a44f27c6 (2021-07-13):
  ``app/jobs/webhook_job.rb`` (POST of the JSON body, ``Content-Type: application/json;
  charset=utf-8``, ``X-Lapin-Signature`` = hex HMAC-SHA256 of the exact body with the endpoint's
  secret, any non-2xx answer is a failure the job retries), ``app/models/concerns/
  webhook_deliverable.rb`` (body ``{"data": <record>, "meta": {"model", "event": created |
  updated | destroyed, "timestamp"}}``; ``destroyed`` carries the record as it was),
  ``app/blueprints/rdv_blueprint.rb`` (rdv fields: id, uuid, status, duration_in_min,
  starts_at, address, context, organisation, motif, users, agents, lieu).
- gip-inclusion/rdv-insertion @ 6713dfafd0b96aa2d86816e35c98e498ba36cc93 (2026-07-23), the
  receiver we mirror: ``app/controllers/concerns/filter_rdv_solidarites_webhooks_concern.rb``
  (constant-time comparison of the hex digest with the header, models it does not handle are
  answered 200 and ignored), ``app/models/rdv_solidarites/rdv.rb`` and ``participation.rb``
  (``participations[]`` with ``id``, ``status``, ``user.id``), ``app/models/concerns/
  rdv_participation_status.rb`` (statuses unknown, seen, excused, revoked, noshow),
  ``app/jobs/inbound_webhooks/rdv_solidarites/process_rdv_job.rb`` (users matched by their
  RDV-Solidarités id; ``meta.webhook_reason`` « rgpd » on a destroyed record).

One webhook about a rdv becomes one event per participant: the person is found by their
RDV-Solidarités user id (``IdentifiantsPartenaires.rdv_solidarites``), exactly like a CloudEvent's
``subject``, and then takes the same path (idempotent record, matching, dispatcher, audit).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.partners import PartnerConfig
from partenaires.reception import CloudEvent, EvenementValide
from partenaires.refus import RefusEvenement
from schemas.caracteres import problemes
from schemas.champ import champs
from schemas.erreurs import CodeErreur
from schemas.evenements import CATALOGUE, DataRdvSolidarites
from schemas.rdv import StatutRdv

ENTETE_SIGNATURE = "x-lapin-signature"
PREFIXE_TYPE = "fr.rdv.usager.rdv-"
# Participation statuses (rdv-insertion's RdvParticipationStatus) and the 2021 rdv statuses
# (« waiting », « notexcused ») that older RDV-Solidarités versions still send.
ISSUES = {
    "unknown": "planifie",
    "waiting": "planifie",
    "seen": "honore",
    "excused": "excuse",
    "noshow": "non-honore",
    "notexcused": "non-honore",
    "revoked": "annule",
}
# What the tool's participations API accepts (betagouv/rdv-service-public, see
# activities/rdv_solidarites.py): the outcome recorded in the platform goes back as one of them.
STATUTS_PARTICIPATION = ("unknown", "seen", "excused", "revoked", "noshow")
# ISSUES read backwards, once: the platform's outcome → the participation's status. The events'
# suffixes spell the platform's statuses with a hyphen (« non-honore » for « non_honore »);
# « planifie » has no outcome to send.
STATUT_PARTICIPATION: dict[StatutRdv, str] = {
    StatutRdv(ISSUES[s].replace("-", "_")): s
    for s in STATUTS_PARTICIPATION
    if ISSUES[s].replace("-", "_") in {x.value for x in StatutRdv}
}
# RDV-Solidarités motif « location_type » → the platform's appointment mode.
MODES = {"phone": "telephone", "visio": "visio"}


class _Libre(BaseModel):
    model_config = ConfigDict(extra="allow")  # the tool adds fields: keep reading what we know


class Reference(_Libre):
    id: int


class Utilisateur(_Libre):
    id: int


class Participation(_Libre):
    id: int | None = None
    status: str
    user: Utilisateur


class Motif(_Libre):
    id: int | None = None
    name: str = Field(min_length=1, max_length=300)
    location_type: str | None = None


class Lieu(_Libre):
    name: str | None = None
    address: str | None = None


class Agent(_Libre):
    first_name: str | None = None
    last_name: str | None = None


class RdvNatif(_Libre):
    id: int
    starts_at: datetime
    status: str
    address: str | None = None
    motif: Motif
    organisation: Reference
    users: list[Utilisateur] = Field(default_factory=list)
    participations: list[Participation] | None = None  # absent from the 2021 blueprint
    agents: list[Agent] = Field(default_factory=list)
    lieu: Lieu | None = None

    @field_validator("starts_at", mode="before")
    @classmethod
    def _date_ruby(cls, valeur: Any) -> Any:
        return _date_ruby(valeur)


class Meta(_Libre):
    model: str
    event: str = Field(pattern="^(created|updated|destroyed)$")
    timestamp: datetime
    webhook_reason: str | None = None

    @field_validator("timestamp", mode="before")
    @classmethod
    def _date_ruby(cls, valeur: Any) -> Any:
        return _date_ruby(valeur)


def _date_ruby(valeur: Any) -> Any:
    """Ruby's ``to_s`` form (« 2021-05-30 14:44:22 +0200 ») besides ISO 8601."""
    if isinstance(valeur, str):
        try:
            return datetime.strptime(valeur, "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            return valeur
    return valeur


def signature(secret: str, corps: bytes) -> str:
    """What RDV-Solidarités puts in ``X-Lapin-Signature``: the secret string itself is the key."""
    return hmac.new(secret.encode(), corps, hashlib.sha256).hexdigest()


def verifier(config: PartnerConfig, entete: str | None, corps: bytes) -> None:
    attendue = signature(config.secret or "", corps)
    if not config.secret or not hmac.compare_digest(attendue, (entete or "").strip().lower()):
        raise RefusEvenement(
            401,
            "Signature invalide : X-Lapin-Signature doit être le HMAC-SHA256 hexadécimal du "
            "corps exact, calculé avec le secret de l'endpoint",
            CodeErreur.SIGNATURE_INVALIDE,
        )


def _invalide(erreurs: list[dict[str, str]]) -> RefusEvenement:
    return RefusEvenement(
        422,
        "Webhook RDV-Solidarités invalide : corrigez les champs indiqués",
        CodeErreur.DONNEES_INVALIDES,
        erreurs,
    )


def lire(corps: bytes) -> tuple[Meta, dict[str, Any]]:
    try:
        brut = json.loads(corps.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise RefusEvenement(
            400, f"Corps illisible : JSON UTF-8 attendu ({err})", CodeErreur.JSON_INVALIDE
        ) from None
    if not isinstance(brut, dict) or not isinstance(brut.get("data"), dict):
        raise _invalide([{"champ": "data", "message": "Objet attendu"}])
    if erreurs := problemes(brut):  # NUL, controls, bidi overrides: as for a CloudEvent
        raise _invalide(erreurs)
    try:
        meta = Meta.model_validate(brut.get("meta"))
    except ValidationError as err:
        raise _invalide(
            [{**e, "champ": f"meta.{e['champ']}"} for e in champs(err.errors(), skip_body=False)]
        ) from None
    return meta, brut["data"]


def _rdv(data: dict[str, Any]) -> RdvNatif:
    try:
        return RdvNatif.model_validate(data)
    except ValidationError as err:
        erreurs = champs(err.errors(), skip_body=False)
        raise _invalide([{**e, "champ": f"data.{e['champ']}"} for e in erreurs]) from None


def _participants(rdv: RdvNatif) -> list[tuple[int, str, int | None]]:
    """(user id, status, participation id) per person; without participations (2021), the
    rdv's status for each user, and no participation to send an outcome back to."""
    if rdv.participations is not None:
        return [(p.user.id, p.status, p.id) for p in rdv.participations]
    return [(u.id, rdv.status, None) for u in rdv.users]


def _issue(meta: Meta, statut: str) -> str:
    if meta.event == "destroyed":
        return "annule"
    return ISSUES.get(statut, "planifie")


def _data(rdv: RdvNatif, statut: str, participation_id: int | None) -> dict[str, Any]:
    lieu = (rdv.lieu.address if rdv.lieu else None) or rdv.address
    agent = rdv.agents[0] if rdv.agents else None
    nom = " ".join(x for x in (agent.first_name, agent.last_name) if x) if agent else ""
    data = DataRdvSolidarites(
        rdv_id=str(rdv.id),
        date_heure=rdv.starts_at,
        mode=MODES.get(rdv.motif.location_type or "", "sur_place"),
        objet=rdv.motif.name,
        lieu=lieu or None,
        professionnel=nom or None,
        statut_outil=statut,
        participation_id=None if participation_id is None else str(participation_id),
    )
    return data.model_dump(mode="json")


def traduire(config: PartnerConfig, meta: Meta, data: dict[str, Any]) -> list[EvenementValide]:
    """The platform's events for one ``Rdv`` webhook. A retry of the same webhook carries the same
    ``meta.timestamp``: same ids, so it is recorded once."""
    rdv = _rdv(data)
    evenements = []
    for user_id, statut, participation_id in _participants(rdv):
        type_ = PREFIXE_TYPE + _issue(meta, statut)
        ev = CloudEvent.model_validate(
            {
                "specversion": "1.0",
                "id": f"rdvs:{rdv.id}:{user_id}:{meta.event}:{meta.timestamp.isoformat()}",
                "source": config.source or "",
                "type": type_,
                "subject": str(user_id),
                "time": meta.timestamp.isoformat(),
                "datacontenttype": "application/json",
                "data": _data(rdv, statut, participation_id),
            }
        )
        evenements.append(EvenementValide(ev, CATALOGUE[type_], ev.data))
    return evenements
