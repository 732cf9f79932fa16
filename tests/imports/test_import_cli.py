"""The CLI previews a file as the API does (nothing opened without --confirmer)."""

from __future__ import annotations

from pathlib import Path

import pytest

import importation.__main__ as cli
from core.settings import Settings
from devstack.demo.comptes import creer_comptes
from store.db import create_schema, make_engine, session_factory
from tests.imports import fichiers


async def test_apercu_en_ligne_de_commande(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        await creer_comptes(session)
    await engine.dispose()
    lignes = fichiers.personnes(3)
    lignes[1][5] = "99999"
    liste = tmp_path / "liste.xlsx"
    liste.write_bytes(fichiers.xlsx(lignes))
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    args = ["importer", str(liste), "--source", "caf", "--compte", "coord-bassin_annecien"]
    assert await cli.importer(cli.analyser(args)) == 0
    sortie = capsys.readouterr().out
    assert "Ouvrir un parcours : 2" in sortie
    assert "ligne 3 : Commune : « ANNECY » (99999) introuvable en Haute-Savoie" in sortie
    assert "Aperçu seulement" in sortie
