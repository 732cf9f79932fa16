"""ParcoursWorkflow: one per person accompanied, the single source of truth of their parcours.

People's commands arrive as Updates (one dynamic handler reading the transition table, so
each command keeps its own name in the history); partner events and the children's news
arrive as Signals; the state and timeline are served by a Query. The vigie runs on every
change and on durable timers; the read model is written by a projection activity (but the
first row of a parcours an import opens is written by the import: workflows/ouverture.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, ValidationError

    from core import search_attributes as sa
    from core.clock import local_day
    from schemas.appels import LectureDroitsRsa
    from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur, Ordre, Role
    from schemas.enfants import EvolutionContrat, EvolutionEmploi, EvolutionPmsmp
    from schemas.erreurs import CodeErreur
    from schemas.evenements import EvenementPartenaire, LotEvenements
    from schemas.incident import (
        TypeOperation,
    )
    from schemas.orientation import PropositionOrientation
    from schemas.parcours import (
        Categorie,
        EvenementTimeline,
        ParcoursInput,
        ParcoursState,
        PassagePhase,
        Phase,
    )
    from schemas.projection import DemandeProposition
    from schemas.referent import ReferentAffecte
    from workflows import transitions

from workflows import phases
from workflows.etapes import (
    COMMANDES,
    dossier,
    enfants,
    partenaires,
    sortie,
)
from workflows.minuterie import JAMAIS_ANNULEE, Reveil
from workflows.parcours_appels import AppelsDuParcours
from workflows.parcours_base import CHILDREN_CLOSE_TIMEOUT
from workflows.parcours_vigie import VigieDuParcours

# workflow.patched() ids: each names a change of behaviour that running histories did not see.
UN_EVENEMENT_UNE_FOIS = "evenement-partenaire-reverifie-sous-verrou"
APPELS_AVANT_LA_FIN = "appels-en-cours-finis-avant-la-fin"
# The orientation proposal was a local activity inside the diagnostic's update: without the
# worker cache, temporalio 1.35 could leave such a run stuck on eviction ("Cannot find
# activity to cancel for token local_act_…"). A regular activity has no such state.
ORIENTATION_PAR_ACTIVITE = "proposition-d-orientation-par-activite"
# Ticket 20: a validated PMSMP is no longer POSTed to the invented /v1/conventions; it lives on
# Immersion Facilitée, made from a prefilled link and followed through its callbacks.
PMSMP_SANS_SOUMISSION = "pmsmp-sans-soumission-inventee"


def _refus(
    message: str, code: str = CodeErreur.COMMANDE_REFUSEE, details: Any = None
) -> ApplicationError:
    return ApplicationError(message, details or {}, type=code, non_retryable=True)


@workflow.defn(name="Parcours")
class ParcoursWorkflow(VigieDuParcours, AppelsDuParcours):
    """The main loop, the commands, the signals and the step handlers' context; the vigie
    and publication (workflows/parcours_vigie.py) and the partner calls
    (workflows/parcours_appels.py) are its two other parts."""

    @workflow.init
    def __init__(self, entree: ParcoursInput) -> None:
        self._entree = entree
        self._verrou = asyncio.Lock()
        self._a_publier = True
        self._urgent = False  # the next projection goes first (workflows/publication.py)
        self._prochain_reveil: datetime | None = None
        self._attributs: dict[str, Any] = {}
        self._taches: dict[str, asyncio.Task[None]] = {}
        self._demarre = False  # calls start once run() began (also after continue-as-new)
        self._pret = False  # rules loaded and first evaluation done
        self._reveil = Reveil()
        self._sans_annulation = False  # set by run(): timers never cancelled (issue 25)
        self.s = entree.etat if entree.etat is not None else self._etat_initial(entree)

    # --- life -------------------------------------------------------------------------

    @workflow.run
    async def run(self, entree: ParcoursInput) -> ParcoursState:
        # An opening computed outside (``projete``) is new code only: never replayed without
        # the patch, it takes it without asking (a marker and the SDK's upsert of
        # TemporalChangeVersion: two of the seven events its history had left, issue 16).
        self._sans_annulation = entree.projete or workflow.patched(JAMAIS_ANNULEE)
        if self.s.regles is None or self._regles_a_recharger():
            await self._charger_regles()
        self._demarre = True
        self._reprendre_operations()
        if entree.projete:
            self._reprendre_l_ouverture()
        else:
            self._reevaluer()
        self._pret = True
        while True:
            self._envoyer_rappels_dus()
            if self._a_publier:
                await self._publier()
            if self.s.clos:
                break
            if self._continuer_maintenant() and await self._moment_calme():
                workflow.continue_as_new(
                    ParcoursInput(
                        parcours_id=self.s.parcours_id,
                        etat=self.s,
                        seuil_continue_as_new=entree.seuil_continue_as_new,
                    )
                )
            if await self._attendre_un_changement():
                async with self._verrou:
                    self._reevaluer()  # a deadline or a reminder is due: look again
        await self._attendre_enfants()
        if workflow.patched(APPELS_AVANT_LA_FIN):
            await self._attendre_appels()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._a_publier:
            await self._publier()
        return self.s

    def _etat_initial(self, entree: ParcoursInput) -> ParcoursState:
        a, auteur = entree.accueil, entree.auteur
        if a is None or auteur is None:
            raise ApplicationError("Un parcours commence par son accueil", non_retryable=True)
        s = ParcoursState(
            parcours_id=entree.parcours_id,
            ouvert_le=a.accueilli_le,
            accueil=a,
            usager=a.usager,
            territoire=a.territoire,
            identifiants=a.identifiants,
            consentement=a.consentement,
            phases=[PassagePhase(phase=Phase.ACCUEIL, du=a.accueilli_le)],
        )
        if entree.politique_appels is not None:
            s.politique_appels = entree.politique_appels
        referent = entree.referent or (auteur if auteur.role == Role.REFERENT else None)
        if referent is not None:
            s.referent = ReferentAffecte(referent=referent, depuis=a.accueilli_le)
            s.organisme = referent.organisme
        self.s = s
        self.noter(
            Categorie.ACCUEIL,
            "accueil",
            f"Accueil ({a.origine.label.lower()}) sur le territoire {a.territoire.label}",
            auteur,
            le=a.accueilli_le,
            interaction=True,
        )
        # Issue 16: whoever opens the parcours may bring the vigie's rules and the CAF's
        # answer, read beforehand (an import reads them for a whole batch). The opening is
        # then one workflow task and one projection, where the rules' activity, the CAF's
        # and the projection of its answer each took an activity and a task. Only new
        # parcours carry them: running ones replay their input, which has neither, so they
        # take the old path unchanged and no ``workflow.patched`` is needed to tell them apart.
        s.regles = entree.regles
        if a.identifiants.caf:
            self.lancer_operation(
                TypeOperation.LIRE_DROITS_RSA,
                LectureDroitsRsa(numero_allocataire=a.identifiants.caf),
            )
            if entree.droits_rsa is not None:
                self._reussite(s.operations[-1], entree.droits_rsa)
        return s

    def _continuer_maintenant(self) -> bool:
        info = workflow.info()
        seuil = self._entree.seuil_continue_as_new
        if seuil is not None and info.get_current_history_length() >= seuil:
            return True
        return info.is_continue_as_new_suggested()

    async def _moment_calme(self) -> bool:
        """Continue as new only after a quiet second: no handler running, no partner call in
        flight, nothing received meanwhile — so no command's answer shares the last task."""
        await workflow.wait_condition(
            lambda: workflow.all_handlers_finished() and not self._appels_en_vol()
        )
        version = self.s.version
        await workflow.sleep(timedelta(seconds=1))
        return (
            self.s.version == version
            and workflow.all_handlers_finished()
            and not self._appels_en_vol()
            and not self._a_publier
        )

    async def _attendre_un_changement(self) -> bool:
        """Wait for something to publish, or the next deadline: whether the deadline came."""
        if self._sans_annulation:
            # The timer is armed only when the deadline moves, and never cancelled (issue 25).
            self._reveil.armer(self._echeance())
            await workflow.wait_condition(
                lambda: self._a_publier or self._continuer_maintenant() or self._reveil.sonne
            )
            return self._reveil.prendre()
        timeout = self._attente()
        try:
            await workflow.wait_condition(
                lambda: self._a_publier or self._continuer_maintenant(), timeout=timeout
            )
        except TimeoutError:
            return True
        return False

    def _echeance(self) -> datetime | None:
        moments = [m for m in (self._prochain_reveil, self._prochain_rappel()) if m is not None]
        return min(moments, default=None)

    def _attente(self) -> timedelta | None:
        echeance = self._echeance()
        if echeance is None:
            return None
        return max(echeance - workflow.now(), timedelta(seconds=1))

    async def _au_plus(self, condition: Callable[[], bool], delai: timedelta) -> bool:
        """A bounded wait: whether ``condition`` came true within ``delai``."""
        if self._sans_annulation:
            return await self._reveil.au_plus(condition, delai)
        try:
            await workflow.wait_condition(condition, timeout=delai)
        except TimeoutError:
            return False
        return True

    # --- context offered to the step handlers -----------------------------------------

    def now(self) -> datetime:
        return workflow.now()

    def today(self) -> date:
        return local_day(self.now())

    def _patched(self, nom: str) -> bool:
        """``workflow.patched``, through the workflow: the opening computed outside the engine
        takes every patch, as a new history does (workflows/ouverture.py)."""
        return workflow.patched(nom)

    def nouvel_id(self) -> str:
        return str(workflow.uuid4())

    def noter(
        self,
        categorie: Categorie,
        code: str,
        libelle: str,
        auteur: Acteur,
        *,
        le: date | None = None,
        details: dict[str, str] | None = None,
        sensible: bool = False,
        interaction: bool = False,
    ) -> None:
        details = dict(details or {})
        if interaction:
            details["interaction"] = "oui"
        self.s.timeline.append(
            EvenementTimeline(
                seq=self.s.next_number("timeline"),
                enregistre_le=self.now(),
                le=le or self.today(),
                categorie=categorie,
                code=code,
                libelle=libelle,
                auteur=auteur,
                details=details,
                sensible=sensible,
            )
        )

    def changer_phase(self, phase: Phase, le: date) -> None:
        """Every phase change goes through the graph (workflows/phases.py). One it does not
        allow is refused — the command fails with the reason, a child's news is kept without
        it — except in histories recorded before the check, which replay as they ran."""
        if phase == self.s.phase:
            return
        if not phases.permis(self.s.phase, phase) and workflow.patched(phases.GRAPHE_DES_PHASES):
            raise phases.PhaseInterdite(self.s.phase, phase)
        if self.s.phases:
            self.s.phases[-1] = self.s.phases[-1].model_copy(update={"au": le})
        self.s.phases.append(PassagePhase(phase=phase, du=le))
        self.s.phase = phase

    async def proposer_orientation(self) -> None:
        assert self.s.diagnostic is not None
        demande = DemandeProposition(
            diagnostic=self.s.diagnostic, date_naissance=self.s.usager.date_naissance
        )
        if workflow.patched(ORIENTATION_PAR_ACTIVITE):
            # Rules on local files, pure: retried until it answers (a failure is a bug to fix,
            # and the diagnostic is already recorded, so giving up would half-apply it).
            self.s.proposition_orientation = await workflow.execute_activity(
                "regles.proposer_orientation",
                demande,
                result_type=PropositionOrientation,
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1)),
            )
        else:
            self.s.proposition_orientation = await workflow.execute_local_activity(
                "regles.proposer_orientation",
                demande,
                result_type=PropositionOrientation,
                start_to_close_timeout=timedelta(seconds=10),
            )
        p = self.s.proposition_orientation
        self.noter(
            Categorie.ORIENTATION,
            "orientation_proposee",
            f"Proposition des règles : orientation {p.type.label.lower()} vers {p.organisme.label} "
            f"— {p.regle_libelle}",
            Acteur.plateforme(),
            details={"regle": p.regle_code, "version": p.version_regles},
        )

    async def demarrer_enfant(self, workflow_type: str, arg: BaseModel, workflow_id: str) -> None:
        await workflow.start_child_workflow(
            workflow_type,
            arg,
            id=workflow_id,
            parent_close_policy=ParentClosePolicy.ABANDON,  # children outlive continue-as-new
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.TERRITOIRE, self.s.territoire.value),
                    SearchAttributePair(sa.TYPE, workflow_type.lower()),
                ]
            ),
        )

    async def signaler(self, workflow_id: str, signal: str, arg: BaseModel) -> None:
        await workflow.get_external_workflow_handle(workflow_id).signal(signal, arg)

    # --- commands (Updates) -----------------------------------------------------------

    @workflow.update(dynamic=True)
    async def commande(self, nom: str, args: Sequence[RawValue]) -> ParcoursState:
        ordre = self._decoder(nom, args)
        async with self._verrou:
            self._controler(nom, ordre)  # the state may have moved since validation
            try:
                await COMMANDES[nom].appliquer(self, ordre)
            except transitions.CommandeRefusee as refus:
                raise _refus(refus.message, details=refus.details()) from None
            except phases.PhaseInterdite as err:
                raise _refus(err.message, "phase_interdite") from None
            self.s.version_metier += 1
            self._apres_changement(ordre.auteur)
        return self._etat_renvoye()

    @commande.validator
    def _valider(self, nom: str, args: Sequence[RawValue]) -> None:
        self._controler(nom, self._decoder(nom, args))

    def _decoder(self, nom: str, args: Sequence[RawValue]) -> Ordre[Any]:
        spec = COMMANDES.get(nom)
        if spec is None:
            raise _refus(f"Commande inconnue du parcours : « {nom} »", CodeErreur.COMMANDE_INCONNUE)
        if len(args) != 1:
            raise _refus("Une commande prend un seul argument", CodeErreur.DONNEES_INVALIDES)
        type_ordre: Any = Ordre[transitions.TRANSITIONS[nom].modele]  # type: ignore[misc]
        try:
            ordre: Ordre[Any] = workflow.payload_converter().from_payload(
                args[0].payload, type_ordre
            )
        except ValidationError as err:
            erreurs = [
                {"champ": ".".join(str(x) for x in e["loc"]), "message": e["msg"]}
                for e in err.errors()
            ]
            raise _refus(
                "Données invalides", CodeErreur.DONNEES_INVALIDES, {"erreurs": erreurs}
            ) from None
        return ordre

    def _controler(self, nom: str, ordre: Ordre[Any]) -> None:
        """Run by the validator, then again under the lock: the first refusal wins."""
        if ordre.perime(self.s.version_metier):  # optimistic versioning: someone acted first
            raise _refus(MESSAGE_CONFLIT, CONFLIT_DE_VERSION, {"version": self.s.version_metier})
        try:
            transitions.verifier(nom, self.s, ordre.auteur)
            spec = COMMANDES[nom]
            if spec.verifier is not None:
                spec.verifier(self.s, ordre.donnees, self.today())
        except transitions.CommandeRefusee as refus:
            raise _refus(refus.message, refus.code, refus.details()) from None

    def _apres_changement(self, auteur: Acteur | None = None) -> None:
        if auteur is not None and auteur.role in (Role.REFERENT, Role.COORDINATEUR):
            self._signalements_traites()
        self._reevaluer()

    def _signalements_traites(self) -> None:
        """Any step taken by a professional answers the partner's reported breaks."""
        today = self.today()
        self.s.signalements = [
            sig.model_copy(update={"traite_le": today}) if sig.traite_le is None else sig
            for sig in self.s.signalements
        ]

    # --- signals and query ------------------------------------------------------------

    @workflow.signal(name="evenement_partenaire")
    async def evenement_partenaire(self, ev: EvenementPartenaire) -> None:
        """One event per signal: how events were delivered before the dispatcher (issue 19),
        kept for the histories that carry it and for an attachment by the coordination."""
        if partenaires.deja_applique(self, ev):
            return
        async with self._verrou:
            await self._appliquer_evenement(ev)

    @workflow.signal(name="evenements_partenaires")
    async def evenements_partenaires(self, lot: LotEvenements) -> None:
        """Several events from the dispatcher, in the order they were received: applied one
        by one under the lock (each re-evaluated, as if signalled alone), projected once."""
        async with self._verrou:
            for ev in lot.evenements:
                if not partenaires.deja_applique(self, ev):  # a redelivery after a crash
                    await self._appliquer_evenement(ev)

    async def _appliquer_evenement(self, ev: EvenementPartenaire) -> None:
        # A twin delivered meanwhile may have been applied while this one waited for the
        # lock (held by a command awaiting a child's start, say): look again under it.
        if workflow.patched(UN_EVENEMENT_UNE_FOIS) and partenaires.deja_applique(self, ev):
            return
        signalements = len(self.s.signalements)
        enfant = await partenaires.appliquer(self, ev)
        if len(self.s.signalements) > signalements:
            self._urgent = True  # a partner's reported break: the coordination sees it first
        self.s.version_metier += 1
        if enfant is not None:
            await self.signaler(enfant, "evenement_partenaire", ev)
        self._apres_changement()

    @workflow.signal(name="contrat_evolue")
    async def contrat_evolue(self, ev: EvolutionContrat) -> None:
        await self._enfant_evolue(lambda: enfants.contrat(self, ev))

    @workflow.signal(name="pmsmp_evolue")
    async def pmsmp_evolue(self, ev: EvolutionPmsmp) -> None:
        # Immersion Facilitée offers no creation call: the convention is made on its form,
        # from the prefilled link; old histories keep their POST to the invented endpoint.
        await self._enfant_evolue(
            lambda: enfants.pmsmp(self, ev, lambda: not workflow.patched(PMSMP_SANS_SOUMISSION))
        )

    @workflow.signal(name="emploi_evolue")
    async def emploi_evolue(self, ev: EvolutionEmploi) -> None:
        await self._enfant_evolue(lambda: enfants.emploi(self, ev))

    async def _enfant_evolue(self, appliquer: Callable[[], bool]) -> None:
        """What the three children's signals share: their news applied under the lock (names
        and payloads unchanged, so running parcours replay), then what follows any change."""
        async with self._verrou:
            if self._nouvelles(appliquer):
                self.s.version_metier += 1
            self._apres_changement()

    def _nouvelles(self, appliquer: Callable[[], bool]) -> bool:
        """A child's news, applied. A phase change the graph refuses leaves the phase as it
        was and is logged: failing a signal would fail the whole parcours."""
        try:
            return appliquer()
        except phases.PhaseInterdite as err:
            workflow.logger.error("%s (parcours %s)", err.message, self.s.parcours_id)
            return True

    @workflow.signal(name="reverifier")
    async def reverifier(self, recharger_regles: bool = False) -> None:
        """From the daily vigie schedule: look again, rewrite the read model."""
        async with self._verrou:
            if recharger_regles:
                await self._charger_regles()
            dossier.revoquer_liens_anciens(self)
            self._reevaluer()
            self._a_publier = True

    @workflow.update(name="etat_initial")
    async def etat_initialise(self) -> ParcoursState:
        """The state once the rules are loaded and first evaluated (answers the accueil)."""
        await workflow.wait_condition(lambda: self._pret)
        return self._etat_renvoye()

    @workflow.query(name="etat")
    def etat(self) -> ParcoursState:
        return self._etat_renvoye()

    @workflow.query(name="etat_complet")
    def etat_complet(self) -> ParcoursState:
        """The state with the vigie's rules: for the rebuild of the read model, which needs
        them to compute the next deadline exactly as the workflow's own projection does."""
        return self.s

    def _etat_renvoye(self) -> ParcoursState:
        """The state as commands and reads answer it: without the vigie's rules (≈ 4 KiB of
        deadlines, breaks and holidays nobody outside the workflow reads: the web drops them
        before showing a state), which every answer serialised, encrypted and, for commands,
        stored in the history (issue 19). An answer is not a command: replay does not compare
        it, so running histories replay unchanged, and no ``workflow.patched`` is needed (nor
        allowed, in a query)."""
        return self.s.model_copy(update={"regles": None})

    # --- closing ------------------------------------------------------------------------

    async def _attendre_enfants(self) -> None:
        """After a sortie, wait (bounded) until every child confirmed it closed."""
        if not await self._au_plus(
            lambda: not sortie.enfants_en_cours(self.s), CHILDREN_CLOSE_TIMEOUT
        ):
            workflow.logger.warning("Des sous-processus n'ont pas confirmé leur clôture")
