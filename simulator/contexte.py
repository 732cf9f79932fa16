"""What every route needs: settings, partners' configuration, the store; and French errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from core.partners import PartnerConfig
from core.settings import Settings
from simulator import emetteur
from simulator.store import Store

MESSAGERIE = "messagerie"  # SMTP only: not in partners.toml, but it has failure modes too


@dataclass
class Contexte:
    settings: Settings
    store: Store
    partners: dict[str, PartnerConfig]
    platform_url: str | None = None  # set by tests; otherwise PLATFORM_URL, then the settings

    def plateforme(self) -> str:
        return emetteur.plateforme(self.settings, self.platform_url)

    def partenaires_connus(self) -> list[str]:
        return [*self.partners, MESSAGERIE]

    def nom(self, partenaire: str) -> str:
        config = self.partners.get(partenaire)
        return config.nom if config else "La messagerie"


def contexte(request: Request) -> Contexte:
    ctx: Contexte = request.app.state.contexte
    return ctx


def erreur(statut: int, message: str, **details: Any) -> JSONResponse:
    return JSONResponse({"message": message, **details}, status_code=statut)
