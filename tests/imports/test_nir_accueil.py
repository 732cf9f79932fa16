"""A NIR typed at the accueil (issue 16): optional, checked with python-stdnum (422 naming
« nir »), replaced by its HMAC as soon as the request is read. Only that HMAC reaches the
parcours: a list imported later finds the person by it, under another name; a second accueil
with the same NIR is a duplicate. The number never reaches the read model, a history or a log."""

from __future__ import annotations

import logging
import secrets
from datetime import date

import pytest

from importation import nir
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.imports import fichiers
from tests.imports.test_import_api import COORD, _au_moins
from tests.imports.test_nir import _base_en_clair, _histoire_en_clair, _importer, nouveau_nir


async def test_le_nir_de_l_accueil_retrouve_la_personne_dans_une_liste(
    plateforme: Plateforme, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    prefixe = "Nir" + secrets.token_hex(3).upper()
    numero = nouveau_nir()
    espace = f"{numero[:1]} {numero[1:3]} {numero[3:5]} {numero[5:7]} {numero[7:10]} {numero[10:]}"
    faux = numero[:13] + f"{(int(numero[13:]) + 1) % 97:02d}"
    naissance = date(1984, 5, 17)
    corps = donnees.accueil(date.today(), nom=f"{prefixe}-A", date_naissance=str(naissance))
    async with plateforme.client(COORD) as coord:
        r = await coord.post("/api/v1/parcours", json=corps | {"nir": faux})
        assert r.status_code == 422, r.text
        assert r.json()["erreurs"] == [
            {"champ": "nir", "message": "NIR : clé de contrôle incorrecte"}
        ]
        assert faux not in r.text
        assert await _au_moins(plateforme, prefixe, 1) == []  # nothing opened

        r = await coord.post("/api/v1/parcours", json=corps | {"nir": espace})
        assert r.status_code == 201, r.text
        ouvert = r.json()["id"]
        assert nir.empreinte(numero) not in r.text  # it serves matching, no reader
        assert len(await _au_moins(plateforme, prefixe, 1)) == 1

        # the same NIR under another name: the same person, whatever the list calls her
        autre = [*fichiers.personnes(1, prefixe + "-Epouse")[0], numero]
        autre[0], autre[3] = "", naissance
        apercu = await _importer(coord, [autre])
        ligne = apercu["lignes"][0]
        assert (ligne["action"] in ("deja_connu", "mettre_a_jour"), ligne["parcours_id"]) == (
            True,
            ouvert,
        ), ligne

        corps2 = donnees.accueil(date.today(), nom=f"{prefixe}-B", prenom="Léa")
        r = await coord.post("/api/v1/parcours", json=corps2 | {"nir": numero})
        assert r.status_code == 409, r.text  # the same NIR: a duplicate
        assert r.json()["code"] == "doublon"

    base = await _base_en_clair(plateforme)
    histoire = await _histoire_en_clair(plateforme, f"parcours-{ouvert}")
    assert nir.empreinte(numero) in base  # how the list found her
    for forme in (numero, numero[:13], faux, faux[:13]):
        assert forme not in base, f"NIR {forme} en clair dans la base"
        assert forme.encode() not in histoire, f"NIR {forme} dans l'historique du parcours"
        assert forme not in caplog.text, f"NIR {forme} dans les journaux"
