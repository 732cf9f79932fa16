"""Every count shown next to a link equals the list that link opens (issue 22, items 2 and 3):
each group of ruptures and alerts, each cell of the coordination map, each column header."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import httpx

from tests.api import donnees
from tests.cockpit.conftest import COORD, HTMX, commande, ouvrir, stable
from tests.fixtures.plateforme import Plateforme

TOTAL_GROUPE = re.compile(r"— (\d+) parcours</span>\s*</h3>")
LIEN_GROUPE = re.compile(r'href="/coordination\?([^"#]*)#parcours"')
CELLULE = re.compile(
    r'<a href="/coordination\?([^"]*)"[^>]*>\s*<span class="carte-nombre">(\d+)</span>'
)
ENTETE = re.compile(r'<th scope="col"[^>]*>\d+\. ([^<]+)<br><span[^>]*>(\d+) parcours</span>')
LIGNE_CARTE = re.compile(r"<tr>\s*<th scope=\"row\">.*?</tr>", re.S)


async def _taille_de_la_liste(coord: httpx.AsyncClient, query: str) -> int:
    reponse = await coord.get(
        f"/coordination/fragments/parcours?{html.unescape(query)}", headers=HTMX
    )
    assert reponse.status_code == 200, reponse.text
    trouve = re.search(r"\((\d+)\)</h2>", reponse.text)
    assert trouve, reponse.text[:500]
    return int(trouve.group(1))


async def test_chaque_groupe_de_ruptures_compte_la_liste_qu_il_ouvre(
    plateforme: Plateforme, claire: httpx.AsyncClient
) -> None:
    today = date.today()
    # One rule, two labels: the diagnostic overdue, and the orientation overdue.
    diagnostic_en_retard = await ouvrir(claire, today - timedelta(days=20))
    orientation_en_retard = await ouvrir(claire, today - timedelta(days=70))
    await commande(
        claire,
        orientation_en_retard,
        "enregistrer_diagnostic",
        donnees.diagnostic(today - timedelta(days=60)),
    )
    for pid in (diagnostic_en_retard, orientation_en_retard):
        await stable(claire, pid)
    async with plateforme.client(COORD) as coord:
        fragment = (await coord.get("/coordination/fragments/ruptures", headers=HTMX)).text
        groupes = fragment.split('<div class="groupe-motif">')[1:]
        assert groupes, fragment[:500]
        for tete in groupes:
            total = TOTAL_GROUPE.search(tete)
            lien = LIEN_GROUPE.search(tete)
            assert total, tete[:300]
            assert lien, f"groupe sans lien vers sa liste : {tete[:300]}"
            liste = await _taille_de_la_liste(coord, lien.group(1))
            assert int(total.group(1)) == liste, f"{tete[:200]} : la liste en montre {liste}"


async def test_chaque_case_et_entete_de_la_carte_compte_sa_liste(
    plateforme: Plateforme, claire: httpx.AsyncClient, en_rupture: str
) -> None:
    clos = await ouvrir(claire)
    sortie = {"le": date.today().isoformat(), "motif": "demenagement"}
    await commande(claire, clos, "prononcer_sortie", sortie)
    await stable(claire, clos)
    async with plateforme.client(COORD) as coord:
        carte = (await coord.get("/coordination/fragments/carte", headers=HTMX)).text
        cellules = CELLULE.findall(carte)
        assert cellules, carte[:500]
        for query, nombre in cellules:
            assert int(nombre) == await _taille_de_la_liste(coord, query), query
        # A column header adds up its cells (« Sortie : 15 parcours » over cells of 0 misled).
        nombres = re.compile(r'<span class="carte-nombre">(\d+)</span>')
        lignes = [nombres.findall(ligne) for ligne in LIGNE_CARTE.findall(carte)]
        entetes = ENTETE.findall(carte)
        assert len(entetes) == 7, carte[:800]
        for i, (phase, total) in enumerate(entetes):
            assert int(total) == sum(int(cases[i]) for cases in lignes), f"colonne « {phase} »"
