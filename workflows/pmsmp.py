"""PmsmpWorkflow: one immersion convention — signatures, validation, the immersion itself,
the bilan with the tutor's reminders at J+3 and J+10 — reported to its parcours."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.common import Acteur, Ordre
    from schemas.enfants import Cloture, Envoi, EvolutionPmsmp, NoteTimeline, PmsmpInput
    from schemas.evenements import EvenementPartenaire
    from schemas.parcours import Categorie
    from schemas.pmsmp import (
        AnnulationPmsmp,
        BilanPmsmp,
        EtatPmsmp,
        Pmsmp,
        ResultatPmsmp,
        SignatairePmsmp,
        SignaturePmsmp,
        ValidationPmsmp,
    )

from workflows import conditions
from workflows.declaration import OUVERTES, REFERENT, Cible, Transition
from workflows.enfant import aujourd_hui, refus, verifier_version
from workflows.pmsmp_calendrier import CalendrierPmsmp

PATCH_SUIVI_IMMERSION_FACILITEE = "pmsmp-suivi-immersion-facilitee"


@workflow.defn(name="Pmsmp")
class PmsmpWorkflow(CalendrierPmsmp):
    SIGNAL = "pmsmp_evolue"

    @workflow.init
    def __init__(self, entree: PmsmpInput) -> None:
        self._commencer(entree.parent_workflow_id, Categorie.PMSMP)
        self.feries = entree.jours_feries
        self.p = Pmsmp(
            id=entree.pmsmp_id,
            workflow_id=workflow.info().workflow_id,
            etat=EtatPmsmp.EN_SIGNATURE,
            convention=entree.convention,
            prescripteur=entree.prescripteur,
        )
        self.rappel_debut_envoye = False

    @workflow.run
    async def run(self, entree: PmsmpInput) -> Pmsmp:
        await self._vivre(lambda: self.p.en_cours, self._prochain_jour, self._au_jour)
        return self.p

    def _evolution(self, notes: list[NoteTimeline], envois: list[Envoi]) -> EvolutionPmsmp:
        self.p.version += 1
        return EvolutionPmsmp(pmsmp=self.p, notes=notes, envois=envois)

    # --- commands ---------------------------------------------------------------------

    @workflow.update(name="signer_pmsmp")
    async def signer(self, ordre: Ordre[SignaturePmsmp]) -> Pmsmp:
        async with self._verrou:
            self._verifier_signature(ordre)
            self._signer(ordre.donnees.signataire, ordre.donnees.signe_le, ordre.auteur)
            await self._informer()
            return self.p

    @signer.validator
    def _verifier_signature(self, ordre: Ordre[SignaturePmsmp]) -> None:
        verifier_version(ordre, self.p.version)
        sig = ordre.donnees
        if self.p.etat != EtatPmsmp.EN_SIGNATURE:
            raise refus(f"La convention n'attend plus de signature ({self.p.etat.label.lower()})")
        if sig.signataire in self.p.signatures:
            raise refus(f"{sig.signataire.label} a déjà signé la convention")
        if sig.signe_le > aujourd_hui():
            raise refus("Une signature ne peut pas être datée du futur", "signe_le")
        if sig.signe_le > self._debut:
            raise refus("Une convention se signe avant le début de l'immersion", "signe_le")

    def _signer(self, signataire: SignatairePmsmp, le: date, auteur: Acteur) -> None:
        self.p.signatures[signataire] = le
        self.journal.noter(
            "pmsmp_signature", f"Convention signée : {signataire.label.lower()}", auteur, le=le
        )
        if self.p.signee:
            self.p.etat = EtatPmsmp.A_VALIDER
            self.journal.noter(
                "pmsmp_signee",
                "Convention signée par tous : à valider par le prescripteur",
                auteur,
                le=le,
            )

    @workflow.update(name="valider_pmsmp")
    async def valider(self, ordre: Ordre[ValidationPmsmp]) -> Pmsmp:
        async with self._verrou:
            self._verifier_validation(ordre)
            self.p.validee_le = ordre.donnees.validee_le
            self.p.etat = EtatPmsmp.VALIDEE
            self.journal.noter(
                "pmsmp_validee",
                "Convention validée par le prescripteur",
                ordre.auteur,
                le=ordre.donnees.validee_le,
            )
            self._horloge()  # may start at once if the first day is today
            await self._informer()
            return self.p

    @valider.validator
    def _verifier_validation(self, ordre: Ordre[ValidationPmsmp]) -> None:
        verifier_version(ordre, self.p.version)
        if self.p.etat != EtatPmsmp.A_VALIDER:
            raise refus("La convention doit être signée par tous avant d'être validée")
        if ordre.donnees.validee_le > self._debut:
            raise refus("La convention se valide avant le début de l'immersion", "validee_le")

    @workflow.update(name="annuler_pmsmp")
    async def annuler(self, ordre: Ordre[AnnulationPmsmp]) -> Pmsmp:
        async with self._verrou:
            self._verifier_annulation(ordre)
            self.p.etat, self.p.annulation = EtatPmsmp.ANNULEE, ordre.donnees
            self.journal.noter(
                "pmsmp_annulee",
                f"Immersion annulée : {ordre.donnees.motif}",
                ordre.auteur,
                le=ordre.donnees.annulee_le,
            )
            await self._informer()
            return self.p

    @annuler.validator
    def _verifier_annulation(self, ordre: Ordre[AnnulationPmsmp]) -> None:
        verifier_version(ordre, self.p.version)
        if not self.p.en_cours or self.p.etat == EtatPmsmp.A_BILANTER:
            raise refus("Cette immersion ne peut plus être annulée : enregistrez son bilan")

    @workflow.update(name="rediger_bilan_pmsmp")
    async def bilan(self, ordre: Ordre[BilanPmsmp]) -> Pmsmp:
        async with self._verrou:
            self._verifier_bilan(ordre)
            self._enregistrer_bilan(ordre.donnees, ordre.auteur)
            await self._informer()
            return self.p

    @bilan.validator
    def _verifier_bilan(self, ordre: Ordre[BilanPmsmp]) -> None:
        verifier_version(ordre, self.p.version)
        if self.p.etat not in (EtatPmsmp.EN_COURS, EtatPmsmp.A_BILANTER):
            raise refus("Le bilan se rédige pendant ou après l'immersion")
        if ordre.donnees.redige_le < self._debut or ordre.donnees.redige_le > aujourd_hui():
            raise refus(
                "La date du bilan doit se situer entre le début de l'immersion et aujourd'hui",
                "redige_le",
            )

    def _enregistrer_bilan(self, b: BilanPmsmp, auteur: Acteur) -> None:
        self.p.bilan, self.p.etat = b, EtatPmsmp.BILAN_FAIT
        embauche = " — embauche proposée" if b.embauche_proposee else ""
        self.journal.noter(
            "pmsmp_bilan",
            f"Bilan de l'immersion : {b.resultat.label.lower()}{embauche}",
            auteur,
            le=b.redige_le,
            interaction=True,
            resultat=b.resultat.value,
            embauche="oui" if b.embauche_proposee else "non",
        )
        self.journal.envoyer(
            f"compte:{self.p.prescripteur.id}",
            "Bilan d'immersion reçu",
            f"Le bilan de l'immersion chez {self.p.convention.entreprise.raison_sociale} "
            f"est disponible : {b.resultat.label.lower()}{embauche}.",
        )

    # --- from the parcours --------------------------------------------------------------

    @workflow.signal(name="evenement_partenaire")
    async def evenement_partenaire(self, ev: EvenementPartenaire) -> None:
        """The immersion platform signs the convention or writes the bilan for the company."""
        async with self._verrou:
            auteur = Acteur.partenaire(ev.partenaire.value, ev.partenaire.label)
            le = ev.survenu_le.date()
            if (
                ev.type == "fr.immersion.convention.signee"
                and self.p.etat == EtatPmsmp.EN_SIGNATURE
            ):
                for signataire in SignatairePmsmp:
                    if signataire not in self.p.signatures:
                        self._signer(signataire, le, auteur)
            elif ev.type == "fr.immersion.bilan.redige" and self.p.etat in (
                EtatPmsmp.EN_COURS,
                EtatPmsmp.A_BILANTER,
            ):
                self._enregistrer_bilan(
                    BilanPmsmp(
                        redige_le=max(le, self._debut),
                        resultat=ResultatPmsmp(ev.data["resultat"]),
                        embauche_proposee=bool(ev.data.get("embauche_proposee")),
                    ),
                    auteur,
                )
            elif not self._suivi_immersion_facilitee(ev, auteur, le):
                return
            await self._informer()

    def _suivi_immersion_facilitee(self, ev: EvenementPartenaire, auteur: Acteur, le: date) -> bool:
        """Validation and refusal/cancellation read on Immersion Facilitée (ticket 20). Behind a
        patch: histories recorded before it never took these branches."""
        if ev.type not in ("fr.immersion.convention.validee", "fr.immersion.convention.annulee"):
            return False
        if not workflow.patched(PATCH_SUIVI_IMMERSION_FACILITEE):
            return False
        if ev.type == "fr.immersion.convention.validee" and self.p.etat == EtatPmsmp.A_VALIDER:
            self.p.validee_le, self.p.etat = min(le, self._debut), EtatPmsmp.VALIDEE
            self.journal.noter(
                "pmsmp_validee", "Convention validée sur Immersion Facilitée", auteur, le=le
            )
            self._horloge()  # may start at once if the first day is today
            return True
        if ev.type == "fr.immersion.convention.annulee" and self.p.etat in (
            EtatPmsmp.EN_SIGNATURE,
            EtatPmsmp.A_VALIDER,
            EtatPmsmp.VALIDEE,
            EtatPmsmp.EN_COURS,
        ):
            motif = str(ev.data.get("motif") or "Convention annulée sur Immersion Facilitée")
            self.p.etat = EtatPmsmp.ANNULEE
            self.p.annulation = AnnulationPmsmp(annulee_le=le, motif=motif)
            self.journal.noter("pmsmp_annulee", f"Immersion annulée : {motif}", auteur, le=le)
            return True
        return False

    @workflow.signal(name="clore")
    async def clore(self, cloture: Cloture) -> None:
        async with self._verrou:
            if not self.p.en_cours:
                return
            self.p.etat = EtatPmsmp.ANNULEE
            self.p.annulation = AnnulationPmsmp(annulee_le=cloture.le, motif=cloture.motif)
            self.journal.noter(
                "pmsmp_close", f"Immersion close : {cloture.motif}", cloture.auteur, le=cloture.le
            )
            await self._informer()

    @workflow.query(name="etat")
    def etat(self) -> Pmsmp:
        return self.p


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "signer_pmsmp",
        "Enregistrer une signature de la convention",
        SignaturePmsmp,
        OUVERTES,
        REFERENT,
        Cible.PMSMP,
        conditions.pmsmp_dans(EtatPmsmp.EN_SIGNATURE),
        groupe="pmsmp",
    ),
    Transition(
        "valider_pmsmp",
        "Valider la convention",
        ValidationPmsmp,
        OUVERTES,
        REFERENT,
        Cible.PMSMP,
        conditions.pmsmp_dans(EtatPmsmp.A_VALIDER),
        groupe="pmsmp",
    ),
    Transition(
        "annuler_pmsmp",
        "Annuler l'immersion",
        AnnulationPmsmp,
        OUVERTES,
        REFERENT,
        Cible.PMSMP,
        conditions.pmsmp_dans(
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
        Cible.PMSMP,
        conditions.pmsmp_dans(EtatPmsmp.EN_COURS, EtatPmsmp.A_BILANTER),
        groupe="pmsmp",
    ),
]
