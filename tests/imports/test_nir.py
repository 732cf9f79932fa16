"""A list's NIR (issue 16): checked with python-stdnum, kept only as an HMAC under NIR_KEY
(importation/nir.py); it recognises a person an earlier list brought, before the name and
date of birth do, and never reaches the database, a workflow's history or the logs in clear."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from activities.retention import RetentionActivities
from core.settings import DEV_CODEC_KEY
from importation import nir
from pieces.chiffrement import cles_de
from pieces.service import Coffre
from pieces.stockage import FichiersLocaux
from store.db import make_engine, session_factory
from tests.fixtures.plateforme import Plateforme
from tests.imports import fichiers
from tests.imports.test_import_api import COORD, _termine
from tests.securite.test_rotation_des_cles import _payloads

COLONNE = "N° sécurité sociale"
ENTETES = [*fichiers.ENTETES, COLONNE]


def nouveau_nir() -> str:
    """A valid NIR nobody else's test draws: a man born in Haute-Savoie, random order number."""
    corps = (
        f"1{secrets.randbelow(100):02d}0{1 + secrets.randbelow(9)}74{secrets.randbelow(10**6):06d}"
    )
    return corps + f"{97 - int(corps) % 97:02d}"


def test_nir_scelle_en_empreinte() -> None:
    valide = nouveau_nir()
    espace = f"{valide[0]} {valide[1:3]} {valide[3:5]} {valide[5:7]} {valide[7:10]} {valide[10:13]} {valide[13:]}"
    scelle = nir.sceller(espace, b"cle")
    assert valide not in scelle
    assert scelle.startswith(nir.SCELLE)
    assert scelle == nir.sceller(valide, b"cle")  # however the file spaced it
    assert scelle != nir.sceller(valide, b"autre-cle")  # not recomputable without the key
    assert nir.sceller(scelle, b"cle") == scelle
    faux = valide[:13] + f"{(int(valide[13:]) + 1) % 97:02d}"
    assert nir.lire(nir.sceller(faux)) == (None, "clé de contrôle incorrecte")
    assert nir.lire(nir.sceller(valide[:10])) == (
        None,
        "15 caractères attendus (13 chiffres et la clé)",
    )
    assert nir.lire("") == (None, None)


async def _importer(client: Any, lignes: list[list[Any]]) -> dict[str, Any]:
    r = await client.post("/api/v1/imports", json=fichiers.demande(fichiers.xlsx(lignes, ENTETES)))
    assert r.status_code == 201, r.text
    corps: dict[str, Any] = r.json()
    return corps


async def _confirmer(client: Any, import_id: str) -> None:
    r = await client.post(f"/api/v1/imports/{import_id}/confirmer")
    assert r.status_code == 202, r.text
    await _termine(client, import_id)


async def _base_en_clair(p: Plateforme) -> str:
    """Every row of every table of the read model, as text."""
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with engine.connect() as connexion:
            morceaux = []
            for table in SQLModel.metadata.sorted_tables:
                morceaux += [repr(tuple(r)) for r in (await connexion.execute(select(table))).all()]
            return "\n".join(morceaux)
    finally:
        await engine.dispose()


async def _histoire_en_clair(p: Plateforme, workflow_id: str) -> bytes:
    """A workflow's history with every payload decoded by the platform's key."""
    codec = p.env.client.data_converter.payload_codec
    assert codec is not None
    morceaux = []
    async for event in p.env.client.get_workflow_handle(workflow_id).fetch_history_events():
        morceaux.append(event.SerializeToString())
        morceaux += [x.data for x in await codec.decode(_payloads(event))]
    return b"".join(morceaux)


async def _anonymiser(p: Plateforme, parcours_id: str, dossier: Path) -> None:
    """What the retention schedule does to the read model for a parcours past its delay."""
    engine = make_engine(p.settings.effective_database_url)
    coffre = Coffre(FichiersLocaux(dossier), cles_de(DEV_CODEC_KEY))
    try:
        activites = RetentionActivities(session_factory(engine), cast(Any, None), 0, coffre)
        await activites._anonymiser_lignes(parcours_id)
    finally:
        await engine.dispose()


async def test_le_nir_reconnait_la_personne_sans_etre_garde(
    plateforme: Plateforme, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    a, b, c, d = fichiers.personnes(4)
    nirs = [nouveau_nir() for _ in range(3)]
    faux = nirs[2][:13] + f"{(int(nirs[2][13:]) + 1) % 97:02d}"  # one digit of the key off
    async with plateforme.client(COORD) as coord:
        premiere = await _importer(coord, [[*a, nirs[0]], [*b, nirs[1]], [*c, faux]])
        assert premiere["actions"] == {
            "ouvrir": 2,
            "mettre_a_jour": 0,
            "deja_connu": 0,
            "rejetee": 1,
        }
        rejetee = premiere["lignes"][2]
        assert rejetee["erreurs"] == [
            {"champ": "nir", "message": f"NIR (colonne « {COLONNE} ») : clé de contrôle incorrecte"}
        ]
        assert rejetee["parcours_id"] is None
        await _confirmer(coord, premiere["id"])
        ouverts = {ligne["numero"]: ligne["parcours_id"] for ligne in premiere["lignes"]}

        # Only the NIR tells who they are (no CAF number, another name): A married since, her
        # NIR spaced; B's name mistyped, with a new phone; D is new, without a NIR.
        a2 = ["", a[1] + "-Epouse", *a[2:], " ".join([nirs[0][:1], nirs[0][1:7], nirs[0][7:]])]
        b2 = ["", b[1] + "x", *b[2:7], "07 98 76 54 32", b[8], nirs[1]]
        seconde = await _importer(coord, [a2, b2, [*d, ""]])
        assert seconde["actions"] == {
            "ouvrir": 1,
            "mettre_a_jour": 1,
            "deja_connu": 1,
            "rejetee": 0,
        }
        lignes = {ligne["numero"]: ligne for ligne in seconde["lignes"]}
        assert (lignes[2]["action"], lignes[2]["parcours_id"]) == ("deja_connu", ouverts[2])
        assert (lignes[3]["action"], lignes[3]["parcours_id"]) == ("mettre_a_jour", ouverts[3])
        await _confirmer(coord, seconde["id"])

    base = await _base_en_clair(plateforme)
    histoires = [
        await _histoire_en_clair(plateforme, w)
        for w in (
            f"import-{premiere['id']}",
            f"import-{seconde['id']}",
            f"parcours-{ouverts[2]}",
            f"parcours-{ouverts[3]}",
        )
    ]
    assert a[1] in base  # the read model is there, with the person's name
    for numero in (*nirs, faux):
        for forme in (numero, numero[:13]):  # whole, and without its key
            assert forme not in base, f"NIR {forme} en clair dans la base"
            assert all(forme.encode() not in h for h in histoires), (
                f"NIR {forme} dans un historique"
            )
            assert forme not in caplog.text, f"NIR {forme} dans les journaux"

    # Kept as its HMAC for the next list, until the person's parcours is anonymised.
    empreintes = [nir.empreinte(n) for n in nirs[:2]]
    assert all(e in base for e in empreintes)
    await _anonymiser(plateforme, ouverts[2], tmp_path)
    base = await _base_en_clair(plateforme)
    assert empreintes[0] not in base
    assert empreintes[1] in base
