"""One POST per command of the parcours (POST /api/v1/parcours/{id}/<commande>), each derived
from the commands' declarations; ``executer`` is what every command route calls (API, cockpit,
agenda, partner inbox)."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request, Response
from pydantic import BaseModel

from schemas.parcours import ParcoursState, Phase
from schemas.usager import IdentifiantsPartenaires
from services import parcours as service
from services.commandes import modele_api
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur
from web.api.doublons import refuser_identifiant_porte, refuser_si_trop_de_signalements
from web.api.parcours.chemin import PREFIXE
from web.api.parcours.reponses import (
    ERREURS_COMMANDE,
    IF_MATCH,
    VERSIONNEMENT,
    etag,
    version_de_if_match,
)
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.vues import ParcoursVue, vue
from workflows.transitions import PAR_LIEN, TRANSITIONS, Transition, prerequis

router = APIRouter(prefix=PREFIXE)


async def executer(
    nom: str,
    parcours_id: str,
    body: BaseModel,
    u: Utilisateur,
    session: Any,
    parcours: ParcoursClient,
    request: Request,
    *,
    version_attendue: int | None = None,
) -> ParcoursVue:
    """Every command route (API, cockpit, agenda, partner inbox): the service, given what
    only the request knows — the public address, the caller's, its signalements."""

    async def identifiants(state: ParcoursState, donnees: BaseModel) -> str:
        return await _verifier_identifiants(session, u, state, donnees, request)

    state = await service.executer(
        parcours,
        session,
        u,
        nom,
        parcours_id,
        body,
        adresse_publique=request.app.state.services.settings.effective_public_url,
        ip=adresse(request),
        version_attendue=version_attendue,
        controle=identifiants,
    )
    return vue(state, u)


async def _verifier_identifiants(
    session: Any,
    u: Utilisateur,
    state: ParcoursState,
    donnees: BaseModel,
    request: Request,
) -> str:
    """An identifier another open parcours carries is the coordination's decision; its note
    for the audit."""
    if not isinstance(donnees, IdentifiantsPartenaires):
        return ""
    nouvelles = sorted(set(donnees.pairs()) - set(state.identifiants.pairs()))
    if nouvelles:
        refuser_si_trop_de_signalements(u, request)
    pid = state.parcours_id
    return await refuser_identifiant_porte(session, u, request, nouvelles, parcours_id=pid)


def description_commande(t: Transition) -> str:
    """Derived from the transition table, which the workflow itself enforces."""
    phases = ", ".join(p.label for p in Phase if p in t.phases)  # in the parcours' order
    lignes = [
        f"Possible en phase : {phases}.",
        f"Réservé à : {', '.join(sorted(q.value for q in t.qui))}.",
    ]
    if condition := prerequis(t.condition):
        lignes.append(f"Il faut {condition}.")
    if not t.pendant_suspension:
        lignes.append("Impossible pendant une suspension du parcours.")
    return " ".join(lignes)


def _route(nom: str) -> Any:
    modele = modele_api(nom)

    async def endpoint(
        parcours_id: str,
        body: Any,
        u: UtilisateurApi,
        session: SessionDep,
        parcours: ParcoursDep,
        request: Request,
        response: Response,
        if_match: Annotated[str | None, Header(alias="If-Match", description=IF_MATCH)] = None,
    ) -> ParcoursVue:
        version = version_de_if_match(if_match)
        v = await executer(
            nom, parcours_id, body, u, session, parcours, request, version_attendue=version
        )
        response.headers["ETag"] = etag(v.etat)
        return v

    # FastAPI reads the body's model from the signature: give each command its own.
    params = list(inspect.signature(endpoint).parameters.values())
    params[1] = params[1].replace(annotation=Annotated[modele, Body()])
    endpoint.__signature__ = inspect.Signature(params, return_annotation=ParcoursVue)  # type: ignore[attr-defined]
    endpoint.__name__ = nom
    return endpoint


for _nom, _t in TRANSITIONS.items():
    if _t.qui <= PAR_LIEN:  # given from a link's page (the person's, a structure's), not the API
        continue
    router.add_api_route(
        f"/{{parcours_id}}/{_nom.replace('_', '-')}",
        _route(_nom),
        methods=["POST"],
        response_model=ParcoursVue,
        responses=ERREURS_COMMANDE,
        summary=_t.libelle,
        tags=[f"Commandes — {_t.groupe}"],
        description=description_commande(_t) + VERSIONNEMENT,
    )
