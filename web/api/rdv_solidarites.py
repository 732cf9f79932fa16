"""The endpoint RDV-Solidarités' webhooks are registered on (see docs/connecteurs/rdv-solidarites.md).

The tool speaks its own contract (``X-Lapin-Signature``, ``{data, meta}``): the adapter
``partenaires.rdv_solidarites`` checks and translates it, then every event takes the path of
a CloudEvent (``partenaires.enregistrement``: stored once, matched, dispatched, audited).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from core import metriques
from core.partners import PartnerConfig, load_partners
from partenaires import rdv_solidarites as adaptateur
from partenaires.enregistrement import enregistrer
from partenaires.refus import RefusEvenement
from schemas.erreurs import CodeErreur
from services.utilisateur import partenaire_utilisateur
from store.evenements_partenaires import StatutReception
from web.deps import ServicesDep, SessionDep, adresse
from web.erreurs import Erreur, reponse
from web.partenaires.corps import lire_corps
from web.services import Services

PARTENAIRE = "rdv"
router = APIRouter(prefix="/api/v1/partners", tags=["Partenaires"])
log = logging.getLogger("parcours.partenaires.rdv_solidarites")


class AccuseRdvSolidarites(BaseModel):
    status: Literal["accepted", "duplicate", "ignored"] = Field(
        description="« accepted » : au moins un événement nouveau ; « duplicate » : webhook déjà "
        "reçu ; « ignored » : modèle que la plateforme ne suit pas (répondu 200 pour que "
        "l'outil ne le renvoie pas)"
    )
    evenements: int = Field(description="Événements de parcours tirés du webhook (un par usager)")
    a_rapprocher: int = Field(
        description="Parmi eux, ceux qu'aucun parcours ouvert ne porte encore : ils attendent "
        "un coordinateur. Aucune personne n'est nommée dans la réponse"
    )


def _config(services: Services) -> PartnerConfig:
    s = services.settings
    config = load_partners(s.partners_file, s.effective_partner_base_url).get(PARTENAIRE)
    if config is None or not config.secret or not config.source:
        raise RefusEvenement(
            401, "Outil de rendez-vous non configuré", CodeErreur.PARTENAIRE_INCONNU
        )
    return config


def _connus(services: Services) -> list[str]:
    s = services.settings
    return list(load_partners(s.partners_file, s.effective_partner_base_url))


@router.post(
    "/rdv/rdv-solidarites/webhooks",
    response_model=AccuseRdvSolidarites,
    responses={
        400: {"model": Erreur, "description": "Corps illisible (JSON invalide)"},
        401: {"model": Erreur, "description": "X-Lapin-Signature absente ou fausse"},
        413: {"model": Erreur, "description": "Corps de plus de 256 Kio"},
        422: {"model": Erreur, "description": "Webhook d'un rdv mal formé (champs nommés)"},
    },
    summary="Recevoir un webhook de RDV-Solidarités (signé X-Lapin-Signature)",
)
async def webhook_rdv_solidarites(
    request: Request, services: ServicesDep, session: SessionDep
) -> Any:
    try:
        config = _config(services)
        corps = await lire_corps(request)
        adaptateur.verifier(config, request.headers.get(adaptateur.ENTETE_SIGNATURE), corps)
        meta, data = adaptateur.lire(corps)
        if meta.model != "Rdv":
            return AccuseRdvSolidarites(status="ignored", evenements=0, a_rapprocher=0)
        evenements = adaptateur.traduire(config, meta, data)
    except RefusEvenement as refus:
        metriques.evenement_partenaire(PARTENAIRE, _connus(services), "refused")
        log.info("Webhook RDV-Solidarités refusé (%s) : %s", refus.code, refus.message)
        return reponse(refus.status, refus.message, refus.code, refus.erreurs, request.url.path)
    nouveaux, a_rapprocher = 0, 0
    for ev in evenements:
        row, nouveau = await enregistrer(
            session, ev, PARTENAIRE, partenaire_utilisateur(config), adresse(request)
        )
        nouveaux += nouveau
        a_rapprocher += row.statut == StatutReception.A_RAPPROCHER.value
        metriques.evenement_partenaire(
            PARTENAIRE, _connus(services), "accepted" if nouveau else "duplicate"
        )
    statut: Literal["accepted", "duplicate"] = "accepted" if nouveaux else "duplicate"
    return AccuseRdvSolidarites(
        status=statut, evenements=len(evenements), a_rapprocher=a_rapprocher
    )
