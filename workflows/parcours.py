"""ParcoursWorkflow: one per person accompanied, the single source of truth of their parcours.

People's commands arrive as Updates (one dynamic handler reading the transition table, so
each command keeps its own name in the history); partner events and the children's news
arrive as Signals; the state and timeline are served by a Query. The vigie runs on every
change and on durable timers; the read model is written by a projection activity.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RawValue, RetryPolicy, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, ValidationError

    from core import search_attributes as sa
    from core.clock import local_day
    from core.francais import du
    from core.ids import reference
    from rules import vigie
    from schemas.appels import ACTIVITE, AppelPartenaire, Courriel, LectureDroitsRsa
    from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur, Ordre, Role
    from schemas.enfants import EvolutionContrat, EvolutionEmploi, EvolutionPmsmp
    from schemas.erreurs import CodeErreur
    from schemas.evenements import EvenementPartenaire, LotEvenements
    from schemas.incident import (
        PARTENAIRE_DE_L_OPERATION,
        Incident,
        OperationSortante,
        PolitiqueAppels,
        StatutIncident,
        StatutOperation,
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
    from schemas.projection import ChargementRegles, DemandeProposition
    from schemas.referent import ReferentAffecte
    from schemas.regles import ReglesVigie
    from schemas.vigie import Alerte, Severite
    from workflows import transitions

from workflows import phases, publication
from workflows.etapes import (
    COMMANDES,
    dossier,
    enfants,
    orientation_structure,
    partenaires,
    rdv,
    rdv_solidarites,
    sortie,
)
from workflows.minuterie import JAMAIS_ANNULEE, Reveil

ACTIVITY_TIMEOUT = timedelta(seconds=30)
PROJECTION_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=30,
)


def politique(p: PolitiqueAppels) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=p.premier_delai_s),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=p.delai_max_s),
        maximum_attempts=p.tentatives,
        non_retryable_error_types=["RefusPartenaire"],
    )


CHILDREN_CLOSE_TIMEOUT = timedelta(hours=1)

# workflow.patched() ids: each names a change of behaviour that running histories did not see.
UN_EVENEMENT_UNE_FOIS = "evenement-partenaire-reverifie-sous-verrou"
# The person registered in RDV-Solidarités: the tool's user id joins the identifiers (issue 20).
RDV_SOLIDARITES_INSCRIT = "rdv-solidarites-identifiant-de-l-usager"
APPELS_AVANT_LA_FIN = "appels-en-cours-finis-avant-la-fin"
# The orientation proposal was a local activity inside the diagnostic's update: without the
# worker cache, temporalio 1.35 could leave such a run stuck on eviction ("Cannot find
# activity to cancel for token local_act_…"). A regular activity has no such state.
ORIENTATION_PAR_ACTIVITE = "proposition-d-orientation-par-activite"
# A partner call's idempotency key comes from the parcours' own counter, not from the run's
# random seed: a run reset by ops.reparer (issue 25) decides the same calls again under the
# same keys, and the partner answers them without doing them twice.
CLES_D_APPEL_STABLES = "cles-d-appel-stables"
# A new rupture is also told to the parcours' référent, in the cockpit's notification centre.
RUPTURE_AU_REFERENT = "rupture-notifiee-au-referent"
# Invitations to book (issue 18): the vigie's « invitation_sans_reponse » sends a relance.
RELANCE_DES_INVITATIONS = "relance-des-invitations-a-prendre-rendez-vous"
# Ticket 20: a validated PMSMP is no longer POSTed to the invented /v1/conventions; it lives on
# Immersion Facilitée, made from a prefilled link and followed through its callbacks.
PMSMP_SANS_SOUMISSION = "pmsmp-sans-soumission-inventee"
# Orientations to a structure (ticket 20): unanswered at the vigie's delay, they expire.
ORIENTATION_EXPIREE = "orientation-vers-la-structure-expiree"


def _refus(
    message: str, code: str = CodeErreur.COMMANDE_REFUSEE, details: Any = None
) -> ApplicationError:
    return ApplicationError(message, details or {}, type=code, non_retryable=True)


@workflow.defn(name="Parcours")
class ParcoursWorkflow:
    @workflow.init
    def __init__(self, entree: ParcoursInput) -> None:
        self._entree = entree
        self._verrou = asyncio.Lock()
        self._a_publier = True
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
        self._sans_annulation = workflow.patched(JAMAIS_ANNULEE)
        if self.s.regles is None or self._regles_a_recharger():
            await self._charger_regles()
        self._demarre = True
        self._reprendre_operations()
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
        if a.identifiants.caf:
            self.lancer_operation(
                TypeOperation.LIRE_DROITS_RSA,
                LectureDroitsRsa(numero_allocataire=a.identifiants.caf),
            )
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

    def _appels_en_vol(self) -> bool:
        return any(o.statut == StatutOperation.EN_COURS for o in self.s.operations)

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
        return local_day(workflow.now())

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
                enregistre_le=workflow.now(),
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

    def lancer_operation(self, operation: TypeOperation, donnees: BaseModel) -> None:
        op = OperationSortante(
            id=self._cle_d_appel(),
            type=operation,
            donnees=donnees.model_dump(mode="json"),
            creee_le=workflow.now(),
        )
        self.s.operations.append(op)
        self._demarrer_appel(op.id)

    def _cle_d_appel(self) -> str:
        if workflow.patched(CLES_D_APPEL_STABLES):
            return f"{self.s.parcours_id}-op-{self.s.next_number('operation')}"
        return self.nouvel_id()

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
        return self.s

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
        enfant = await partenaires.appliquer(self, ev)
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
        return self.s

    @workflow.query(name="etat")
    def etat(self) -> ParcoursState:
        return self.s

    # --- vigie -------------------------------------------------------------------------

    def _reevaluer(self) -> None:
        self.s.version += 1
        self._a_publier = True
        if self.s.regles is None:
            return
        evaluation = vigie.evaluer(self.s, self.s.regles, workflow.now())
        self._prochain_reveil = evaluation.prochain_reveil
        avant = {(a.code, a.cle): a for a in self.s.alertes}
        apres = {(a.code, a.cle): a for a in evaluation.alertes}
        for key in apres.keys() - avant.keys():
            a = apres[key]
            self.noter(
                Categorie.VIGIE,
                "alerte_levee",
                f"{a.severite.label} : {a.libelle}",
                Acteur.plateforme(),
                details={"regle": a.code, "cle": a.cle, "severite": a.severite.value},
            )
            if a.severite == Severite.RUPTURE:
                self._prevenir_coordination(a)
            if a.code == "invitation_sans_reponse" and workflow.patched(RELANCE_DES_INVITATIONS):
                rdv.relancer_invitation(self, a.cle)
            if a.code == "orientation_expiree" and workflow.patched(ORIENTATION_EXPIREE):
                orientation_structure.expirer(self, a.cle)
        for key in avant.keys() - apres.keys():
            a = avant[key]
            self.noter(
                Categorie.VIGIE,
                "alerte_close",
                f"Fin {du(a.severite.label)} : {a.libelle}",
                Acteur.plateforme(),
                details={"regle": a.code, "cle": a.cle},
            )
        self.s.alertes = sorted(
            apres.values(), key=lambda a: (a.severite.value != "rupture", a.depuis)
        )

    def _prevenir_coordination(self, a: Alerte) -> None:
        """Coordinators hear of a new rupture in their territory the day it happens."""
        ref = reference(self.s.parcours_id)
        self.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"coordination:{self.s.territoire.value}",
                sujet=f"Nouvelle rupture — parcours {ref}",
                texte=f"Le parcours {ref} ({self.s.phase.label.lower()}) est en rupture : {a.libelle}.",
                lien=f"/parcours/{self.s.parcours_id}",
            ),
        )
        if self.s.referent is not None and workflow.patched(RUPTURE_AU_REFERENT):
            self.lancer_operation(
                TypeOperation.ENVOYER_COURRIEL,
                Courriel(
                    destinataire=f"compte:{self.s.referent.referent.id}",
                    sujet=f"Rupture sur votre parcours {ref}",
                    texte=f"Le parcours {ref} ({self.s.phase.label.lower()}) est en rupture : "
                    f"{a.libelle}.",
                    lien=f"/parcours/{self.s.parcours_id}",
                    sorte="rupture",
                ),
            )

    def _regles_a_recharger(self) -> bool:
        regles = self.s.regles
        return (
            regles is None or max(regles.jours_feries, default=date.min).year <= self.today().year
        )

    async def _charger_regles(self) -> None:
        self.s.regles = await workflow.execute_activity(
            "regles.charger_vigie",
            ChargementRegles(territoire=self.s.territoire.value, annee=self.today().year),
            result_type=ReglesVigie,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=PROJECTION_RETRY,
        )

    # --- appointment reminders ----------------------------------------------------------

    def _prochain_rappel(self) -> datetime | None:
        if self.s.regles is None:
            return None
        moments = [
            m
            for _, _, m in rdv.rappels_a_venir(self.s, self.s.regles.rappels)
            if m > workflow.now()
        ]
        return min(moments, default=None)

    def _envoyer_rappels_dus(self) -> None:
        if self.s.regles is None:
            return
        now = workflow.now()
        for item, rappel, moment in list(rdv.rappels_a_venir(self.s, self.s.regles.rappels)):
            if moment <= now < item.date_heure and now - moment < timedelta(hours=12):
                rdv.envoyer_rappel(self, item, rappel)
                self._a_publier = True

    # --- read model and search attributes ---------------------------------------------

    async def _publier(self) -> None:
        self._a_publier = False
        projection = publication.projection(self.s, self.today())
        await workflow.execute_activity(
            "lecture.projeter_parcours",
            projection,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=PROJECTION_RETRY,
        )
        if projection.evenements:  # only this counter: handlers numbered others meanwhile
            projetee = projection.etat.compteurs[publication.TIMELINE_PROJETEE]
            self.s.compteurs[publication.TIMELINE_PROJETEE] = projetee
        self._attributs_de_recherche()

    def _attributs_de_recherche(self) -> None:
        s = self.s
        wanted: dict[str, Any] = {
            sa.PHASE.name: s.phase.value,
            sa.STATUT.name: s.statut.value,
            sa.TERRITOIRE.name: s.territoire.value,
            sa.ORGANISME.name: s.organisme.value if s.organisme else "aucun",
            sa.REFERENT.name: s.referent.referent.id if s.referent else "aucun",
            sa.TYPE.name: "parcours",
            sa.MOTIFS.name: sorted({a.code for a in s.alertes}),
            sa.INCIDENTS.name: sum(1 for i in s.incidents if i.actif),
        }
        updates = [
            key.value_set(wanted[key.name])
            for key in (
                sa.PHASE,
                sa.STATUT,
                sa.TERRITOIRE,
                sa.ORGANISME,
                sa.REFERENT,
                sa.TYPE,
                sa.MOTIFS,
                sa.INCIDENTS,
            )
            if self._attributs.get(key.name) != wanted[key.name]
        ]
        if updates:
            workflow.upsert_search_attributes(updates)
            self._attributs.update(wanted)

    # --- outbound partner calls and incidents -------------------------------------------

    def _reprendre_operations(self) -> None:
        dossier.revoquer_liens_anciens(self)
        for op in self.s.operations:
            if op.statut in (StatutOperation.EN_COURS, StatutOperation.EN_INCIDENT):
                self._demarrer_appel(op.id)

    def _demarrer_appel(self, operation_id: str) -> None:
        task = self._taches.get(operation_id)
        if self._demarre and (task is None or task.done()):
            self._taches[operation_id] = asyncio.create_task(self._appeler(operation_id))

    def _operation(self, operation_id: str) -> OperationSortante:
        return next(o for o in self.s.operations if o.id == operation_id)

    def _maj_operation(self, operation_id: str, **changes: Any) -> None:
        self.s.operations = [
            o.model_copy(update=changes) if o.id == operation_id else o for o in self.s.operations
        ]

    async def _appeler(self, operation_id: str) -> None:
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

    def _incident(self, operation_id: str) -> StatutIncident | None:
        found = [i for i in self.s.incidents if i.operation_id == operation_id]
        return found[-1].statut if found else None

    def _ouvrir_incident(self, op: OperationSortante, err: ActivityError) -> None:
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

    def _reussite(self, op: OperationSortante, resultat: dict[str, Any]) -> None:
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
        if op.type == TypeOperation.INSCRIRE_RDV_SOLIDARITES and workflow.patched(
            RDV_SOLIDARITES_INSCRIT
        ):
            rdv_solidarites.inscrite(self, resultat)
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

    # --- closing ------------------------------------------------------------------------

    async def _attendre_enfants(self) -> None:
        """After a sortie, wait (bounded) until every child confirmed it closed."""
        if not await self._au_plus(
            lambda: not sortie.enfants_en_cours(self.s), CHILDREN_CLOSE_TIMEOUT
        ):
            workflow.logger.warning("Des sous-processus n'ont pas confirmé leur clôture")

    async def _attendre_appels(self) -> None:
        """A partner call already decided (the carnet's link, a convention to submit) is
        carried out before the parcours ends: ending the run would drop it silently. Bounded:
        a call that keeps failing ends as an incident, kept in the final state."""
        if not self._appels_en_vol():
            return
        if not await self._au_plus(lambda: not self._appels_en_vol(), CHILDREN_CLOSE_TIMEOUT):
            workflow.logger.warning("Des appels aux partenaires n'ont pas abouti avant la fin")
