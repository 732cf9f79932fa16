"""Partner systems' configuration.

``config/partners.toml`` lists the partners (name, event source): no secret, it ships in the
production image. Their secrets and tokens come from the environment (``PARTNER_<ID>_SECRET``,
``PARTNER_<ID>_TOKEN``, ``PARTNER_<ID>_URL``); outside production only, the public development
values of the sibling ``partners.dev.toml`` fill what the environment leaves out (that file is
kept out of the image by .dockerignore).
"""

from __future__ import annotations

import base64
import binascii
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.fichiers_secrets import avec_fichiers

PREFIXE_SECRET = "whsec_"
CONNECTEURS = ("simulateur", "reel", "desactive")


@dataclass(frozen=True)
class PartnerConfig:
    id: str
    nom: str
    source: str | None
    secret: str | None
    jeton: str | None
    url: str
    # Which connector is active (ticket 20, item 7): « simulateur », « reel » or « desactive »;
    # PARTNER_<ID>_CONNECTEUR, else the list's ``connecteur``, else « reel » in production
    # (which refuses « simulateur », core/production.py) and « simulateur » elsewhere.
    connecteur: str = "simulateur"
    depot: str | None = None  # PARTNER_<ID>_DEPOT: the directory its batch files are dropped in


def env_name(partner_id: str, what: str) -> str:
    """``PARTNER_<ID>_<WHAT>``: the id in capitals, dashes turned into « _ »."""
    return f"PARTNER_{partner_id.upper().replace('-', '_')}_{what}"


def dev_secrets_file(path: Path) -> Path:
    """The development secrets beside a partner list: ``partners.toml`` → ``partners.dev.toml``."""
    return path.with_name(f"{path.stem}.dev.toml")


def cle_webhook(secret: str | None) -> bytes | None:
    """The HMAC key of a Standard Webhooks ``whsec_…`` secret; None when there is none, it is
    not base64, or it is empty (an empty key would accept anyone's signature)."""
    if not secret:
        return None
    try:
        cle = base64.b64decode(secret.removeprefix(PREFIXE_SECRET), validate=True)
    except (binascii.Error, ValueError):
        return None
    return cle or None


def lire_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=8)
def load_partners(
    path: Path, base_url: str, *, production: bool | None = None
) -> dict[str, PartnerConfig]:
    """``production`` (default: ``PARCOURS_ENV``): secrets and tokens from the environment only."""
    env = avec_fichiers()  # PARTNER_<ID>_SECRET_FILE and the like
    if production is None:
        production = env.get("PARCOURS_ENV", "dev") == "production"
    dev_file = dev_secrets_file(path)
    dev = {} if production or not dev_file.is_file() else lire_toml(dev_file)
    partners = {}
    for partner_id, values in lire_toml(path).items():
        committed = {} if production else {**values, **dev.get(partner_id, {})}
        secret = env.get(env_name(partner_id, "SECRET"), committed.get("secret"))
        partners[partner_id] = PartnerConfig(
            id=partner_id,
            nom=values["nom"],
            source=values.get("source"),
            # An unusable secret is no secret: the partner's events are refused (401).
            secret=secret if cle_webhook(secret) else None,
            jeton=env.get(env_name(partner_id, "TOKEN"), committed.get("jeton")),
            url=env.get(env_name(partner_id, "URL"), f"{base_url.rstrip('/')}/{partner_id}"),
            connecteur=env.get(
                env_name(partner_id, "CONNECTEUR"),
                values.get("connecteur", "reel" if production else "simulateur"),
            ),
            depot=env.get(env_name(partner_id, "DEPOT"), committed.get("depot")),
        )
    return partners
