"""Secrets from files (``NAME_FILE``, Docker secrets): every setting and every partner
variable, the environment's own value winning, an unreadable file named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.fichiers_secrets import FichierDeSecretIllisible
from core.partners import load_partners
from core.production import refus_production
from core.settings import ROOT, Settings
from tests.deploy.configuration import configuration_complete

SECRETS = ("CODEC_KEYS", "AUDIT_KEY", "PARTNER_CAF_SECRET", "PARTNER_CAF_TOKEN")


def _fichier(dossier: Path, nom: str, valeur: str) -> str:
    chemin = dossier / nom.lower()
    chemin.write_text(valeur + "\n")  # as an editor or `echo` leaves it
    return str(chemin)


@pytest.fixture
def en_production_par_fichiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """A complete production configuration whose secrets are given by files only."""
    env = configuration_complete()
    for nom, valeur in env.items():
        if nom in SECRETS or (nom.startswith("PARTNER_") and nom.endswith(("_SECRET", "_TOKEN"))):
            monkeypatch.setenv(f"{nom}_FILE", _fichier(tmp_path, nom, valeur))
            monkeypatch.delenv(nom, raising=False)
        else:
            monkeypatch.setenv(nom, valeur)
    load_partners.cache_clear()
    yield env
    load_partners.cache_clear()


def test_les_secrets_en_fichiers_arrivent_dans_les_reglages(
    en_production_par_fichiers: dict[str, str],
) -> None:
    env = en_production_par_fichiers
    settings = Settings()
    assert settings.codec_keys == env["CODEC_KEYS"]  # the trailing newline dropped
    assert settings.audit_key == env["AUDIT_KEY"]
    caf = load_partners(ROOT / "config/partners.toml", "https://partenaires.example")["caf"]
    assert caf.secret == env["PARTNER_CAF_SECRET"]
    assert caf.jeton == env["PARTNER_CAF_TOKEN"]
    assert refus_production(settings) == []  # production accepts them


def test_la_variable_elle_meme_l_emporte_sur_son_fichier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METRICS_TOKEN_FILE", _fichier(tmp_path, "jeton", "du-fichier"))
    assert Settings().metrics_token == "du-fichier"
    monkeypatch.setenv("METRICS_TOKEN", "de-l-environnement")
    assert Settings().metrics_token == "de-l-environnement"


def test_un_fichier_illisible_est_nomme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(FichierDeSecretIllisible, match="AUDIT_KEY_FILE"):
        Settings()
