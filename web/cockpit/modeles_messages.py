"""« Modèles de messages »: the administration of the SPIE reads every message the person may
receive about a rendez-vous, filled with fictitious data, and what each costs as an SMS."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agendas.messages import GABARITS, LETTRES, LIMITE_SMS, apercus, rendre
from schemas.common import Role
from web.deps import UtilisateurPage
from web.erreurs import Refus
from web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/administration/messages", response_class=HTMLResponse)
async def modeles_de_messages(request: Request, u: UtilisateurPage) -> Response:
    # The texts are the same for every territory: the administration of the SPIE owns them.
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(
            403, "Seule l'administration du SPIE consulte les modèles de messages", "interdit"
        )
    contexte = {
        "u": u,
        "titre": "Modèles de messages",
        "actif": "administration",
        "apercus": apercus(),
        "lettres": [(lettre, rendre(lettre.code, lettre.exemple)) for lettre in LETTRES],
        "limite": LIMITE_SMS,
        "dossier": GABARITS.relative_to(GABARITS.parents[1]).as_posix(),
    }
    return templates.TemplateResponse(request, "administration/messages.html", contexte)
