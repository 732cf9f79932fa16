"""Reading a partner's request: content type, size, JSON, the CloudEvents 1.0 envelope, then
the catalogue (known type, sent by its own partner, subject and data in the expected form).

Two content modes of the CloudEvents HTTP binding: structured (one event, the body is the
event) and batched (``application/cloudevents-batch+json``, the body is a JSON array of
structured events). Each event of a batch goes through the very checks of a single one; a
batch's refusals are per event, so that one bad line does not hold back the others."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from core.partners import PartnerConfig
from partenaires.refus import RefusEvenement
from schemas.caracteres import problemes
from schemas.champ import champs
from schemas.erreurs import CodeErreur
from schemas.evenements import CATALOGUE, TypeEvenement
from schemas.usager import IdentifiantsPartenaires

TYPE_CONTENU = "application/cloudevents+json"
TYPE_LOT = "application/cloudevents-batch+json"
TAILLE_MAX = 256 * 1024  # one event, alone or in a batch
LOT_MAX_EVENEMENTS = 1000  # a nightly file of 100,000 events is a hundred requests
LOT_MAX_OCTETS = 1024 * 1024  # the web's guard on every body (web/securite/entetes.py)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339(valeur: Any) -> Any:
    if not isinstance(valeur, str) or not RFC3339.match(valeur):
        raise ValueError("Date et heure RFC 3339 attendues, avec fuseau (ex. 2026-11-20T09:30:00Z)")
    return valeur


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode, as a partner sends it."""

    model_config = ConfigDict(extra="allow")  # CloudEvents extension attributes are allowed

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=200, description="Unique pour ce partenaire")
    source: str = Field(min_length=1, max_length=300, description="URN du partenaire")
    type: str = Field(min_length=1, max_length=200, description="Type du catalogue")
    subject: str = Field(min_length=1, max_length=200, description="Identifiant de la personne")
    time: Annotated[datetime, BeforeValidator(_rfc3339)] = Field(
        description="Quand le fait a eu lieu (RFC 3339, avec fuseau)"
    )
    datacontenttype: str | None = Field(default=None, description="application/json")
    data: dict[str, Any] = Field(description="Données du type (voir le catalogue)")

    @field_validator("datacontenttype")
    @classmethod
    def _json(cls, valeur: str | None) -> str | None:
        if valeur is not None and valeur.split(";")[0].strip().lower() != "application/json":
            raise ValueError("Seul « application/json » est accepté")
        return valeur


@dataclass(frozen=True)
class EvenementValide:
    evenement: CloudEvent
    definition: TypeEvenement
    data: dict[str, Any]  # validated against the type's model, partner's extra fields kept


def verifier_type_contenu(entete: str | None) -> bool:
    """True for a batch (``TYPE_LOT``), False for one event (``TYPE_CONTENU``)."""
    media, *parametres = (entete or "").split(";")
    charset_ok = all(
        p.strip().lower() in ("charset=utf-8", 'charset="utf-8"') for p in parametres if p.strip()
    )
    media = media.strip().lower()
    if media not in (TYPE_CONTENU, TYPE_LOT) or not charset_ok:
        raise RefusEvenement(
            415,
            f"Type de contenu non pris en charge : envoyez « Content-Type: {TYPE_CONTENU} » "
            f"(un événement CloudEvents en JSON, encodé en UTF-8) ou « {TYPE_LOT} » (un lot : "
            "un tableau JSON d'événements)",
            "type_contenu",
        )
    return media == TYPE_LOT


