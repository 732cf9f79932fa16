"""The observatoire page speaks to people: definitions in words, not timeline codes, and a
chart with nothing to draw says so instead of drawing empty axes (issue 22, item 7)."""

from __future__ import annotations

import json
import re

from tests.cockpit.conftest import COORD
from tests.cockpit.html import textes
from tests.fixtures.plateforme import Plateforme

ARTICLE = re.compile(r'<article class="fr-mb-5w" id="([a-z_]+)".*?</article>', re.S)
Y = re.compile(r"y='([^']*)'")


async def test_definitions_en_mots_et_graphiques_vides_annonces(plateforme: Plateforme) -> None:
    async with plateforme.client(COORD) as coord:
        page = await coord.get("/observatoire")
    assert page.status_code == 200
    texte = textes(page.text)
    assert not re.findall(r"« [a-z]+_[a-z_]+ »", texte)
    assert "rules/vigie.yaml" not in texte
    assert "« orientation décidée »" in texte
    articles = ARTICLE.findall(page.text)
    assert articles
    for match in ARTICLE.finditer(page.text):
        bloc = match.group(0)
        y = Y.search(bloc)
        if y is None:  # nothing to draw, or a pie chart withheld so as not to reveal a small count
            assert (
                "Aucune donnée à représenter" in bloc or "laisserait deviner des effectifs" in bloc
            ), match.group(1)
            continue
        valeurs = [v for serie in json.loads(y.group(1).replace("&#34;", '"')) for v in serie]
        assert any(valeurs), f"{match.group(1)} : axes vides sans message"
