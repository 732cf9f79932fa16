"""A complete production configuration, as an operator's .env holds it (fresh secrets)."""

from __future__ import annotations

import base64
import os
import re
import secrets
import tomllib

from core.partners import dev_secrets_file, env_name
from core.settings import ROOT

PARTENAIRES = tomllib.loads((ROOT / "config/partners.toml").read_text())
DEV = tomllib.loads(dev_secrets_file(ROOT / "config/partners.toml").read_text())


def variables_partenaires() -> list[str]:
    """The secret (for those who send events) and the token of each partner."""
    return [
        env_name(p, quoi)
        for p, valeurs in PARTENAIRES.items()
        for quoi in (("SECRET", "TOKEN") if valeurs.get("source") else ("TOKEN",))
    ]


def configuration_complete() -> dict[str, str]:
    env = {
        "PARCOURS_ENV": "production",
        "CODEC_KEYS": f"prod-2026:{base64.b64encode(os.urandom(32)).decode()}",
        "AUDIT_KEY": secrets.token_urlsafe(48),
        "NIR_KEY": secrets.token_urlsafe(48),
        "PUBLIC_URL": "https://parcours.spie74.fr",
        "SECURE_COOKIES": "true",
        "DEMO_DATA": "false",
        "PARTNER_BASE_URL": "https://partenaires.spie74.fr",
        "PIECES_S3_SECRET_KEY": secrets.token_urlsafe(24),
    }
    for variable in variables_partenaires():
        if variable.endswith("_SECRET"):
            env[variable] = f"whsec_{base64.b64encode(os.urandom(32)).decode()}"
        else:
            env[variable] = secrets.token_urlsafe(24)
    return env


def variables_documentees() -> list[str]:
    """Every variable of the README's « Configuration » table, PARTNER_<ID>_… per partner."""
    texte = (ROOT / "README.md").read_text()
    section = texte.split("## Configuration", 1)[1].split("\n### ", 1)[0].split("\n\n**", 1)[0]
    noms: list[str] = []
    for ligne in section.splitlines():
        if ligne.startswith("| `"):
            premiere = ligne.split("|")[1]
            noms += re.findall(r"`([A-Z][A-Z0-9_<>]*)`", premiere)
    developpes = []
    for nom in noms:
        if "<ID>" in nom:
            developpes += [nom.replace("<ID>", env_name(p, "")[8:-1]) for p in PARTENAIRES]
        else:
            developpes.append(nom)
    return developpes