def _json(corps: bytes) -> Any:
    try:
        return json.loads(corps.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise RefusEvenement(
            400, f"Corps illisible : JSON UTF-8 attendu ({err})", CodeErreur.JSON_INVALIDE
        ) from None


def _invalide(erreurs: list[dict[str, str]]) -> RefusEvenement:
    return RefusEvenement(
        422,
        "Événement invalide : corrigez les champs indiqués",
        CodeErreur.DONNEES_INVALIDES,
        erreurs,
    )


def enveloppe(corps: bytes) -> CloudEvent:
    brut = _json(corps)
    if not isinstance(brut, dict):
        raise _invalide(
            [
                {
                    "champ": "corps",
                    "message": "Un seul événement par requête, en objet JSON (un lot : "
                    f"« Content-Type: {TYPE_LOT} »)",
                }
            ]
        )
    return _cloud_event(brut)


def _cloud_event(brut: dict[str, Any]) -> CloudEvent:
    if erreurs := problemes(brut):  # NUL, controls, bidi overrides: in no field, not even data
        raise _invalide(erreurs)
    try:
        return CloudEvent.model_validate(brut)
    except ValidationError as err:
        raise _invalide(champs(err.errors(), skip_body=False)) from None


def _definition(ev: CloudEvent, partner_id: str) -> TypeEvenement:
    definition = CATALOGUE.get(ev.type)
    if definition is None:
        connus = ", ".join(sorted(CATALOGUE))
        raise RefusEvenement.champ(
            422, "type_inconnu", "type", f"type inconnu « {ev.type} » ; types connus : {connus}"
        )
    if definition.partenaire.value != partner_id:
        raise RefusEvenement(
            403,
            f"Le type « {ev.type} » est réservé au partenaire « {definition.partenaire.label} »",
            "type_interdit",
        )
    return definition


def _sujet(ev: CloudEvent, definition: TypeEvenement) -> None:
    """Identifiers the platform records have a known form: refuse a malformed one now,
    rather than let it wait for a reconciliation that could never record it."""
    cle = definition.cle.value
    if cle not in IdentifiantsPartenaires.model_fields:
        return
    try:
        IdentifiantsPartenaires.model_validate({cle: ev.subject})
    except ValidationError:
        description = IdentifiantsPartenaires.model_fields[cle].description
        raise RefusEvenement.champ(
            422, CodeErreur.DONNEES_INVALIDES, "subject", f"format invalide pour « {description} »"
        ) from None


def _data(ev: CloudEvent, definition: TypeEvenement) -> dict[str, Any]:
    try:
        modele = definition.data.model_validate(ev.data)
    except ValidationError as err:
        erreurs = champs(err.errors(), skip_body=False)
        raise _invalide([{**e, "champ": f"data.{e['champ']}"} for e in erreurs]) from None
    return modele.model_dump(mode="json")


def analyser(corps: bytes, partenaire: PartnerConfig, webhook_id: str) -> EvenementValide:
    """Every check of the event's content, in the order a partner's engineer fixes them."""
    ev = enveloppe(corps)
    if ev.id != webhook_id:
        raise RefusEvenement.champ(
            422, "identifiant_incoherent", "id", "doit être égal à l'en-tête webhook-id"
        )
    return _contenu(ev, partenaire)


def _contenu(ev: CloudEvent, partenaire: PartnerConfig) -> EvenementValide:
    if ev.source != partenaire.source:
        raise RefusEvenement.champ(
            422, "source_invalide", "source", f"attendu « {partenaire.source} » pour ce partenaire"
        )
    definition = _definition(ev, partenaire.id)
    _sujet(ev, definition)
    return EvenementValide(ev, definition, _data(ev, definition))


def lot(corps: bytes) -> list[Any]:
    """The batch's elements, not yet checked: a JSON array of at most ``LOT_MAX_EVENEMENTS``."""
    brut = _json(corps)
    if not isinstance(brut, list):
        raise _invalide(
            [{"champ": "corps", "message": "Un lot est un tableau JSON d'événements CloudEvents"}]
        )
    if len(brut) > LOT_MAX_EVENEMENTS:
        raise RefusEvenement(
            413,
            f"Lot trop grand : {len(brut)} événements, {LOT_MAX_EVENEMENTS} au plus par requête "
            "(découpez-le en plusieurs lots)",
            "lot_trop_grand",
        )
    return brut


def _du_lot(brut: Any, partenaire: PartnerConfig) -> EvenementValide:
    if not isinstance(brut, dict):
        raise _invalide([{"champ": "corps", "message": "Un événement est un objet JSON"}])
    taille = len(json.dumps(brut, ensure_ascii=False, separators=(",", ":")).encode())
    if taille > TAILLE_MAX:
        raise RefusEvenement(
            413, f"Événement trop volumineux : {TAILLE_MAX // 1024} Kio au plus", "trop_gros"
        )
    return _contenu(_cloud_event(brut), partenaire)


def analyser_lot(
    elements: list[Any], partenaire: PartnerConfig
) -> list[EvenementValide | RefusEvenement]:
    """Each element checked as a single event would be (but for ``webhook-id``, which names the
    batch): either the valid event or the reason it is refused, in the batch's order."""
    resultats: list[EvenementValide | RefusEvenement] = []
    for brut in elements:
        try:
            resultats.append(_du_lot(brut, partenaire))
        except RefusEvenement as refus:
            resultats.append(refus)
    return resultats
