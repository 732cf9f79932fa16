"""``python -m employeurs offres-france-travail``: the bilan in French; a refusal says so and
writes nothing; not configured, it says which settings are missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from employeurs.__main__ import offres_france_travail
from tests.employeurs.reponses import (
    CLIENT_ID,
    CLIENT_SECRET,
    URL_JETON,
    URL_OFFRES,
    FranceTravailEnregistre,
)
from tests.fixtures.postgres import BasesDeTest


def _settings(url: str, **autres: str) -> Settings:
    return Settings.model_validate(
        {
            "DATABASE_URL": url,
            "FRANCE_TRAVAIL_OFFRES_URL": URL_OFFRES,
            "FRANCE_TRAVAIL_JETON_URL": URL_JETON,
            "FRANCE_TRAVAIL_CLIENT_ID": CLIENT_ID,
            "FRANCE_TRAVAIL_CLIENT_SECRET": CLIENT_SECRET,
            **autres,
        }
    )


async def test_la_commande_importe_et_dit_le_bilan(
    bases_de_test: BasesDeTest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = bases_de_test.nouvelle(tmp_path)
    ft = FranceTravailEnregistre()
    assert await offres_france_travail(_settings(url), ft.transport()) == 0
    sortie = capsys.readouterr().out
    assert "Offres lues : 3 sur 3 annoncées par France Travail" in sortie
    assert "Ajoutées : 3 ; mises à jour : 0 ; rouvertes : 0 ; fermées : 0" in sortie
    assert "Gardées sans SIRET (entreprise non identifiée, à rattacher) : 1" in sortie

    ft.jetons_refuses = True
    assert await offres_france_travail(_settings(url), ft.transport()) == 1
    erreur = capsys.readouterr().err
    assert "rien n'est enregistré" in erreur
    assert "FRANCE_TRAVAIL_CLIENT_SECRET" in erreur
    assert CLIENT_SECRET not in erreur


async def test_non_configuree(
    bases_de_test: BasesDeTest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = bases_de_test.nouvelle(tmp_path)
    assert await offres_france_travail(_settings(url, FRANCE_TRAVAIL_CLIENT_SECRET="")) == 2
    assert "FRANCE_TRAVAIL_CLIENT_SECRET" in capsys.readouterr().err
