"""Fault 2: the Temporal server is SIGKILLed, then restarted on its SQLite file. Meanwhile the
web app answers 503 in French (health, reads, commands), and a partner's event is stored
before it is acknowledged; once the server is back, the redelivery schedule brings the event
to its parcours, and every parcours goes on to its end."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from temporalio.api.enums.v1 import PendingActivityState, PendingWorkflowTaskState
from temporalio.client import ScheduleActionExecution, ScheduleActionExecutionStartWorkflow
from temporalio.service import RPCError

from schemas.parcours import Phase
from store.evenements_partenaires import StatutReception
from tests.fiabilite.parcours import (
    JUSQU_A_LA_SORTIE,
    KARIM,
    Obstination,
    Personne,
    au_repos,
    commander,
    effets,
    etat,
    evenement,
    ouvrir,
    publier,
    recu,
    suivre,
    suivre_malgre_tout,
    termine,
)
from tests.fiabilite.systeme import Systeme, attendre

pytestmark = pytest.mark.fiabilite

PARCOURS = 4
AVANT, APRES = JUSQU_A_LA_SORTIE[:5], JUSQU_A_LA_SORTIE[5:]  # the contract signed, then the rest
REPONSE_MAX_S = 30  # a refusal must come quickly, not after the partner or the browser gave up
RADIE = "fr.france-travail.demandeur.radie"
RELIVRAISON = "relivraison-evenements"


async def relivraison_constatee(s: Systeme, evenement_id: str | None) -> str:
    """What a failed wait for the redelivery shows: the row, the schedule and its runs (one
    still running makes the schedule skip every trigger), the end of the worker's journal."""
    constat: list[str] = []
    if evenement_id is not None:
        ligne = await recu(s, "france-travail", evenement_id)
        constat.append(f"ligne : {ligne and (ligne.statut, ligne.parcours_id, ligne.motif)}")
    try:
        info = (await s.temporal_client.get_schedule_handle(RELIVRAISON).describe()).info
        constat.append(
            f"planification : {info.num_actions} lancements, "
            f"{info.num_actions_skipped_overlap} sautés (chevauchement), "
            f"{info.num_actions_missed_catchup_window} manqués"
        )
        constat += [
            f"  lancée {a.started_at:%H:%M:%S} (prévue {a.scheduled_at:%H:%M:%S}) : "
            f"{_workflow_id(a.action)}"
            for a in info.recent_actions
        ]
        for action in info.running_actions:
            constat.append(await _execution(s, _workflow_id(action)))
    except RPCError as err:
        constat.append(f"planification illisible : {err}")
    constat.append(f"fin du journal du worker ({s.worker.journal}) :\n{s.worker.fin()}")
    return "\n".join(constat)


async def une_relivraison_menee(s: Systeme) -> None:
    """One redelivery run carried out to its end before the fault, as on any platform up for
    more than five minutes (its cron): Temporal hands its result to the runs that follow."""
    handle = s.temporal_client.get_schedule_handle(RELIVRAISON)
    avant = (await handle.describe()).info.num_actions
    await handle.trigger()

    async def terminee() -> bool:
        info = (await handle.describe()).info
        return info.num_actions > avant and not info.running_actions

    async def constat() -> str:
        return await relivraison_constatee(s, None)

    await attendre(terminee, "une relivraison menée avant la coupure", 60, 0.5, diagnostic=constat)


def _workflow_id(action: ScheduleActionExecution) -> str:
    assert isinstance(action, ScheduleActionExecutionStartWorkflow)
    return action.workflow_id


async def _execution(s: Systeme, workflow_id: str) -> str:
    d = await s.temporal_client.get_workflow_handle(workflow_id).describe()
    brut = d.raw_description
    tache = (
        PendingWorkflowTaskState.Name(brut.pending_workflow_task.state)
        if brut.HasField("pending_workflow_task")
        else "aucune"
    )
    activites = [
        f"{a.activity_type.name} ({PendingActivityState.Name(a.state)}, essai {a.attempt}) "
        f"{a.last_failure.message}"
        for a in brut.pending_activities
    ]
    return (
        f"  en cours : {workflow_id} {d.status and d.status.name} depuis {d.start_time:%H:%M:%S}"
        f", tâche de workflow {tache}, activités {activites}"
    )


