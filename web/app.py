"""The web application: JSON API, partner events, cockpit pages, static assets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from temporalio.client import Client

from core import journaux as journaux_core
from core import metriques, production, traces
from core.settings import Settings, get_settings
from core.temporal import TASK_QUEUE
from core.version import version
from services.parcours_client import CommandeImpossible
from store.db import create_schema, make_engine, session_factory
from web import documentation, erreurs, journaux, templating
from web.api import agenda as api_agenda
from web.api import audit as api_audit
from web.api import catalogue as api_catalogue
from web.api import clauses_sociales as api_clauses_sociales
from web.api import codec as api_codec
from web.api import comptes as api_comptes
from web.api import employeurs as api_employeurs
from web.api import equipe as api_equipe
from web.api import evenements_employeurs as api_evenements_employeurs
from web.api import immersion_facilitee as api_immersion_facilitee
from web.api import imports as api_imports
from web.api import incidents as api_incidents
from web.api import metriques as api_metriques
from web.api import moi as api_moi
from web.api import observatoire as api_observatoire
from web.api import offres as api_offres
from web.api import openapi as api_openapi
from web.api import parcours as api_parcours
from web.api import partenaires as api_partenaires
from web.api import pieces as api_pieces
from web.api import rdv_solidarites as api_rdv_solidarites
from web.api import sante
from web.api import sessions_collectives as api_sessions_collectives  # --- sessions collectives ---
from web.api import vivier as api_vivier
from web.cockpit import (
    activation,
    administration,
    carnet_usager,
    connexion,
    coordination,
    fiche,
    imports,
    informations,
    liste,
    message,
    modeles_messages,  # --- messages18 ---
    observatoire,
    orientation_structure,
    recherche_services,  # --- connecteur data·inclusion ---
    rendez_vous,
)
from web.cockpit import agenda as page_agenda  # --- agenda18 ---
from web.cockpit import audit as page_audit
from web.cockpit import clauses_sociales as page_clauses  # --- employeurs : clauses ---
from web.cockpit import emploi as page_emploi  # --- pages employeurs ---
from web.cockpit import entreprises as page_entreprises
from web.cockpit import evenements_employeurs as page_evenements_employeurs
from web.cockpit import jetons as page_jetons
from web.cockpit import notifications as page_notifications
from web.cockpit import offres as page_offres
from web.cockpit import sessions_collectives as page_sessions  # --- sessions collectives ---
from web.deps import ConnexionRequise
from web.securite.entetes import EntetesSecurite
from web.securite.limites import Limites, reglages
from web.securite.saisies import SaisiesControlees
from web.services import Services
from web.static_paths import STATIC_DIR

DESCRIPTION = """
API de la plateforme **Parcours** du Service public de l'insertion et de l'emploi (SPIE).

