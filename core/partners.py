"""Partner systems' configuration: committed dev defaults, overridden by the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class PartnerConfig:
    id: str
    nom: str
    source: str | None
    secret: str | None
    jeton: str | None
    url: str


def _env_name(partner_id: str, what: str) -> str:
    return f"PARTNER_{partner_id.upper().replace('-', '_')}_{what}"


@lru_cache(maxsize=4)
def load_partners(path: Path, base_url: str) -> dict[str, PartnerConfig]:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    partners = {}
    for partner_id, values in raw.items():
        partners[partner_id] = PartnerConfig(
            id=partner_id,
            nom=values["nom"],
            source=values.get("source"),
            secret=os.environ.get(_env_name(partner_id, "SECRET"), values.get("secret")),
            jeton=os.environ.get(_env_name(partner_id, "TOKEN"), values.get("jeton")),
            url=os.environ.get(
                _env_name(partner_id, "URL"), f"{base_url.rstrip('/')}/{partner_id}"
            ),
        )
    return partners