async def test_serveur_temporal_tue_puis_relance(systeme: Systeme) -> None:
    s = systeme
    personnes = [Personne.nouvelle() for _ in range(PARCOURS)]
    async with s.http(KARIM) as http:
        pids = await asyncio.gather(*(ouvrir(http, p) for p in personnes))
        await asyncio.gather(*(suivre(http, pid, AVANT) for pid in pids))
        await asyncio.gather(*(au_repos(s, pid) for pid in pids))
        await une_relivraison_menee(s)

        s.temporal.tuer()
        coupure = time.monotonic()

        debut = time.monotonic()
        sante = await http.get("/healthz")
        assert sante.status_code == 503, sante.text
        assert sante.json()["statut"] == "degrade"
        assert sante.json()["temporal"].startswith("injoignable")
        assert sante.json()["base"] == "ok"
        lecture = await http.get(f"/api/v1/parcours/{pids[0]}")
        assert lecture.status_code == 503, lecture.text
        assert lecture.json()["code"] == "temporal_indisponible"
        assert "Le moteur de parcours ne répond pas" in lecture.json()["message"]
        ordre = await commander(http, pids[0], "envoyer_lien_carnet", {"canal": "sms"})
        assert ordre.status_code == 503, ordre.text
        assert ordre.json()["code"] == "temporal_indisponible"
        assert "rien n'a été enregistré" in ordre.json()["message"]
        page = await http.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200, "les listes lisent le modèle de lecture : elles restent"
        refus_s = time.monotonic() - debut
        assert refus_s < 4 * REPONSE_MAX_S

        # A partner's event: acknowledged once stored, delivered later.
        ev = evenement(
            s,
            "france-travail",
            RADIE,
            personnes[1].france_travail,
            {"date": date.today().isoformat(), "motif": "Absence à la convocation"},
        )
        debut = time.monotonic()
        accuse = await publier(s, "france-travail", ev)
        assert time.monotonic() - debut < REPONSE_MAX_S
        assert accuse.status_code == 202, accuse.text
        assert accuse.json() == {"status": "accepted", "matched": True}
        ligne = await recu(s, "france-travail", ev["id"])
        assert ligne is not None, "accusé de réception sans enregistrement"
        assert ligne.statut == StatutReception.A_LIVRER.value
        encore = await publier(s, "france-travail", ev)
        assert encore.json() == {"status": "duplicate", "matched": True}

        await s.demarrer_temporal()
        duree_coupure = time.monotonic() - coupure
        assert s.worker.vivant, f"le worker n'a pas survécu à la coupure ({s.worker.journal})"
        assert s.web.vivant

        async def sain() -> bool:
            return (await http.get("/healthz")).status_code == 200

        await attendre(sain, "l'application web retrouve Temporal", 60, 0.5)

        async def livre() -> bool:
            # the redelivery schedule runs every 5 minutes; run it now, as often as needed
            await s.temporal_client.get_schedule_handle(RELIVRAISON).trigger()
            ligne = await recu(s, "france-travail", ev["id"])
            return ligne is not None and ligne.statut == StatutReception.LIVRE.value

        async def constat() -> str:
            return await relivraison_constatee(s, ev["id"])

        await attendre(
            livre, "événement relivré après le retour de Temporal", 120, 3, diagnostic=constat
        )
        recupere = await etat(s, pids[1])
        assert ev["id"] in recupere.evenements_appliques
        assert [e.code for e in recupere.timeline].count(RADIE) == 1

        o = Obstination()
        await asyncio.gather(*(suivre_malgre_tout(http, pid, APRES, o) for pid in pids))
    etats = await asyncio.gather(*(termine(s, pid, delai_s=180) for pid in pids))
    assert all(st.phase == Phase.SORTIE for st in etats)
    bilan = effets(s, etats)
    assert bilan.non_reussies == bilan.inconnus == []
    assert bilan.perdus == bilan.doublons == 0
    print(
        f"\n[fiabilité] serveur Temporal : {PARCOURS} parcours en cours, coupure de "
        f"{duree_coupure:.0f} s ; santé, lecture et commande refusées en 503 en "
        f"{refus_s:.1f} s ; 1 événement partenaire accusé après enregistrement, relivré "
        f"au retour ; {len(etats)} parcours terminés, {bilan.distincts} effets reçus, "
        f"{bilan.perdus} perdu, {bilan.doublons} doublon"
    )
