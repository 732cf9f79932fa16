"""What leaves the platform as a file or a page of figures is safe to open: no CSV cell runs as a
formula in a spreadsheet (issue 14, item 12), and the observatoire page masks small counts like
its CSV and records who read it (issue 14, item 6)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlmodel import col, select

from observatoire.export import csv_resultat
from observatoire.modele import REGISTRE, Ligne, Resultat
from services.audit import journaliser
from store.audit import EntreeAudit
from tests.observatoire.conftest import Serveur

RACINE = Path(__file__).resolve().parents[2]
FORMULES = ['=HYPERLINK("http://x";"y")', "+33 6 12", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"]


def _cellules(texte: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(texte.removeprefix("\ufeff")), delimiter=";"))


async def test_l_export_du_journal_d_audit_ne_contient_aucune_formule(serveur: Serveur) -> None:
    async with serveur.sessions() as session:
        for formule in FORMULES:  # e.g. a search term typed by someone, kept in the detail
            await journaliser(session, None, "liste", "formules", formule)
    async with serveur.client("admin") as admin:
        r = await admin.get("/api/v1/audit/export.csv", params={"objet": "formules"})
    assert r.status_code == 200
    details = [ligne[6] for ligne in _cellules(r.text)[1:]]
    assert details == ["'" + f for f in FORMULES]


def test_les_tableaux_de_l_observatoire_ne_contiennent_aucune_formule() -> None:
    ind = REGISTRE["stock_phase"]
    lignes = [Ligne(f, f, {c.code: 12 for c in ind.colonnes}) for f in FORMULES]
    lignes.append(Ligne("negatif", "-4", {c.code: 12 for c in ind.colonnes}))
    cellules = _cellules(csv_resultat(Resultat(ind, lignes)))
    # a negative number stays a number
    assert [ligne[0] for ligne in cellules[1:]] == ["'" + f for f in FORMULES] + ["-4"]


def test_tous_les_exports_csv_passent_par_le_meme_ecrivain() -> None:
    """A new export that writes its CSV by hand would escape the neutralisation."""
    fautifs = [
        str(p.relative_to(RACINE))
        for dossier in ("web", "observatoire", "store", "activities", "core")
        for p in (RACINE / dossier).rglob("*.py")
        if p.name != "tableur.py" and re.search(r"csv\.(writer|DictWriter)\(", p.read_text())
    ]
    assert fautifs == []


async def test_la_page_de_l_observatoire_masque_les_petits_effectifs(serveur: Serveur) -> None:
    async with serveur.client("admin") as client:
        page = (await client.get("/observatoire", params={"au": "2026-06-30"})).text
    # 5 sorties, 2 positives: the CSV and the API mask the 2 and the share drawn from it
    article = page[page.index('id="sorties_positives"') :]
    article = article[: article.index("</article>")]
    tableau = article[article.index("<tbody>") : article.index("</tbody>")]
    cellules = re.findall(r"<td>([^<]*)</td>", tableau)
    assert cellules[:3] == ["5", "&lt; 5", "masqué"]
    # its pie chart would draw the 2 positive sorties beside the 3 others
    assert "<pie-chart" not in article
    assert "Graphique non affiché" in article


async def test_chaque_lecture_de_la_page_est_journalisee(serveur: Serveur) -> None:
    async with serveur.client("coord-bassin_annecien") as client:
        assert (await client.get("/observatoire", params={"organisme": "plie"})).status_code == 200
    async with serveur.sessions() as session:
        entree = (
            await session.exec(
                select(EntreeAudit)
                .where(EntreeAudit.objet == "observatoire:page")
                .order_by(col(EntreeAudit.id).desc())
            )
        ).first()
    assert entree is not None
    assert (entree.compte_id, entree.action, entree.detail) == (
        "coord-bassin_annecien",
        "lecture",
        "organisme=plie",
    )
