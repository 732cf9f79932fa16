"""The person's own carnet de bord, opened with the personal link the référent sent them
(SMS or e-mail). No account, no password: the link's secret is the key, valid 30 days,
revocable, each visit audit-logged. Only the carnet is shown — never the professional dossier."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from core.clock import PARIS
from schemas.carnet import empreinte
from schemas.common import Role
from services.audit import journaliser
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from store.parcours import AccesUsagerRow
from web.cockpit import pages
from web.cockpit.carnet import contact_du_referent, jour_long, rubriques
from web.deps import LimitesDep, ParcoursDep, SessionDep, adresse, aujourd_hui
from web.templating import templates
from web.vues import vue

router = APIRouter(include_in_schema=False)
INVALIDE = "Ce lien n'est pas valable ou a expiré. Demandez un nouveau lien à votre référent."


def _refus(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request,
        "composants/erreur.html",
        {"u": None, "titre": "Carnet de bord", "message": message, "status": status},
        status_code=status,
    )


@router.get("/carnet/{jeton}", response_class=HTMLResponse)
async def carnet_usager(
    jeton: str,
    request: Request,
    session: SessionDep,
    parcours: ParcoursDep,
    limites: LimitesDep,
) -> Response:
    if attente := limites.compter("carnet", adresse(request) or "?"):
        refus = _refus(request, 429, "Trop de tentatives : réessayez dans une minute.")
        refus.headers["Retry-After"] = str(attente)
        return refus
    # Only the secret's fingerprint is stored: compare that, never the secret.
    acces = await session.get(AccesUsagerRow, empreinte(jeton))
    if acces is None or acces.revoque or acces.expire_le < aujourd_hui():
        return _refus(request, 404, INVALIDE)
    try:
        state = await parcours.etat(acces.parcours_id)
    except CommandeImpossible:
        return _refus(request, 404, INVALIDE)
    usager = Utilisateur(
        id=f"usager:{state.parcours_id}",
        nom=state.usager.nom_complet,
        email="",
        role=Role.USAGER,
        organisme=None,
        territoire=state.territoire,
    )
    # Not the person's address: the audit is kept past the parcours' anonymisation.
    await journaliser(
        session, usager, "lecture", f"parcours:{state.parcours_id}", "carnet (lien personnel)"
    )
    v = vue(state, usager)
    maintenant = datetime.now(UTC)
    return pages.rendre(
        request,
        "parcours/carnet.html",
        {
            "u": None,
            "usager": True,
            "v": v,
            "s": v.etat,
            "titre": f"Carnet de bord de {state.usager.prenom} {state.usager.nom.upper()}",
            "rubriques": rubriques(state, maintenant, await contact_du_referent(session, state)),
            "imprime_le": jour_long(maintenant.astimezone(PARIS).date()),
        },
    )
