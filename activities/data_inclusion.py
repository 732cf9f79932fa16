"""data·inclusion: the national offer of insertion services, read page by page into the
catalogue (store/catalogue.py). Outbound only; the Schedule is workflows/data_inclusion.py.

Contract, from the public source of the API (gip-inclusion/data-inclusion, commit
d4969e37319c7c43732fb84e77bf8a030321f781, 2026-06-30):
- api/src/data_inclusion/api/app.py: routes under ``/api/v1`` (base URL
  ``https://api.data.inclusion.gouv.fr``, config.py);
- api/src/data_inclusion/api/inclusion_data/routes.py: ``GET /structures`` and
  ``GET /services``, each behind ``auth.authenticated(required_scopes=["api"])``;
- inclusion_data/parameters.py: ``code_departement`` (and ``code_commune``, ``thematiques``…),
  no filter on the update date: the incremental part is ours, by ``date_maj``;
- utils/pagination.py: ``page`` (from 1) and ``size`` (≤ 10 000, default 5 000); the body is
  ``{"items", "total", "page", "size", "pages"}``, where ``size`` is the number of items of
  the page; the lists are ordered by ``id`` (services.py), so pages do not overlap;
- auth/dependencies.py: ``Authorization: Bearer <jeton>``, 401 without a valid one, 403
  without the ``api`` scope; FastAPI's errors are ``{"detail": …}``.
The API's source sets no rate limit: a 429 (its hosting's) is honoured with Retry-After.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.http import TIMEOUT
from core import traces
from core.partners import PartnerConfig
from schemas.data_inclusion import BilanPage, DemandeArchivage, DemandePage, Ressource
from store import catalogue
from store.db import SessionFactory, ecriture

PREFIXE = "api/v1"
CHAMPS_PAGE = ("items", "total", "page", "size", "pages")
RETRY_AFTER_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    size: int
    pages: int


def _erreur(message: str, statut: int | None, *, type_: str, definitive: bool,
            attente: timedelta | None = None) -> ApplicationError:  # fmt: skip
    return ApplicationError(
        message,
        {"statut_http": statut},
        type=type_,
        non_retryable=definitive,
        next_retry_delay=attente,
    )


def attente_demandee(valeur: str | None, maintenant: datetime) -> timedelta | None:
    """Retry-After (RFC 9110 §10.2.3): seconds or an HTTP date; capped, None if unreadable."""
    if not valeur:
        return None
    try:
        attente = timedelta(seconds=int(valeur.strip()))
    except ValueError:
        try:
            attente = parsedate_to_datetime(valeur) - maintenant
        except (TypeError, ValueError):
            return None
    return min(max(attente, timedelta(0)), RETRY_AFTER_MAX)


def _detail(response: httpx.Response) -> str:
    try:
        corps = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    detail = corps.get("detail") if isinstance(corps, dict) else corps
    return str(detail)[:300]


def lire_page(corps: Any) -> Page:
    """The API's page, or ReponseMalformee: nothing is written from a body we cannot trust."""
    if not isinstance(corps, dict) or any(c not in corps for c in CHAMPS_PAGE):
        raise _erreur(
            "data·inclusion a répondu sans la forme d'une page (items, total, page, size, pages)",
            200, type_="ReponseMalformee", definitive=True,
        )  # fmt: skip
    items = corps["items"]
    nombres = [corps[c] for c in CHAMPS_PAGE[1:]]
    if not isinstance(items, list) or not all(isinstance(n, int) for n in nombres):
        raise _erreur(
            "data·inclusion a répondu une page dont les champs n'ont pas le bon type",
            200, type_="ReponseMalformee", definitive=True,
        )  # fmt: skip
    return Page(items, *nombres)


class ClientDataInclusion:
    def __init__(self, config: PartnerConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http

    async def page(
        self, ressource: Ressource, *, page: int, taille: int, code_departement: str
    ) -> Page:
        url = f"{self.config.url.rstrip('/')}/{PREFIXE}/{ressource}"
        params: dict[str, str | int] = {
            "page": page,
            "size": taille,
            "code_departement": code_departement,
        }
        headers = {"Accept": "application/json"}
        if self.config.jeton:
            headers["Authorization"] = f"Bearer {self.config.jeton}"
        with traces.appel_partenaire(self.config.id, "GET") as appel:
            try:
                response = await self.http.get(url, params=params, headers=headers, timeout=TIMEOUT)
            except httpx.TransportError as err:
                raise _erreur(
                    f"data·inclusion est injoignable ({type(err).__name__})",
                    None, type_="PartenaireIndisponible", definitive=False,
                ) from None  # fmt: skip
            appel.reponse(response.status_code)
            return self._lire(response)

    def _lire(self, response: httpx.Response) -> Page:
        code = response.status_code
        if code in (401, 403):
            raise _erreur(
                f"data·inclusion refuse le jeton ({code}) : vérifiez PARTNER_DATA_INCLUSION_TOKEN",
                code, type_="RefusPartenaire", definitive=True,
            )  # fmt: skip
        if code == 429 or code >= 500:
            attente = attente_demandee(response.headers.get("Retry-After"), datetime.now(UTC))
            raise _erreur(
                f"data·inclusion est indisponible ({code}) : {_detail(response)}",
                code, type_="PartenaireIndisponible", definitive=False, attente=attente,
            )  # fmt: skip
        if code >= 400:
            raise _erreur(
                f"data·inclusion refuse la demande ({code}) : {_detail(response)}",
                code, type_="RefusPartenaire", definitive=True,
            )  # fmt: skip
        try:
            corps = response.json()
        except ValueError:
            corps = None
        return lire_page(corps)


class DataInclusionActivities:
    def __init__(self, sessions: SessionFactory, client: ClientDataInclusion) -> None:
        self.sessions = sessions
        self.client = client

    @activity.defn(name="data_inclusion.synchroniser_page")
    async def synchroniser_page(self, d: DemandePage) -> BilanPage:
        """One page of structures or services into the catalogue, in one transaction."""
        page = await self.client.page(
            d.ressource, page=d.page, taille=d.taille, code_departement=d.code_departement
        )
        issues: dict[str, int] = {}
        async with self.sessions() as session:
            await ecriture(session)
            for item in page.items:
                issue = await catalogue.enregistrer(session, d.ressource, item, d.marque)
                issues[issue] = issues.get(issue, 0) + 1
            await session.commit()
        if issues.get("rejete"):
            activity.logger.warning(
                "data·inclusion : %d %s non conformes au schéma ignorés (page %d)",
                issues["rejete"], d.ressource, d.page,
            )  # fmt: skip
        return BilanPage(
            ressource=d.ressource,
            page=d.page,
            pages=page.pages,
            total=page.total,
            recus=len(page.items),
            ajoutes=issues.get("ajoute", 0),
            mis_a_jour=issues.get("mis_a_jour", 0),
            inchanges=issues.get("inchange", 0),
            reapparus=issues.get("reapparu", 0),
            rejetes=issues.get("rejete", 0),
        )

    @activity.defn(name="data_inclusion.archiver_absents")
    async def archiver_absents(self, d: DemandeArchivage) -> int:
        """After a complete listing: what it did not contain is archived (never deleted)."""
        async with self.sessions() as session:
            await ecriture(session)
            archives = await catalogue.archiver_absents(session, d.marque, datetime.now(UTC))
            await session.commit()
        return archives
