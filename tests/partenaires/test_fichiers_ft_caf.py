"""Batch files of the CAF/MSA (RSA flux, XML) and France Travail (job seekers' extract, CSV),
dropped in a directory and imported by the scheduled workflow: each line takes the path of a
CloudEvent — delivered to the parcours carrying its identifier, or waiting « à rapprocher » —,
the same file twice doubles nothing, files and lines keep their order, and every line that
gives no event is in the file's report with its reason. Fixtures: tests/fixtures/lots/, shaped
as the files gip-inclusion/carnet-de-bord reads (see docs/connecteurs/fichiers-ft-caf.md)."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from temporalio.worker import Worker

from activities.lots import LotsActivities
from schemas.lots import RapportFichier
from schemas.usager import IdentifiantsPartenaires
from store.connecteurs import SanteConnecteur
from store.db import SessionFactory
from store.evenements_partenaires import EvenementRecu
from store.lots import FichierImporte
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre, ouvrir, projete, vue
from worker import SANDBOX
from workflows.lots import ImportFichiersPartenairesWorkflow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lots"
NOVEMBRE, DECEMBRE = "RSABEM_074_20261130.xml", "RSABEM_074_20261231.xml"
ILLISIBLE = "RSABEM_074_illisible.xml"
EXTRACTION_FT = "i03300c.j.extract_spie_074_principal.csv"
COORD = "coord-bassin_annecien"


def _numeros() -> dict[str, str]:
    """Fresh identifiers for the fixtures' people (« 741000n » in the files): the tests share
    one database, and an identifier seen before would be « already received »."""
    return {f"741000{n}": f"{random.randrange(10**7):07d}" for n in range(1, 7)}


def _deposer(depot: Path, nom: str, numeros: dict[str, str], sous: str | None = None) -> None:
    texte = (FIXTURES / nom).read_bytes()
    for ancien, nouveau in numeros.items():
        texte = texte.replace(ancien.encode(), nouveau.encode())
    depot.mkdir(parents=True, exist_ok=True)
    (depot / (sous or nom)).write_bytes(texte)


def _liste(tmp_path: Path, **depots: Path) -> Path:
    """A partner list like config/partners.toml, with a drop directory per partner."""
    sources = {"caf": "CAF de la Haute-Savoie", "france-travail": "France Travail"}
    lignes = []
    for pid, depot in depots.items():
        pid = pid.replace("_", "-")
        lignes += [
            f"[{pid}]",
            f'nom = "{sources[pid]}"',
            f'source = "urn:spie74:partner:{pid}"',
            f'depot = "{depot}"',
            "",
        ]
    liste = tmp_path / f"partners-{uuid.uuid4().hex}.toml"
    liste.write_text("\n".join(lignes), encoding="utf-8")
    return liste


async def _importer(
    plateforme: Plateforme, lecture: SessionFactory, liste: Path
) -> list[RapportFichier]:
    """One run of the scheduled workflow, on a worker that reads this partner list."""
    settings = plateforme.settings.model_copy(update={"partners_file": liste})
    lots = LotsActivities(settings, lecture)
    file = f"lots-{uuid.uuid4()}"
    async with Worker(
        plateforme.env.client,
        task_queue=file,
        workflows=[ImportFichiersPartenairesWorkflow],
        activities=[lots.lister, lots.importer],
        workflow_runner=SANDBOX,
    ):
        rapports: list[RapportFichier] = await plateforme.env.client.execute_workflow(
            "ImportFichiersPartenaires",
            id=f"import-fichiers-{uuid.uuid4()}",
            task_queue=file,
            result_type=list[RapportFichier],
        )
    return rapports


def _comptes(r: RapportFichier) -> tuple[int, ...]:
    return (r.lues, r.livrees, r.a_rapprocher, r.deja_recues, r.sans_suite, r.refusees)


async def _evenements(lecture: SessionFactory, partenaire: str, sujet: str) -> list[EvenementRecu]:
    async with lecture() as session:
        rows = await session.exec(
            select(EvenementRecu)
            .where(EvenementRecu.partenaire == partenaire, EvenementRecu.sujet == sujet)
            .order_by(col(EvenementRecu.recu_le))
        )
        return list(rows.all())


async def _situation(plateforme: Plateforme, pid: str, fait: str, valeur: str) -> dict[str, Any]:
    async with plateforme.client(CLAIRE.id) as claire:

        async def lire() -> dict[str, Any] | None:
            v = await vue(claire, pid)
            connu = v["etat"]["situation_partenaires"].get(fait)
            return v if connu and connu["valeur"] == valeur else None

        return await attendre(lire, f"{fait} = {valeur} sur le parcours {pid}")


async def _ouvrir_avec(
    plateforme: Plateforme, lecture: SessionFactory, identifiants: IdentifiantsPartenaires
) -> str:
    """A parcours carrying these identifiers, once in the read model (where routing looks)."""
    pid = await ouvrir(plateforme, identifiants)
    await projete(lecture, pid)
    return pid


async def _ouvrir_caf(plateforme: Plateforme, lecture: SessionFactory, numero: str) -> str:
    return await _ouvrir_avec(plateforme, lecture, IdentifiantsPartenaires(caf=numero))


async def test_flux_caf_livre_met_a_rapprocher_et_dit_pourquoi_chaque_ligne_sans_effet(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    ouverte = await _ouvrir_caf(plateforme, lecture, n["7410001"])
    close = await _ouvrir_caf(plateforme, lecture, n["7410003"])
    _deposer(tmp_path / "caf", NOVEMBRE, n)

    [rapport] = await _importer(plateforme, lecture, _liste(tmp_path, caf=tmp_path / "caf"))

    # 6 foyers: 2 delivered, 1 unknown person, 1 pending request, 1 MSA and 1 malformed refused
    assert rapport.nom == NOVEMBRE
    assert _comptes(rapport) == (6, 2, 1, 0, 1, 2)
    async with lecture() as session:
        row = await session.get(FichierImporte, rapport.empreinte)
    assert row is not None
    assert {x["numero"]: x["raison"] for x in row.lignes} == {
        4: "Sans suite : nouvelle demande en attente de décision du conseil départemental",
        5: "Dossier MSA : les événements RSA ne se rattachent aujourd'hui qu'au numéro "
        "allocataire CAF",
        6: "Bloc SuspensionVersement (date DDSUSVERSRSA) absent pour l'état 4",
    }
    v = await _situation(plateforme, close, "droits_rsa", "clos")
    assert "Fin des droits RSA : Droit clos : radié, fin de droit" in [
        e["libelle"] for e in v["etat"]["timeline"]
    ]
    assert [s["type"] for s in v["etat"]["signalements"]] == ["fr.caf.rsa.droits-clos"]
    await _situation(plateforme, ouverte, "droits_rsa", "ouverts")
    [inconnu] = await _evenements(lecture, "caf", n["7410002"])
    assert inconnu.statut == "a_rapprocher"
    assert (
        inconnu.motif
        == f"Aucun parcours ouvert ne porte le numéro allocataire CAF « {n['7410002']} »"
    )
    assert inconnu.data["motif"] == (
        "Versement suspendu : déclaration trimestrielle de ressources non fournie"
    )


async def test_le_meme_fichier_depose_deux_fois_ne_double_rien(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    await _ouvrir_caf(plateforme, lecture, n["7410001"])
    depot = tmp_path / "caf"
    liste = _liste(tmp_path, caf=depot)
    _deposer(depot, NOVEMBRE, n)
    [premier] = await _importer(plateforme, lecture, liste)
    assert _comptes(premier)[:3] == (6, 1, 2)  # only the first person has a parcours
    avant = [e.id for e in await _evenements(lecture, "caf", n["7410001"])]

    _deposer(depot, NOVEMBRE, n, sous="RSABEM_074_20261130_renvoi.xml")  # same bytes, new name
    assert await _importer(plateforme, lecture, liste) == []  # already read: not read again
    assert [e.id for e in await _evenements(lecture, "caf", n["7410001"])] == avant

    # A flux of the next month where nothing changed: every dossier repeated, no event.
    meme_etat = (
        (depot / NOVEMBRE).read_bytes().replace(b"2026-11-30</DTREF>", b"2026-12-15</DTREF>")
    )
    (depot / "RSABEM_074_20261215.xml").write_bytes(meme_etat)
    [inchange] = await _importer(plateforme, lecture, liste)
    assert _comptes(inchange) == (6, 0, 0, 3, 1, 2)
    assert [e.id for e in await _evenements(lecture, "caf", n["7410001"])] == avant

    # The next month repeats the same suspension (already received) and closes a right.
    _deposer(depot, DECEMBRE, n)
    [decembre] = await _importer(plateforme, lecture, liste)
    assert _comptes(decembre) == (2, 1, 0, 1, 0, 0)
    assert len(await _evenements(lecture, "caf", n["7410002"])) == 1


async def test_les_fichiers_et_leurs_lignes_gardent_leur_ordre(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    pid = await _ouvrir_caf(plateforme, lecture, n["7410001"])
    depot = tmp_path / "caf"
    _deposer(depot, DECEMBRE, n)  # dropped first, but dated after: read after
    _deposer(depot, NOVEMBRE, n)

    rapports = await _importer(plateforme, lecture, _liste(tmp_path, caf=depot))

    assert [r.nom for r in rapports] == [NOVEMBRE, DECEMBRE]
    assert [e.type for e in await _evenements(lecture, "caf", n["7410001"])] == [
        "fr.caf.rsa.droits-ouverts",
        "fr.caf.rsa.droits-clos",
    ]
    await _situation(plateforme, pid, "droits_rsa", "clos")


async def test_un_fichier_illisible_est_signale_a_la_coordination(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    _deposer(tmp_path / "caf", ILLISIBLE, _numeros())

    [rapport] = await _importer(plateforme, lecture, _liste(tmp_path, caf=tmp_path / "caf"))

    assert rapport.erreur == "XML illisible (ParseError)"
    assert rapport.lues == 0
    async with lecture() as session:
        sante = await session.get(SanteConnecteur, "caf")
    assert sante is not None
    assert sante.dernier_echec is not None
    async with plateforme.client(COORD) as coord:
        reponse = await coord.get("/coordination/fragments/incidents")
    assert reponse.status_code == 200, reponse.text
    page = " ".join(reponse.text.split())
    assert "<caption>Santé des connecteurs</caption>" in page
    tableau = page.split('id="sante-connecteurs"')[1]
    ligne_caf = tableau.split('data-partenaire="caf"')[1].split("</tr>")[0]
    assert "En échec" in ligne_caf
    assert f"Fichier « {ILLISIBLE} » illisible : XML illisible (ParseError)" in ligne_caf


async def test_extraction_france_travail(
    plateforme: Plateforme, lecture: SessionFactory, tmp_path: Path
) -> None:
    n = _numeros()
    connu = f"{n['7410001']}A"
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(france_travail=connu))
    await projete(lecture, pid)
    _deposer(tmp_path / "ft", EXTRACTION_FT, n)

    [rapport] = await _importer(
        plateforme, lecture, _liste(tmp_path, france_travail=tmp_path / "ft")
    )

    assert _comptes(rapport) == (5, 1, 1, 0, 1, 2)
    assert {x.numero: x.raison for x in (await _rapport_complet(lecture, rapport)).lignes} == {
        3: "Sans suite : pas bénéficiaire du RSA (brsa)",
        4: "Champ « subject » : format invalide pour « Identifiant France Travail »",
        5: "Date d'inscription (inscription) absente ou mal formée",
    }
    v = await _situation(plateforme, pid, "inscription_france_travail", "inscrit")
    inscription = next(
        e for e in v["etat"]["timeline"] if e["code"] == "fr.france-travail.demandeur.inscrit"
    )
    assert inscription["libelle"] == "Inscription à France Travail"
    [inconnu] = await _evenements(lecture, "france-travail", f"{n['7410002']}B")
    assert inconnu.statut == "a_rapprocher"


async def _rapport_complet(lecture: SessionFactory, r: RapportFichier) -> RapportFichier:
    from partenaires.lots.importation import rapport_existant

    async with lecture() as session:
        row = await session.get(FichierImporte, r.empreinte)
    assert row is not None
    return rapport_existant(row)


@pytest.mark.parametrize("numero", ["205599000000000", "2055990", "000205599000000"])
def test_numero_allocataire_sur_sept_chiffres(numero: str) -> None:
    from partenaires.lots.caf import numero_allocataire

    assert numero_allocataire(numero) == "2055990"
