"""The parcours' vigie, reminders and publication (a part of ParcoursWorkflow,
workflows/parcours.py): the rules evaluated on every change and at each deadline, the
alerts they raise and close, the appointment reminders due, and the read model and search
attributes written after a change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from temporalio import workflow
from temporalio.common import Priority

with workflow.unsafe.imports_passed_through():
    from core.francais import du
    from core.ids import reference
    from rules import vigie
    from schemas.appels import Courriel
    from schemas.common import Acteur
    from schemas.incident import TypeOperation
    from schemas.parcours import Categorie
    from schemas.projection import ChargementRegles
    from schemas.regles import ReglesVigie
    from schemas.vigie import Alerte, Severite

from workflows import publication
from workflows.etapes import orientation_structure, rdv
from workflows.parcours_base import ACTIVITY_TIMEOUT, PROJECTION_RETRY, Parcours

# workflow.patched() ids of this part (see workflows/parcours.py for the others).
# A new rupture is also told to the parcours' référent, in the cockpit's notification centre.
RUPTURE_AU_REFERENT = "rupture-notifiee-au-referent"
# Invitations to book (issue 18): the vigie's « invitation_sans_reponse » sends a relance.
RELANCE_DES_INVITATIONS = "relance-des-invitations-a-prendre-rendez-vous"
# Orientations to a structure (ticket 20): unanswered at the vigie's delay, they expire.
ORIENTATION_EXPIREE = "orientation-vers-la-structure-expiree"


def _par_cle(alertes: list[Alerte]) -> dict[tuple[str, str], Alerte]:
    return {(a.code, a.cle): a for a in alertes}


class VigieDuParcours:
    """Mixed into ParcoursWorkflow; its methods see the whole workflow (``Parcours``)."""

    # --- vigie -------------------------------------------------------------------------

    def _reevaluer(self: Parcours) -> None:
        self.s.version += 1
        self._a_publier = True
        if self.s.regles is None:
            return
        evaluation = vigie.evaluer(self.s, self.s.regles, self.now())
        self._prochain_reveil = evaluation.prochain_reveil
        avant, apres = _par_cle(self.s.alertes), _par_cle(evaluation.alertes)
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
                self._urgent = True
            if a.severite == Severite.RUPTURE and not self._annoncee_par_l_import(a):
                self._prevenir_coordination(a)
            if a.code == "invitation_sans_reponse" and self._patched(RELANCE_DES_INVITATIONS):
                rdv.relancer_invitation(self, a.cle)
            if a.code == "orientation_expiree" and self._patched(ORIENTATION_EXPIREE):
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

    def _annoncee_par_l_import(self: Parcours, a: Alerte) -> bool:
        """An import that opens parcours without a référent tells the coordination once for
        all its rows (activities/imports.py): the « sans référent » break each one raises at
        its opening is not e-mailed again one by one — 5,000 e-mails for one list (issue 16).
        Only at the opening, only for new parcours whose input says so: running ones replay
        an input without it, and a break that comes later is told as always."""
        return a.code == "sans_referent" and not self._pret and self._entree.sans_referent_annonce

    def _prevenir_coordination(self: Parcours, a: Alerte) -> None:
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
        if self.s.referent is not None and self._patched(RUPTURE_AU_REFERENT):
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

    def _regles_a_recharger(self: Parcours) -> bool:
        regles = self.s.regles
        return (
            regles is None or max(regles.jours_feries, default=date.min).year <= self.today().year
        )

    async def _charger_regles(self: Parcours) -> None:
        self.s.regles = await workflow.execute_activity(
            "regles.charger_vigie",
            ChargementRegles(territoire=self.s.territoire.value, annee=self.today().year),
            result_type=ReglesVigie,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=PROJECTION_RETRY,
        )

    # --- appointment reminders ----------------------------------------------------------

    def _prochain_rappel(self: Parcours) -> datetime | None:
        if self.s.regles is None:
            return None
        moments = [
            m
            for _, _, m in rdv.rappels_a_venir(self.s, self.s.regles.rappels)
            if m > workflow.now()
        ]
        return min(moments, default=None)

    def _envoyer_rappels_dus(self: Parcours) -> None:
        if self.s.regles is None:
            return
        now = workflow.now()
        for item, rappel, moment in list(rdv.rappels_a_venir(self.s, self.s.regles.rappels)):
            if moment <= now < item.date_heure and now - moment < timedelta(hours=12):
                rdv.envoyer_rappel(self, item, rappel)
                self._a_publier = True

    # --- read model and search attributes ---------------------------------------------

    async def _publier(self: Parcours) -> None:
        self._a_publier = False
        # The priority is not part of the command's identity on replay: no patch needed.
        urgent, self._urgent = self._urgent, False
        projection = publication.projection(self.s, self.today())
        await workflow.execute_activity(
            "lecture.projeter_parcours",
            projection,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=PROJECTION_RETRY,
            priority=publication.PRIORITE_URGENTE if urgent else Priority.default,
        )
        if projection.evenements:  # only this counter: handlers numbered others meanwhile
            projetee = projection.etat.compteurs[publication.TIMELINE_PROJETEE]
            self.s.compteurs[publication.TIMELINE_PROJETEE] = projetee
        self._attributs_de_recherche()

    def _attributs_de_recherche(self: Parcours) -> None:
        wanted = publication.attributs(self.s)
        updates = [
            key.value_set(valeur)
            for key, valeur in wanted.items()
            if self._attributs.get(key.name) != valeur
        ]
        if updates:
            workflow.upsert_search_attributes(updates)
            self._attributs.update({key.name: valeur for key, valeur in wanted.items()})

    def _reprendre_l_ouverture(self: Parcours) -> None:
        """A parcours whose opener computed its opening (``ParcoursInput.projete``: an import,
        workflows/ouverture.py), wrote it into the read model and set its search attributes at
        the start: nothing to project nor upsert (issue 16: the projection's activity and its
        workflow task were half of what an opening cost). The vigie looks again at the
        engine's clock for its next deadline; only if its alerts moved since the opening (a
        deadline passed meanwhile) does the state change, and then it is projected."""
        self._a_publier = False
        self._attributs = {
            key.name: valeur for key, valeur in publication.attributs(self.s).items()
        }
        if self.s.regles is not None:
            evaluation = vigie.evaluer(self.s, self.s.regles, self.now())
            if _par_cle(evaluation.alertes) == _par_cle(self.s.alertes):
                self._prochain_reveil = evaluation.prochain_reveil
                return
        self._reevaluer()