* Authentification : cookie de session du cockpit (avec l'en-tête `X-CSRF-Token`) ou jeton
  d'API (`Authorization: Bearer pcr_…`).
* Chaque refus répond en `application/problem+json` (RFC 9457 : `type`, `title`, `status`,
  `detail` en français, `instance`) avec un `code` stable et, quand une donnée est à
  corriger, la liste des `erreurs` avec le `champ` concerné (422).
* Versionnement optimiste : `GET /api/v1/parcours/{id}` et chaque commande renvoient un
  `ETag` (la version du parcours) ; renvoyé dans `If-Match` avec une commande, il la fait
  refuser (409 `conflit_de_version`, rien n'est appliqué) si quelqu'un a changé le parcours
  entre-temps. Facultatif ; c'est aussi ce qui rend sûr le renvoi d'une commande restée sans
  réponse (503).
* Les systèmes partenaires envoient leurs événements signés sur
  `POST /api/v1/partners/{partner_id}/events` (voir la section « Partenaires »).
"""


def create_app(
    settings: Settings | None = None,
    *,
    temporal: Client | None = None,
    task_queue: str = TASK_QUEUE,
) -> FastAPI:
    settings = settings or get_settings()
    production.verifier(settings)  # development secrets in production: refuse to start
    journaux.installer()  # before the first request is logged
    journaux_core.installer(settings.format_des_journaux, settings=settings)
    templating.operateur(settings)
    templating.version(version(settings))  # the administration's footer says it
    metriques.noter_version(version(settings))  # parcours_build_info
    templating.immersion_facilitee(settings)  # --- connecteur Immersion Facilitée ---
    traces.installer("parcours-web", settings.otel_endpoint)  # off without a collector

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        await create_schema(engine)
        app.state.services = Services(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            temporal=temporal,
            task_queue=task_queue,
        )
        yield
        await engine.dispose()

    app = FastAPI(
        title="Parcours — API",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # web.documentation: Swagger UI from our own files, under the CSP
        redoc_url=None,
        generate_unique_id_function=api_openapi.identifiant,
    )
    app.state.limites = Limites(reglages(settings))  # this application's own counts
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(SaisiesControlees)  # inside the size cap and the security headers
    app.add_middleware(EntetesSecurite, hsts=settings.secure_cookies)
    app.add_middleware(metriques.MesureDesRequetes)  # every answer counted, even a refusal
    app.add_middleware(journaux_core.IdentifiantDeRequete)  # outermost: every line has it
    app.add_exception_handler(RequestValidationError, erreurs.validation_requete)
    app.add_exception_handler(ValidationError, erreurs.validation_modele)
    app.add_exception_handler(CommandeImpossible, erreurs.commande_impossible)
    app.add_exception_handler(erreurs.Refus, erreurs.refus)
    app.add_exception_handler(ConnexionRequise, _vers_connexion)
    app.add_exception_handler(StarletteHTTPException, erreurs.http)
    app.add_exception_handler(Exception, erreurs.interne)  # the unforeseen 500, in French
    app.include_router(sante.router)
    app.include_router(api_metriques.router)
    app.include_router(documentation.router)
    app.include_router(api_parcours.router)
    app.include_router(api_pieces.router)
    app.include_router(api_equipe.router)
    app.include_router(api_partenaires.router)
    app.include_router(api_immersion_facilitee.router)  # --- connecteur Immersion Facilitée ---
    app.include_router(api_rdv_solidarites.router)
    app.include_router(api_catalogue.router)
    app.include_router(api_audit.router)
    app.include_router(api_codec.router)
    app.include_router(api_incidents.router)
    app.include_router(api_observatoire.router)
    app.include_router(api_comptes.router)
    app.include_router(api_imports.router)
    app.include_router(api_employeurs.router)
    app.include_router(api_offres.router)
    app.include_router(api_vivier.router)
    app.include_router(api_evenements_employeurs.router)
    app.include_router(api_clauses_sociales.router)
    app.include_router(api_moi.router)
    app.include_router(api_agenda.router)
    app.include_router(api_sessions_collectives.router)  # --- sessions collectives ---
    app.include_router(connexion.router)
    app.include_router(liste.router)
    app.include_router(fiche.router)
    app.include_router(coordination.router)
    app.include_router(observatoire.router)
    app.include_router(imports.router)
    app.include_router(carnet_usager.router)
    app.include_router(rendez_vous.router)
    app.include_router(page_agenda.router)  # --- agenda18 ---
    app.include_router(page_sessions.router)  # --- sessions collectives ---
    app.include_router(orientation_structure.router)  # a structure's answer link (ticket 20)
    app.include_router(page_audit.router)  # before /administration/{…} of the accounts
    app.include_router(modeles_messages.router)  # --- messages18 ---
    app.include_router(administration.router)
    app.include_router(activation.router)
    app.include_router(page_jetons.router)
    app.include_router(informations.router)
    app.include_router(page_notifications.router)
    app.include_router(message.router)
    app.include_router(recherche_services.router)  # --- connecteur data·inclusion ---
    app.include_router(page_entreprises.router)  # --- pages employeurs ---
    app.include_router(page_offres.router)
    app.include_router(page_evenements_employeurs.router)  # --- employeurs : événements ---
    app.include_router(page_clauses.router)  # --- employeurs : clauses ---
    app.include_router(page_emploi.router)
    api_openapi.personnaliser(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    traces.instrumenter(app)
    return app


async def _vers_connexion(request: Request, _: Exception) -> Response:
    suite = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": f"/connexion?suite={suite}"})
    return RedirectResponse(f"/connexion?suite={suite}", status_code=303)
