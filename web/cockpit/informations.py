"""The pages every public French site links from its footer (DSFR, issue 22 item 13): legal
notice, personal data (and cookies), accessibility statement. Public: read before logging in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.utilisateur import Utilisateur
from web.cockpit import pages
from web.deps import utilisateur_optionnel

router = APIRouter(include_in_schema=False)
PAGES = {
    "mentions-legales": "Mentions légales",
    "donnees-personnelles": "Données personnelles et cookies",
    "accessibilite": "Accessibilité : non conforme",
}
UtilisateurOptionnel = Annotated[Utilisateur | None, Depends(utilisateur_optionnel)]


def _page(nom: str) -> None:
    async def afficher(request: Request, u: UtilisateurOptionnel) -> Response:
        ctx = {"u": u, "titre": PAGES[nom], "actif": nom}
        return pages.rendre(request, f"informations/{nom.replace('-', '_')}.html", ctx)

    router.add_api_route(f"/{nom}", afficher, methods=["GET"], response_class=HTMLResponse)


for _nom in PAGES:
    _page(_nom)
