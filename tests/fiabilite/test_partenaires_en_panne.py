"""Fault 4: partners fail for longer than a retry cycle — France Travail down (503), the SMS
gateway flaky (one call in two fails). (The immersion platform used to be the third: since
ticket 20 a validated PMSMP is no longer POSTed anywhere, see docs/connecteurs/.) The calls
that exhaust their attempts become incidents the coordination sees; once the partners are
back, the coordination's bulk retry (sent twice, as an impatient person would) clears them,
and each side effect reached its partner exactly once.

tests/partenaires/test_incidents.py checks the API of one incident; this test is the outage."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from typing import Any

import pytest

from core.temporal import TASK_QUEUE
from schemas.incident import PolitiqueAppels, StatutOperation
from schemas.parcours import Accueil, Statut
from services.parcours_client import ParcoursClient
from tests.factories import KARIM as KARIM_ACTEUR
from tests.fiabilite.parcours import (
    COORD,
    JUSQU_A_LA_SORTIE,
    KARIM,
    Personne,
    accueil,
    effets,
    etat,
    suivre,
    termine,
)
from tests.fiabilite.systeme import Systeme, attendre

pytestmark = pytest.mark.fiabilite

PARCOURS = 4
# Three attempts, a second apart at most: a short retry cycle, which the outage outlasts.
CYCLE = PolitiqueAppels(tentatives=3, premier_delai_s=0.5, delai_max_s=1)
PANNES: dict[str, dict[str, Any]] = {
    "france-travail": {"mode": "panne"},
    "sms": {"mode": "instable", "pourcentage": 50},
}
JUSQU_A_LA_VALIDATION = JUSQU_A_LA_SORTIE[:-1]
SORTIE = JUSQU_A_LA_SORTIE[-1:]


async def _incidents(s: Systeme, pids: list[str]) -> list[dict[str, Any]]:
    async with s.http(COORD) as coord:
        page = await coord.get("/api/v1/incidents", params={"limit": 500})
    assert page.status_code == 200, page.text
    return [i for i in page.json()["incidents"] if i["parcours_id"] in pids]


async def _au_repos(s: Systeme, pids: list[str]) -> list[dict[str, Any]] | None:
    """The open incidents, once no call is in flight and the coordination's list shows every
    incident the parcours hold (the list is the read model, written just after)."""
    actifs = set()
    for pid in pids:
        st = await etat(s, pid)
        if any(o.statut == StatutOperation.EN_COURS for o in st.operations):
            return None
        actifs |= {(pid, i.partenaire.value) for i in st.incidents if i.actif}
    ouverts = [i for i in await _incidents(s, pids) if i["statut"] == "ouvert"]
    listes = {(i["parcours_id"], i["partenaire"]) for i in ouverts}
    return ouverts if listes == actifs else None


async def test_partenaires_en_panne_puis_relance_groupee(systeme: Systeme) -> None:
    s = systeme
    for partenaire, mode in PANNES.items():
        await s.simulateur.mode(partenaire, **mode)
    # opened with a short retry policy (the API keeps the platform's default one)
    pc = ParcoursClient(s.temporal_client, TASK_QUEUE)
    pids = []
    for _ in range(PARCOURS):
        corps = accueil(Personne.nouvelle(), date.today())
        corps.pop("doublon_confirme")
        ouvert = await pc.ouvrir(
            Accueil.model_validate(corps), KARIM_ACTEUR, politique_appels=CYCLE
        )
        pids.append(ouvert.parcours_id)
    async with s.http(KARIM) as http:
        await asyncio.gather(*(suivre(http, pid, JUSQU_A_LA_VALIDATION) for pid in pids))

    async def tous_en_incident() -> list[dict[str, Any]] | None:
        ouverts = [i for i in await _incidents(s, pids) if i["statut"] == "ouvert"]
        touches = {(i["parcours_id"], i["partenaire"]) for i in ouverts}
        voulus = {(pid, p) for pid in pids for p in ("france-travail",)}
        return ouverts if voulus <= touches else None

    ouverts = await attendre(tous_en_incident, "incidents ouverts pendant la panne", 120, 1)
    for pid in pids:
        assert (await etat(s, pid)).statut == Statut.EN_INCIDENT
    assert all(i["tentatives"] >= CYCLE.tentatives for i in ouverts)

    for partenaire in PANNES:
        await s.simulateur.mode(partenaire, "normal")
    # An SMS still between two attempts may exhaust them just after the partners came back:
    # its incident opens then. The coordination relaunches what its list shows once nothing
    # is in flight any more, as a person would after reloading the page.
    ouverts = await attendre(
        lambda: _au_repos(s, pids), "plus aucun appel en cours, incidents listés", 60, 0.5
    )
    par_partenaire = Counter(i["partenaire"] for i in ouverts)
    async with s.http(COORD) as coord:
        for partenaire in par_partenaire:
            corps = {"partenaire": partenaire}
            deux = await asyncio.gather(
                *(coord.post("/api/v1/incidents/relance", json=corps) for _ in range(2))
            )
            assert all(r.status_code == 200 for r in deux), [r.text for r in deux]

    async def restants() -> list[str]:
        reste = []
        for pid in pids:
            st = await etat(s, pid)
            reste += [
                f"{pid} incident {i.partenaire.value} {i.statut.value}"
                for i in st.incidents
                if i.actif
            ]
            reste += [
                f"{pid} {o.type.value} {o.statut.value}"
                for o in st.operations
                if o.statut != StatutOperation.REUSSIE
            ]
        return reste

    async def resolus() -> bool:
        return not await restants()

    async def constat() -> str:
        return f"relancés : {dict(par_partenaire)} ; restent : {await restants()}"

    await attendre(
        resolus, "incidents résolus après la relance groupée", 120, 1, diagnostic=constat
    )
    async with s.http(KARIM) as http:
        await asyncio.gather(*(suivre(http, pid, SORTIE) for pid in pids))
    etats = await asyncio.gather(*(termine(s, pid) for pid in pids))
    assert all(i.statut.value == "resolu" for st in etats for i in st.incidents)
    bilan = effets(s, etats)
    assert bilan.non_reussies == bilan.inconnus == []
    assert bilan.par_operation == dict.fromkeys(bilan.par_operation, 1)
    assert bilan.perdus == bilan.doublons == 0
    print(
        f"\n[fiabilité] partenaires en panne : {PARCOURS} parcours, "
        f"{sum(par_partenaire.values())} incidents ouverts ({dict(par_partenaire)}), "
        f"relance groupée envoyée deux fois, {sum(len(st.incidents) for st in etats)} "
        f"incidents résolus ; {bilan.operations} appels, {bilan.distincts} effets reçus, "
        f"{bilan.perdus} perdu, {bilan.doublons} doublon"
    )
