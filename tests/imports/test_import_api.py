"""Import of an XLSX list through the API: preview counts, people already known, a second
run of the same file opens nothing (issue 16, item 2)."""

from __future__ import annotations

import asyncio
import secrets
from datetime import date
from typing import Any

import httpx
from sqlmodel import col, select

from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.imports import fichiers
from tests.partenaires.outils import attendre

COORD, CLAIRE = "coord-bassin_annecien", "ref-claire-martin"


async def _termine(client: httpx.AsyncClient, import_id: str) -> dict[str, Any]:
    async def lire() -> dict[str, Any] | None:
        r = await client.get(f"/api/v1/imports/{import_id}", params={"lignes": "false"})
        assert r.status_code == 200, r.text
        corps: dict[str, Any] = r.json()
        return corps if corps["statut"] == "termine" else None

    return await attendre(lire, "import terminé", delai_s=120)


async def _parcours_de(p: Plateforme, prefixe: str) -> list[ParcoursRow]:
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            # Case-blind: the two accueils type the name in capitals, and PostgreSQL's LIKE, unlike
            # SQLite's, tells the cases apart.
            q = select(ParcoursRow).where(col(ParcoursRow.nom).istartswith(prefixe))
            return list((await session.exec(q)).all())
    finally:
        await engine.dispose()


async def _audit_de_l_import(p: Plateforme, import_id: str) -> list[EntreeAudit]:
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            q = select(EntreeAudit).where(
                col(EntreeAudit.detail).startswith(f"import {import_id},")
            )
            return list((await session.exec(q)).all())
    finally:
        await engine.dispose()


async def _au_moins(p: Plateforme, prefixe: str, n: int) -> list[ParcoursRow]:
    """The read model's rows once the projection wrote at least n of them (it writes behind the
    workflow), at most 30 s."""
    limite = asyncio.get_running_loop().time() + 30
    while len(rows := await _parcours_de(p, prefixe)) < n:
        if asyncio.get_running_loop().time() > limite:
            break
        await asyncio.sleep(0.2)
    return rows


async def test_import_de_50_personnes_puis_le_meme_fichier(plateforme: Plateforme) -> None:
    prefixe = "Imp" + secrets.token_hex(3).upper()
    lignes = fichiers.personnes(50, prefixe)
    lignes[3][3] = "31/02/1990"  # no such date
    lignes[7][6], lignes[7][5] = "Lyon", "69000"  # not in Haute-Savoie
    lignes[11][8] = "camille@"  # not an e-mail
    async with plateforme.client(COORD) as coord, plateforme.client(CLAIRE) as claire:
        # Two people already followed: one as the file has them, one who changed e-mail.
        for i, email in ((20, lignes[20][8]), (21, "ancienne.adresse@example.org")):
            corps = donnees.accueil(
                date.today(),
                nom=lignes[i][1].upper(),  # typed otherwise: the identity key matches
                prenom="camille",
                date_naissance=lignes[i][3].isoformat(),
                telephone=lignes[i][7],
                email=email,
                adresse=lignes[i][4],
            )
            corps["identifiants"] = {"caf": lignes[i][0]} if i == 20 else {}
            r = await coord.post("/api/v1/parcours", json=corps)
            assert r.status_code == 201, r.text
        deja_la = r.json()["id"]
        contenu = fichiers.xlsx(lignes)

        r = await claire.post("/api/v1/imports", json=fichiers.demande(contenu))
        assert r.status_code == 403

        r = await coord.post(
            "/api/v1/imports", json=fichiers.demande(contenu, referent_id="ref-nicolas-blanc")
        )  # a référent of the Chablais: not one of this coordination's
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"][0]["champ"] == "referent_id"

        r = await coord.post("/api/v1/imports", json=fichiers.demande(contenu))
        assert r.status_code == 201, r.text
        apercu = r.json()
        assert apercu["actions"] == {
            "ouvrir": 45,
            "mettre_a_jour": 1,
            "deja_connu": 1,
            "rejetee": 3,
        }
        rejetees = {
            ligne["numero"]: ligne["erreurs"]
            for ligne in apercu["lignes"]
            if ligne["action"] == "rejetee"
        }
        assert sorted(rejetees) == [5, 9, 13]  # row numbers as in the spreadsheet
        assert rejetees[5][0]["champ"] == "date_naissance"
        assert "introuvable en Haute-Savoie" in rejetees[9][0]["message"]
        assert rejetees[13][0]["message"] == "Courriel : adresse invalide"
        assert len(await _au_moins(plateforme, prefixe, 2)) == 2  # nothing opened yet

        r = await coord.post(f"/api/v1/imports/{apercu['id']}/confirmer")
        assert r.status_code == 202, r.text
        fini = await _termine(coord, apercu["id"])
        assert fini["resultats"] == {
            "ouvert": 45,
            "mis_a_jour": 1,
            "deja_connu": 1,
            "rejetee": 3,
            "echec": 0,
        }

        async def tous_projetes() -> set[str] | None:
            ids = {p.id for p in await _parcours_de(plateforme, prefixe)}
            return ids if len(ids) >= 47 else None

        ouverts = await attendre(tous_projetes, "47 parcours au modèle de lecture", delai_s=60)
        assert len(ouverts) == 47

        # The person known with an old e-mail: updated through the rectification command.
        async def projete() -> bool:
            etat = {p.id: p for p in await _parcours_de(plateforme, prefixe)}[deja_la].etat
            return bool(
                etat["usager"]["email"] == lignes[21][8]
                and etat["identifiants"]["caf"] == lignes[21][0]
            )

        await attendre(projete, "rectification projetée", delai_s=60)

        # Every dossier the import wrote is in the audit log, under the coordinator who
        # confirmed it: the 45 opened, the one updated; not the one already known.
        ecrits = await _audit_de_l_import(plateforme, apercu["id"])
        assert len(ecrits) == 46
        assert {e.compte_id for e in ecrits} == {COORD}
        assert {e.action for e in ecrits} == {"ecriture"}
        assert f"parcours:{deja_la}" in {e.objet for e in ecrits}
        assert sum("parcours ouvert" in e.detail for e in ecrits) == 45

        rapport = await coord.get(f"/api/v1/imports/{apercu['id']}/rapport.csv")
        assert rapport.status_code == 200
        assert rapport.headers["content-type"].startswith("text/csv")
        texte = rapport.content.decode("utf-8-sig")
        assert len(texte.strip().splitlines()) == 51
        assert "Courriel : adresse invalide" in texte

        # The same file again: everyone is known, nothing opens.
        r = await coord.post("/api/v1/imports", json=fichiers.demande(contenu))
        assert r.status_code == 201, r.text
        attendu = {"ouvrir": 0, "mettre_a_jour": 0, "deja_connu": 47, "rejetee": 3}
        assert r.json()["actions"] == attendu
        second = r.json()["id"]
        for _ in range(2):  # confirmed twice: started once
            r = await coord.post(f"/api/v1/imports/{second}/confirmer")
            assert r.status_code == 202, r.text
        await _termine(coord, second)
        assert {p.id for p in await _parcours_de(plateforme, prefixe)} == ouverts
