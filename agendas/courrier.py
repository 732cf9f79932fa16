"""The postal letters to a person with neither phone nor e-mail (issue 18): the invitation to book,
with its booking code, and the cancellation of a collective session (or the withdrawal from
it). An A4 PDF (fpdf2), sober like the State's design system (one blue, Helvetica, a callout),
folded in three into a window envelope, with the phone number to call.

The address block follows La Poste's standard (NF Z10-011): 6 lines at most, 38 characters at
most each, no punctuation in the lines of the street and of the town, and the last line the
postcode then the town in capitals without accents."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from datetime import date

from fpdf import FPDF

from agendas.code import afficher
from agendas.messages import LETTRE, LETTRE_ANNULATION, MARQUE_CODE, rendre
from core.clock import PARIS
from core.formats import heure, jour, jour_semaine
from schemas.appels import CourrierAnnulation, CourrierInvitation

LIGNES_MAX = 6
LARGEUR_MAX = 38
# Where the address shows through the window of a DL envelope (110 × 220 mm) once the A4
# sheet is folded in three: 100 × 45 mm, 20 mm from the right edge, 45 mm from the top.
FENETRE = (100.0, 45.0, 90.0, 40.0)  # x, y, width, height in mm
BLEU = (0, 0, 145)  # DSFR « bleu France »
GRIS = (238, 238, 238)
# Helvetica of the PDF core fonts covers Latin-1: the few French signs outside it, written plainly.
_REMPLACEMENTS = {"œ": "oe", "Œ": "OE", "’": "'", "–": "-", "—": "-", "…": "...", "\u202f": " "}
_PONCTUATION = re.compile(r"[,.;:!?«»\"()/_]")
_ABREVIATIONS = ((r"\bSAINTE\b", "STE"), (r"\bSAINT\b", "ST"))


# The letters are filed among the dossier's documents (rules/pieces.yaml), by the platform.
TYPE_DE_DOCUMENT = "courrier"
NOM_DU_FICHIER = "courrier-invitation-rendez-vous.pdf"
NOM_DU_FICHIER_ANNULATION = "courrier-annulation-session.pdf"


def est_une_lettre_d_invitation(type_: str, auteur_id: str) -> bool:
    """A letter of the platform holds the person's address (and an invitation's, the booking
    code): only the référent who accompanies them downloads it (web/api/pieces.py), as only
    they see the address."""
    return type_ == TYPE_DE_DOCUMENT and auteur_id == "plateforme"


class AdresseInutilisable(ValueError):
    """The address cannot be written in the block La Poste reads: the référent must fix it."""


def _majuscules_sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    sans = "".join(c for c in decompose if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9A-Za-z]", " ", sans).upper().split())


def ligne_commune(code_postal: str, commune: str) -> str:
    """« 74000 ANNECY », « 74160 ST JULIEN EN GENEVOIS »: capitals, no accent, no punctuation."""
    nom = _majuscules_sans_accents(commune)
    for motif, court in _ABREVIATIONS:
        if len(code_postal) + 1 + len(nom) > LARGEUR_MAX:
            nom = re.sub(motif, court, nom)
    return f"{code_postal} {nom}"[:LARGEUR_MAX].rstrip()


def _nom(prenom: str, nom: str) -> str:
    complet = f"{prenom} {nom.upper()}"
    if len(complet) <= LARGEUR_MAX:
        return complet
    return f"{prenom[:1]} {nom.upper()}"[:LARGEUR_MAX]


def bloc_adresse(prenom: str, nom: str, adresse: str, code_postal: str, commune: str) -> list[str]:
    """The lines of the address block, or AdresseInutilisable if the street part does not fit
    the four lines the standard leaves it (a cut address would not arrive)."""
    parties = [p for p in re.split(r"[\n,]", adresse) if p.strip()]
    lignes: list[str] = []
    for partie in parties:
        propre = " ".join(_PONCTUATION.sub(" ", partie).split())
        lignes += textwrap.wrap(propre, LARGEUR_MAX, break_long_words=True)
    if not lignes:
        raise AdresseInutilisable("L'adresse postale de la personne est vide")
    if len(lignes) > LIGNES_MAX - 2:
        raise AdresseInutilisable(
            f"L'adresse postale ne tient pas dans le bloc adresse de La Poste "
            f"({LIGNES_MAX - 2} lignes de {LARGEUR_MAX} caractères au plus pour la voie) : "
            "abrégez-la dans le dossier, puis relancez"
        )
    return [_nom(prenom, nom), *lignes, ligne_commune(code_postal, commune)]


def _t(texte: str) -> str:
    for a, b in _REMPLACEMENTS.items():
        texte = texte.replace(a, b)
    return texte.encode("latin-1", "replace").decode("latin-1")


class _Lettre(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0, 5, _t("Service public de l'insertion et de l'emploi de la Haute-Savoie"), align="C"
        )


def lettre_pdf(c: CourrierInvitation, code: str, telephone: str, le: date) -> bytes:
    texte = rendre(
        LETTRE.code,
        {
            "prenom": c.prenom,
            "referent": c.referent,
            "date_limite": jour(c.date_limite, "long"),
            "telephone": telephone,
            "adresse_page": f"{c.carnet.adresse_publique.rstrip('/')}/rdv",
        },
    )
    adresse = bloc_adresse(c.prenom, c.nom, c.adresse, c.code_postal, c.commune)
    return _lettre(LETTRE.sujet, c.motif, adresse, le, texte, code)


def lettre_annulation_pdf(c: CourrierAnnulation, telephone: str, le: date) -> bytes:
    """The letter that tells a session's cancellation (or a withdrawal from it): the invitation
    letter's layout, with no code."""
    texte = rendre(
        LETTRE_ANNULATION.code,
        {
            "prenom": c.prenom,
            "session": c.session,
            "quand": f"{jour_semaine(c.debut.astimezone(PARIS).date())} à {heure(c.debut)}",
            "raison": c.raison or "",
            "desinscription": c.desinscription,
            "referent": c.referent,
            "telephone": telephone,
        },
    )
    adresse = bloc_adresse(c.prenom, c.nom, c.adresse, c.code_postal, c.commune)
    titre = "Désinscription d'une réunion" if c.desinscription else LETTRE_ANNULATION.sujet
    return _lettre(titre, c.session, adresse, le, texte, None)


