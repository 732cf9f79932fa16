"""The activation page: the person opens the link received by e-mail and chooses their
password (public: the link's secret is the only credential; it serves once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from web.administration import activation
from web.deps import SessionDep, adresse
from web.templating import templates

router = APIRouter(include_in_schema=False)
Jeton = Annotated[str, Path(max_length=100)]
LONGUEUR = 12


def _page(
    request: Request, erreur: str | None = None, fait: bool = False, status: int = 200
) -> Response:
    return templates.TemplateResponse(
        request,
        "administration/activation.html",
        {
            "u": None,
            "titre": "Activer votre compte",
            "erreur": erreur,
            "fait": fait,
            "longueur": LONGUEUR,
        },
        status_code=status,
    )


@router.get("/activation/{jeton}", response_class=HTMLResponse)
async def formulaire(request: Request, jeton: Jeton, session: SessionDep) -> Response:
    await activation.lien_valide(session, jeton)
    return _page(request)


@router.post("/activation/{jeton}", response_class=HTMLResponse)
async def activer(
    request: Request,
    jeton: Jeton,
    session: SessionDep,
    mot_de_passe: Annotated[str, Form(max_length=200)] = "",
    confirmation: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    await activation.lien_valide(session, jeton)
    if len(mot_de_passe) < LONGUEUR:
        return _page(
            request, f"Le mot de passe doit compter au moins {LONGUEUR} caractères.", status=422
        )
    if mot_de_passe != confirmation:
        return _page(request, "Les deux saisies du mot de passe diffèrent.", status=422)
    await activation.activer(session, jeton, mot_de_passe, adresse(request))
    return _page(request, fait=True)
