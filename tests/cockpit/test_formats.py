"""French dates, numbers and plurals come from Babel (issue 22, item 19)."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, date, datetime, time

import httpx

from core.formats import heure, jour_semaine, mois_annee, pluriel
from observatoire.libelles import mois_fr
from tests.cockpit.conftest import contractualiser
from web.cockpit.carnet import jour_long
from web.templating import date_fr, heure_fr, templates


def test_le_premier_du_mois_est_1er() -> None:
    assert date_fr(date(2025, 12, 1)) == "1er déc. 2025"
    assert date_fr(date(2025, 12, 2)) == "2 déc. 2025"
    assert heure_fr(datetime(2025, 12, 1, 9, 5, tzinfo=UTC)) == "1er déc. 2025 à 10\u00a0h\u00a005"
    assert (
        jour_long(date(2026, 12, 1)) == "mardi 1er décembre 2026" == jour_semaine(date(2026, 12, 1))
    )
    assert mois_fr(date(2026, 2, 1)) == "février 2026" == mois_annee(date(2026, 2, 1))


def test_heures_avec_espaces_insecables() -> None:
    """« 9 h 00 »: no zero before the hour, and no-break spaces, so that a slot's button or a
    phone's narrow cell never shows « 9 » on one line and « h 00 » on the next."""
    assert heure(time(9, 0)) == "9\u00a0h\u00a000"
    assert heure(datetime(2026, 7, 1, 7, 5, tzinfo=UTC)) == "9\u00a0h\u00a005"  # Paris, summer


def test_aucune_heure_ecrite_a_la_main_sous_web() -> None:
    """Hours go through core.formats.heure: « {x.hour} h {x.minute:02d} » and « strftime('%H
    h %M') » wrote them four ways (« 09 h 00 », breakable spaces)."""
    import pathlib

    web = pathlib.Path(__file__).resolve().parents[2] / "web"
    a_la_main = re.compile(r"\.hour\}? h |%H h|%Hh")
    fautifs = [
        str(p.relative_to(web))
        for p in [*web.rglob("*.py"), *web.rglob("*.html")]
        if a_la_main.search(p.read_text(encoding="utf-8"))
    ]
    assert fautifs == []


def test_accords_au_singulier_et_au_pluriel() -> None:
    assert pluriel(0, "tentative") == "0 tentative"
    assert pluriel(1, "tentative") == "1 tentative"
    assert pluriel(2, "tentative") == "2 tentatives"
    assert pluriel(12345, "parcours", "parcours") == "12\u202f345 parcours"


def test_plus_de_pluriel_entre_parentheses_dans_les_gabarits() -> None:
    """« 1 tentative(s) » was written by hand; every count now agrees with its noun."""
    import pathlib

    racine = pathlib.Path(templates.env.loader.searchpath[0])  # type: ignore[union-attr]
    fautifs = [p.name for p in racine.rglob("*.html") if "(s)" in p.read_text()]
    assert fautifs == []
    # Nor « {{ n }} entrée{% if n > 1 %}s… » by hand: pluriel() agrees and writes « 12 345 ».
    a_la_main = re.compile(r"\}\} \w+(\{\{ ?['\"]s['\"] if|\{% if [^%]*> ?1 ?%\}s)")
    fautifs = [p.name for p in racine.rglob("*.html") if a_la_main.search(p.read_text())]
    assert fautifs == []


def test_1er_dans_les_textes_des_workflows() -> None:
    """The workflows write « 1 décembre 2026 » into their histories; shown, it reads « 1er »."""
    from core.formats import premier_du_mois

    assert premier_du_mois("du 1 mars 2027 au 1 septembre 2027") == (
        "du 1er mars 2027 au 1er septembre 2027"
    )
    assert premier_du_mois("le 11 décembre, le 21 août, 1 tentative") == (
        "le 11 décembre, le 21 août, 1 tentative"
    )


def test_la_table_des_mois_des_workflows_est_celle_de_babel() -> None:
    """The workflows keep their own month table (Babel reads its locale files lazily, which is
    I/O in workflow code, and a Babel upgrade could change a text mid-replay): it must say
    exactly what Babel says, and every day it writes must get its « 1er » when shown."""
    from babel.dates import format_date

    from core.formats import LOCALE, premier_du_mois
    from workflows.etapes.base import MOIS, jour_fr

    for m in range(1, 13):
        premier = date(2026, m, 1)
        assert MOIS[m - 1] == format_date(premier, "MMMM", locale=LOCALE)
        assert premier_du_mois(jour_fr(premier)) == f"1er {mois_annee(premier)}"
        assert premier_du_mois(jour_fr(premier.replace(day=11))) == f"11 {mois_annee(premier)}"


async def test_le_contrat_pdf_dit_1er(claire: httpx.AsyncClient) -> None:
    """The contract the person keeps said « Du 1 janvier 2027 » (the workflows' day format)."""
    today = date.today()
    rang = today.month  # the first of next month, and of the month six months later
    debut = date(today.year + rang // 12, rang % 12 + 1, 1)
    fin = date(today.year + (rang + 6) // 12, (rang + 6) % 12 + 1, 1)
    pid = await contractualiser(claire, debut, fin)
    pdf = await claire.get(f"/api/v1/parcours/{pid}/contrat.pdf")
    assert pdf.status_code == 200, pdf.text
    flux = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf.content, re.DOTALL)
    texte = "".join(zlib.decompress(f).decode("latin-1") for f in flux if f[:1] == b"x")
    assert f"Du 1er {mois_annee(debut)} au 1er {mois_annee(fin)}" in texte, texte[:2000]
