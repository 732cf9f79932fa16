"""The simulator's HTTP application: the partners' APIs under `/{partner}/…` and the
simulator's own controls under `/_simulateur/…`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core.partners import load_partners
from core.settings import Settings, get_settings
from simulator import controle, data_inclusion, immersion_facilitee, partenaires, rdv_solidarites
from simulator.contexte import Contexte, erreur
from simulator.partenaires import message_validation
from simulator.store import Store

DEFAUTS = {404: "Adresse inconnue du simulateur", 405: "Méthode non autorisée sur cette adresse"}


def store_par_defaut(settings: Settings, *, differe_s: float = 0.0) -> Store:
    return Store(settings.data_dir / "simulateur.json", differe_s=differe_s)


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    platform_url: str | None = None,
) -> FastAPI:
    """`store` is shared with the SMTP catcher when both run together; by default it persists
    to DATA_DIR/simulateur.json."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Simulateur des partenaires",
        description="France Travail, CAF, immersion, SIAE, SMS et messagerie, pour le "
        "développement et les tests de la plateforme Parcours.",
    )
    app.state.contexte = Contexte(
        settings=settings,
        store=store if store is not None else store_par_defaut(settings),
        partners=load_partners(settings.partners_file, settings.effective_partner_base_url),
        platform_url=platform_url,
    )
    app.include_router(rdv_solidarites.router)  # before the generic /{partner}/… routes
    app.include_router(rdv_solidarites.pages)
    app.include_router(partenaires.router)
    # --- connecteur Immersion Facilitée --- (its real API v2, state in memory)
    app.state.immersion_facilitee = immersion_facilitee.EtatImmersionFacilitee()
    app.include_router(immersion_facilitee.router)
    app.include_router(immersion_facilitee.controle)
    app.include_router(controle.router)
    app.mount("/data-inclusion", data_inclusion.application(app.state.contexte))  # its contract
    app.include_router(rdv_solidarites.controle)
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    return app


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Our own HTTPExceptions carry French text; Starlette's routing ones are translated."""
    message = str(exc.detail)
    if exc.status_code in DEFAUTS and message in ("Not Found", "Method Not Allowed"):
        message = f"{DEFAUTS[exc.status_code]} : {request.method} {request.url.path}"
    return erreur(exc.status_code, message)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    erreurs = exc.errors()
    return erreur(422, message_validation(erreurs), erreurs=jsonable_encoder(erreurs))
