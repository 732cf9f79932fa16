"""Issue 22, item 13: the coordination page's list of parcours pages like the DSFR's
« Pagination » component, with « Page précédente » / « Page suivante » (and first / last page)
beside the page numbers; it had page numbers only. The list of « Mes parcours » shares the
component: its browser test is tests/navigateur/test_pied_de_page.py."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from web.templating import templates

LIEN = re.compile(r"<a ([^>]*)>([^<]*)</a>")


def _url(page: int | None = None) -> str:
    return f"/coordination?statut=rupture&page={page}" if page else "/coordination?statut=rupture"


def _pagination(page: int, pages: int) -> dict[str, str]:
    """The rendered list's pagination: each link's text → its attributes."""
    html = templates.env.get_template("coordination/_parcours.html").render(
        rows=[],
        total=pages * 20,
        page=page,
        pages=pages,
        motifs_lignes={},
        colonnes=[("nom", "Personne")],
        f=SimpleNamespace(statut=None, phase=None, motif=None),
        url=_url,
        query="",
        maj="10:00",
        libelle_motif={},
    )
    nav = re.search(r'<nav[^>]*aria-label="Pagination des parcours".*?</nav>', html, re.S)
    assert nav, html
    return {texte: attributs for attributs, texte in LIEN.findall(nav.group(0))}


@pytest.mark.parametrize(
    ("page", "precedente", "suivante"),
    [(1, None, "page=2"), (2, "page=1", "page=3"), (3, "page=2", None)],
)
def test_precedente_et_suivante_autour_de_la_page_courante(
    page: int, precedente: str | None, suivante: str | None
) -> None:
    liens = _pagination(page, 3)
    assert 'aria-current="page"' in liens[str(page)]
    for texte, cible in (("Page précédente", precedente), ("Page suivante", suivante)):
        attributs = liens[texte]
        if cible is None:  # at an end: shown, disabled, as the DSFR does
            assert 'aria-disabled="true"' in attributs
            assert "href" not in attributs
        else:
            assert f'href="/coordination?statut=rupture&amp;{cible}#parcours"' in attributs
    assert "fr-pagination__link--prev" in liens["Page précédente"]
    assert "fr-pagination__link--next" in liens["Page suivante"]
    assert set(liens) >= {"Première page", "Dernière page", "1", "2", "3"}


def test_une_seule_page_sans_pagination() -> None:
    html = templates.env.get_template("coordination/_parcours.html").render(
        rows=[],
        total=3,
        page=1,
        pages=1,
        motifs_lignes={},
        colonnes=[("nom", "Personne")],
        f=SimpleNamespace(statut=None, phase=None, motif=None),
        url=_url,
        query="",
        maj="10:00",
        libelle_motif={},
    )
    assert "fr-pagination" not in html
