"""The import wizard in a real browser (issue 16, item 2): a coordinator uploads an XLSX of
50 people, maps the column the platform could not guess, sees what each row will do (French
errors beside the row), confirms, follows the progress to the end and downloads the row by
row report; the same file uploaded again, one phone number changed, updates that person
instead of opening anyone twice."""

from __future__ import annotations

import asyncio
import csv
import io
import secrets
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlmodel import col, func, select

from store.db import make_engine, session_factory
from store.parcours import ParcoursRow
from tests.fixtures.plateforme import Plateforme
from tests.imports import fichiers
from tests.navigateur.conftest import se_connecter

pytestmark = pytest.mark.browser
COORDINATION = "anne.lefevre@spie74.fr"  # coordinatrice du bassin annécien
DELAI_IMPORT_MS = 120_000
# « NOM_BENEF » is no usual name for « Nom »: the coordinator maps it by hand once.
ENTETES = ["NOM_BENEF" if e == "Nom" else e for e in fichiers.ENTETES]


async def _parcours_ouverts(p: Plateforme, prefixe: str) -> int:
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            q = select(func.count()).where(col(ParcoursRow.nom).startswith(prefixe))
            return int((await session.exec(q)).one())
    finally:
        await engine.dispose()


async def _projetes(p: Plateforme, prefixe: str, attendus: int) -> int:
    """The parcours in the read model: each is written there just after its workflow opened it,
    so the last ones may land a moment after « Import terminé »."""
    limite = asyncio.get_running_loop().time() + 60
    while (n := await _parcours_ouverts(p, prefixe)) < attendus:
        if asyncio.get_running_loop().time() > limite:
            break
        await asyncio.sleep(0.2)
    return n


async def _televerser(page: Page, base: str, fichier: Path) -> None:
    await page.goto(f"{base}/imports")
    await page.get_by_label("Source").fill("cd74-navigateur")
    await page.set_input_files("#fichier", str(fichier))
    # the file is read into the form by import.js: wait for it rather than for a delay
    await expect(page.locator("#form-import [name=nom_fichier]")).to_have_value(fichier.name)
    await page.get_by_role("button", name="Voir l'aperçu").click()
    await expect(page.get_by_role("heading", name=f"Import de « {fichier.name} »")).to_be_visible()


async def _confirmer_et_attendre(page: Page) -> None:
    await page.get_by_role("button", name="Confirmer l'import").click()
    await expect(page.locator("#progression")).to_contain_text(
        "Import terminé", timeout=DELAI_IMPORT_MS
    )


def _rapport(chemin: Path) -> dict[str, list[str]]:
    lignes = list(csv.reader(io.StringIO(chemin.read_text("utf-8-sig")), delimiter=";"))
    return {ligne[0]: ligne for ligne in lignes[1:]}


async def test_import_d_un_xlsx_puis_reimport_qui_met_a_jour(
    page: Page, plateforme: Plateforme, tmp_path: Path
) -> None:
    prefixe = "Nav" + secrets.token_hex(3).upper()
    personnes = fichiers.personnes(50, prefixe)
    personnes[4][3] = "31/02/1990"  # no such date
    personnes[9][5], personnes[9][6] = "69000", "Lyon"  # not in Haute-Savoie
    personnes[14][8] = "camille@"  # not an e-mail
    premier = tmp_path / "liste-semaine-1.xlsx"
    premier.write_bytes(fichiers.xlsx(personnes, ENTETES))

    await se_connecter(page, plateforme, COORDINATION)
    await _televerser(page, plateforme.base_url, premier)
    await expect(page.get_by_role("alert")).to_have_count(0)
    await expect(page.locator("main")).to_contain_text("Indiquez la colonne du champ « Nom »")
    await expect(page.get_by_text("Rejetée : 50")).to_be_visible()

    await page.get_by_label("Nom (obligatoire)", exact=True).select_option("NOM_BENEF")
    await page.get_by_role("button", name="Appliquer cette correspondance").click()
    await expect(page.get_by_text("Ouvrir un parcours : 47")).to_be_visible()
    await expect(page.get_by_text("Rejetée : 3")).to_be_visible()
    rangs = page.locator("table tbody tr")  # in the file's order: person i on row i + 2
    await expect(rangs.nth(4)).to_contain_text("Date de naissance")
    await expect(rangs.nth(9)).to_contain_text("« Lyon » (69000) introuvable en Haute-Savoie")
    await expect(rangs.nth(14)).to_contain_text("Courriel : adresse invalide")
    await expect(rangs.nth(0)).to_contain_text("Ouvrir un parcours")

    await _confirmer_et_attendre(page)
    await expect(page.locator("#progression")).to_contain_text("Parcours ouvert : 47")
    async with page.expect_download() as telechargement:
        await page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    rapport = tmp_path / "rapport-1.csv"
    await (await telechargement.value).save_as(rapport)
    par_ligne = _rapport(rapport)
    assert len(par_ligne) == 50
    assert par_ligne["2"][4] == "Parcours ouvert"
    assert par_ligne["6"][4] == "Rejetée"  # row 6 of the sheet: the fifth person
    assert "Date de naissance" in par_ligne["6"][6]
    assert await _projetes(plateforme, prefixe, 47) == 47

    # The next week's list: same people, one new mobile number. The mapping is proposed.
    personnes[0][7] = "07 98 76 54 32"
    second = tmp_path / "liste-semaine-2.xlsx"
    second.write_bytes(fichiers.xlsx(personnes, ENTETES))
    await _televerser(page, plateforme.base_url, second)
    await expect(page.get_by_label("Nom (obligatoire)", exact=True)).to_have_value("NOM_BENEF")
    await expect(page.get_by_text("Ouvrir un parcours : 0")).to_be_visible()
    await expect(page.get_by_text("Mettre à jour les coordonnées : 1")).to_be_visible()
    await expect(page.get_by_text("Déjà connu, rien à changer : 46")).to_be_visible()
    await expect(page.locator("table tbody tr").nth(0)).to_contain_text(
        "À mettre à jour : téléphone"
    )
    await _confirmer_et_attendre(page)
    await expect(page.locator("#progression")).to_contain_text("Coordonnées mises à jour : 1")
    assert await _projetes(plateforme, prefixe, 47) == 47  # nobody twice
