"""The event catalogue in French, generated from ``schemas.evenements.CATALOGUE``: served in
the OpenAPI description and copied into docs/evenements-partenaires.md.

``python -m web.partenaires.documentation`` rewrites the catalogue section of that document;
a test fails when the committed document is out of date.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from core.settings import ROOT
from partenaires.reception import LOT_MAX_EVENEMENTS, LOT_MAX_OCTETS, TYPE_LOT
from schemas.evenements import CATALOGUE, CleSujet, TypeEvenement

DOCUMENT = ROOT / "docs" / "evenements-partenaires.md"
DEBUT = "<!-- catalogue : début (généré par « python -m web.partenaires.documentation ») -->"
FIN = "<!-- catalogue : fin -->"

TYPES = {
    str: "texte",
    date: "date AAAA-MM-JJ",
    datetime: "date-heure RFC 3339",
    float: "nombre",
    int: "entier",
    bool: "booléen",
}
SUJETS = {
    CleSujet.FRANCE_TRAVAIL: "`1234567A` (7 chiffres puis un chiffre ou une lettre)",
    CleSujet.CAF: "`1234567` (7 chiffres)",
    CleSujet.PASS_IAE: "`999990000001` (12 chiffres)",
    CleSujet.SALARIE: "`73282932000074:M-1042` (SIRET, « : », matricule)",
    CleSujet.CONVENTION: "l'identifiant de convention transmis par la plateforme Parcours",
    CleSujet.RDV: "l'identifiant de rendez-vous transmis par la plateforme Parcours",
    CleSujet.RDV_SOLIDARITES: "`48213` (l'identifiant de l'usager dans RDV-Solidarités)",
}
VALEURS = re.compile(r"^\^\(([\w|-]+)\)\$$")


def _type(annotation: Any) -> tuple[str, bool]:
    """French name of a field's type, and whether null is allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return TYPES.get(args[0], "valeur"), True
    return TYPES.get(annotation, "valeur"), False


def _champ(nom: str, info: FieldInfo) -> str:
    nature, _ = _type(info.annotation)
    for contrainte in info.metadata:
        motif = getattr(contrainte, "pattern", None)
        if motif and (m := VALEURS.match(motif)):
            nature = " \\| ".join(f"`{v}`" for v in m.group(1).split("|"))
    obligation = "obligatoire" if info.is_required() else "facultatif"
    return f"`{nom}` ({nature}, {obligation})"


def champs_data(modele: type[BaseModel]) -> str:
    return " ; ".join(_champ(nom, info) for nom, info in modele.model_fields.items())


def effet(t: TypeEvenement) -> str:
    texte = t.effet.label
    if t.fait is not None:
        texte += f" ; situation « {t.fait} » : `{t.valeur}` (si plus récent que la valeur connue)"
    return texte


def tableau() -> str:
    lignes = [
        "| Type (`type`) | Émetteur | Sujet (`subject`) | Données (`data`) | Effet sur le parcours |",
        "|---|---|---|---|---|",
    ]
    for t in CATALOGUE.values():
        lignes.append(
            f"| `{t.nom}`<br>{t.libelle} | {t.partenaire.label} (`{t.partenaire.value}`) "
            f"| {t.cle.label} : {SUJETS[t.cle]} | {champs_data(t.data)} | {effet(t)} |"
        )
    return "\n".join(lignes)


def description_route() -> str:
    """The route's OpenAPI description: the contract in short, then the catalogue."""
    return (
        "Reçoit **un** événement CloudEvents 1.0 en JSON structuré "
        "(`Content-Type: application/cloudevents+json`, 256 Kio au plus), signé selon "
        "Standard Webhooks (en-têtes `webhook-id` = `id` de l'événement, `webhook-timestamp`, "
        "`webhook-signature`) avec le secret `whsec_…` du partenaire.\n\n"
        "L'événement est enregistré avant l'accusé de réception (202) ; le même `id` renvoyé "
        "est acquitté sans effet (`duplicate`). Les faits sont appliqués selon leur `time`, "
        "pas selon leur ordre d'arrivée. Un événement qui ne correspond à aucun parcours "
        "ouvert attend le rapprochement d'un coordinateur (`matched` : false) ; l'accusé ne "
        "nomme jamais le parcours.\n\n"
        f"**Lot** (mode « batched » du binding HTTP de CloudEvents) : `Content-Type: {TYPE_LOT}`, "
        f"le corps est un tableau JSON d'événements ({LOT_MAX_EVENEMENTS} au plus, "
        f"{LOT_MAX_OCTETS // 1024 // 1024} Mio au plus, et pas plus que la limite du partenaire "
        "par minute), signé une fois pour tout le corps (`webhook-id` : un identifiant du lot, "
        "pas celui d'un événement). Chaque événement est vérifié comme s'il était seul ; les "
        "valides sont enregistrés ensemble. La réponse donne un résultat par événement, dans "
        "l'ordre du lot (`accepted`, `duplicate` ou `refused` avec son code, son message et ses "
        "champs) : 202 si aucun n'est refusé, 207 sinon (les autres sont bien enregistrés). "
        "La limite de débit compte les événements, pas les requêtes.\n\n"
        "Contrat complet : `docs/evenements-partenaires.md`.\n\n"
        "### Catalogue des événements\n\n" + tableau()
    )


def section() -> str:
    return f"{DEBUT}\n\n{tableau()}\n\n{FIN}"


def document_a_jour(texte: str) -> str:
    """The document with its catalogue section regenerated (the rest is left as written)."""
    debut, fin = texte.index(DEBUT), texte.index(FIN) + len(FIN)
    return texte[:debut] + section() + texte[fin:]


def main(chemin: Path = DOCUMENT) -> None:
    chemin.write_text(document_a_jour(chemin.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
