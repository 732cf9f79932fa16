"""The one way the outside world (API, cockpit, demo loader, tests) talks to a parcours.

It starts the workflow at accueil, sends each command to the workflow that executes it
(the parcours or one of its children, as the transition table says), and turns Temporal's
refusals into ``CommandeImpossible`` with an HTTP status and a French message.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from temporalio.client import (
    Client,
    RPCTimeoutOrCancelledError,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from core import metriques
from core import search_attributes as sa
from core.clock import local_day
from core.ids import parcours_workflow_id
from core.temporal import TASK_QUEUE
from rules.chargement import charger_regles_vigie
from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur, Ordre
from schemas.erreurs import CodeErreur
from schemas.evenements import EvenementPartenaire, LotEvenements
from schemas.incident import PolitiqueAppels
from schemas.parcours import Accueil, ParcoursInput, ParcoursState
from schemas.projection import Projection
from schemas.regles import ReglesVigie
from workflows import publication
from workflows.ouverture import etat_ouvert
from workflows.publication import projection
from workflows.transitions import TRANSITIONS, Cible, refus


class CommandeImpossible(Exception):
    """A command that was not carried out (nothing changed), or — 503 — whose outcome the
    engine could not tell."""

    def __init__(
        self, status: int, message: str, code: str, erreurs: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.erreurs = erreurs or []


def _cible_id(state: ParcoursState, cible: Cible) -> str | None:
    if cible == Cible.CONTRAT and state.contrat is not None:
        return state.contrat.workflow_id
    if cible == Cible.PMSMP and (p := state.pmsmp_en_cours) is not None:
        return p.workflow_id
    if cible == Cible.EMPLOI and state.emploi is not None:
        return state.emploi.workflow_id
    return None


def _version_enfant(state: ParcoursState, cible: Cible) -> int | None:
    """The child's version as the parcours last heard of it (what the person saw)."""
    if cible == Cible.CONTRAT and state.contrat is not None:
        return state.contrat.version
    if cible == Cible.PMSMP and (p := state.pmsmp_en_cours) is not None:
        return p.version
    if cible == Cible.EMPLOI and state.emploi is not None:
        return state.emploi.version
    return None


def conflit() -> CommandeImpossible:
    return CommandeImpossible(409, MESSAGE_CONFLIT, CONFLIT_DE_VERSION)


INJOIGNABLE = CodeErreur.TEMPORAL_INDISPONIBLE


def injoignable(*, envoye: bool) -> CommandeImpossible:
    """Temporal (or every worker) does not answer. Said honestly: a command already sent may
    still be carried out; sent again with the version seen, it cannot apply twice."""
    if envoye:
        return CommandeImpossible(
            503,
            "Le moteur de parcours ne répond pas : la demande a peut-être été enregistrée. "
            "Rechargez le parcours dans un instant avant de recommencer",
            INJOIGNABLE,
        )
    return CommandeImpossible(
        503,
        "Le moteur de parcours ne répond pas : rien n'a été enregistré, réessayez dans un instant",
        INJOIGNABLE,
    )


def _traduire(err: WorkflowUpdateFailedError) -> CommandeImpossible:
    cause = err.cause
    if isinstance(cause, ApplicationError):
        details = cause.details[0] if cause.details else {}
        erreurs = details.get("erreurs", []) if isinstance(details, dict) else []
        # a refusal naming the field to fix is bad input (422), not a state conflict (409)
        status = 422 if cause.type == CodeErreur.DONNEES_INVALIDES or erreurs else 409
        return CommandeImpossible(
            status, cause.message, cause.type or CodeErreur.COMMANDE_REFUSEE, erreurs
        )
    return CommandeImpossible(409, str(cause), CodeErreur.COMMANDE_REFUSEE)


@lru_cache(maxsize=32)
def _regles(territoire: str, annee: int) -> ReglesVigie:
    """Read once per territory and year (the holidays are computed each time otherwise)."""
    return charger_regles_vigie(territoire, annee)


def _entree(parcours_id: str, accueil: Accueil, auteur: Acteur, **options: Any) -> ParcoursInput:
    """A new parcours' input, with the vigie's rules of its territory for this year: the
    workflow then arms its vigie in its first task, without an activity to load them."""
    annee = local_day(datetime.now(UTC)).year
    return ParcoursInput(
        parcours_id=parcours_id,
        accueil=accueil,
        auteur=auteur,
        regles=_regles(accueil.territoire.value, annee),
        **options,
    )


