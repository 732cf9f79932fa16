"""A letter as the person will see it: its PDF rendered to a PNG image (pypdfium2, the PDF engine
of Chromium), then read back. There is no OCR on the machines (no tesseract): each word is
located by the PDF's own text layer, and the PNG must show ink there, so that a text the PDF
holds but does not draw (white, hidden, off the page) does not pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image

from agendas.courrier import FENETRE

MM = 72 / 25.4  # PDF points per millimetre
ECHELLE = 2  # 144 dpi
CODE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b")


@dataclass
class Rendu:
    image: Image.Image
    texte: str  # the whole page
    fenetre: list[str]  # the lines inside the envelope's window
    hauteur_pt: float
    page: object

    def encre(self, gauche: float, bas: float, droite: float, haut: float) -> int:
        """Dark pixels of the PNG inside a rectangle given in PDF points (origin bottom left)."""
        h = self.hauteur_pt
        boite = (gauche * ECHELLE, (h - haut) * ECHELLE, droite * ECHELLE, (h - bas) * ECHELLE)
        zone = self.image.convert("L").crop(boite)  # grey levels: one int per pixel
        return sum(1 for p in zone.get_flattened_data() if isinstance(p, int) and p < 128)

    def encre_du_texte(self, texte: str) -> int:
        """Dark pixels where the text layer puts ``texte`` (0 if it is not there)."""
        page_texte = self.page.get_textpage()  # type: ignore[attr-defined]
        cherche = page_texte.search(texte, match_case=True)
        trouve = cherche.get_next()
        if trouve is None:
            return 0
        debut, nombre = trouve
        boites = [page_texte.get_charbox(i) for i in range(debut, debut + nombre)]
        return self.encre(
            min(b[0] for b in boites),
            min(b[1] for b in boites),
            max(b[2] for b in boites),
            max(b[3] for b in boites),
        )


def rendre(pdf: bytes, png: Path) -> Rendu:
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1, "une seule page"
    page = document[0]
    page.render(scale=ECHELLE).to_pil().save(png)
    image = Image.open(png)  # what is checked is the PNG written, not the PDF
    hauteur = page.get_height()
    texte = page.get_textpage()
    x, y, largeur, h = FENETRE
    dans_la_fenetre = texte.get_text_bounded(
        left=x * MM, bottom=hauteur - (y + h) * MM, right=(x + largeur) * MM, top=hauteur - y * MM
    )
    return Rendu(
        image=image,
        texte=texte.get_text_bounded(),
        fenetre=[ligne.strip() for ligne in dans_la_fenetre.splitlines() if ligne.strip()],
        hauteur_pt=hauteur,
        page=page,
    )


def zone_de_la_fenetre() -> tuple[float, float, float, float]:
    """The window, in PDF points (left, bottom, right, top) on an A4 page."""
    x, y, largeur, h = FENETRE
    hauteur = 297 * MM
    return x * MM, hauteur - (y + h) * MM, (x + largeur) * MM, hauteur - y * MM
