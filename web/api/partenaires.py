"""Partner systems' API: signed events in, and the « à rapprocher » queue for coordinators."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from core import metriques
from core.partners import PartnerConfig, load_partners
from partenaires import signature
from partenaires.enregistrement import AccuseLot, AccuseReception, recevoir, recevoir_lot
from partenaires.reception import (
    LOT_MAX_EVENEMENTS,
    LOT_MAX_OCTETS,
    TAILLE_MAX,
    TYPE_CONTENU,
    TYPE_LOT,
    CloudEvent,
    analyser,
    analyser_lot,
    lot,
)
from partenaires.reception import verifier_type_contenu as verifier_contenu
from partenaires.refus import RefusEvenement
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur, partenaire_utilisateur
from web.deps import LimitesDep, ParcoursDep, ServicesDep, SessionDep, UtilisateurApi, adresse
from web.erreurs import Erreur, reponse
from web.partenaires.corps import lire_corps
from web.partenaires.documentation import description_route
from web.partenaires.rapprochement import (
    DemandeRattachement,
    EvenementVue,
    PageARapprocher,
    file_a_rapprocher,
    rattacher,
)
from web.securite.limites import Limites
from web.services import Services

router = APIRouter(prefix="/api/v1/partners", tags=["Partenaires"])
log = logging.getLogger("parcours.partenaires")


def _e(description: str, code: str, message: str) -> dict[str, Any]:
    exemple = {"message": message, "code": code, "erreurs": []}
    return {
        "model": Erreur,
        "description": description,
        "content": {"application/json": {"example": exemple}},
    }


REPONSES: dict[int | str, dict[str, Any]] = {
    400: _e(
        "Corps illisible (JSON invalide)",
        CodeErreur.JSON_INVALIDE,
        "Corps illisible : JSON UTF-8 attendu",
    ),
    401: _e(
        "Partenaire inconnu, signature absente ou invalide, horodatage hors tolérance (5 min)",
        CodeErreur.SIGNATURE_INVALIDE,
        "Signature invalide : calculez HMAC-SHA256 de « id.horodatage.corps »…",
    ),
    403: _e(
        "Type d'événement réservé à un autre partenaire",
        "type_interdit",
        "Le type « fr.caf.rsa.droits-clos » est réservé au partenaire « CAF »",
    ),
    207: {
        "model": AccuseLot,
        "description": f"Lot (`{TYPE_LOT}`) dont au moins un événement est refusé : les "
        "autres sont enregistrés ; chaque refus est dans `resultats`, à la position de "
        "l'événement, avec sa raison et ses champs (corrigez-le et renvoyez-le seul ou dans un "
        "autre lot)",
    },
    413: _e(
        f"Corps de plus de {TAILLE_MAX // 1024} Kio (un événement) ou "
        f"{LOT_MAX_OCTETS // 1024 // 1024} Mio (un lot) ; lot de plus de {LOT_MAX_EVENEMENTS} "
        "événements, ou de plus d'événements que la limite du partenaire par minute",
        "trop_gros",
        f"Corps trop volumineux : {TAILLE_MAX // 1024} Kio au plus par événement",
    ),
    415: _e(
        f"Type de contenu autre que {TYPE_CONTENU} ou {TYPE_LOT}",
        "type_contenu",
        f"Type de contenu non pris en charge : envoyez « Content-Type: {TYPE_CONTENU} »",
    ),
    422: {
        "model": Erreur,
        "description": "Champ invalide (nommé dans `erreurs`, `data.<champ>` pour les données) "
        "ou type inconnu (la liste des types connus est dans le message)",
        "content": {
            "application/json": {
                "example": {
                    "message": "Événement invalide : corrigez les champs indiqués",
                    "code": CodeErreur.DONNEES_INVALIDES,
                    "erreurs": [{"champ": "data.motif", "message": "Champ obligatoire"}],
                }
            }
        },
    },
    429: _e(
        "Trop d'événements : attendre `Retry-After` secondes",
        "trop_de_requetes",
        "Trop d'événements en une minute : réessayez dans 12 s",
    ),
}

EXEMPLE = {
    "specversion": "1.0",
    "id": "0b8f5a4e-3c1d-4d7e-9a51-2f6a0c9e1b77",
    "source": "urn:spie74:partner:employeur",
    "type": "fr.employeur.contrat.rompu",
    "subject": "73282932000074:M-1042",
    "time": "2026-11-20T09:30:00Z",
    "datacontenttype": "application/json",
    "data": {"date": "2026-11-20", "motif": "Fin de contrat à l'initiative du salarié"},
}
CORPS = {
    "requestBody": {
        "required": True,
        "content": {
            TYPE_CONTENU: {"schema": CloudEvent.model_json_schema(), "example": EXEMPLE},
            TYPE_LOT: {
                "schema": {
                    "type": "array",
                    "items": CloudEvent.model_json_schema(),
                    "maxItems": LOT_MAX_EVENEMENTS,
                },
                "example": [EXEMPLE],
            },
        },
    }
}


def _emetteur(services: Services, partner_id: str) -> PartnerConfig:
    s = services.settings
    config = load_partners(s.partners_file, s.effective_partner_base_url).get(partner_id)
    if config is None or not config.secret or not config.source:
        raise RefusEvenement(
            401,
            f"Partenaire inconnu ou sans droit d'envoi : « {partner_id} »",
            CodeErreur.PARTENAIRE_INCONNU,
        )
    return config


def _connus(services: Services) -> list[str]:
    """The partners' ids: the only values a metric's label may take (the URL's is anyone's)."""
    s = services.settings
    return list(load_partners(s.partners_file, s.effective_partner_base_url))


def _limiter(limites: Limites, partner_id: str, evenements: int = 1) -> None:
    """The limit counts events, whether they come one by one or in batches."""
    if evenements > (par_minute := limites.maximum("partenaire")):
        raise RefusEvenement(
            413,
            f"Lot trop grand : {evenements} événements, plus que la limite de {par_minute} "
            "événements par minute de ce partenaire (découpez-le en plusieurs lots)",
            "lot_trop_grand",
        )
    if attente := limites.compter("partenaire", partner_id, evenements):
        raise RefusEvenement(
            429,
            f"Trop d'événements en une minute : réessayez dans {attente} s",
            "trop_de_requetes",
            headers={"Retry-After": str(attente)},
        )


def _refuser(request: Request, services: Services, partner_id: str, refus: RefusEvenement) -> Any:
    metriques.evenement_partenaire(partner_id, _connus(services), "refused")
    log.info("Événement refusé (%s, %s) : %s", partner_id, refus.code, refus.message)
    response = reponse(refus.status, refus.message, refus.code, refus.erreurs, request.url.path)
    response.headers.update(refus.headers)
    return response


@router.post(
    "/{partner_id}/events",
    status_code=202,
    response_model=AccuseReception | AccuseLot,
    response_model_exclude_none=True,
    responses=REPONSES,
    summary="Recevoir un événement d'un partenaire, ou un lot (CloudEvents signé)",
    description=description_route(),
    openapi_extra=CORPS,
)
async def recevoir_evenement(
    partner_id: str,
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    limites: LimitesDep,
) -> Any:
    try:
        config = _emetteur(services, partner_id)
        est_un_lot = verifier_contenu(request.headers.get("content-type"))
        corps = await lire_corps(request, lot=est_un_lot)
        webhook_id = signature.verifier(
            config.secret or "", request.headers, corps, datetime.now(UTC)
        )
        if est_un_lot:
            elements = lot(corps)
            _limiter(limites, partner_id, len(elements))
        else:
            _limiter(limites, partner_id)
            valide = analyser(corps, config, webhook_id)
    except RefusEvenement as refus:
        return _refuser(request, services, partner_id, refus)
    qui, ou = partenaire_utilisateur(config), adresse(request)
    if est_un_lot:
        return await _recevoir_lot(services, session, config, elements, qui, ou)
    accuse = await recevoir(session, valide, partner_id, qui, ou)
    metriques.evenement_partenaire(partner_id, _connus(services), accuse.status)
    return accuse


async def _recevoir_lot(
    services: Services,
    session: AsyncSession,
    config: PartnerConfig,
    elements: list[Any],
    qui: Utilisateur,
    ou: str | None,
) -> Any:
    """202 when every event is stored (or already was), 207 when some are refused."""
    accuse = await recevoir_lot(
        session, analyser_lot(elements, config), elements, config.id, qui, ou
    )
    connus = _connus(services)
    for r in accuse.resultats:
        metriques.evenement_partenaire(config.id, connus, r.status)
    if accuse.refuses:
        log.info("Lot de %s : %d événement(s) refusé(s)", config.id, accuse.refuses)
        return JSONResponse(accuse.model_dump(mode="json", exclude_none=True), status_code=207)
    return accuse


ERREURS_FILE: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Réservé à la coordination et à l'administration"},
    404: {
        "model": Erreur,
        "description": "Événement absent de la file à rapprocher (inconnu ou déjà destiné à un "
        "parcours), ou parcours inconnu ou hors de votre périmètre",
    },
    409: {
        "model": Erreur,
        "description": "Rattachement impossible (identifiant différent, parcours clos…)",
    },
    422: {"model": Erreur, "description": "Données invalides (champs nommés)"},
    503: {"model": Erreur, "description": "Moteur de parcours injoignable"},
}


@router.get(
    "/a-rapprocher",
    response_model=PageARapprocher,
    responses=ERREURS_FILE,
    summary="Événements à rapprocher d'un parcours (coordination)",
)
async def a_rapprocher(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageARapprocher:
    total, rows = await file_a_rapprocher(session, u, limit=limit, offset=offset)
    await journaliser(session, u, "liste", "evenements:a_rapprocher", "", adresse(request))
    items = [EvenementVue.depuis(r) for r in rows]
    return PageARapprocher(total=total, limit=limit, offset=offset, items=items)


@router.post(
    "/{partner_id}/events/{event_id}/rattacher",
    response_model=EvenementVue,
    responses=ERREURS_FILE,
    summary="Rattacher un événement à un parcours (enregistre l'identifiant, livre l'événement)",
)
async def rattacher_evenement(
    partner_id: str,
    event_id: str,
    demande: DemandeRattachement,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> EvenementVue:
    row = await rattacher(
        session, parcours, u, partner_id, event_id, demande.parcours_id, adresse(request)
    )
    return EvenementVue.depuis(row)
