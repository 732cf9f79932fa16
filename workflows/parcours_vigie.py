"""The parcours' vigie, reminders and publication (a part of ParcoursWorkflow,
workflows/parcours.py): the rules evaluated on every change and at each deadline, the
alerts they raise and close, the appointment reminders due, and the read model and search
attributes written after a change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from core import search_attributes as sa
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


class VigieDuParcours:
    """Mixed into ParcoursWorkflow; its methods see the whole workflow (``Parcours``)."""

    # --- vigie -------------------------------------------------------------------------

    def _reevaluer(self: Parcours) -> None:
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
            if a.severite == Severite.RUPTURE and not self._annoncee_par_l_import(a):
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

    def _attributs_de_recherche(self: Parcours) -> None:
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
