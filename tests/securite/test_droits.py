"""The person's rights: their own carnet by a personal link, access to everything held on them,
rectification, and anonymisation once the retention delay is over."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import httpx

from schemas.retention import BilanAnonymisation
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur

TELEPHONE = "06 55 44 33 22"


async def test_la_personne_ouvre_son_carnet_par_son_lien(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    today = date.today()
    async with plateforme.client("ref-claire-martin") as claire:
        corps = donnees.accueil(today, nom="Lien", prenom="Inès", telephone=TELEPHONE)
        pid = (await claire.post("/api/v1/parcours", json=corps)).json()["id"]
        r = await claire.post(
            f"/api/v1/parcours/{pid}/envoyer-lien-carnet",
            json={"canal": "sms", "adresse_publique": "https://pirate.example"},
        )
        assert r.status_code == 422  # the address is the platform's own, never the client's
        assert (
            await claire.post(f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"})
        ).status_code == 200
        sms: list[dict[str, str]] = []
        for _ in range(100):
            sms = await simulateur.sms(telephone=TELEPHONE)
            if sms:
                break
            await asyncio.sleep(0.05)
        lien = re.search(r"(https?://\S+/carnet/[A-Za-z0-9_-]+)", sms[0]["texte"])
        assert lien is not None
        chemin = "/carnet/" + lien.group(1).rsplit("/", 1)[1]
        for _ in range(50):  # the projection writes the link's fingerprint asynchronously
            async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as personne:
                page = await personne.get(chemin)
            if page.status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert page.status_code == 200
        assert "Mon carnet de bord" in page.text
        assert "Bonjour Inès LIEN" in page.text
        assert "Retour au parcours" not in page.text
        async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as personne:
            assert (await personne.get("/carnet/" + "0" * 64)).status_code == 404
            assert (
                await personne.get(f"/parcours/{pid}", follow_redirects=False)
            ).status_code == 303  # no dossier

        assert (
            await claire.post(
                f"/api/v1/parcours/{pid}/revoquer-liens-carnet", json={"motif": "Téléphone perdu"}
            )
        ).status_code == 200
        for _ in range(50):
            async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as personne:
                page = await personne.get(chemin)
            if page.status_code == 404:
                break
            await asyncio.sleep(0.1)
        assert page.status_code == 404


async def test_export_du_dossier_et_rectification(plateforme: Plateforme) -> None:
    today = date.today()
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client("coord-bassin_annecien") as coord,
    ):
        pid = (
            await claire.post("/api/v1/parcours", json=donnees.accueil(today, nom="Droits"))
        ).json()["id"]
        usager = (await claire.get(f"/api/v1/parcours/{pid}")).json()["etat"]["usager"]
        rectif = {
            "usager": usager | {"prenom": "Julia", "telephone": "06 00 00 00 01"},
            "motif": "Erreur de saisie",
        }
        r = await claire.post(f"/api/v1/parcours/{pid}/rectifier-identite", json=rectif)
        assert r.status_code == 200
        assert r.json()["etat"]["usager"]["prenom"] == "Julia"
        derniere = r.json()["etat"]["timeline"][-1]
        assert derniere["code"] == "rectification"
        assert "prénom" in derniere["libelle"]
        assert (
            "06 00 00 00 01" not in derniere["libelle"]
        )  # the timeline says what changed, not the values

        assert (await coord.get(f"/api/v1/parcours/{pid}/export")).status_code == 403
        export = await claire.get(f"/api/v1/parcours/{pid}/export")
        assert export.status_code == 200
        assert "attachment" in export.headers["content-disposition"]
        contenu = export.json()
        assert contenu["parcours"]["usager"]["prenom"] == "Julia"
        assert any(c["action"] == "lecture" for c in contenu["consultations"])


async def test_anonymisation_des_parcours_clos(plateforme_a_part: Plateforme) -> None:
    today = date.today()
    async with (
        plateforme_a_part.client("ref-claire-martin") as claire,
        plateforme_a_part.client("admin") as admin,
    ):
        pid = (
            await claire.post("/api/v1/parcours", json=donnees.accueil(today, nom="Oubli"))
        ).json()["id"]
        await claire.post(
            f"/api/v1/parcours/{pid}/enregistrer-diagnostic", json=donnees.diagnostic(today)
        )
        sortie = await claire.post(
            f"/api/v1/parcours/{pid}/prononcer-sortie",
            json={"le": today.isoformat(), "motif": "demenagement"},
        )
        assert sortie.status_code == 200
        await asyncio.sleep(1.5)  # the workflow closes and writes its last projection

        bilan = await plateforme_a_part.env.client.execute_workflow(
            "Retention",
            0,
            id=f"retention-{pid}",
            task_queue=plateforme_a_part.task_queue,
            result_type=BilanAnonymisation,
        )
        assert pid in bilan.anonymises
        assert bilan.historiques_supprimes >= 1
        # Temporal deletes the histories in the background (about a minute on the dev server);
        # the dossier is closed to everyone at once, whoever asks.
        for qui in (claire, admin):
            lu = await qui.get(f"/api/v1/parcours/{pid}")
            assert lu.status_code == 404
            assert lu.json()["code"] == "parcours_anonymise"
        lignes = (await admin.get("/api/v1/parcours?limit=500&statut=clos")).json()["items"]
        ligne = next(p for p in lignes if p["id"] == pid)
        assert ligne["nom"] == "ANONYME"
        assert ligne["prenom"] == ""
        assert ligne["statut"] == "clos"
        journal = (await admin.get("/api/v1/audit", params={"objet": f"parcours:{pid}"})).json()
        assert journal["total"] > 0  # the audit trail stays: it names no one
        indicateurs = await admin.get(
            "/api/v1/observatoire/indicateurs", params={"code": "sorties_motif"}
        )
        assert indicateurs.status_code == 200  # statistics still computed over anonymised rows
