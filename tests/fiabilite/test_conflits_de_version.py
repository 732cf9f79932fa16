"""Fault 6: two people act on the same parcours at once, each from what they saw. One command
is carried out; the other is refused with « Le parcours a changé entre-temps » (409
conflit_de_version) and nothing of it is applied — through the JSON API (If-Match / ETag),
straight at the workflow (its validator, then its lock), on a child (the contract), and in the
cockpit's forms (hidden version). The vigie's own re-evaluations do not count as a change."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from core.ids import parcours_workflow_id
from core.temporal import TASK_QUEUE
from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT
from schemas.sortie import MotifSortie, Sortie, Suspension
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.cockpit.html import textes
from tests.factories import COORDINATRICE
from tests.factories import KARIM as KARIM_ACTEUR
from tests.fiabilite.parcours import (
    COORD,
    JUSQU_A_LA_SORTIE,
    KARIM,
    Personne,
    au_repos,
    commander,
    etat,
    ouvrir,
    suivre,
)
from tests.fiabilite.systeme import Systeme, attendre

pytestmark = pytest.mark.fiabilite

EN_CONTRAT = JUSQU_A_LA_SORTIE[:5]
HTMX = {"HX-Request": "true"}
AUJOURD_HUI = date.today()
SORTIE = {"le": AUJOURD_HUI.isoformat(), "motif": "emploi_durable"}
SUSPENSION = {"le": AUJOURD_HUI.isoformat(), "motif": "Hospitalisation de la personne"}


async def _etag(http: httpx.AsyncClient, pid: str) -> int:
    vue = await http.get(f"/api/v1/parcours/{pid}")
    assert vue.status_code == 200, vue.text
    etag = int(vue.headers["ETag"].strip('"'))
    assert etag == vue.json()["etat"]["version_metier"]
    return etag


def _conflit(reponse: httpx.Response) -> None:
    assert reponse.status_code == 409, reponse.text
    assert reponse.json()["code"] == CONFLIT_DE_VERSION
    assert reponse.json()["message"] == MESSAGE_CONFLIT


async def _en_contrat(s: Systeme) -> str:
    async with s.http(KARIM) as http:
        pid = await ouvrir(http, Personne.nouvelle())
        await suivre(http, pid, EN_CONTRAT)
    await au_repos(s, pid)
    return pid


async def test_deux_personnes_en_meme_temps_par_l_api(systeme: Systeme) -> None:
    """Karim closes the parcours while the coordination suspends it: never both."""
    s = systeme
    pids = await asyncio.gather(*(_en_contrat(s) for _ in range(3)))
    issues: Counter[str] = Counter()
    async with s.http(KARIM) as karim, s.http(COORD) as coord:
        for pid in pids:
            vu_k, vu_c = await _etag(karim, pid), await _etag(coord, pid)
            assert vu_k == vu_c
            avant = await etat(s, pid)
            sortie, suspension = await asyncio.gather(
                commander(karim, pid, "prononcer_sortie", SORTIE, version=vu_k),
                commander(coord, pid, "suspendre_parcours", SUSPENSION, version=vu_c),
            )
            gagnant, perdant = (
                (sortie, suspension) if sortie.status_code == 200 else (suspension, sortie)
            )
            assert gagnant.status_code == 200, gagnant.text
            _conflit(perdant)
            assert gagnant.headers["ETag"] == f'"{gagnant.json()["etat"]["version_metier"]}"'
            apres = await etat(s, pid)
            codes = Counter(e.code for e in apres.timeline[len(avant.timeline) :])
            if gagnant is sortie:
                issues["sortie"] += 1
                assert apres.sortie is not None
                assert apres.suspension is None
                assert codes["suspension"] == 0
            else:
                issues["suspension"] += 1
                assert apres.suspension is not None
                assert apres.sortie is None
                assert codes["sortie"] == 0
            # a stale ETag, sent again: the parcours moved, the command is still refused
            _conflit(await commander(coord, pid, "enregistrer_contact", _contact(), version=vu_c))
    # the header is optional; "*" means « whatever the version »; anything else is refused
    libre = await _en_contrat(s)
    async with s.http(KARIM) as karim:
        url = f"/api/v1/parcours/{libre}/enregistrer-contact"
        sans = await karim.post(url, json=_contact())
        assert sans.status_code == 200, sans.text
        tout = await karim.post(url, json=_contact(), headers={"If-Match": "*"})
        assert tout.status_code == 200, tout.text
        for illisible in ('W/"3"', "douze", '"-1"'):
            refus = await karim.post(url, json=_contact(), headers={"If-Match": illisible})
            assert refus.status_code == 400, refus.text
            assert refus.json()["code"] == "if_match_invalide"
    print(
        f"\n[fiabilité] conflits (API) : 3 paires simultanées, gagnants {dict(issues)}, 3 refus 409"
    )


def _contact(objet: str = "Appel de suivi") -> dict[str, Any]:
    return {"le": AUJOURD_HUI.isoformat(), "mode": "telephone", "objet": objet}


async def test_le_workflow_refuse_seul_sous_son_verrou(systeme: Systeme) -> None:
    """Straight to Temporal, without the web app's early check: the workflow's validator and,
    for a command validated while another held the lock, the check under the lock."""
    s = systeme
    pc = ParcoursClient(s.temporal_client, TASK_QUEUE)
    chemins: Counter[str] = Counter()
    for _ in range(3):
        pid = await _en_contrat(s)
        vu = (await etat(s, pid)).version_metier
        resultats = await asyncio.gather(
            pc.commander(
                pid,
                "prononcer_sortie",
                Sortie(le=AUJOURD_HUI, motif=MotifSortie.EMPLOI_DURABLE),
                KARIM_ACTEUR,
                version_attendue=vu,
            ),
            pc.commander(
                pid,
                "suspendre_parcours",
                Suspension(le=AUJOURD_HUI, motif="Hospitalisation"),
                COORDINATRICE,
                version_attendue=vu,
            ),
            return_exceptions=True,
        )
        refus = [r for r in resultats if isinstance(r, CommandeImpossible)]
        assert len(refus) == 1, resultats
        assert (refus[0].status, refus[0].code, refus[0].message) == (
            409,
            CONFLIT_DE_VERSION,
            MESSAGE_CONFLIT,
        )
        st = await etat(s, pid)
        assert (st.sortie is None) != (st.suspension is None)  # exactly one was applied
        chemins[await _ou_refuse(s, pid)] += 1
    print(f"\n[fiabilité] conflits (workflow) : 3 paires, refus {dict(chemins)}")


async def _ou_refuse(s: Systeme, pid: str) -> str:
    """Rejected by the validator leaves no trace in the history; accepted then refused under
    the lock leaves an accepted update completed with a failure."""
    handle = s.temporal_client.get_workflow_handle(parcours_workflow_id(pid))
    acceptes = echecs = 0
    async for e in handle.fetch_history_events():
        if e.HasField("workflow_execution_update_accepted_event_attributes"):
            nom = e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            acceptes += nom in ("prononcer_sortie", "suspendre_parcours")
        if e.HasField("workflow_execution_update_completed_event_attributes"):
            echecs += e.workflow_execution_update_completed_event_attributes.outcome.HasField(
                "failure"
            )
    return "sous le verrou" if acceptes == 2 and echecs >= 1 else "par le validateur"


async def test_conflit_sur_le_contrat(systeme: Systeme) -> None:
    """Two tabs amend the contract at once: the child workflow checks its own version."""
    s = systeme
    pid = await _en_contrat(s)
    async with s.http(KARIM) as karim:
        vu = await _etag(karim, pid)
        fins = [AUJOURD_HUI + timedelta(days=200), AUJOURD_HUI + timedelta(days=250)]
        reponses = await asyncio.gather(
            *(
                commander(
                    karim,
                    pid,
                    "ajouter_avenant",
                    {
                        "signe_le": AUJOURD_HUI.isoformat(),
                        "motif": "Prolongation",
                        "date_fin": f.isoformat(),
                    },
                    version=vu,
                )
                for f in fins
            )
        )
    assert sorted(r.status_code for r in reponses) == [200, 409], [r.text for r in reponses]
    _conflit(next(r for r in reponses if r.status_code == 409))
    gagnant = next(r for r in reponses if r.status_code == 200)
    st = await etat(s, pid)
    assert st.contrat is not None
    assert len(st.contrat.avenants) == 1
    assert st.contrat.date_fin.isoformat() == gagnant.json()["etat"]["contrat"]["date_fin"]


async def test_la_vigie_ne_fait_pas_changer_la_version(systeme: Systeme) -> None:
    """A re-evaluation (daily vigie, timers) moves the projection's version, not the ETag."""
    s = systeme
    pid = await _en_contrat(s)
    async with s.http(KARIM) as karim:
        vu = await _etag(karim, pid)
        avant = (await etat(s, pid)).version
        handle = s.temporal_client.get_workflow_handle(parcours_workflow_id(pid))
        for _ in range(3):
            await handle.signal("reverifier")

        async def revue() -> bool:
            return (await etat(s, pid)).version >= avant + 3

        await attendre(revue, "trois réévaluations de la vigie", 30, 0.2)
        assert await _etag(karim, pid) == vu
        ok = await commander(karim, pid, "enregistrer_contact", _contact(), version=vu)
        assert ok.status_code == 200, ok.text


