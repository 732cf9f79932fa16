"""The professionals' import from the command line (``python -m web.securite.comptes
importer``): a preview that creates nothing, then --confirmer, then the same file again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import Settings
from tests.administration.outils import un_siret
from tests.administration.test_cli_comptes import _cli
from tests.administration.test_cli_comptes import reglages as reglages


def test_importer_la_liste_d_une_structure(
    capsys: pytest.CaptureFixture[str],
    reglages: Settings,
    tmp_path: Path,
) -> None:
    code, sortie = _cli(capsys, reglages, "premier-admin", "admin@spie74.fr", "Alice Admin")
    trouve = re.search(r"Administrateur créé : (\S+)", sortie)
    assert code == 0, sortie
    assert trouve is not None, sortie
    admin = trouve.group(1)
    code, sortie = _cli(
        capsys, reglages, "structure", "--par", admin, "--nom", "CCAS de Cluses", "--type",
        "ccas", "--siret", un_siret(), "--territoire", "vallee_arve",
    )  # fmt: skip
    assert code == 0, sortie
    structure = sortie.strip()
    liste = tmp_path / "equipe.csv"
    liste.write_text("Nom;Prénom;Courriel\nRoux;Paul;paul@ccas-cluses.fr\nBlanc;Zoé;zoe@\n")

    importer = ["importer", "--par", admin, structure, str(liste)]
    code, sortie = _cli(capsys, reglages, *importer)
    assert code == 0, sortie
    assert "3\tzoe@\tRejetée\tAdresse électronique : valeur invalide" in sortie
    assert "Aperçu seulement : relancez avec --confirmer" in sortie
    _, comptes = _cli(capsys, reglages, "lister", "--par", admin)
    assert "paul@ccas-cluses.fr" not in comptes

    code, sortie = _cli(capsys, reglages, *importer, "--confirmer")
    assert "2\tpaul@ccas-cluses.fr\tCompte créé, lien envoyé" in sortie
    _, comptes = _cli(capsys, reglages, "lister", "--par", admin)
    assert re.search(r"paul@ccas-cluses\.fr\treferent\t\S+\tinvite", comptes), comptes
    code, sortie = _cli(capsys, reglages, *importer, "--confirmer")
    assert "2\tpaul@ccas-cluses.fr\tCompte existant, rien à faire" in sortie
