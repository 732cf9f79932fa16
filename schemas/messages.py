"""A message the référent writes to the person, by SMS or e-mail, from a template whose fields
(« {prenom} »…) are filled from the dossier when it is sent.

Filling is pure (no clock, no I/O): the parcours workflow fills the text it sends, and the
cockpit's preview fills the same text the same way before anything is sent."""

from __future__ import annotations

import re

from pydantic import Field

from schemas.appels import MARQUE_LIEN
from schemas.common import LabelledEnum, Model

LIEN_CARNET = "lien_carnet"


class CanalMessage(LabelledEnum):
    SMS = "sms", "Par SMS"
    COURRIEL = "courriel", "Par courriel"


class ModeleMessage(LabelledEnum):
    LIBRE = "libre", "Message libre"
    PROCHAIN_RDV = "prochain_rdv", "Rappel du prochain rendez-vous"
    NOUVELLES = "nouvelles", "Demande de nouvelles"
    PIECES = "pieces", "Pièces à apporter"
    CARNET = "carnet", "Lien du carnet de bord"


# The fields a text may name, and what each becomes.
CHAMPS: dict[str, str] = {
    "prenom": "le prénom de la personne",
    "nom": "son nom",
    "referent": "le nom de son référent",
    "prochain_rdv": "la date et l'heure de son prochain rendez-vous",
    LIEN_CARNET: "un lien personnel vers son carnet de bord, tiré à l'envoi",
}

MODELES: dict[ModeleMessage, tuple[str, str]] = {  # (subject of the e-mail, text)
    ModeleMessage.LIBRE: ("", ""),
    ModeleMessage.PROCHAIN_RDV: (
        "Votre prochain rendez-vous",
        "Bonjour {prenom}, je vous rappelle notre rendez-vous le {prochain_rdv}. "
        "En cas d'imprévu, prévenez-moi. {referent}",
    ),
    ModeleMessage.NOUVELLES: (
        "Des nouvelles ?",
        "Bonjour {prenom}, je n'ai pas eu de vos nouvelles depuis quelque temps. "
        "Pouvez-vous me rappeler ? {referent}",
    ),
    ModeleMessage.PIECES: (
        "Pièces à apporter",
        "Bonjour {prenom}, pour notre prochain rendez-vous, pensez à apporter votre pièce "
        "d'identité et votre dernier avis de la CAF. {referent}",
    ),
    ModeleMessage.CARNET: (
        "Votre carnet de bord",
        "Bonjour {prenom}, voici le lien de votre carnet de bord : {lien_carnet} . "
        "Ne le transmettez à personne. {referent}",
    ),
}

CHAMP = re.compile(r"\{([^{}\s]{1,40})\}")


class DemandeMessage(Model):
    """What the référent asks: one message, by one channel, to the person."""

    canal: CanalMessage = Field(CanalMessage.SMS, description="Envoyer")
    modele: ModeleMessage = Field(ModeleMessage.LIBRE, description="Modèle")
    sujet: str = Field("", max_length=150, description="Objet du courriel")
    texte: str = Field(min_length=1, max_length=1000, description="Message")


class MessageUsager(DemandeMessage):
    """The same, completed by the web app with the platform's public address (for a carnet
    link the text may ask for), never by a client."""

    adresse_publique: str = Field(pattern=r"^https?://")


def champs_inconnus(texte: str) -> list[str]:
    return sorted({c for c in CHAMP.findall(texte) if c not in CHAMPS})


def remplir(texte: str, valeurs: dict[str, str | None]) -> tuple[str, list[str]]:
    """(the text with its fields filled, the fields it names that have no value today).
    The carnet link stays as MARQUE_LIEN: its secret is drawn by the sending activity."""
    manquants: list[str] = []

    def valeur(m: re.Match[str]) -> str:
        nom = m.group(1)
        if nom == LIEN_CARNET:
            return MARQUE_LIEN
        if nom not in CHAMPS:
            return m.group(0)
        if (v := valeurs.get(nom)) is None:
            manquants.append(nom)
            return m.group(0)
        return v

    return CHAMP.sub(valeur, texte), manquants


def sans_secret(texte: str) -> str:
    """What the timeline keeps of a sent text: the carnet link named, never its secret."""
    return texte.replace(MARQUE_LIEN, "[lien du carnet]")
