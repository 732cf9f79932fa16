"""Import of a structure's professionals (issue 16, item 2): the list a structure sends, as an
XLSX, previewed then confirmed through the API by its administrator. Each new account is
invited by e-mail and waits for its activation; a row with a bad address, a role the
administrator may not give or the same address twice is rejected on its row; a re-import of
a longer list creates only the new ones, never an account twice for one e-mail."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.administration.outils import activer, lien_recu
from tests.administration.test_api_comptes import Structure, _structure
from tests.administration.test_api_comptes import admin as admin
from tests.administration.test_api_comptes import structure as structure
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.imports import fichiers

ENTETES = ["Nom", "Prénom", "Courriel", "Fonction"]


def _demande(lignes: list[list[Any]], confirmer: bool = False) -> dict[str, Any]:
    corps = fichiers.demande(fichiers.xlsx(lignes, ENTETES), "professionnels.xlsx")
    corps.pop("source")
    return {**corps, "confirmer": confirmer}


def _equipe(suffixe: str) -> list[list[Any]]:
    return [
        ["Martin", "Inès", f"ines.martin.{suffixe}@ml-test.fr", "Référente"],
        ["Roux", "Paul", f"paul.roux.{suffixe}@ml-test.fr", ""],  # no role: référent
        ["Blanc", "Zoé", "zoe.blanc@", "Référent"],  # not an address
        ["Noir", "Léo", f"leo.noir.{suffixe}@ml-test.fr", "Administrateur"],  # not theirs to give
        ["Martin", "Inès", f"INES.MARTIN.{suffixe}@ml-test.fr", "Référent"],  # same address
        ["Petit", "Anne", f"anne.petit.{suffixe}@ml-test.fr", "Administrateur de structure"],
    ]


async def test_import_des_professionnels_d_une_structure(
    structure: Structure,
    admin: httpx.AsyncClient,
    plateforme: Plateforme,
    simulateur: Simulateur,
) -> None:
    suffixe = uuid.uuid4().hex[:6]
    equipe = _equipe(suffixe)
    url = f"/api/v1/structures/{structure.id}/comptes/import"

    apercu = await structure.admin.post(url, json=_demande(equipe))
    assert apercu.status_code == 200, apercu.text
    corps = apercu.json()
    assert corps["correspondance"] == {
        "nom": "Nom",
        "prenom": "Prénom",
        "email": "Courriel",
        "role": "Fonction",
    }
    assert corps["actions"] == {"creer": 3, "deja_connu": 0, "rejetee": 3}
    par_ligne = {ligne["numero"]: ligne for ligne in corps["lignes"]}
    assert par_ligne[2]["nom"] == "Inès Martin"
    assert par_ligne[4]["erreurs"][0]["champ"] == "email"
    assert "Vous ne pouvez pas attribuer le rôle « Administrateur »" in str(par_ligne[5]["erreurs"])
    assert par_ligne[6]["erreurs"] == [
        {"champ": "email", "message": "Même adresse qu'à la ligne 2"}
    ]
    comptes = (await structure.admin.get("/api/v1/comptes")).json()
    assert not any(suffixe in c["email"] for c in comptes)  # the preview creates nothing

    fait = await structure.admin.post(url, json=_demande(equipe, confirmer=True))
    assert fait.status_code == 200, fait.text
    crees = [ligne for ligne in fait.json()["lignes"] if ligne["resultat"] == "cree"]
    assert [c["numero"] for c in crees] == [2, 3, 7]
    comptes = {c["email"]: c for c in (await structure.admin.get("/api/v1/comptes")).json()}
    ines = comptes[f"ines.martin.{suffixe}@ml-test.fr"]
    assert (ines["statut"], ines["role"], ines["structure_id"]) == (
        "invite",
        "referent",
        structure.id,
    )
    assert comptes[f"anne.petit.{suffixe}@ml-test.fr"]["role"] == "admin_structure"

    # Each new account activates itself from its own link.
    async with httpx.AsyncClient(timeout=60, base_url=plateforme.base_url) as anonyme:
        await activer(anonyme, await lien_recu(simulateur, f"paul.roux.{suffixe}@ml-test.fr"))
    paul = (await structure.admin.get(f"/api/v1/comptes/{crees[1]['compte_id']}")).json()
    assert paul["statut"] == "actif"

    # Next month's list: the same people and one newcomer. Only the newcomer is created.
    equipe.append(["Faure", "Jules", f"jules.faure.{suffixe}@ml-test.fr", "Référent"])
    encore = await structure.admin.post(url, json=_demande(equipe, confirmer=True))
    # the repeated address of row 6 now names a known account too: nothing to create
    assert encore.json()["actions"] == {"creer": 1, "deja_connu": 4, "rejetee": 2}
    apres = [
        c for c in (await structure.admin.get("/api/v1/comptes")).json() if suffixe in c["email"]
    ]
    assert len(apres) == 4
    assert (await admin.get(f"/api/v1/comptes/{crees[1]['compte_id']}")).json()["statut"] == "actif"


async def test_import_refuse_hors_de_sa_structure_et_fichier_illisible(
    structure: Structure,
    admin: httpx.AsyncClient,
) -> None:
    autre = await admin.post("/api/v1/structures", json=_structure())
    assert autre.status_code == 201, autre.text
    ailleurs = await structure.admin.post(
        f"/api/v1/structures/{autre.json()['id']}/comptes/import", json=_demande(_equipe("x"))
    )
    assert ailleurs.status_code == 404
    illisible = await structure.admin.post(
        f"/api/v1/structures/{structure.id}/comptes/import",
        json={"nom_fichier": "liste.pdf", "contenu": "JVBERi0=", "confirmer": True},
    )
    assert illisible.status_code == 422
    assert illisible.json()["erreurs"][0]["champ"] == "contenu"
    assert "Format non pris en charge" in illisible.json()["erreurs"][0]["message"]
