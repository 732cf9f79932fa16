"""SuiviEmploiWorkflow: the follow-up in employment — check-ins at J+30, J+90 and J+180 as
durable timers, the end of a fixed-term job, a job lost — reported to its parcours."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.common import Ordre
    from schemas.emploi import (
        JALONS_SUIVI_JOURS,
        DeroulementSuivi,
        Emploi,
        EtatEmploi,
        FinEmploi,
        MotifFinEmploi,
        PointSuivi,
    )
    from schemas.enfants import Cloture, EmploiInput, Envoi, EvolutionEmploi, NoteTimeline
    from schemas.parcours import Categorie

from schemas.parcours import Phase
from workflows import conditions
from workflows.declaration import REFERENT, Cible, Transition
from workflows.enfant import Enfant, aujourd_hui, prochain, refus, verifier_version

AVANCE_POINT_JOURS = 7  # a check-in may be recorded a week before its milestone


@workflow.defn(name="SuiviEmploi")
class SuiviEmploiWorkflow(Enfant):
    SIGNAL = "emploi_evolue"

    @workflow.init
    def __init__(self, entree: EmploiInput) -> None:
        self._commencer(entree.parent_workflow_id, Categorie.EMPLOI)
        self.e = Emploi(
            workflow_id=workflow.info().workflow_id,
            numero=entree.numero,
            etat=EtatEmploi.EN_COURS,
            embauche=entree.embauche,
        )

    def _jalon(self, jours: int) -> date:
        return self.e.embauche.date_debut + timedelta(days=jours)

    @workflow.run
    async def run(self, entree: EmploiInput) -> Emploi:
        async with self._verrou:
            await self._horloge()  # a job declared after the fact may have milestones already due
        await self._vivre(
            lambda: self.e.etat == EtatEmploi.EN_COURS, self._prochain_jour, self._horloge
        )
        return self.e

    def _prochain_jour(self) -> date | None:
        jours = [self._jalon(j) for j in JALONS_SUIVI_JOURS if j not in self.e.jalons_dus]
        if self.e.embauche.date_fin is not None:
            jours.append(self.e.embauche.date_fin + timedelta(days=1))
        return prochain(jours)

    async def _horloge(self) -> None:
        today, changed = aujourd_hui(), False
        for jalon in JALONS_SUIVI_JOURS:
            if jalon not in self.e.jalons_dus and self._jalon(jalon) <= today:
                self.e.jalons_dus.append(jalon)
                self.journal.noter(
                    "point_suivi_du",
                    f"Point de suivi dans l'emploi à J+{jalon} à faire",
                    le=self._jalon(jalon),
                )
                self.journal.envoyer(
                    "referent",
                    f"Point de suivi à J+{jalon}",
                    f"Le point de suivi à J+{jalon} de l'emploi chez "
                    f"{self.e.embauche.employeur.raison_sociale} est à faire.",
                )
                changed = True
        fin = self.e.embauche.date_fin
        if fin is not None and today > fin and self.e.etat == EtatEmploi.EN_COURS:
            self._terminer(FinEmploi(le=fin, motif=MotifFinEmploi.FIN_CONTRAT))
            changed = True
        if changed:
            await self._informer()

    def _terminer(self, fin: FinEmploi) -> None:
        self.e.etat, self.e.fin = EtatEmploi.TERMINE, fin
        self.journal.noter(
            "emploi_termine",
            f"Fin de l'emploi : {fin.motif.label.lower()} — retour en accompagnement",
            le=fin.le,
        )

    def _evolution(self, notes: list[NoteTimeline], envois: list[Envoi]) -> EvolutionEmploi:
        self.e.version += 1
        return EvolutionEmploi(emploi=self.e, notes=notes, envois=envois)

    @workflow.update(name="enregistrer_point_suivi")
    async def point(self, ordre: Ordre[PointSuivi]) -> Emploi:
        async with self._verrou:
            self._verifier_point(ordre)
            p = ordre.donnees
            self.e.points.append(p)
            self.journal.noter(
                "point_suivi",
                f"Point de suivi à J+{p.jalon_jours} : {p.deroulement.label.lower()}",
                ordre.auteur,
                le=p.realise_le,
                interaction=True,
            )
            if (
                p.jalon_jours == max(JALONS_SUIVI_JOURS)
                and p.deroulement != DeroulementSuivi.RISQUE
            ):
                self.e.etat = EtatEmploi.SUIVI_TERMINE
                self.journal.noter(
                    "suivi_termine",
                    "Suivi dans l'emploi terminé : l'emploi est stable, "
                    "la sortie peut être prononcée",
                    ordre.auteur,
                    le=p.realise_le,
                )
            await self._informer()
            return self.e

    @point.validator
    def _verifier_point(self, ordre: Ordre[PointSuivi]) -> None:
        verifier_version(ordre, self.e.version)
        p = ordre.donnees
        if self.e.etat != EtatEmploi.EN_COURS:
            raise refus("Le suivi de cet emploi est terminé")
        if any(x.jalon_jours == p.jalon_jours for x in self.e.points):
            raise refus(f"Le point à J+{p.jalon_jours} est déjà enregistré", "jalon_jours")
        if p.realise_le < self._jalon(p.jalon_jours) - timedelta(days=AVANCE_POINT_JOURS):
            raise refus(
                f"Le point à J+{p.jalon_jours} ne peut pas être fait avant le "
                f"{(self._jalon(p.jalon_jours) - timedelta(days=AVANCE_POINT_JOURS)).strftime('%d/%m/%Y')}",
                "realise_le",
            )
        if p.realise_le > aujourd_hui():
            raise refus("Un point de suivi ne peut pas être daté du futur", "realise_le")

    @workflow.update(name="declarer_fin_emploi")
    async def fin(self, ordre: Ordre[FinEmploi]) -> Emploi:
        async with self._verrou:
            self._verifier_fin(ordre)
            self._terminer(ordre.donnees)
            await self._informer()
            return self.e

    @fin.validator
    def _verifier_fin(self, ordre: Ordre[FinEmploi]) -> None:
        verifier_version(ordre, self.e.version)
        if self.e.etat != EtatEmploi.EN_COURS:
            raise refus("Le suivi de cet emploi est terminé")
        if ordre.donnees.le < self.e.embauche.date_debut or ordre.donnees.le > aujourd_hui():
            raise refus("La date de fin doit se situer entre l'embauche et aujourd'hui", "le")

    @workflow.signal(name="clore")
    async def clore(self, cloture: Cloture) -> None:
        async with self._verrou:
            if self.e.etat != EtatEmploi.EN_COURS:
                return
            self.e.etat = EtatEmploi.SUIVI_TERMINE
            self.journal.noter(
                "suivi_clos",
                f"Suivi dans l'emploi clos : {cloture.motif}",
                cloture.auteur,
                le=cloture.le,
            )
            await self._informer()

    @workflow.query(name="etat")
    def etat(self) -> Emploi:
        return self.e


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "enregistrer_point_suivi",
        "Enregistrer un point de suivi",
        PointSuivi,
        frozenset({Phase.EMPLOI}),
        REFERENT,
        Cible.EMPLOI,
        conditions.emploi_en_cours,
        groupe="emploi",
    ),
    Transition(
        "declarer_fin_emploi",
        "Déclarer la fin de l'emploi",
        FinEmploi,
        frozenset({Phase.EMPLOI}),
        REFERENT,
        Cible.EMPLOI,
        conditions.emploi_en_cours,
        groupe="emploi",
    ),
]
