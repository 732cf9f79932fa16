"""ContratWorkflow: the contrat d'engagement's own life — signatures, review at J-30,
amendments and renewal, the manquement procedure, the end — reported to its parcours."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.common import Ordre
    from schemas.contrat import (
        Avenant,
        Contrat,
        DecisionManquement,
        EtapeManquement,
        EtatContrat,
        Manquement,
        Renouvellement,
        RevueContrat,
        Signataire,
        SignatureContrat,
        verifier_duree,
    )
    from schemas.enfants import Cloture, ContratInput, Envoi, EvolutionContrat, NoteTimeline
    from schemas.parcours import Categorie

from workflows import conditions
from workflows.declaration import (
    ACTIF,
    APRES_ORIENTATION,
    REFERENT,
    REFERENT_OU_COORDINATION,
    Cible,
    Transition,
)
from workflows.enfant import Enfant, aujourd_hui, date_chiffres, prochain, refus, verifier_version

ACTIFS = (EtatContrat.ACTIF, EtatContrat.A_REVOIR)
ETAPE_PRECEDENTE = {
    EtapeManquement.AVERTISSEMENT: None,
    EtapeManquement.EXAMEN_EP: EtapeManquement.AVERTISSEMENT,
    EtapeManquement.DECISION: EtapeManquement.EXAMEN_EP,
}


@workflow.defn(name="Contrat")
class ContratWorkflow(Enfant):
    SIGNAL = "contrat_evolue"

    @workflow.init
    def __init__(self, entree: ContratInput) -> None:
        r = entree.redaction
        self._commencer(entree.parent_workflow_id, Categorie.CONTRAT)
        self.c = Contrat(
            workflow_id=workflow.info().workflow_id,
            numero=entree.numero,
            etat=EtatContrat.BROUILLON,
            type=r.type,
            date_debut=r.date_debut,
            date_fin=r.date_fin,
            objectifs=r.objectifs,
            engagements_usager=r.engagements_usager,
            engagements_referent=r.engagements_referent,
            referent=entree.referent,
        )

    @workflow.run
    async def run(self, entree: ContratInput) -> Contrat:
        await self._vivre(lambda: self.c.en_cours, self._prochain_jour, self._horloge)
        return self.c

    def _prochain_jour(self) -> date | None:
        if self.c.etat == EtatContrat.ACTIF:
            return prochain([self.c.date_revue, self.c.date_fin + timedelta(days=1)])
        if self.c.etat in (EtatContrat.A_REVOIR, EtatContrat.SUSPENDU):
            return prochain([self.c.date_fin + timedelta(days=1)])
        return None

    async def _horloge(self) -> None:
        today = aujourd_hui()
        if self.c.etat in (*ACTIFS, EtatContrat.SUSPENDU) and today > self.c.date_fin:
            self.c.etat, self.c.fin_motif = EtatContrat.TERMINE, "échéance"
            self.journal.noter(
                "contrat_termine",
                f"Contrat arrivé à échéance le {date_chiffres(self.c.date_fin)}",
                le=self.c.date_fin,
            )
        elif self.c.etat == EtatContrat.ACTIF and today >= self.c.date_revue:
            self.c.etat = EtatContrat.A_REVOIR
            self.journal.noter(
                "contrat_a_revoir",
                f"Revue du contrat à faire avant sa fin le {date_chiffres(self.c.date_fin)}",
            )
            self.journal.envoyer(
                f"compte:{self.c.referent.id}",
                "Revue d'un contrat d'engagement",
                f"Le contrat d'engagement n° {self.c.numero} se termine le "
                f"{date_chiffres(self.c.date_fin)} : faites sa revue avec la personne.",
            )
        else:
            return
        await self._informer()

    def _evolution(self, notes: list[NoteTimeline], envois: list[Envoi]) -> EvolutionContrat:
        self.c.version += 1
        return EvolutionContrat(contrat=self.c, notes=notes, envois=envois)

    # --- commands ---------------------------------------------------------------------

    @workflow.update(name="signer_contrat")
    async def signer(self, ordre: Ordre[SignatureContrat]) -> Contrat:
        async with self._verrou:
            self._verifier_signature(ordre)
            sig = ordre.donnees
            self.c.signatures[sig.signataire] = sig.signe_le
            if self.c.signe:
                self.c.etat = EtatContrat.ACTIF
                self.journal.noter(
                    "contrat_signe",
                    f"Contrat signé par les deux parties : actif du "
                    f"{date_chiffres(self.c.date_debut)} au {date_chiffres(self.c.date_fin)}",
                    ordre.auteur,
                    le=sig.signe_le,
                    interaction=True,
                )
            else:
                self.c.etat = EtatContrat.EN_SIGNATURE
                self.journal.noter(
                    "contrat_signature",
                    f"Signature : {sig.signataire.label.lower()}",
                    ordre.auteur,
                    le=sig.signe_le,
                    interaction=sig.signataire == Signataire.USAGER,
                )
            await self._informer()
            return self.c

    @signer.validator
    def _verifier_signature(self, ordre: Ordre[SignatureContrat]) -> None:
        verifier_version(ordre, self.c.version)
        sig = ordre.donnees
        if self.c.etat not in (EtatContrat.BROUILLON, EtatContrat.EN_SIGNATURE):
            raise refus(f"Le contrat n'attend plus de signature ({self.c.etat.label.lower()})")
        if sig.signataire in self.c.signatures:
            raise refus(f"{sig.signataire.label} a déjà signé ce contrat")
        if sig.signe_le > aujourd_hui():
            raise refus("Une signature ne peut pas être datée du futur", "signe_le")
        if sig.signe_le > self.c.date_fin:
            raise refus("Le contrat est déjà échu : rédigez-en un nouveau")

    @workflow.update(name="reviser_contrat")
    async def reviser(self, ordre: Ordre[RevueContrat]) -> Contrat:
        async with self._verrou:
            self._verifier_revue(ordre)
            revue = ordre.donnees
            self.c.revues.append(revue)
            if revue.objectifs is not None:
                self.c.objectifs = revue.objectifs
            self.c.etat = EtatContrat.ACTIF
            self.journal.noter(
                "contrat_revu",
                f"Revue du contrat : {revue.bilan}",
                ordre.auteur,
                le=revue.realisee_le,
                interaction=True,
            )
            await self._informer()
            return self.c

    @reviser.validator
    def _verifier_revue(self, ordre: Ordre[RevueContrat]) -> None:
        verifier_version(ordre, self.c.version)
        self._actif("faire la revue")
        if ordre.donnees.realisee_le > aujourd_hui():
            raise refus("La revue ne peut pas être datée du futur", "realisee_le")

    @workflow.update(name="ajouter_avenant")
    async def avenant(self, ordre: Ordre[Avenant]) -> Contrat:
        async with self._verrou:
            self._verifier_avenant(ordre)
            a = ordre.donnees
            self.c.avenants.append(a)
            if a.objectifs is not None:
                self.c.objectifs = a.objectifs
            if a.date_fin is not None:
                self.c.date_fin = a.date_fin
                if self.c.etat == EtatContrat.A_REVOIR and aujourd_hui() < self.c.date_revue:
                    self.c.etat = EtatContrat.ACTIF
            self.journal.noter(
                "contrat_avenant",
                f"Avenant n° {len(self.c.avenants)} : {a.motif}",
                ordre.auteur,
                le=a.signe_le,
            )
            await self._informer()
            return self.c

    @avenant.validator
    def _verifier_avenant(self, ordre: Ordre[Avenant]) -> None:
        verifier_version(ordre, self.c.version)
        self._actif("ajouter un avenant")
        a = ordre.donnees
        if a.objectifs is None and a.date_fin is None:
            raise refus("Un avenant modifie les objectifs ou la date de fin")
        if a.date_fin is not None:
            try:
                verifier_duree(self.c.date_debut, a.date_fin)
            except ValueError as err:
                raise refus(str(err), "date_fin") from None
            if a.date_fin < aujourd_hui():
                raise refus("La nouvelle date de fin est déjà passée", "date_fin")

    @workflow.update(name="renouveler_contrat")
    async def renouveler(self, ordre: Ordre[Renouvellement]) -> Contrat:
        async with self._verrou:
            self._verifier_renouvellement(ordre)
            r = ordre.donnees
            ancienne_fin = self.c.date_fin
            self.c.date_fin = r.nouvelle_date_fin
            self.c.renouvellements += 1
            if r.objectifs is not None:
                self.c.objectifs = r.objectifs
            self.c.etat = (
                EtatContrat.ACTIF if aujourd_hui() < self.c.date_revue else EtatContrat.A_REVOIR
            )
            self.journal.noter(
                "contrat_renouvele",
                f"Contrat renouvelé du {date_chiffres(ancienne_fin)} au {date_chiffres(r.nouvelle_date_fin)}",
                ordre.auteur,
                le=r.decide_le,
            )
            await self._informer()
            return self.c

    @renouveler.validator
    def _verifier_renouvellement(self, ordre: Ordre[Renouvellement]) -> None:
        verifier_version(ordre, self.c.version)
        self._actif("renouveler")
        r = ordre.donnees
        try:
            verifier_duree(self.c.date_fin, r.nouvelle_date_fin)
        except ValueError as err:
            raise refus(f"Renouvellement : {err}", "nouvelle_date_fin") from None

    @workflow.update(name="signaler_manquement")
    async def manquement(self, ordre: Ordre[Manquement]) -> Contrat:
        async with self._verrou:
            self._verifier_manquement(ordre)
            m = ordre.donnees
            self.c.manquements.append(m)
            libelle = f"Manquement — {m.etape.label} : {m.motif}"
            if m.etape == EtapeManquement.EXAMEN_EP and m.date_examen:
                libelle += f" (examen le {date_chiffres(m.date_examen)})"
            if m.decision is not None:
                libelle += f" — décision : {m.decision.label.lower()}"
                self._appliquer_decision(m.decision)
            self.journal.noter(
                "contrat_manquement",
                libelle,
                ordre.auteur,
                le=m.le,
                etape=m.etape.value,
                decision=m.decision.value if m.decision else "",
            )
            await self._informer()
            return self.c

    @manquement.validator
    def _verifier_manquement(self, ordre: Ordre[Manquement]) -> None:
        verifier_version(ordre, self.c.version)
        m = ordre.donnees
        if self.c.etat not in (*ACTIFS, EtatContrat.SUSPENDU):
            raise refus("La procédure de manquement concerne un contrat actif ou suspendu")
        derniere = self.c.manquements[-1].etape if self.c.manquements else None
        en_cours = derniere not in (None, EtapeManquement.DECISION)
        attendue = ETAPE_PRECEDENTE[m.etape]
        if attendue is None and en_cours:
            raise refus("Une procédure de manquement est déjà en cours : passez à l'étape suivante")
        if attendue is not None and derniere != attendue:
            raise refus(f"L'étape « {m.etape.label} » suit l'étape « {attendue.label} »")
        if self.c.manquements and m.le < self.c.manquements[-1].le:
            raise refus("Une étape ne peut pas précéder la précédente", "le")
        if m.le > aujourd_hui():
            raise refus("Une étape ne peut pas être datée du futur", "le")

    def _appliquer_decision(self, decision: DecisionManquement) -> None:
        if decision == DecisionManquement.SUSPENSION:
            self.c.etat = EtatContrat.SUSPENDU
        elif decision == DecisionManquement.RADIATION:
            self.c.etat, self.c.fin_motif = EtatContrat.RESILIE, "radiation"
        else:
            self.c.etat = (
                EtatContrat.ACTIF if aujourd_hui() < self.c.date_revue else EtatContrat.A_REVOIR
            )

    def _actif(self, quoi: str) -> None:
        if self.c.etat not in ACTIFS:
            raise refus(f"Impossible de {quoi} : le contrat est {self.c.etat.label.lower()}")

    # --- from the parcours --------------------------------------------------------------

    @workflow.signal(name="clore")
    async def clore(self, cloture: Cloture) -> None:
        async with self._verrou:
            if not self.c.en_cours:
                return
            self.c.etat, self.c.fin_motif = EtatContrat.TERMINE, cloture.motif
            self.journal.noter(
                "contrat_clos", f"Contrat clos : {cloture.motif}", cloture.auteur, le=cloture.le
            )
            await self._informer()

    @workflow.query(name="etat")
    def etat(self) -> Contrat:
        return self.c


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "signer_contrat",
        "Enregistrer une signature du contrat",
        SignatureContrat,
        APRES_ORIENTATION,
        REFERENT,
        Cible.CONTRAT,
        conditions.contrat_dans(EtatContrat.BROUILLON, EtatContrat.EN_SIGNATURE),
        groupe="contrat",
    ),
    Transition(
        "reviser_contrat",
        "Faire la revue du contrat",
        RevueContrat,
        APRES_ORIENTATION,
        REFERENT,
        Cible.CONTRAT,
        conditions.contrat_dans(*ACTIF),
        groupe="contrat",
    ),
    Transition(
        "ajouter_avenant",
        "Ajouter un avenant",
        Avenant,
        APRES_ORIENTATION,
        REFERENT,
        Cible.CONTRAT,
        conditions.contrat_dans(*ACTIF),
        groupe="contrat",
    ),
    Transition(
        "renouveler_contrat",
        "Renouveler le contrat",
        Renouvellement,
        APRES_ORIENTATION,
        REFERENT,
        Cible.CONTRAT,
        conditions.contrat_dans(*ACTIF),
        groupe="contrat",
    ),
    Transition(
        "signaler_manquement",
        "Engager la procédure de manquement",
        Manquement,
        APRES_ORIENTATION,
        REFERENT_OU_COORDINATION,
        Cible.CONTRAT,
        conditions.contrat_dans(*ACTIF, EtatContrat.SUSPENDU),
        groupe="contrat",
    ),
]
