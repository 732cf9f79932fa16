"""Which command may be given, in which phase, by whom: the one table.

The parcours workflow's validators and the cockpit's buttons both read it, so a button is
shown exactly when the command would be accepted. Conditions return a French refusal, or
``None`` when the command is possible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

from core.francais import a_groupe
from schemas.action import MiseAJourAction, PrescriptionAction
from schemas.carnet import EnvoiLienCarnet, RevocationLiensCarnet
from schemas.common import Acteur, Role
from schemas.contrat import (
    Avenant,
    EtatContrat,
    Manquement,
    RedactionContrat,
    Renouvellement,
    RevueContrat,
    SignatureContrat,
)
from schemas.diagnostic import Diagnostic
from schemas.emploi import DeclarationEmbauche, EtatEmploi, FinEmploi, PointSuivi
from schemas.equipe import MembreAjoute, MembreRetire
from schemas.incident import (
    RelanceIncident,
    ResolutionIncident,
    StatutOperation,
    TypeOperation,
)
from schemas.invitation import (
    AnnulationParLaPersonne,
    ConvocationRdv,
    EnvoiInvitation,
    ReservationParLaPersonne,
)
from schemas.messages import MessageUsager
from schemas.orientation import DecisionOrientationResolue, DemandeReorientation
from schemas.orientation_structure import ReponseStructure
from schemas.parcours import ParcoursState, Phase
from schemas.pmsmp import (
    AnnulationPmsmp,
    BilanPmsmp,
    ConventionPmsmp,
    EtatPmsmp,
    SignaturePmsmp,
    ValidationPmsmp,
)
from schemas.rdv import (
    Contact,
    PauseRappels,
    PlanificationRdv,
    RelanceReferent,
    ResultatRdv,
    ReunionMultipartenaire,
    StatutRdv,
)
from schemas.rdv_solidarites import DemandeRdvSolidarites
from schemas.referent import AccuseTransfert, TransfertResolu
from schemas.sortie import Reprise, Sortie, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires, RectificationIdentite


class Cible(Enum):
    """The workflow that executes the command: the parcours itself or one of its children."""

    PARCOURS = "parcours"
    CONTRAT = "contrat"
    PMSMP = "pmsmp"
    EMPLOI = "emploi"


class Qui(Enum):
    REFERENT = "le référent du parcours"
    NOUVEAU_REFERENT = "le nouveau référent"
    COORDINATEUR = "un coordinateur du territoire"
    ADMINISTRATEUR = "un administrateur"
    # The person, by the personal link of an invitation (issue 18): no API route, no account.
    PERSONNE = "la personne elle-même"
    # The structure of a prescribed service, by the link of its orientation (ticket 20).
    STRUCTURE = "la structure sollicitée"


def reserve_a(qui: frozenset[Qui] | set[Qui]) -> str:
    """« au référent du parcours, à un coordinateur du territoire ou à un administrateur »."""
    groupes = [a_groupe(q.value) for q in Qui if q in qui]  # the enum's order, every time
    return (
        " ou ".join(groupes) if len(groupes) < 3 else f"{', '.join(groupes[:-1])} ou {groupes[-1]}"
    )


Condition = Callable[[ParcoursState], str | None]

OUVERTES = frozenset(Phase) - {Phase.SORTIE}
APRES_ORIENTATION = frozenset({Phase.ORIENTATION, Phase.CONTRAT, Phase.PMSMP, Phase.EMPLOI})
REFERENT = frozenset({Qui.REFERENT})
PERSONNE = frozenset({Qui.PERSONNE})
STRUCTURE = frozenset({Qui.STRUCTURE})
# Commands given from a link's page only (no account): no API route.
PAR_LIEN = frozenset({Qui.PERSONNE, Qui.STRUCTURE})
REFERENT_OU_COORDINATION = frozenset({Qui.REFERENT, Qui.COORDINATEUR, Qui.ADMINISTRATEUR})
COORDINATION = frozenset({Qui.COORDINATEUR, Qui.ADMINISTRATEUR})


@dataclass(frozen=True)
class Transition:
    commande: str
    libelle: str
    modele: type[BaseModel]  # what the executing workflow receives (inside an Ordre)
    phases: frozenset[Phase]
    qui: frozenset[Qui]
    cible: Cible = Cible.PARCOURS
    condition: Condition | None = None
    pendant_suspension: bool = False
    groupe: str = "parcours"


def _prerequis(texte: str) -> Callable[[Condition], Condition]:
    """What the condition asks for, in French: the API's documentation of each command
    (web/api/parcours.py) is derived from it."""

    def poser(condition: Condition) -> Condition:
        setattr(condition, "prerequis", texte)  # noqa: B010 — a function attribute
        return condition

    return poser


def prerequis(condition: Condition | None) -> str:
    return str(getattr(condition, "prerequis", "")) if condition is not None else ""


def _contrat_dans(*etats: EtatContrat) -> Condition:
    attendus = " ou ".join(f"« {e.label} »" for e in etats)

    def check(s: ParcoursState) -> str | None:
        if s.contrat is None:
            return "Aucun contrat d'engagement n'a été rédigé"
        if s.contrat.etat not in etats:
            return (
                f"Le contrat d'engagement est « {s.contrat.etat.label} » : il doit être {attendus}"
            )
        return None

    return _prerequis(f"un contrat d'engagement {attendus}")(check)


@_prerequis("aucun contrat d'engagement en cours")
def _sans_contrat_en_cours(s: ParcoursState) -> str | None:
    if s.contrat is not None and s.contrat.en_cours:
        return "Un contrat d'engagement est déjà en cours : modifiez-le par avenant"
    return None


def _pmsmp_dans(*etats: EtatPmsmp) -> Condition:
    attendus = " ou ".join(f"« {e.label} »" for e in etats)

    def check(s: ParcoursState) -> str | None:
        p = s.pmsmp_en_cours
        if p is None:
            return "Aucune immersion (PMSMP) en cours"
        if p.etat not in etats:
            return f"L'immersion est « {p.etat.label} » : elle doit être {attendus}"
        return None

    return _prerequis(f"une immersion (PMSMP) {attendus}")(check)


@_prerequis("aucune immersion (PMSMP) en cours")
def _sans_pmsmp_en_cours(s: ParcoursState) -> str | None:
    if s.pmsmp_en_cours is not None:
        return "Une immersion est déjà en cours : terminez-la (bilan) ou annulez-la d'abord"
    return None


@_prerequis("un emploi en cours de suivi")
def _emploi_en_cours(s: ParcoursState) -> str | None:
    if s.emploi is None or s.emploi.etat == EtatEmploi.TERMINE:
        return "Aucun emploi en cours de suivi"
    return None


@_prerequis("aucun emploi en cours de suivi")
def _sans_emploi_en_cours(s: ParcoursState) -> str | None:
    if s.emploi is not None and s.emploi.etat != EtatEmploi.TERMINE:
        return "Un emploi est déjà suivi : déclarez d'abord sa fin"
    return None


@_prerequis("un transfert de référent en attente d'accusé de réception")
def _transfert_en_attente(s: ParcoursState) -> str | None:
    if s.transfert is None or s.transfert.accuse_le is not None:
        return "Aucun transfert de référent en attente"
    return None


@_prerequis("au moins une action prescrite")
def _a_des_actions(s: ParcoursState) -> str | None:
    return None if s.actions else "Aucune action prescrite"


@_prerequis("un rendez-vous en attente de son issue")
def _rdv_prevu(s: ParcoursState) -> str | None:
    if not any(r.statut == StatutRdv.PREVU for r in s.rdvs):
        return "Aucun rendez-vous en attente d'issue"
    return None


@_prerequis("un incident ouvert")
def _incident_actif(s: ParcoursState) -> str | None:
    return None if any(i.actif for i in s.incidents) else "Aucun incident ouvert"


@_prerequis("un parcours suspendu")
def _suspendu(s: ParcoursState) -> str | None:
    return None if s.suspension is not None else "Le parcours n'est pas suspendu"


@_prerequis("un parcours non suspendu")
def _non_suspendu(s: ParcoursState) -> str | None:
    return "Le parcours est déjà suspendu" if s.suspension is not None else None


@_prerequis("un téléphone ou un courriel connu de la personne")
def _joignable(s: ParcoursState) -> str | None:
    if not (s.usager.telephone or s.usager.email):
        return "Ni téléphone ni courriel connus : renseignez-en un par une rectification"
    return None


@_prerequis("le partage avec les partenaires accordé, et aucune inscription faite ou en cours")
def _inscriptible_rdv_solidarites(s: ParcoursState) -> str | None:
    if not s.consentement.partage_partenaires:
        return "La personne n'a pas accepté le partage de ses informations avec les partenaires"
    if s.identifiants.rdv_solidarites is not None:
        return "La personne est déjà inscrite dans RDV-Solidarités"
    # the tool's user creation has no idempotency key: one call at a time, or twins
    en_vol = (StatutOperation.EN_COURS, StatutOperation.EN_INCIDENT)
    if any(
        o.type == TypeOperation.INSCRIRE_RDV_SOLIDARITES and o.statut in en_vol
        for o in s.operations
    ):
        return "L'inscription dans RDV-Solidarités est déjà en cours"
    return None


@_prerequis("un référent, et un téléphone ou un courriel connu de la personne")
def _invitable(s: ParcoursState) -> str | None:
    if s.referent is None:
        return "Aucun référent : l'invitation ouvre l'agenda du référent"
    return _joignable(s)


@_prerequis("un lien de carnet actif")
def _lien_actif(s: ParcoursState) -> str | None:
    return None if any(not a.revoque for a in s.acces_carnet) else "Aucun lien de carnet actif"


@_prerequis("un diagnostic réalisé")
def _diagnostic_fait(s: ParcoursState) -> str | None:
    return None if s.diagnostics else "Réalisez d'abord le diagnostic"


@_prerequis("au moins un professionnel dans l'équipe de suivi")
def _equipe_non_vide(s: ParcoursState) -> str | None:
    return None if any(m.present for m in s.equipe) else "L'équipe de suivi est vide"


def _both(*conditions: Condition) -> Condition:
    def check(s: ParcoursState) -> str | None:
        return next((r for c in conditions if (r := c(s)) is not None), None)

    return _prerequis(" et ".join(filter(None, map(prerequis, conditions))))(check)


_C, _P, _E = Cible.CONTRAT, Cible.PMSMP, Cible.EMPLOI
_ACTIF = (EtatContrat.ACTIF, EtatContrat.A_REVOIR)

TRANSITIONS: dict[str, Transition] = {
    t.commande: t
    for t in [
        # Diagnostic and orientation
        Transition(
            "enregistrer_diagnostic",
            "Enregistrer le diagnostic",
            Diagnostic,
            OUVERTES - {Phase.PMSMP},
            REFERENT,
            groupe="diagnostic",
        ),
        Transition(
            "decider_orientation",
            "Décider l'orientation",
            DecisionOrientationResolue,
            frozenset({Phase.DIAGNOSTIC}),
            REFERENT_OU_COORDINATION,
            condition=_diagnostic_fait,
            groupe="orientation",
        ),
        Transition(
            "demander_reorientation",
            "Demander une réorientation",
            DemandeReorientation,
            frozenset({Phase.ORIENTATION, Phase.CONTRAT}),
            REFERENT_OU_COORDINATION,
            condition=_diagnostic_fait,
            groupe="orientation",
        ),
        # Référent unique
        Transition(
            "transferer_referent",
            "Transférer à un autre référent",
            TransfertResolu,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="referent",
        ),
        Transition(
            "accuser_transfert",
            "Accuser réception du transfert",
            AccuseTransfert,
            OUVERTES,
            frozenset({Qui.NOUVEAU_REFERENT}),
            condition=_transfert_en_attente,
            pendant_suspension=True,
            groupe="referent",
        ),
        # Contrat d'engagement (child workflow)
        Transition(
            "rediger_contrat",
            "Rédiger le contrat d'engagement",
            RedactionContrat,
            APRES_ORIENTATION - {Phase.PMSMP},
            REFERENT,
            condition=_sans_contrat_en_cours,
            groupe="contrat",
        ),
        Transition(
            "signer_contrat",
            "Enregistrer une signature du contrat",
            SignatureContrat,
            APRES_ORIENTATION,
            REFERENT,
            _C,
            _contrat_dans(EtatContrat.BROUILLON, EtatContrat.EN_SIGNATURE),
            groupe="contrat",
        ),
        Transition(
            "reviser_contrat",
            "Faire la revue du contrat",
            RevueContrat,
            APRES_ORIENTATION,
            REFERENT,
            _C,
            _contrat_dans(*_ACTIF),
            groupe="contrat",
        ),
        Transition(
            "ajouter_avenant",
            "Ajouter un avenant",
            Avenant,
            APRES_ORIENTATION,
            REFERENT,
            _C,
            _contrat_dans(*_ACTIF),
            groupe="contrat",
        ),
        Transition(
            "renouveler_contrat",
            "Renouveler le contrat",
            Renouvellement,
            APRES_ORIENTATION,
            REFERENT,
            _C,
            _contrat_dans(*_ACTIF),
            groupe="contrat",
        ),
        Transition(
            "signaler_manquement",
            "Engager la procédure de manquement",
            Manquement,
            APRES_ORIENTATION,
            REFERENT_OU_COORDINATION,
            _C,
            _contrat_dans(*_ACTIF, EtatContrat.SUSPENDU),
            groupe="contrat",
        ),
        # Actions from the offer of services
        Transition(
            "prescrire_action",
            "Prescrire une action",
            PrescriptionAction,
            APRES_ORIENTATION,
            REFERENT,
            groupe="action",
        ),
        Transition(
            "repondre_orientation",
            "Répondre à la demande d'orientation (par la structure)",
            ReponseStructure,
            OUVERTES,
            STRUCTURE,
            pendant_suspension=True,
            groupe="action",
        ),
        Transition(
            "mettre_a_jour_action",
            "Mettre à jour une action",
            MiseAJourAction,
            APRES_ORIENTATION,
            REFERENT,
            condition=_a_des_actions,
            groupe="action",
        ),
        # PMSMP (child workflow)
        Transition(
            "prescrire_pmsmp",
            "Préparer une immersion (PMSMP)",
            ConventionPmsmp,
            frozenset({Phase.CONTRAT}),
            REFERENT,
            condition=_sans_pmsmp_en_cours,
            groupe="pmsmp",
        ),
        Transition(
            "signer_pmsmp",
            "Enregistrer une signature de la convention",
            SignaturePmsmp,
            OUVERTES,
            REFERENT,
            _P,
            _pmsmp_dans(EtatPmsmp.EN_SIGNATURE),
            groupe="pmsmp",
        ),
        Transition(
            "valider_pmsmp",
            "Valider la convention",
            ValidationPmsmp,
            OUVERTES,
            REFERENT,
            _P,
            _pmsmp_dans(EtatPmsmp.A_VALIDER),
            groupe="pmsmp",
        ),
        Transition(
            "annuler_pmsmp",
            "Annuler l'immersion",
            AnnulationPmsmp,
            OUVERTES,
            REFERENT,
            _P,
            _pmsmp_dans(
                EtatPmsmp.EN_SIGNATURE, EtatPmsmp.A_VALIDER, EtatPmsmp.VALIDEE, EtatPmsmp.EN_COURS
            ),
            groupe="pmsmp",
        ),
        Transition(
            "rediger_bilan_pmsmp",
            "Enregistrer le bilan de l'immersion",
            BilanPmsmp,
            OUVERTES,
            REFERENT,
            _P,
            _pmsmp_dans(EtatPmsmp.EN_COURS, EtatPmsmp.A_BILANTER),
            groupe="pmsmp",
        ),
        # Suivi dans l'emploi (child workflow)
        Transition(
            "declarer_embauche",
            "Déclarer une embauche",
            DeclarationEmbauche,
            OUVERTES - {Phase.PMSMP},
            REFERENT,
            condition=_sans_emploi_en_cours,
            groupe="emploi",
        ),
        Transition(
            "enregistrer_point_suivi",
            "Enregistrer un point de suivi",
            PointSuivi,
            frozenset({Phase.EMPLOI}),
            REFERENT,
            _E,
            _emploi_en_cours,
            groupe="emploi",
        ),
        Transition(
            "declarer_fin_emploi",
            "Déclarer la fin de l'emploi",
            FinEmploi,
            frozenset({Phase.EMPLOI}),
            REFERENT,
            _E,
            _emploi_en_cours,
            groupe="emploi",
        ),
        # Rendez-vous and contacts
        Transition(
            "planifier_rdv",
            "Planifier un rendez-vous",
            PlanificationRdv,
            OUVERTES,
            REFERENT,
            groupe="rdv",
        ),
        Transition(
            "renseigner_rdv",
            "Renseigner l'issue d'un rendez-vous",
            ResultatRdv,
            OUVERTES,
            REFERENT,
            condition=_rdv_prevu,
            pendant_suspension=True,
            groupe="rdv",
        ),
        Transition(
            "inviter_rdv",
            "Inviter la personne à prendre rendez-vous",
            EnvoiInvitation,
            OUVERTES,
            REFERENT,
            condition=_invitable,
            groupe="rdv",
        ),
        Transition(
            "convoquer_rdv",
            "Convoquer la personne sur un créneau de son agenda",
            ConvocationRdv,
            OUVERTES,
            REFERENT,
            groupe="rdv",
        ),
        Transition(
            "inscrire_rdv_solidarites",
            "Inscrire la personne dans RDV-Solidarités",
            DemandeRdvSolidarites,
            OUVERTES,
            REFERENT,
            condition=_inscriptible_rdv_solidarites,
            groupe="rdv",
        ),
        Transition(
            "reserver_rdv",
            "Prendre rendez-vous (par la personne)",
            ReservationParLaPersonne,
            OUVERTES,
            PERSONNE,
            pendant_suspension=True,
            groupe="rdv",
        ),
        Transition(
            "deplacer_rdv",
            "Déplacer son rendez-vous (par la personne)",
            ReservationParLaPersonne,
            OUVERTES,
            PERSONNE,
            pendant_suspension=True,
            groupe="rdv",
        ),
        Transition(
            "annuler_rdv",
            "Annuler son rendez-vous (par la personne)",
            AnnulationParLaPersonne,
            OUVERTES,
            PERSONNE,
            pendant_suspension=True,
            groupe="rdv",
        ),
        Transition(
            "regler_rappels",
            "Suspendre ou reprendre les rappels",
            PauseRappels,
            OUVERTES,
            REFERENT,
            pendant_suspension=True,
            groupe="rdv",
        ),
        Transition(
            "enregistrer_contact",
            "Enregistrer un contact",
            Contact,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="contact",
        ),
        Transition(
            "envoyer_message",
            "Envoyer un message à la personne",
            MessageUsager,
            OUVERTES,
            REFERENT,
            condition=_joignable,
            pendant_suspension=True,
            groupe="contact",
        ),
        Transition(
            "planifier_reunion",
            "Planifier une réunion multipartenaire",
            ReunionMultipartenaire,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="contact",
        ),
        # The dossier
        Transition(
            "modifier_consentement",
            "Modifier le consentement",
            Consentement,
            OUVERTES,
            REFERENT,
            pendant_suspension=True,
            groupe="dossier",
        ),
        Transition(
            "modifier_identifiants",
            "Modifier les identifiants partenaires",
            IdentifiantsPartenaires,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="dossier",
        ),
        Transition(
            "suspendre_parcours",
            "Suspendre le parcours",
            Suspension,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            condition=_non_suspendu,
            groupe="dossier",
        ),
        Transition(
            "reprendre_parcours",
            "Reprendre le parcours",
            Reprise,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            condition=_suspendu,
            pendant_suspension=True,
            groupe="dossier",
        ),
        Transition(
            "rectifier_identite",
            "Rectifier l'identité ou les coordonnées",
            RectificationIdentite,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="dossier",
        ),
        Transition(
            "envoyer_lien_carnet",
            "Envoyer à la personne le lien de son carnet",
            EnvoiLienCarnet,
            OUVERTES,
            REFERENT,
            condition=_joignable,
            pendant_suspension=True,
            groupe="dossier",
        ),
        Transition(
            "revoquer_liens_carnet",
            "Désactiver les liens du carnet",
            RevocationLiensCarnet,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            condition=_lien_actif,
            pendant_suspension=True,
            groupe="dossier",
        ),
        # L'équipe de suivi (membership gives read access; only the référent decides it)
        Transition(
            "ajouter_membre",
            "Inviter un professionnel dans l'équipe de suivi",
            MembreAjoute,
            OUVERTES,
            REFERENT,
            pendant_suspension=True,
            groupe="equipe",
        ),
        Transition(
            "retirer_membre",
            "Retirer un professionnel de l'équipe de suivi",
            MembreRetire,
            OUVERTES,
            REFERENT,
            condition=_equipe_non_vide,
            pendant_suspension=True,
            groupe="equipe",
        ),
        # Coordination and incidents
        Transition(
            "relancer_referent",
            "Relancer le référent",
            RelanceReferent,
            OUVERTES,
            COORDINATION,
            pendant_suspension=True,
            groupe="coordination",
        ),
        Transition(
            "relancer_incident",
            "Relancer l'appel en échec",
            RelanceIncident,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            condition=_incident_actif,
            pendant_suspension=True,
            groupe="incident",
        ),
        Transition(
            "resoudre_incident",
            "Clore l'incident",
            ResolutionIncident,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            condition=_incident_actif,
            pendant_suspension=True,
            groupe="incident",
        ),
        # Sortie
        Transition(
            "prononcer_sortie",
            "Prononcer la sortie",
            Sortie,
            OUVERTES,
            REFERENT_OU_COORDINATION,
            pendant_suspension=True,
            groupe="sortie",
        ),
    ]
}


class CommandeRefusee(Exception):
    """A business refusal, with the French sentence shown to the person — and, when changing
    one field would make it acceptable, that field's name (then a 422 beside the field, not a
    409: the state is fine, the input is not)."""

    def __init__(
        self, message: str, code: str = "commande_refusee", champ: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.champ = champ

    def details(self) -> dict[str, list[dict[str, str]]]:
        """What the refusal carries out of the workflow (data only: replay-safe)."""
        return erreurs_du_champ(self.champ, self.message)


def erreurs_du_champ(champ: str | None, message: str) -> dict[str, list[dict[str, str]]]:
    return {"erreurs": [{"champ": champ, "message": message}]} if champ else {}


def qualites(acteur: Acteur, state: ParcoursState) -> set[Qui]:
    """In which capacities this actor may act on this parcours."""
    found: set[Qui] = set()
    if acteur.role == Role.REFERENT and state.referent and state.referent.referent.id == acteur.id:
        found.add(Qui.REFERENT)
    if (
        acteur.role == Role.REFERENT
        and state.transfert
        and state.transfert.accuse_le is None
        and state.transfert.vers.id == acteur.id
    ):
        found.add(Qui.NOUVEAU_REFERENT)
    if acteur.role == Role.COORDINATEUR and acteur.territoire == state.territoire:
        found.add(Qui.COORDINATEUR)
    if acteur.role == Role.ADMINISTRATEUR:
        found.add(Qui.ADMINISTRATEUR)
    if acteur.role == Role.USAGER and acteur.id == f"usager:{state.parcours_id}":
        found.add(Qui.PERSONNE)
    if acteur.role == Role.PARTENAIRE and acteur.id == f"structure:{state.parcours_id}":
        found.add(Qui.STRUCTURE)
    return found


def refus(commande: str, state: ParcoursState, acteur: Acteur) -> str | None:
    """Why this actor cannot give this command now, in French — or None if they can."""
    t = TRANSITIONS.get(commande)
    if t is None:
        return f"Commande inconnue : « {commande} »"
    if state.clos:
        return "Le parcours est clos : aucune commande n'est plus possible"
    if not qualites(acteur, state) & t.qui:
        return f"« {t.libelle} » est réservé {reserve_a(t.qui)}"
    if state.phase not in t.phases:
        return f"« {t.libelle} » n'est pas possible en phase « {state.phase.label} »"
    if state.suspension is not None and not t.pendant_suspension:
        return f"Le parcours est suspendu : « {t.libelle} » attendra sa reprise"
    if t.condition is not None:
        return t.condition(state)
    return None


def verifier(commande: str, state: ParcoursState, acteur: Acteur) -> None:
    reason = refus(commande, state, acteur)
    if reason is not None:
        raise CommandeRefusee(reason)


def commandes_possibles(state: ParcoursState, acteur: Acteur) -> list[Transition]:
    """The buttons to show this actor now, in table order."""
    return [t for name, t in TRANSITIONS.items() if refus(name, state, acteur) is None]
