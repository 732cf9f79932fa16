"""The command line of the administration (``python -m web.securite.comptes``) on an empty
installation: the first administrator (once), a structure with its SIRET checked, an account
invited by e-mail, listed, deactivated and reactivated; then the README's API-token command
for the administrator, which used to answer « Compte inconnu » on an empty installation."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings
from tests.administration.outils import un_siret
from tests.fixtures.simulateur import Simulateur
from web.securite.comptes import main

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def reglages(tmp_path: Path, base_lecture: str, simulateur: Simulateur) -> Settings:
    return Settings(
        DATA_DIR=tmp_path,
        DATABASE_URL=base_lecture,
        PUBLIC_URL="https://parcours.example.fr",
        SMTP_HOST=simulateur.settings.smtp_host,
        SMTP_PORT=simulateur.settings.smtp_port,
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )


def _cli(capsys: pytest.CaptureFixture[str], reglages: Settings, *args: str) -> tuple[int, str]:
    code = main(list(args), reglages)
    sortie = capsys.readouterr()
    return code, sortie.out + sortie.err


def test_la_ligne_de_commande_de_l_administration(
    capsys: pytest.CaptureFixture[str], reglages: Settings, simulateur: Simulateur
) -> None:
    code, sortie = _cli(capsys, reglages, "premier-admin", "admin@spie74.fr", "Alice Admin")
    assert code == 0, sortie
    assert re.search(r"https://parcours\.example\.fr/activation/\S{40,}", sortie)
    trouve = re.search(r"Administrateur créé : (\S+)", sortie)
    assert trouve is not None
    admin_id = trouve.group(1)
    code, sortie = _cli(capsys, reglages, "premier-admin", "bis@spie74.fr", "Bob")
    assert code == 1
    assert "Un administrateur existe déjà" in sortie
    code, sortie = _cli(capsys, reglages, "lister", "--par", "inconnu")
    assert code == 1
    assert "Compte inconnu" in sortie

    structure = ["structure", "--par", admin_id, "--nom", "CCAS d'Annemasse", "--type", "ccas"]
    code, sortie = _cli(
        capsys, reglages, *structure, "--siret", "1234", "--territoire", "genevois_francais"
    )
    assert code == 1
    assert "siret : SIRET invalide" in sortie
    code, sortie = _cli(
        capsys, reglages, *structure, "--siret", un_siret(), "--territoire", "genevois_francais"
    )
    assert code == 0, sortie
    structure_id = sortie.strip()

    email = "agent@ccas-annemasse.fr"
    code, sortie = _cli(
        capsys, reglages, "creer", "--par", admin_id, email, "Agnès Agent", "referent",
        "--structure", structure_id,
    )  # fmt: skip
    assert code == 0, sortie
    ref_id = sortie.splitlines()[0]
    courriels = asyncio.run(simulateur.courriels(destinataire=email))
    assert "https://parcours.example.fr/activation/" in courriels[-1]["texte"]

    code, sortie = _cli(capsys, reglages, "desactiver", "--par", admin_id, ref_id)
    assert code == 0, sortie
    assert "Désactivé" in sortie
    code, sortie = _cli(capsys, reglages, "reactiver", "--par", admin_id, ref_id)
    assert (code, sortie.strip()) == (0, f"{ref_id}\tInvité (lien d'activation envoyé)")
    code, sortie = _cli(capsys, reglages, "lister", "--par", admin_id)
    assert f"{ref_id}\t{email}\treferent\t{structure_id}\tinvite" in sortie

    jeton = _jetons(reglages, "creer", admin_id, "Outil décisionnel")
    assert jeton.returncode == 0, jeton.stderr
    assert jeton.stdout.startswith("pcr_")


def _jetons(reglages: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "DATA_DIR": str(reglages.data_dir),
        "DATABASE_URL": reglages.effective_database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "web.securite.jetons", *args],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
