"""Text typed by people renders escaped everywhere; a forged cross-site post is refused; every
page carries the security headers and no inline script."""

from __future__ import annotations

import re
from datetime import date

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.securite.outils import connecte

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_les_saisies_hostiles_sont_echappees_partout(plateforme: Plateforme) -> None:
    today = date.today()
    async with plateforme.client("ref-claire-martin") as claire:
        corps = donnees.accueil(today, nom=f"Xss{XSS}", prenom=XSS, commune=XSS) | {
            "besoins_exprimes": XSS
        }
        cree = await claire.post("/api/v1/parcours", json=corps)
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]
        contact = {"le": today.isoformat(), "mode": "telephone", "objet": XSS}
        assert (
            await claire.post(f"/api/v1/parcours/{pid}/enregistrer-contact", json=contact)
        ).status_code == 200
        pages = [
            f"/parcours/{pid}",
            f"/parcours/{pid}/carnet",
            f"/parcours/{pid}/fragments/timeline",
            "/?q=Xss",
            "/parcours/tableau?q=Xss",
        ]
        for page in pages:
            r = await claire.get(page)
            assert r.status_code == 200, page
            assert XSS not in r.text, page
            assert "<script>alert" not in r.text, page
            assert "onerror=alert" not in r.text.replace("onerror=alert(1)&gt;", ""), page
            assert "&lt;script&gt;alert" in r.text, page  # shown, as text
    async with plateforme.client("coord-bassin_annecien") as coord:
        r = await coord.get("/coordination")
        assert "<script>alert" not in r.text


async def test_un_formulaire_forge_depuis_un_autre_site_est_refuse(plateforme: Plateforme) -> None:
    async with connecte(plateforme.base_url, "claire.martin@hautesavoie.fr") as (client, csrf):
        cree = await client.post(
            "/api/v1/parcours",
            json=donnees.accueil(date.today(), nom="Forge"),
            headers={"X-CSRF-Token": csrf},
        )
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]
        contact = {"le": date.today().isoformat(), "mode": "telephone", "objet": "Forgé"}
        # What a malicious page can send: the cookie goes along, the token cannot be read.
        forge = await client.post(f"/api/v1/parcours/{pid}/enregistrer-contact", json=contact)
        assert forge.status_code == 403
        assert "CSRF" in forge.json()["message"]
        formulaire = await client.post(
            f"/parcours/{pid}/commandes/enregistrer_contact",
            data={"le": date.today().isoformat(), "mode": "telephone"},
        )
        assert formulaire.status_code == 403
        versions = (await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]["timeline"]
        assert not [e for e in versions if e["code"] == "contact"]
        ok = await client.post(
            f"/api/v1/parcours/{pid}/enregistrer-contact",
            json=contact,
            headers={"X-CSRF-Token": csrf},
        )
        assert ok.status_code == 200


async def test_entetes_de_securite_et_aucun_script_en_ligne(plateforme: Plateforme) -> None:
    async with connecte(plateforme.base_url, "anne.lefevre@spie74.fr") as (client, _):
        for page in ("/", "/coordination", "/parcours/nouveau", "/connexion", "/docs"):
            r = await client.get(page)
            assert r.status_code == 200, page
            csp = r.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp
            assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["cache-control"] == "no-store"
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), page  # no inline script
            assert not re.search(r"\son[a-z]+=\"", r.text), page  # no inline event handler
        trop = await client.post(
            "/api/v1/parcours",
            content=b"x" * (1024 * 1024 + 1),
            headers={"content-type": "application/json"},
        )
        assert trop.status_code == 413
