"""What every form of the employers' cockpit pages does the same way: read the fields as
typed, turn a refusal into what the API would say (status, message, the fields to fix), and
show the page again with them, nothing saved."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from employeurs.annuaire import EmployeurRefuse
from schemas.champ import champs
from web.cockpit import pages


def erreurs_de(err: ValidationError | EmployeurRefuse) -> tuple[int, str, list[dict[str, str]]]:
    """(status, message, the fields to fix) of a refused form, as the API would say them."""
    if isinstance(err, EmployeurRefuse):
        return err.status, err.message, err.erreurs
    return 422, "Données invalides : corrigez les champs indiqués", champs(err.errors(), False)


async def saisies(request: Request, noms: tuple[str, ...]) -> dict[str, str]:
    """The fields ``noms`` as typed (trimmed; an absent one is empty)."""
    form = await request.form()
    return {k: str(form.get(k, "")).strip() for k in noms}


def rendre(
    request: Request,
    gabarit: str,
    ctx: dict[str, Any],
    *,
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    """A page holding a form; after a refusal, ``message`` above it and each field of
    ``erreurs`` marked (``en_erreur``) with its own message under it."""
    erreurs = erreurs or []
    faute = {"message": message, "erreurs": erreurs, "en_erreur": {e["champ"] for e in erreurs}}
    return pages.rendre(request, gabarit, ctx | faute, status=status)
