"""Fault 2: the Temporal server is SIGKILLed, then restarted on its SQLite file. Meanwhile the
web app answers 503 in French (health, reads, commands), and a partner's event is stored
before it is acknowledged; once the server is back, the redelivery schedule brings the event
to its parcours, and every parcours goes on to its end."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest

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


async def test_serveur_temporal_tue_puis_relance(systeme: Systeme) -> None:
    s = systeme
    personnes = [Personne.nouvelle() for _ in range(PARCOURS)]
    async with s.http(KARIM) as http:
        pids = await asyncio.gather(*(ouvrir(http, p) for p in personnes))
        await asyncio.gather(*(suivre(http, pid, AVANT) for pid in pids))
        await asyncio.gather(*(au_repos(s, pid) for pid in pids))

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
            await s.temporal_client.get_schedule_handle("relivraison-evenements").trigger()
            ligne = await recu(s, "france-travail", ev["id"])
            return ligne is not None and ligne.statut == StatutReception.LIVRE.value

        await attendre(livre, "événement relivré après le retour de Temporal", 120, 3)
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
