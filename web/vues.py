"""What a given person is shown of a parcours: need-to-know redaction and allowed commands.

Shared by the JSON API and the cockpit, so both show exactly the same thing.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from core.ids import reference
from schemas.incident import OperationSortante
from schemas.parcours import PROCHAINE_ETAPE, ParcoursState, Phase, Statut
from services.utilisateur import Utilisateur, est_referent_du_parcours
from store.parcours import ParcoursRow
from web.securite.sensible import proteger, sensible_visible
from workflows.transitions import Cible, commandes_possibles


class CommandePossible(BaseModel):
    nom: str
    libelle: str
    groupe: str
    chemin: str
    sous_processus: bool


class ParcoursVue(BaseModel):
    id: str
    reference: str
    statut: Statut
    statut_libelle: str
    phase: Phase
    phase_libelle: str
    prochaine_etape: str
    lecture_seule: bool
    sensible_visible: bool
    contacts_visibles: bool
    commandes: list[CommandePossible]
    etat: ParcoursState


class ParcoursResume(BaseModel):
    id: str
    reference: str
    nom: str
    prenom: str
    territoire: str
    organisme: str | None
    referent_id: str | None
    referent_nom: str | None
    phase: str
    phase_depuis: date
    statut: str
    motifs: list[str]
    prochaine_echeance: date | None
    prochaine_echeance_libelle: str | None
    prochain_rdv: datetime | None
    derniere_interaction: date
    incidents_ouverts: int
    ouvert_le: date
    clos_le: date | None

    @classmethod
    def depuis(cls, row: ParcoursRow) -> ParcoursResume:
        return cls.model_validate(row, from_attributes=True)


class PageParcours(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ParcoursResume]


def chemin_commande(parcours_id: str, nom: str) -> str:
    return f"/api/v1/parcours/{parcours_id}/{nom.replace('_', '-')}"


def contacts_visibles(u: Utilisateur, s: ParcoursState) -> bool:
    """The person's phone, e-mail and address: for the référent who accompanies them now —
    not a former référent, a coordinator, an administrator nor the person's own carnet page.
    (The administrator sees a contact only in the payload of a message not sent yet, to
    repair a failed send: see :func:`_operations`.)"""
    return est_referent_du_parcours(u, s)


def caviarder(s: ParcoursState, u: Utilisateur) -> ParcoursState:
    shown = proteger(s.model_copy(update={"regles": None}, deep=True), u)  # health, justice
    if not contacts_visibles(u, s):
        shown.usager = s.usager.model_copy(
            update={"telephone": None, "email": None, "adresse": None}
        )
        shown.accueil = s.accueil.model_copy(update={"usager": shown.usager})
    shown.operations = _operations(s.operations, u)
    # The fingerprints of the carnet's links: useless to a reader, kept out all the same.
    shown.acces_carnet = [a.model_copy(update={"empreinte": ""}) for a in s.acces_carnet]
    # Likewise the NIR's HMAC: it only finds the person in an imported list.
    shown.accueil = shown.accueil.model_copy(update={"nir_empreinte": None})
    return shown


def _operations(operations: list[OperationSortante], u: Utilisateur) -> list[OperationSortante]:
    """What is sent to partners (contacts, messages, identifiers) is the administrator's to
    see, to repair a failed call; everyone else sees the operation, not its payload. (The
    workflow empties a payload once its call succeeded, and a carnet link's secret is never
    in it: the sending activity draws it.)"""
    if u.est_admin:
        return operations
    return [o.model_copy(update={"donnees": {}, "resultat": None}) for o in operations]


def vue(s: ParcoursState, u: Utilisateur) -> ParcoursVue:
    commandes = [
        CommandePossible(
            nom=t.commande,
            libelle=t.libelle,
            groupe=t.groupe,
            chemin=chemin_commande(s.parcours_id, t.commande),
            sous_processus=t.cible != Cible.PARCOURS,
        )
        for t in commandes_possibles(s, u.acteur)
    ]
    return ParcoursVue(
        id=s.parcours_id,
        reference=reference(s.parcours_id),
        statut=s.statut,
        statut_libelle=s.statut.label,
        phase=s.phase,
        phase_libelle=s.phase.label,
        prochaine_etape=PROCHAINE_ETAPE[s.phase],
        lecture_seule=not commandes,
        sensible_visible=sensible_visible(u, s),
        contacts_visibles=contacts_visibles(u, s),
        commandes=commandes,
        etat=caviarder(s, u),
    )
