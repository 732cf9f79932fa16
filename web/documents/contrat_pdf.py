"""The signed contrat d'engagement as a PDF the person can keep (fpdf2, no external service)."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from core.formats import jour
from core.ids import reference
from referentiels.rome import libelle_metier
from schemas.contrat import Contrat, Signataire
from schemas.parcours import ParcoursState

# Helvetica covers Latin-1: the few French characters outside it are written plainly.
REMPLACEMENTS = {
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "\u202f": " ",
    "€": "EUR",
}


def _t(text: str) -> str:
    for a, b in REMPLACEMENTS.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(
            0,
            10,
            _t(f"Page {self.page_no()} — document établi par la plateforme Parcours du SPIE 74"),
            align="C",
        )


def jour_fr(d: date) -> str:
    """« 1er janvier 2027 » (Babel, issue 22 item 19), where the workflows' own texts say « 1 »."""
    return jour(d, "long")


def contrat_pdf(s: ParcoursState, c: Contrat) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _t(c.type.label), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(
        0,
        6,
        _t(f"Contrat n° {c.numero} — parcours {reference(s.parcours_id)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _section(pdf, "Entre")
    _ligne(
        pdf,
        f"{s.usager.prenom} {s.usager.nom.upper()}, né(e) le {jour_fr(s.usager.date_naissance)}, "
        f"domicilié(e) à {s.usager.commune} ({s.usager.code_postal})",
    )
    organisme = s.organisme.label if s.organisme else "l'organisme référent"
    _ligne(pdf, f"et {c.referent.nom}, référent unique, pour {organisme}")
    _section(pdf, "Durée")
    _ligne(
        pdf,
        f"Du {jour_fr(c.date_debut)} au {jour_fr(c.date_fin)}. "
        f"Revue avec la personne avant le {jour_fr(c.date_revue)}.",
    )
    _section(pdf, "Objectifs")
    for n, objectif in enumerate(c.objectifs, start=1):
        frein = f" (frein : {objectif.frein.label.lower()})" if objectif.frein else ""
        metier = (
            f" - métier visé : {libelle_metier(objectif.code_rome)} ({objectif.code_rome})"
            if objectif.code_rome
            else ""
        )
        _ligne(pdf, f"{n}. {objectif.libelle}{frein}{metier}")
    if c.engagements_usager:
        _section(pdf, "La personne s'engage à")
        _ligne(pdf, c.engagements_usager)
    if c.engagements_referent:
        _section(pdf, "Le référent s'engage à")
        _ligne(pdf, c.engagements_referent)
    for n, avenant in enumerate(c.avenants, start=1):
        _section(pdf, f"Avenant n° {n} du {jour_fr(avenant.signe_le)}")
        _ligne(pdf, avenant.motif)
    _section(pdf, "Signatures")
    for signataire in Signataire:
        day = c.signatures.get(signataire)
        _ligne(
            pdf,
            f"{signataire.label} : signé le {jour_fr(day)}"
            if day
            else f"{signataire.label} : non signé",
        )
    return bytes(pdf.output())


def _section(pdf: FPDF, titre: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, _t(titre), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)


def _ligne(pdf: FPDF, texte: str) -> None:
    pdf.multi_cell(0, 6, _t(texte), new_x="LMARGIN", new_y="NEXT")
