"""Reading cockpit HTML like htmx does: the element with a given id, serialised canonically
(sorted attributes, collapsed whitespace, clock times masked), to compare a fragment with the
same element of a full page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VIDES = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
HEURE = re.compile(r"\b\d{2}:\d{2}:\d{2}\b")
Attrs = list[tuple[str, str | None]]


class _Lecteur(HTMLParser):
    """Walks the whole document; copies the subtree of the element whose id is ``ident``."""

    def __init__(self, ident: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.ident = ident
        self.profondeur = 0  # depth in the document
        self.debut: int | None = None  # depth at which the target element opened
        self.trouve = False
        self.morceaux: list[str] = []
        self.racines: list[str] = []

    def _copie(self) -> bool:
        return self.debut is not None

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        if self.profondeur == 0:
            self.racines.append(f"{tag}#{dict(attrs).get('id') or ''}")
        if not self.trouve and self.ident is not None and dict(attrs).get("id") == self.ident:
            self.trouve, self.debut = True, self.profondeur
        if self._copie():
            rendus = " ".join(f'{k}="{v or ""}"' for k, v in sorted(attrs))
            self.morceaux.append(f"<{tag}{' ' + rendus if rendus else ''}>")
        if tag not in VIDES:
            self.profondeur += 1
        elif self.debut == self.profondeur:
            self.debut = None

    def handle_endtag(self, tag: str) -> None:
        if tag in VIDES:
            return
        self.profondeur -= 1
        if self._copie():
            self.morceaux.append(f"</{tag}>")
            if self.profondeur == self.debut:
                self.debut = None

    def handle_data(self, data: str) -> None:
        texte = " ".join(data.split())
        if self._copie() and texte:
            self.morceaux.append(HEURE.sub("HH:MM:SS", texte))


def element(html: str, ident: str) -> str:
    """The element ``id=ident`` and everything in it; AssertionError if absent."""
    lecteur = _Lecteur(ident)
    lecteur.feed(html)
    assert lecteur.trouve, f"aucun élément id={ident!r} dans la page"
    return "".join(lecteur.morceaux)


def racines(html: str) -> list[str]:
    """The top-level elements of a fragment, as "tag#id"."""
    lecteur = _Lecteur(None)
    lecteur.feed(html)
    return lecteur.racines


def textes(html: str) -> str:
    """The visible text, whitespace collapsed (for assertions on messages)."""
    lecteur = _Lecteur(None)
    lecteur.debut = -1  # copy everything
    lecteur.feed(html)
    return " ".join(m for m in lecteur.morceaux if not m.startswith("<"))
