"""The messages the person receives about their rendez-vous, as Jinja templates of one folder
(agendas/gabarits/), each with fictitious data that an administrator previews it with.

Today the parcours workflow still writes these texts itself (workflows/etapes/rdv.py): sending
them from the templates changes what recorded histories hold, which needs its own
``workflow.patched``. Until then tests/agendas/test_gabarits.py checks, word for word, that each
template says what the workflow sends, so that the preview never shows another text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.sms import CompteSms, compter
from schemas.appels import Sms

GABARITS = Path(__file__).parent / "gabarits"
# What the SMS gateway's call accepts (schemas.appels.Sms): the limit the preview shows.
LIMITE_SMS = next(
    m.max_length for m in Sms.model_fields["texte"].metadata if hasattr(m, "max_length")
)
# Plain text, not HTML: the page that shows them escapes them. A field the data lacks is an
# error, never an empty hole in a message sent to someone.
_ENVIRONNEMENT = Environment(
    loader=FileSystemLoader(GABARITS), undefined=StrictUndefined, autoescape=False
)

# Fictitious data, at the length of real data: a booking link is the public address, « /rdv/ »
# and a secret of 43 characters (secrets.token_urlsafe(32)).
_LIEN = "https://parcours.example.fr/rdv/" + "Ex3mpleDeLienFictifPourLaPrevisualisation00"
_COMMUN = {
    "prenom": "Alexandra",
    "professionnel": "Dominique Exemple",
    "quand": "14 janvier 2031 à 9 h 30",
    "ou": "Maison des solidarités d'Annecy, 12 rue de l'Exemple",
    "motif": "Premier rendez-vous d'orientation",
    "date_limite": "24 janvier 2031",
}
_RDV = ("prenom", "quand", "ou", "professionnel")


def _exemple(*champs: str, **autres: object) -> dict[str, object]:
    """Only the fields the template uses, so that the test sees each one is needed."""
    return {c: _COMMUN[c] for c in champs} | autres


@dataclass(frozen=True)
class Modele:
    code: str  # the template's file name, without « .txt »
    titre: str
    quand: str  # when it is sent, for the administrator
    sujet: str  # the subject of the e-mail
    exemple: dict[str, object]


MODELES: tuple[Modele, ...] = (
    Modele(
        "invitation",
        "Invitation à prendre rendez-vous",
        "Quand le référent invite la personne (et à la relance, précédé de « rappel : »).",
        "Prenez votre rendez-vous",
        _exemple("prenom", "motif", "date_limite", relance=False, lien=_LIEN),
    ),
    Modele(
        "confirmation",
        "Confirmation du rendez-vous",
        "Quand la personne choisit un créneau (le courriel joint le fichier .ics).",
        "Votre rendez-vous est confirmé",
        _exemple(*_RDV),
    ),
    Modele(
        "changement",
        "Rendez-vous déplacé",
        "Quand la personne déplace son rendez-vous.",
        "Votre rendez-vous est déplacé",
        _exemple(*_RDV, ancien_quand="13 janvier 2031 à 14 h 00"),
    ),
    Modele(
        "annulation",
        "Rendez-vous annulé",
        "Quand la personne annule son rendez-vous.",
        "Votre rendez-vous est annulé",
        _exemple("prenom", "quand", "date_limite"),
    ),
    Modele(
        "convocation",
        "Convocation",
        "Quand le référent convoque la personne sur un créneau de son agenda.",
        "Convocation à un rendez-vous",
        _exemple(*_RDV, "motif"),
    ),
    Modele(
        "annulation_session",
        "Session collective annulée",
        "Quand l'organisateur annule une session collective : à chaque personne inscrite.",
        "Votre réunion d'information collective est annulée",
        _exemple("prenom", "quand", raison="l'intervenante est malade"),
    ),
    Modele(
        "desinscription_session",
        "Désinscription d'une session collective",
        "Quand le référent de la personne ou l'organisateur la désinscrit d'une session "
        "collective (le courriel joint le fichier .ics qui retire l'événement).",
        "Votre inscription à l'information collective est annulée",
        _exemple("prenom", "quand"),
    ),
    Modele(
        "rappel",
        "Rappel du rendez-vous",
        "Avant le rendez-vous, aux jours fixés par les règles (J-2 et J-1).",
        "Rappel de votre rendez-vous",
        _exemple(*_RDV),
    ),
)


# The letter (issue 18): not an SMS, so not counted as one; printed in a PDF around its code.
LETTRE = Modele(
    "courrier",
    "Courrier d'invitation",
    "Quand la personne n'a ni téléphone ni courriel : le référent imprime la lettre (PDF, jointe "
    "aux documents du dossier) et la poste. Le code de rendez-vous est imprimé à la place de "
    "« [code] ».",
    "Invitation à prendre rendez-vous",
    _exemple(
        "prenom",
        "date_limite",
        referent="Dominique Exemple",
        telephone="04 50 12 34 56",
        adresse_page="https://parcours.example.fr/rdv",
    ),
)
MARQUE_CODE = "[code]"
# The letter of a cancelled collective session, or of a withdrawal from one (« desinscription »):
# for a person with neither phone nor e-mail, in place of the SMS and the e-mail.
LETTRE_ANNULATION = Modele(
    "courrier_annulation",
    "Courrier d'annulation d'une session collective",
    "Quand une session collective est annulée, ou la personne désinscrite, et qu'elle n'a ni "
    "téléphone ni courriel : le référent imprime la lettre (PDF, jointe aux documents du "
    "dossier) et la poste.",
    "Réunion annulée",
    {
        "prenom": "Alexandra",
        "session": "Information collective RSA",
        "quand": "mardi 14 janvier 2031 à 9 h 30",
        "raison": "l'intervenante est malade",
        "desinscription": False,
        "referent": "Dominique Exemple",
        "telephone": "04 50 12 34 56",
    },
)
LETTRES = (LETTRE, LETTRE_ANNULATION)


def modele(code: str) -> Modele | None:
    return next((m for m in MODELES if m.code == code), None)


def rendre(code: str, donnees: dict[str, object]) -> str:
    """The text of a message; a field missing from ``donnees`` raises (StrictUndefined)."""
    return _ENVIRONNEMENT.get_template(f"{code}.txt").render(donnees).strip()


@dataclass(frozen=True)
class Apercu:
    modele: Modele
    texte: str
    sms: CompteSms


def apercus() -> list[Apercu]:
    """Every template, filled with its fictitious data, and what it costs as an SMS."""
    return [
        Apercu(m, texte, compter(texte)) for m in MODELES for texte in [rendre(m.code, m.exemple)]
    ]
