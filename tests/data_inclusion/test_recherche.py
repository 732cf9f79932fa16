"""Searching the offer by thématique, commune and distance: over the synchronised catalogue
(or the JSON file until a first synchronisation), from the person's file in the cockpit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
import pytest_asyncio
from sqlmodel import delete

from referentiels import territoires
from referentiels.catalogue import Offre, rechercher_autour
from referentiels.catalogue import offres as catalogue_local
from referentiels.territoires import distance_km
from store import catalogue
from store.catalogue import ServiceCatalogueRow, StructureCatalogueRow
from store.db import ecriture, make_engine, session_factory
from tests.cockpit.conftest import HTMX, claire, en_contrat  # noqa: F401 (fixtures)
from tests.cockpit.html import element, textes
from tests.data_inclusion.conftest import services_enregistres, structures_enregistrees
from tests.fixtures.plateforme import Plateforme

ANNECY = (45.8992, 6.1294)  # a point given by the test, near the town hall
CV, PERMIS, GLOBAL = (
    "dora--0b9a-atelier-cv",
    "dora--5d21-aide-mobilite",
    "france-travail--ft-74281-accompagnement-global",
)


async def remplir(url: str, archiver: tuple[str, ...] = ()) -> None:
    """The recorded offer in the catalogue, as a synchronisation leaves it."""
    engine = make_engine(url)
    marque = datetime.now(UTC)
    async with session_factory(engine)() as session:
        await ecriture(session)
        for s in structures_enregistrees():
            await catalogue.enregistrer(session, "structures", s, marque)
        for s in services_enregistres():
            await catalogue.enregistrer(session, "services", s, marque)
        await session.commit()
        for ident in archiver:
            row = await session.get(ServiceCatalogueRow, ident)
            assert row is not None
            row.archive_le = marque
        await session.commit()
    await engine.dispose()


async def offres(url: str) -> list[Offre]:
    engine = make_engine(url)
    async with session_factory(engine)() as session:
        trouvees = await catalogue.offres(session)
    await engine.dispose()
    return trouvees


async def test_repli_sur_le_fichier_puis_le_catalogue_synchronise(lecture_du_test: str) -> None:
    avant = await offres(lecture_du_test)
    assert len(avant) == 22  # referentiels/catalogue/services.json
    await remplir(lecture_du_test, archiver=(PERMIS,))
    apres = await offres(lecture_du_test)
    assert {o.service.id for o in apres} == {CV, GLOBAL}  # the archived one is not offered
    engine = make_engine(lecture_du_test)
    async with session_factory(engine)() as session:
        archive = await catalogue.par_id(session, PERMIS)
    await engine.dispose()
    assert archive is not None
    assert archive.archive_le is not None
    assert archive.structure.nom == "Association Annecy Emploi Solidaire"


async def test_par_thematique_commune_et_distance(lecture_du_test: str) -> None:
    await remplir(lecture_du_test)
    tout = await offres(lecture_du_test)
    mobilite = rechercher_autour(tout, thematique="mobilite")
    assert [t.offre.service.id for t in mobilite] == [PERMIS]
    # Thonon: its own service and the one open to the whole département, not Annecy's local aid
    thonon = rechercher_autour(tout, commune="74281")
    assert {t.offre.service.id for t in thonon} == {CV, GLOBAL}
    proches = rechercher_autour(tout, depuis=ANNECY, rayon_km=20)
    assert {t.offre.service.id for t in proches} == {CV, PERMIS}
    tries = rechercher_autour(tout, depuis=ANNECY)
    assert tries[-1].offre.service.id == GLOBAL  # the farthest last
    assert tries[-1].distance_km == pytest.approx(59, abs=3)
    assert all(t.distance_km is None for t in rechercher_autour(tout))  # no point: no distance


def test_distance_a_vol_d_oiseau() -> None:
    # Annecy → Thonon-les-Bains, about 58 km as the crow flies
    assert distance_km(ANNECY, (46.3705, 6.4793)) == pytest.approx(58.5, abs=1.5)
    annecy, thonon = territoires.centre("74010"), territoires.centre("74281")
    assert annecy is not None
    assert thonon is not None
    assert distance_km(annecy, thonon) == pytest.approx(58.5, abs=1.5)


def test_services_sans_coordonnees_places_a_la_mairie_de_leur_commune() -> None:
    """The local catalogue's services are not geocoded: their commune's town hall stands for
    them, so a radius around Thonon keeps the Chablais and leaves Annecy out."""
    thonon = territoires.centre("74281")
    proches = rechercher_autour(catalogue_local(), depuis=thonon, rayon_km=10)
    ids = {t.offre.service.id for t in proches}
    assert {"numerique-thonon", "cv-chablais", "aci-jardins"} <= ids
    assert "fle-annecy" not in ids  # open to the whole département, but 58 km away
    assert all(t.distance_km is not None and t.distance_km <= 10 for t in proches)
    loin = rechercher_autour(catalogue_local(), depuis=thonon)
    fle = next(t for t in loin if t.offre.service.id == "fle-annecy")
    assert fle.distance_km == pytest.approx(58.5, abs=1.5)
    assert [t.distance_km for t in loin] == sorted(t.distance_km or 0.0 for t in loin)


@pytest_asyncio.fixture
async def offre_synchronisee(plateforme: Plateforme) -> AsyncIterator[None]:
    """The recorded offer in the shared platform's catalogue for one test, then removed (the
    other tests expect the JSON fallback)."""
    url = plateforme.settings.effective_database_url
    await remplir(url, archiver=(PERMIS,))
    yield
    engine = make_engine(url)
    async with session_factory(engine)() as session:
        await ecriture(session)
        await session.exec(delete(ServiceCatalogueRow))
        await session.exec(delete(StructureCatalogueRow))
        await session.commit()
    await engine.dispose()


async def test_recherche_depuis_la_fiche_puis_prescription(
    claire: httpx.AsyncClient,  # noqa: F811
    en_contrat: str,  # noqa: F811
) -> None:
    recherche = await claire.get(
        f"/parcours/{en_contrat}/services", params={"thematique": "mobilite"}, headers=HTMX
    )
    assert recherche.status_code == 200, recherche.text
    assert "Auto-école solidaire" in textes(recherche.text)  # the JSON fallback's
    assert "Atelier de français" not in textes(recherche.text)
    assert "prescrire_action?service_id=permis-solidaire" in recherche.text
    formulaire = await claire.get(
        f"/parcours/{en_contrat}/commandes/prescrire_action",
        params={"service_id": "permis-solidaire"},
        headers=HTMX,
    )
    choix = element(formulaire.text, "champ-service_id")
    assert re.search(
        r'<option selected[^>]*value="permis-solidaire"|value="permis-solidaire" selected', choix
    ), choix
    assert f'hx-get="/parcours/{en_contrat}/services"' in formulaire.text  # the search above


@pytest.mark.parametrize(
    ("params", "champ"),
    [
        ({"thematique": "astrologie"}, "Thématique"),
        ({"commune": "75056"}, "Commune"),
        ({"rayon_km": "7"}, "Distance"),
    ],
)
async def test_critere_invalide_422_qui_nomme_le_champ(
    claire: httpx.AsyncClient,  # noqa: F811
    en_contrat: str,  # noqa: F811
    params: dict[str, str],
    champ: str,
) -> None:
    r = await claire.get(f"/parcours/{en_contrat}/services", params=params, headers=HTMX)
    assert r.status_code == 422
    assert champ in textes(r.text)


async def test_offre_data_inclusion_dans_la_fiche_et_service_archive_refuse(
    claire: httpx.AsyncClient,  # noqa: F811
    en_contrat: str,  # noqa: F811
    offre_synchronisee: None,
) -> None:
    r = await claire.get(f"/parcours/{en_contrat}/services", headers=HTMX)
    texte = textes(r.text)
    assert "Atelier CV et lettre de motivation" in texte  # Annecy, the person's commune
    assert "Aide au financement du permis" not in texte  # archived
    assert "synchronisée chaque nuit" in texte
    refus = await claire.post(
        f"/api/v1/parcours/{en_contrat}/prescrire-action",
        json={"service_id": PERMIS, "debut_prevu": date.today().isoformat()},
    )
    assert refus.status_code == 422
    assert "Service archivé" in refus.json()["detail"]


async def test_recherche_dans_un_rayon_autour_d_une_commune(
    claire: httpx.AsyncClient,  # noqa: F811
    en_contrat: str,  # noqa: F811
) -> None:
    """From Thonon within 10 km: the Chablais' services, each with its distance; Annecy's
    (58 km) are left out. Without a commune, the page says the radius was not applied."""
    r = await claire.get(
        f"/parcours/{en_contrat}/services",
        params={"commune": "74281", "rayon_km": "10"},
        headers=HTMX,
    )
    assert r.status_code == 200, r.text
    lignes = [textes(li) for li in re.findall(r"<li class=\"fr-mb-1w\">.*?</li>", r.text, re.S)]
    assert lignes, r.text
    assert any("Thonon" in ligne for ligne in lignes)
    assert all(re.search(r"à (moins d'un|\d+) km", ligne) for ligne in lignes), lignes
    assert not any("Annecy" in ligne for ligne in lignes), lignes
    partout = await claire.get(
        f"/parcours/{en_contrat}/services", params={"commune": "", "rayon_km": "10"}, headers=HTMX
    )
    assert "Distance non appliquée : choisissez la commune d'où la mesurer." in textes(partout.text)
