"""Every table in the cockpit's templates uses the DSFR 1.12+ « Tableau » markup and has a
caption (issue 22, item 13). Since DSFR 1.12 the table sits in
``div.fr-table > div.fr-table__wrapper > div.fr-table__container > div.fr-table__content``:
with the old ``div.fr-table > table`` the 1.15 style sheet we serve neither scrolls a wide
table nor lays out its caption, and a table without a caption is announced by screen readers
with nothing to say what it holds (RGAA 5.4).

The templates are read, not rendered: Jinja's own lexer drops the tags and stands « x » for
each ``{{ … }}``, so a table inside a branch that a given context would skip is checked too."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import jinja2

GABARITS = Path(__file__).resolve().parents[2] / "web" / "templates"
VIDES = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# From the outside in: the four containers a DSFR 1.12+ table sits in, innermost last.
ENVELOPPE = ("fr-table", "fr-table__wrapper", "fr-table__container", "fr-table__content")
# Not a DSFR « Tableau »: the coordination map is a coloured grid drawn by our own CSS
# (web/static/app, « .carte »); the fr-table styles (stripes, heading band) would erase
# its colour scale. It still must have a caption.
STRUCTURE = " > ".join("div." + c for c in ENVELOPPE)
HORS_DSFR = {("coordination/_carte.html", "carte")}


def _html(source: str) -> str:
    """The template's HTML: block and comment tags dropped, each expression shown as « x »."""
    morceaux: list[str] = []
    dans_expression = dans_bloc = False
    for _ligne, genre, valeur in jinja2.Environment().lex(source):
        if genre == "variable_begin":
            dans_expression = True
            morceaux.append("x")
        elif genre == "variable_end":
            dans_expression = False
        elif genre in ("block_begin", "comment_begin"):
            dans_bloc = True
        elif genre in ("block_end", "comment_end"):
            dans_bloc = False
        elif genre == "data" and not (dans_expression or dans_bloc):
            morceaux.append(valeur)
    return "".join(morceaux)


@dataclass
class Tableau:
    ligne: int
    classes: set[str]
    enveloppe: list[set[str]]  # classes of the four enclosing divs, outermost first
    premier_enfant: str | None = None
    legende: list[str] = field(default_factory=list)


class _Lecteur(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pile: list[tuple[str, set[str]]] = []
        self.tableaux: list[Tableau] = []
        self.dans_legende = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if self.pile and self.pile[-1][0] == "table" and self.tableaux:
            t = self.tableaux[-1]
            if t.premier_enfant is None:
                t.premier_enfant = tag
        if tag == "table":
            parents = self.pile[-len(ENVELOPPE) :]
            enveloppe = [c if nom == "div" else set() for nom, c in parents]
            self.tableaux.append(Tableau(self.getpos()[0], classes, enveloppe))
        if tag == "caption":
            self.dans_legende = True
        if tag not in VIDES:
            self.pile.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.dans_legende = False
        # Pop up to the matching element (tolerates an « if » that opened it twice).
        for i in range(len(self.pile) - 1, -1, -1):
            if self.pile[i][0] == tag:
                del self.pile[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.dans_legende and self.tableaux:
            self.tableaux[-1].legende.append(data)


def _defauts(nom: str, t: Tableau) -> list[str]:
    defauts = []
    if not any((nom, c) in HORS_DSFR for c in t.classes):
        # Fewer than four ancestors (a table at the top of a fragment) count as missing.
        enveloppe = [set[str]()] * (len(ENVELOPPE) - len(t.enveloppe)) + t.enveloppe
        if any(attendu not in c for attendu, c in zip(ENVELOPPE, enveloppe, strict=True)):
            trouves = " > ".join(".".join(["div", *sorted(c)]) for c in t.enveloppe if c)
            defauts.append(
                f"{nom}:{t.ligne}: table hors de {STRUCTURE} (parents : {trouves or 'aucun'})"
            )
    if t.premier_enfant != "caption":
        defauts.append(
            f"{nom}:{t.ligne}: pas de <caption> en premier enfant (trouvé : {t.premier_enfant})"
        )
    elif not "".join(t.legende).strip():
        defauts.append(f"{nom}:{t.ligne}: <caption> vide")
    return defauts


def defauts_des_tableaux(gabarits: dict[str, str]) -> tuple[int, list[str]]:
    """How many tables the templates hold, and what is wrong with each."""
    total, defauts = 0, []
    for nom, source in sorted(gabarits.items()):
        lecteur = _Lecteur()
        lecteur.feed(_html(source))
        lecteur.close()
        total += len(lecteur.tableaux)
        for t in lecteur.tableaux:
            defauts += _defauts(nom, t)
    return total, defauts


def _gabarits_avec_tableau() -> dict[str, str]:
    return {
        str(p.relative_to(GABARITS)): texte
        for p in GABARITS.rglob("*.html")
        if "<table" in (texte := p.read_text(encoding="utf-8"))
    }


def test_chaque_tableau_des_gabarits_a_le_balisage_dsfr_112_et_une_legende() -> None:
    gabarits = _gabarits_avec_tableau()
    total, defauts = defauts_des_tableaux(gabarits)
    attendus = sum(s.count("<table") for s in gabarits.values())
    assert total == attendus, f"{attendus} <table> dans les gabarits, {total} lues"
    assert not defauts, "\n".join(defauts)


def test_l_ancien_balisage_et_l_absence_de_legende_sont_refuses() -> None:
    """The check itself: the pre-1.12 markup and a missing or empty caption are each caught."""
    neuf = (
        '<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container">'
        '<div class="fr-table__content"><table><caption>{{ titre }}</caption><tr><td>1</td></tr>'
        "</table></div></div></div></div>"
    )
    assert defauts_des_tableaux({"neuf.html": neuf}) == (1, [])
    ancien = '<div class="fr-table"><table><caption>Comptes</caption></table></div>'
    sans_legende = neuf.replace("<caption>{{ titre }}</caption>", "")
    vide = neuf.replace("{{ titre }}", "{# rien #}")
    _, defauts = defauts_des_tableaux({"a.html": ancien, "b.html": sans_legende, "c.html": vide})
    assert [d.split(":")[0] for d in defauts] == ["a.html", "b.html", "c.html"], defauts
    assert "(parents : div.fr-table)" in defauts[0]