class ParcoursClient:
    def __init__(
        self,
        client: Client,
        task_queue: str = TASK_QUEUE,
        anonymise: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        self.client = client
        self.task_queue = task_queue
        # Temporal deletes an anonymised parcours' history in the background (about a minute):
        # until then, the read model's flag is what keeps the dossier closed to everyone.
        self.anonymise = anonymise

    def handle(self, parcours_id: str) -> WorkflowHandle[Any, Any]:
        return self.client.get_workflow_handle(parcours_workflow_id(parcours_id))

    async def ouvrir(
        self,
        accueil: Accueil,
        auteur: Acteur,
        *,
        referent: Acteur | None = None,
        parcours_id: str | None = None,
        seuil_continue_as_new: int | None = None,
        politique_appels: PolitiqueAppels | None = None,
    ) -> ParcoursState:
        """Open a parcours and answer its first state (the accueil shows it)."""
        entree = _entree(
            parcours_id or str(uuid.uuid4()),
            accueil,
            auteur,
            referent=referent,
            seuil_continue_as_new=seuil_continue_as_new,
            politique_appels=politique_appels,
        )
        # Its state is computed by the workflow: only what the accueil tells at the start.
        attributs = {sa.TERRITOIRE: accueil.territoire.value, sa.TYPE: "parcours"}
        try:
            handle = await self._demarrer(entree, attributs)
            state: ParcoursState = await handle.execute_update(
                "etat_initial", result_type=ParcoursState
            )
        except (RPCError, RPCTimeoutOrCancelledError):
            raise injoignable(envoye=True) from None
        return state

    async def demarrer(
        self,
        accueil: Accueil,
        auteur: Acteur,
        *,
        parcours_id: str,
        referent: Acteur | None = None,
        droits_rsa: dict[str, Any] | None = None,
        sans_referent_annonce: bool = False,
    ) -> Projection:
        """Open a parcours without waiting for its first state, and answer its first
        projection, which the caller writes into the read model (an import: with its rows'
        outcomes, in one transaction). The opening is computed here by the workflow's own
        code (workflows/ouverture.py) and the workflow starts from it: it projects nothing
        nor upserts its search attributes before its next change, and its opening is one
        workflow task, without an activity (issue 16). ``droits_rsa``: the CAF's answer,
        read beforehand; ``sans_referent_annonce``: the caller tells the coordination itself
        that it opens it without a référent (``ParcoursInput``).
        ``WorkflowAlreadyStartedError`` if it is open: nothing to write then (``projection``)."""
        entree = _entree(
            parcours_id,
            accueil,
            auteur,
            referent=referent,
            droits_rsa=droits_rsa,
            sans_referent_annonce=sans_referent_annonce,
        )
        maintenant = datetime.now(UTC)
        etat = etat_ouvert(entree, maintenant)
        premiere = projection(etat, local_day(maintenant))
        # the state says its timeline is written, as the workflow's own projection would
        etat.compteurs = dict(premiere.etat.compteurs)
        ouvert = ParcoursInput(
            parcours_id=parcours_id,
            etat=etat,
            projete=True,
            sans_referent_annonce=sans_referent_annonce,
        )
        try:
            await self._demarrer(ouvert, publication.attributs(etat))
        except (RPCError, RPCTimeoutOrCancelledError):
            raise injoignable(envoye=True) from None
        return premiere

    async def projection(self, parcours_id: str) -> Projection:
        """What the read model must hold of a running parcours, from its whole state (as the
        rebuild reads it, ops/reconstruction.py): for an opening whose start went through
        but whose first projection was not written (a retried import batch)."""
        try:
            etat = await self.handle(parcours_id).query("etat_complet", result_type=ParcoursState)
        except (RPCError, RPCTimeoutOrCancelledError):
            raise injoignable(envoye=False) from None
        return projection(etat, local_day(datetime.now(UTC)), tout=True)

    async def _demarrer(
        self, entree: ParcoursInput, attributs: dict[SearchAttributeKey[Any], Any]
    ) -> WorkflowHandle[Any, Any]:
        return await self.client.start_workflow(
            "Parcours",
            entree,
            id=parcours_workflow_id(entree.parcours_id),
            task_queue=self.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [SearchAttributePair(key, valeur) for key, valeur in attributs.items()]
            ),
        )

    async def etat(self, parcours_id: str) -> ParcoursState:
        state: ParcoursState | None
        try:
            state = await self.handle(parcours_id).query("etat", result_type=ParcoursState)
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                raise injoignable(envoye=False) from None
            state = None  # no history: never opened, or anonymised and already deleted
        if (state is None or state.clos) and await self._anonymise(parcours_id):
            raise CommandeImpossible(
                404, "Parcours introuvable : il a été anonymisé", "parcours_anonymise"
            )
        if state is None:
            raise CommandeImpossible(404, "Parcours introuvable", CodeErreur.PARCOURS_INCONNU)
        return state

    async def _anonymise(self, parcours_id: str) -> bool:
        return self.anonymise is not None and await self.anonymise(parcours_id)

    async def commander(
        self,
        parcours_id: str,
        nom: str,
        donnees: BaseModel,
        auteur: Acteur,
        *,
        version_attendue: int | None = None,
        juge: ParcoursState | None = None,
    ) -> ParcoursState:
        """Execute a command. ``version_attendue``: the parcours' ``version_metier`` the
        author saw; if the parcours moved since, ``CommandeImpossible`` 409
        « conflit_de_version » and nothing is applied. ``juge``: the state the caller just
        read and judged the command against (services/parcours.py), not read nor judged again
        here. Counted by name and outcome."""
        commande = nom if nom in TRANSITIONS else "inconnue"
        try:
            state = await self._commander(
                parcours_id, nom, donnees, auteur, version_attendue=version_attendue, juge=juge
            )
        except CommandeImpossible as err:
            metriques.issue_de_commande(commande, err.code)
            raise
        except Exception:
            metriques.issue_de_commande(commande, "erreur")
            raise
        metriques.issue_de_commande(commande, "ok")
        return state

    async def _commander(
        self,
        parcours_id: str,
        nom: str,
        donnees: BaseModel,
        auteur: Acteur,
        *,
        version_attendue: int | None,
        juge: ParcoursState | None = None,
    ) -> ParcoursState:
        transition = TRANSITIONS.get(nom)
        if transition is None:
            raise CommandeImpossible(
                404, f"Commande inconnue : « {nom} »", CodeErreur.COMMANDE_INCONNUE
            )
        modele: Any = Ordre[type(donnees)]  # type: ignore[misc]
        try:
            if transition.cible == Cible.PARCOURS:
                ordre = modele(auteur=auteur, donnees=donnees, version_attendue=version_attendue)
                result: ParcoursState = await self.handle(parcours_id).execute_update(
                    nom, ordre, result_type=ParcoursState
                )
                return result
            state = juge or await self._juger(parcours_id, nom, auteur, version_attendue)
            child = _cible_id(state, transition.cible)
            if child is None:
                raise CommandeImpossible(
                    409,
                    "Aucun sous-processus ne peut recevoir cette commande",
                    CodeErreur.COMMANDE_REFUSEE,
                )
            # The child checks its own version: a change it made since this read is caught.
            attendue = (
                None if version_attendue is None else _version_enfant(state, transition.cible)
            )
            ordre = modele(auteur=auteur, donnees=donnees, version_attendue=attendue)
            await self.client.get_workflow_handle(child).execute_update(nom, ordre)
            return await self.etat(parcours_id)
        except WorkflowUpdateFailedError as err:
            raise _traduire(err) from None
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise CommandeImpossible(
                    404, "Parcours introuvable ou clos", CodeErreur.PARCOURS_INCONNU
                ) from None
            raise injoignable(envoye=True) from None
        except RPCTimeoutOrCancelledError:
            raise injoignable(envoye=True) from None

    async def _juger(
        self, parcours_id: str, nom: str, auteur: Acteur, version_attendue: int | None
    ) -> ParcoursState:
        """A child's command, given without a state already judged: the parcours' own rules
        (phase, who) live in its table, so they are checked here before reaching the child."""
        state = await self.etat(parcours_id)
        if version_attendue is not None and state.version_metier != version_attendue:
            raise conflit()
        if (reason := refus(nom, state, auteur)) is not None:
            raise CommandeImpossible(409, reason, CodeErreur.COMMANDE_REFUSEE)
        return state

    async def signaler_evenement(self, parcours_id: str, evenement: EvenementPartenaire) -> None:
        await self.handle(parcours_id).signal("evenement_partenaire", evenement)

    async def signaler_evenements(
        self, parcours_id: str, evenements: list[EvenementPartenaire]
    ) -> None:
        """Several events of one parcours in one signal, applied in this order."""
        lot = LotEvenements(evenements=evenements)
        await self.handle(parcours_id).signal("evenements_partenaires", lot)
