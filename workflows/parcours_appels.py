"""The parcours' calls to the partners and their incidents (a part of ParcoursWorkflow,
workflows/parcours.py): a call decided by a step is kept in the state as an operation, carried
out by an activity with the policy of the parcours, and turned into an incident the
coordination sees when its attempts are spent; a person relaunches or abandons it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

    from schemas.appels import ACTIVITE, AppelPartenaire
    from schemas.common import Acteur
    from schemas.incident import (
        PARTENAIRE_DE_L_OPERATION,
        Incident,
        OperationSortante,
        PolitiqueAppels,
        StatutIncident,
        StatutOperation,
        TypeOperation,
    )
    from schemas.parcours import Categorie

from workflows.etapes import dossier, rdv_solidarites
from workflows.parcours_base import ACTIVITY_TIMEOUT, CHILDREN_CLOSE_TIMEOUT, Parcours

# workflow.patched() ids of this part (see workflows/parcours.py for the others).
# The person registered in RDV-Solidarités: the tool's user id joins the identifiers (issue 20).
RDV_SOLIDARITES_INSCRIT = "rdv-solidarites-identifiant-de-l-usager"
# A partner call's idempotency key comes from the parcours' own counter, not from the run's
# random seed: a run reset by ops.reparer (issue 25) decides the same calls again under the
# same keys, and the partner answers them without doing them twice.
CLES_D_APPEL_STABLES = "cles-d-appel-stables"


def politique(p: PolitiqueAppels) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=p.premier_delai_s),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=p.delai_max_s),
        maximum_attempts=p.tentatives,
        non_retryable_error_types=["RefusPartenaire"],
    )


class AppelsDuParcours:
    """Mixed into ParcoursWorkflow; its methods see the whole workflow (``Parcours``)."""

    def _reprendre_operations(self: Parcours) -> None:
        dossier.revoquer_liens_anciens(self)
        for op in self.s.operations:
            if op.statut in (StatutOperation.EN_COURS, StatutOperation.EN_INCIDENT):
                self._demarrer_appel(op.id)

    def _demarrer_appel(self: Parcours, operation_id: str) -> None:
        task = self._taches.get(operation_id)
        if self._demarre and (task is None or task.done()):
            self._taches[operation_id] = asyncio.create_task(self._appeler(operation_id))

    def _operation(self: Parcours, operation_id: str) -> OperationSortante:
        return next(o for o in self.s.operations if o.id == operation_id)

    def _maj_operation(self: Parcours, operation_id: str, **changes: Any) -> None:
        self.s.operations = [
            o.model_copy(update=changes) if o.id == operation_id else o for o in self.s.operations
        ]

    async def _appeler(self: Parcours, operation_id: str) -> None:
        """Call the partner until it succeeds or a person gives up; never retry silently forever."""
        while True:
            op = self._operation(operation_id)
            incident = next(
                (i for i in self.s.incidents if i.operation_id == op.id and i.actif), None
            )
            if incident is not None and incident.statut == StatutIncident.OUVERT:
                await workflow.wait_condition(
                    lambda: self._incident(operation_id) != StatutIncident.OUVERT
                )
                if self._incident(operation_id) == StatutIncident.CLOS:
                    self._maj_operation(operation_id, statut=StatutOperation.ABANDONNEE, donnees={})
                    self._apres_changement()
                    return
            self._maj_operation(operation_id, statut=StatutOperation.EN_COURS)
            try:
                resultat = await workflow.execute_activity(
                    ACTIVITE[op.type],
                    AppelPartenaire(
                        idempotence=op.id,
                        parcours_id=self.s.parcours_id,
                        operation=op.type,
                        donnees=op.donnees,
                    ),
                    result_type=dict,
                    start_to_close_timeout=ACTIVITY_TIMEOUT,
                    retry_policy=politique(self.s.politique_appels),
                )
            except ActivityError as err:
                self._ouvrir_incident(op, err)
                self._apres_changement()
                continue
            self._reussite(op, resultat)
            return

    def _incident(self: Parcours, operation_id: str) -> StatutIncident | None:
        found = [i for i in self.s.incidents if i.operation_id == operation_id]
        return found[-1].statut if found else None

    def _ouvrir_incident(self: Parcours, op: OperationSortante, err: ActivityError) -> None:
        cause = err.cause
        message = str(cause.message if isinstance(cause, ApplicationError) else cause or err)
        definitif = isinstance(cause, ApplicationError) and cause.type == "RefusPartenaire"
        details = cause.details[0] if isinstance(cause, ApplicationError) and cause.details else {}
        tentatives = (
            int(details.get("tentative", self.s.politique_appels.tentatives))
            if isinstance(details, dict)
            else 0
        )
        now = workflow.now()
        self._maj_operation(op.id, statut=StatutOperation.EN_INCIDENT)
        existing = next((i for i in self.s.incidents if i.operation_id == op.id and i.actif), None)
        if existing is not None:  # a retry failed again: same incident, one more round of attempts
            self.s.incidents = [
                i.model_copy(
                    update={
                        "statut": StatutIncident.OUVERT,
                        "message": message,
                        "tentatives": i.tentatives + tentatives,
                        "derniere_erreur": now,
                        "definitif": definitif,
                    }
                )
                if i.id == existing.id
                else i
                for i in self.s.incidents
            ]
            return
        partenaire = PARTENAIRE_DE_L_OPERATION[op.type]
        self.s.incidents.append(
            Incident(
                id=f"{self.s.parcours_id[:8]}-inc-{self.s.next_number('incident')}",
                operation_id=op.id,
                partenaire=partenaire,
                operation=op.type,
                message=message,
                definitif=definitif,
                tentatives=tentatives,
                premiere_erreur=op.creee_le,
                derniere_erreur=now,
            )
        )
        self.noter(
            Categorie.INCIDENT,
            "incident_ouvert",
            f"Incident : {op.type.label} — {partenaire.label} : {message}",
            Acteur.plateforme(),
            details={"partenaire": partenaire.value, "operation": op.type.value},
        )

    def _reussite(self: Parcours, op: OperationSortante, resultat: dict[str, Any]) -> None:
        dossier.lien_remis(self, op, resultat)
        # Done: its payload (contacts, a message) has no more use in the state.
        self._maj_operation(op.id, statut=StatutOperation.REUSSIE, resultat=resultat, donnees={})
        for i, incident in enumerate(self.s.incidents):
            if incident.operation_id == op.id and incident.actif:
                self.s.incidents[i] = incident.model_copy(update={"statut": StatutIncident.RESOLU})
                self.noter(
                    Categorie.INCIDENT,
                    "incident_resolu",
                    f"Incident résolu : {op.type.label} a réussi",
                    Acteur.plateforme(),
                )
        if op.type == TypeOperation.INSCRIRE_RDV_SOLIDARITES and self._patched(
            RDV_SOLIDARITES_INSCRIT
        ):
            rdv_solidarites.inscrite(self, resultat)
        if op.type == TypeOperation.TRANSMETTRE_ISSUE_RDV_SOLIDARITES:  # none before the patch
            rdv_solidarites.issue_transmise(self, op.donnees)
        if op.type == TypeOperation.LIRE_DROITS_RSA:
            droits = resultat.get("droits_rsa")
            if droits:
                self.noter(
                    Categorie.PARTENAIRE,
                    "droits_rsa_lus",
                    f"Droits RSA lus à la CAF : {droits}",
                    Acteur.partenaire("caf", "CAF"),
                )
        self._apres_changement()

    def lancer_operation(self: Parcours, operation: TypeOperation, donnees: BaseModel) -> None:
        op = OperationSortante(
            id=self._cle_d_appel(),
            type=operation,
            donnees=donnees.model_dump(mode="json"),
            creee_le=self.now(),
        )
        self.s.operations.append(op)
        self._demarrer_appel(op.id)

    def _cle_d_appel(self: Parcours) -> str:
        if self._patched(CLES_D_APPEL_STABLES):
            return f"{self.s.parcours_id}-op-{self.s.next_number('operation')}"
        return self.nouvel_id()

    def _appels_en_vol(self: Parcours) -> bool:
        return any(o.statut == StatutOperation.EN_COURS for o in self.s.operations)

    async def _attendre_appels(self: Parcours) -> None:
        """A partner call already decided (the carnet's link, a convention to submit) is
        carried out before the parcours ends: ending the run would drop it silently. Bounded:
        a call that keeps failing ends as an incident, kept in the final state."""
        if not self._appels_en_vol():
            return
        if not await self._au_plus(lambda: not self._appels_en_vol(), CHILDREN_CLOSE_TIMEOUT):
            workflow.logger.warning("Des appels aux partenaires n'ont pas abouti avant la fin")
