"""Immersion Facilitée's ``convention.updated`` callback (ticket 20). The adapter is in
``partenaires.immersion_facilitee``; this is only the route."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import metriques
from core.partners import PartnerConfig, load_partners
from partenaires import immersion_facilitee as adaptateur
from partenaires.enregistrement import recevoir
from partenaires.refus import RefusEvenement
from schemas.erreurs import CodeErreur
from schemas.incident import Partenaire
from services.audit import journaliser
from services.utilisateur import partenaire_utilisateur
from web.deps import ServicesDep, SessionDep, adresse
from web.erreurs import Erreur, reponse
from web.partenaires.corps import lire_corps
from web.services import Services

PARTENAIRE = Partenaire.IMMERSION.value
router = APIRouter(prefix="/api/v1/partners/immersion-facilitee", tags=["Partenaires"])
log = logging.getLogger("parcours.partenaires")


class AccuseRappel(BaseModel):
    evenements: int = Field(description="Faits de la convention reconnus dans ce rappel")
    nouveaux: int = Field(description="Dont faits nouveaux (les autres étaient déjà reçus)")
    matched: bool = Field(
        description="true : la convention correspond à une PMSMP d'un parcours ouvert ; false : "
        "ses faits attendent le rapprochement d'un coordinateur"
    )


def _config(services: Services) -> PartnerConfig:
    s = services.settings
    config = load_partners(s.partners_file, s.effective_partner_base_url).get(PARTENAIRE)
    if config is None or not config.secret or not config.source:
        raise RefusEvenement(
            401,
            "Immersion Facilitée n'est pas configurée sur cette plateforme",
            CodeErreur.PARTENAIRE_INCONNU,
        )
    return config


ERREURS: dict[int | str, dict[str, Any]] = {
    400: {"model": Erreur, "description": "Corps illisible (JSON invalide)"},
    401: {"model": Erreur, "description": "En-tête « authorization » absent ou différent"},
    413: {"model": Erreur, "description": "Corps de plus de 256 Kio"},
    422: {"model": Erreur, "description": "Rappel invalide (champs nommés)"},
}


@router.post(
    "/rappels",
    response_model=AccuseRappel,
    responses=ERREURS,
    summary="Recevoir un rappel « convention.updated » d'Immersion Facilitée",
    description="Adresse donnée comme `callbackUrl` lors de la souscription (POST /v2/webhooks). "
    "Authentification : l'en-tête `authorization` porte la valeur donnée dans "
    "`callbackHeaders`. Corps : `{payload: {convention}, subscribedEvent}`.",
)
async def rappel(request: Request, services: ServicesDep, session: SessionDep) -> Any:
    connus = [PARTENAIRE]
    try:
        config = _config(services)
        adaptateur.authentifier(config.secret, request.headers)
        convention = adaptateur.lire_rappel(await lire_corps(request))
        pmsmp_id = await adaptateur.pmsmp_de(session, convention)
        valides = adaptateur.traduire(convention, pmsmp_id, config)
    except RefusEvenement as refus:
        metriques.evenement_partenaire(PARTENAIRE, connus, "refused")
        log.info("Rappel Immersion Facilitée refusé (%s) : %s", refus.code, refus.message)
        return reponse(refus.status, refus.message, refus.code, refus.erreurs, request.url.path)
    qui, ip = partenaire_utilisateur(config), adresse(request)
    nouveaux = 0
    for v in valides:
        accuse = await recevoir(session, v, PARTENAIRE, qui, ip)
        nouveaux += accuse.status == "accepted"
        metriques.evenement_partenaire(PARTENAIRE, connus, accuse.status)
    if not valides:  # nothing to follow in this state (being filled in, partly signed…)
        detail = f"convention.updated {convention.status.value} sans fait nouveau"
        await journaliser(
            session, qui, "rappel_partenaire", f"convention:{convention.id}", detail, ip
        )
    return AccuseRappel(evenements=len(valides), nouveaux=nouveaux, matched=pmsmp_id is not None)
