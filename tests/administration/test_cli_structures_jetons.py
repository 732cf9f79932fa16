"""The command line lists and changes structures (SIRET checked, territories, contact) and
lists and revokes an account's API tokens (issue 16): French messages, a non-zero exit code
on every refusal, nothing changed by a refused command."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.settings import Settings
from store.comptes import Compte
from store.db import make_engine, session_factory
from tests.administration.outils import un_siret
from tests.administration.test_cli_comptes import _cli
from tests.administration.test_cli_comptes import reglages as reglages
from web.securite.sessions import creer_jeton, depuis_jeton


def _admin_et_structure(capsys: pytest.CaptureFixture[str], reglages: Settings) -> tuple[str, str]:
    code, sortie = _cli(capsys, reglages, "premier-admin", "admin@spie74.fr", "Alice Admin")
    assert code == 0, sortie
    trouve = re.search(r"Administrateur créé : (\S+)", sortie)
    assert trouve is not None
    code, sortie = _cli(
        capsys, reglages, "structure", "--par", trouve.group(1), "--nom", "Mission Locale du Chablais",
        "--type", "mission_locale", "--siret", un_siret(), "--territoire", "chablais",
    )  # fmt: skip
    assert code == 0, sortie
    return trouve.group(1), sortie.strip()


def test_lister_et_modifier_les_structures(
    capsys: pytest.CaptureFixture[str], reglages: Settings
) -> None:
    admin, sid = _admin_et_structure(capsys, reglages)
    siret = un_siret()
    code, sortie = _cli(
        capsys, reglages, "modifier-structure", "--par", admin, sid, "--nom", "Mission Locale Chablais-Léman",
        "--siret", siret, "--territoire", "chablais", "--territoire", "vallee_arve",
        "--contact-nom", "Léa Accueil", "--contact-email", "accueil@ml-chablais.fr",
        "--contact-telephone", "04 50 00 00 00",
    )  # fmt: skip
    assert code == 0, sortie
    attendu = (
        f"{sid}\tMission Locale Chablais-Léman\tmission_locale\t{siret}\tchablais,vallee_arve\t"
        "Léa Accueil accueil@ml-chablais.fr 04 50 00 00 00"
    )
    assert sortie.strip() == attendu
    code, sortie = _cli(capsys, reglages, "structures", "--par", admin)
    assert (code, sortie.strip()) == (0, attendu)

    # Refused, each with the field named, exit code 1, and nothing changed.
    for options, message in (
        (["--siret", "12345678901235"], "siret : SIRET invalide"),
        (["--type", "boulangerie"], "type : "),
        (["--territoire", "lyon"], "territoires.0 : "),
        (["--contact-email", "accueil@"], "contact_email : "),
        ([], "Rien à modifier"),
    ):
        code, sortie = _cli(capsys, reglages, "modifier-structure", "--par", admin, sid, *options)
        assert code == 1, (options, sortie)
        assert message in sortie, (options, sortie)
    code, sortie = _cli(capsys, reglages, "structures", "--par", admin)
    assert sortie.strip() == attendu
    code, sortie = _cli(
        capsys, reglages, "modifier-structure", "--par", admin, "inconnue", "--nom", "X"
    )
    assert (code, sortie.strip()) == (1, "Structure introuvable")
    code, sortie = _cli(capsys, reglages, "structures", "--par", "personne")
    assert code == 1
    assert "Compte inconnu ou désactivé : personne" in sortie


async def _deux_jetons(reglages: Settings, compte_id: str) -> list[str]:
    engine = make_engine(reglages.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, compte_id)
            assert compte is not None
            return [
                await creer_jeton(session, compte, "Outil décisionnel"),
                await creer_jeton(session, compte, "Script du CD", None),
            ]
    finally:
        await engine.dispose()


async def _valide(reglages: Settings, jeton: str) -> bool:
    engine = make_engine(reglages.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return await depuis_jeton(session, jeton) is not None
    finally:
        await engine.dispose()


def test_lister_et_revoquer_les_jetons_d_un_compte(
    capsys: pytest.CaptureFixture[str], reglages: Settings
) -> None:
    admin, _ = _admin_et_structure(capsys, reglages)
    code, sortie = _cli(capsys, reglages, "jetons", "--par", admin, admin)
    assert (code, sortie.strip()) == (0, "Aucun jeton d'API")
    decisionnel, script = asyncio.run(_deux_jetons(reglages, admin))
    code, sortie = _cli(capsys, reglages, "jetons", "--par", admin, admin)
    assert code == 0, sortie
    lignes = sortie.strip().splitlines()
    assert len(lignes) == 2
    assert re.fullmatch(
        r"\w{16}\tOutil décisionnel\t\d\d/\d\d/\d{4}\tvalide jusqu'au \d\d/\d\d/\d{4}", lignes[0]
    )
    assert re.fullmatch(r"\w{16}\tScript du CD\t\d\d/\d\d/\d{4}\tvalide", lignes[1])
    assert decisionnel not in sortie  # the token itself is never shown again

    code, sortie = _cli(capsys, reglages, "revoquer-jeton", "--par", admin, admin, "inconnu")
    assert (code, sortie.strip()) == (1, "Jeton introuvable")
    identifiant = lignes[1].split("\t")[0]
    code, sortie = _cli(capsys, reglages, "revoquer-jeton", "--par", admin, admin, identifiant)
    assert (code, sortie.strip()) == (0, "Jeton « Script du CD » révoqué")
    assert not asyncio.run(_valide(reglages, script))
    assert asyncio.run(_valide(reglages, decisionnel))  # the other one still works
    code, sortie = _cli(capsys, reglages, "jetons", "--par", admin, admin)
    assert sortie.strip().splitlines()[1].endswith("\trévoqué")
    code, sortie = _cli(capsys, reglages, "jetons", "--par", admin, "inconnu")
    assert code == 1
    assert "introuvable" in sortie.lower()
