"""Secrets read from files: ``NAME_FILE=/run/secrets/name`` gives ``NAME`` the file's content
(Docker or Kubernetes secrets, systemd credentials), so that a secret need not sit in the
environment that ``docker inspect`` and the process table show.

Every setting of core/settings.py and every partner variable (``PARTNER_<ID>_SECRET``…) takes
the ``_FILE`` form. ``NAME`` itself, when set, wins; one trailing newline is dropped (editors
add it); an unreadable file is an error that names the variable, never a silent default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

SUFFIXE = "_FILE"


class FichierDeSecretIllisible(ValueError):
    pass


def _lire(nom: str, chemin: str) -> str:
    try:
        contenu = Path(chemin).read_text(encoding="utf-8")
    except OSError as err:
        raise FichierDeSecretIllisible(
            f"{nom}{SUFFIXE} : fichier illisible ({chemin}) : {err.strerror}"
        ) from None
    return contenu.removesuffix("\n").removesuffix("\r")


# The partners' variables, read from the environment by core/partners.py (the settings have
# their own source below). Only these: other programs' *_FILE variables are none of ours.
PARTENAIRES = "PARTNER_"


def avec_fichiers(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment where each ``PARTNER_…_FILE`` without its ``PARTNER_…`` is read in."""
    env = dict(os.environ if environ is None else environ)
    for variable, chemin in list(env.items()):
        nom = variable.removesuffix(SUFFIXE)
        if variable.endswith(SUFFIXE) and nom.startswith(PARTENAIRES) and nom not in env and chemin:
            env[nom] = _lire(nom, chemin)
    return env


class SecretsEnFichiers(PydanticBaseSettingsSource):
    """pydantic-settings source: the ``_FILE`` form of each setting (after the environment)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is done in __call__

    def __call__(self) -> dict[str, Any]:
        valeurs: dict[str, Any] = {}
        for champ in self.settings_cls.model_fields.values():
            nom = champ.alias
            if nom and not os.environ.get(nom) and (chemin := os.environ.get(nom + SUFFIXE)):
                valeurs[nom] = _lire(nom, chemin)
        return valeurs