async def test_formulaire_du_cockpit_perime(systeme: Systeme) -> None:
    """Karim opens a form; the coordination records a contact meanwhile; Karim's form is refused
    in French, the page refreshes around it, nothing is recorded; reopened, it goes through."""
    s = systeme
    pid = await _en_contrat(s)
    url = f"/parcours/{pid}/commandes/enregistrer_contact"
    async with s.http(KARIM) as karim, s.http(COORD) as coord:
        formulaire = await karim.get(url, headers=HTMX)
        assert formulaire.status_code == 200
        vu = await _etag(karim, pid)
        assert f'name="_version" value="{vu}"' in formulaire.text
        saisie = {"_version": str(vu), "le": AUJOURD_HUI.isoformat(), "mode": "telephone"}
        ailleurs = await commander(coord, pid, "enregistrer_contact", _contact("Coordination"))
        assert ailleurs.status_code == 200, ailleurs.text
        avant = await etat(s, pid)

        refuse = await karim.post(url, data=saisie | {"objet": "Point Karim"}, headers=HTMX)
        assert refuse.status_code == 409
        assert MESSAGE_CONFLIT in textes(refuse.text)
        assert "parcours-modifie" in refuse.headers.get("HX-Trigger", "")
        assert f'name="_version" value="{vu}"' in refuse.text  # reloading is the way out
        assert "Point Karim" in refuse.text  # what Karim typed is kept
        apres = await etat(s, pid)
        assert apres.timeline == avant.timeline
        assert apres.version_metier == avant.version_metier

        rouvert = await karim.get(url, headers=HTMX)
        nouvelle = apres.version_metier
        assert f'name="_version" value="{nouvelle}"' in rouvert.text
        saisie["_version"] = str(nouvelle)
        accepte = await karim.post(url, data=saisie | {"objet": "Point Karim"}, headers=HTMX)
        assert accepte.status_code == 200, accepte.text
        fin = await etat(s, pid)
        assert [c.objet for c in fin.contacts].count("Point Karim") == 1