def _lettre(
    titre: str, objet: str, adresse: list[str], le: date, texte: str, code: str | None
) -> bytes:
    """One A4 page: header, address block in the window, date, title, then the template's
    blocks of lines as paragraphs (« [code] »: the booking code's callout)."""
    pdf = _Lettre(format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_title(_t(titre))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    _en_tete(pdf)
    _adresse(pdf, adresse)
    pdf.set_xy(20, 95)
    pdf.set_font("Helvetica", size=10)
    pdf.cell(170, 5, _t(f"Le {jour(le, 'long')}"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(20, 108)
    pdf.set_text_color(*BLEU)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(170, 9, _t(titre), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(170, 6, _t(f"Objet : {objet}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraphe in texte.split("\n\n"):  # the template's blocks of lines
        if paragraphe.strip() == MARQUE_CODE and code is not None:
            _code(pdf, code)
        else:
            _paragraphe(pdf, " ".join(paragraphe.split()))
    return bytes(pdf.output())


def _en_tete(pdf: FPDF) -> None:
    pdf.set_fill_color(*BLEU)
    pdf.rect(20, 15, 1.5, 14, style="F")
    pdf.set_xy(24, 15)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(90, 6, _t("Département de la Haute-Savoie"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(24)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(80, 4.5, _t("Service public de l'insertion et de l'emploi"))


def _adresse(pdf: FPDF, lignes: list[str]) -> None:
    x, y, largeur, _ = FENETRE
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(x + 5, y + 5)
    for ligne in lignes:
        pdf.set_x(x + 5)
        pdf.cell(largeur - 10, 5, _t(ligne), new_x="LMARGIN", new_y="NEXT")


def _paragraphe(pdf: FPDF, texte: str) -> None:
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(170, 6, _t(texte), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _code(pdf: FPDF, code: str) -> None:
    """The code in a callout: grey background, blue left border, large letters."""
    pdf.ln(2)
    y = pdf.get_y()
    pdf.set_fill_color(*GRIS)
    pdf.rect(20, y, 170, 24, style="F")
    pdf.set_fill_color(*BLEU)
    pdf.rect(20, y, 1.5, 24, style="F")
    pdf.set_xy(26, y + 3)
    pdf.set_font("Helvetica", size=10)
    pdf.cell(160, 5, _t("Votre code de rendez-vous"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(26, y + 10)
    pdf.set_font("Courier", "B", 20)
    pdf.cell(160, 10, afficher(code), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(y + 28)
