"""The immersion's calendar, which the PMSMP workflow follows: the reminder to the person two
working days before the start, the start, a convention left unsigned or unvalidated past its
end, the end, and the tutor's reminders for the bilan at J+3 and J+10."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.pmsmp import (
        BILAN_DELAI_JOURS,
        RELANCES_TUTEUR_JOURS,
        AnnulationPmsmp,
        EtatPmsmp,
        Pmsmp,
    )

from workflows.enfant import Enfant, aujourd_hui, date_chiffres, prochain

RAPPEL_AVANT_DEBUT_JOURS_OUVRES = 2


class CalendrierPmsmp(Enfant):
    """What the days bring to an immersion; ``_horloge`` says whether it changed anything."""

    p: Pmsmp
    feries: list[date]
    rappel_debut_envoye: bool

    @property
    def _debut(self) -> date:
        return self.p.convention.date_debut

    @property
    def _fin(self) -> date:
        return self.p.convention.date_fin

    def _prochain_jour(self) -> date | None:
        return prochain(self._jours_a_surveiller())

    async def _au_jour(self) -> None:
        if self._horloge():
            await self._informer()

    def _jour_rappel_debut(self) -> date:
        day = self._debut
        # the working day two working days before the start
        for _ in range(RAPPEL_AVANT_DEBUT_JOURS_OUVRES):
            day -= timedelta(days=1)
            while day.weekday() >= 5 or day in self.feries:
                day -= timedelta(days=1)
        return day

    def _jours_a_surveiller(self) -> list[date]:
        jours = [self._debut, self._fin + timedelta(days=1)]
        jours += [self._fin + timedelta(days=d) for d in RELANCES_TUTEUR_JOURS]
        if not self.rappel_debut_envoye:
            jours.append(self._jour_rappel_debut())
        return jours

    def _horloge(self) -> bool:
        """Apply what the calendar says today; True if something changed (caller informs)."""
        today, changed = aujourd_hui(), False
        c = self.p.convention
        if (
            self.p.etat == EtatPmsmp.VALIDEE
            and not self.rappel_debut_envoye
            and self._jour_rappel_debut() <= today < self._debut
        ):
            self.rappel_debut_envoye = True
            self.journal.envoyer(
                "usager",
                "Votre immersion commence bientôt",
                f"Votre immersion chez {c.entreprise.raison_sociale} commence le "
                f"{date_chiffres(self._debut)} ({c.horaires}). Votre tuteur : {c.tuteur.prenom} "
                f"{c.tuteur.nom}.",
                sms=True,
            )
            self.journal.noter(
                "pmsmp_rappel", "Rappel envoyé à la personne avant le début de l'immersion"
            )
            changed = True
        if self.p.etat == EtatPmsmp.VALIDEE and today >= self._debut:
            self.p.etat = EtatPmsmp.EN_COURS
            self.journal.noter(
                "pmsmp_debut",
                f"Début de l'immersion chez {c.entreprise.raison_sociale}",
                le=self._debut,
            )
            changed = True
        elif self.p.etat in (EtatPmsmp.EN_SIGNATURE, EtatPmsmp.A_VALIDER) and today > self._fin:
            self.p.etat = EtatPmsmp.ANNULEE
            self.p.annulation = AnnulationPmsmp(
                annulee_le=today, motif="convention non finalisée avant la fin prévue"
            )
            self.journal.noter(
                "pmsmp_caduque", "Convention caduque : non signée ou non validée à temps"
            )
            changed = True
        if self.p.etat == EtatPmsmp.EN_COURS and today > self._fin:
            self.p.etat = EtatPmsmp.A_BILANTER
            self.journal.noter(
                "pmsmp_fin",
                f"Fin de l'immersion : bilan attendu sous {BILAN_DELAI_JOURS} jours",
                le=self._fin,
            )
            changed = True
        if self.p.etat == EtatPmsmp.A_BILANTER:
            changed |= self._relancer_tuteur(today)
        return changed

    def _relancer_tuteur(self, today: date) -> bool:
        dues = [self._fin + timedelta(days=d) for d in RELANCES_TUTEUR_JOURS]
        todo = [d for d in dues if d <= today and d not in self.p.relances_tuteur]
        if not todo:
            return False
        self.p.relances_tuteur.extend(todo)
        t, c = self.p.convention.tuteur, self.p.convention
        if t.email:
            self.journal.envoyer(
                t.email,
                "Bilan de l'immersion à rédiger",
                f"Bonjour {t.prenom} {t.nom}, l'immersion ({c.metier}) s'est terminée le "
                f"{date_chiffres(self._fin)}. Merci de rédiger son bilan avec la personne accueillie.",
            )
        self.journal.noter(
            "pmsmp_relance_tuteur",
            f"Relance du tuteur pour le bilan (J+{(todo[-1] - self._fin).days})",
        )
        return True
