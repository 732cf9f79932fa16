"""Social clauses: the report of a contract on known figures, the typing errors that name
their field and write nothing, one placement per person, and the anonymisation that takes the
person away from a placement and leaves the report as it was; a contract changed (the report
follows, a refusal changes nothing), a placement taken away (not one whose hours are
declared), the report and the observatoire's indicator right after."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.retention import RetentionActivities
from employeurs import clauses
from employeurs.annuaire import EmployeurRefuse
from observatoire.catalogue import calculer
from observatoire.modele import Filtres
from schemas.clause_sociale import ClauseSaisie
from schemas.retention import DemandeAnonymisation
from store.clauses import ClauseSocialeRow, PlacementClauseRow
from store.db import SessionFactory
from tests.administration.outils import un_siret
from tests.employeurs.lignes import un_parcours, une_entreprise
from tests.employeurs.test_retention_des_contacts import _coffre, _TemporalVide


def _saisie(titulaire: str, **autre: Any) -> ClauseSaisie:
    valeurs: dict[str, Any] = {
        "intitule": "Réhabilitation du groupe scolaire des Fins",
        "acheteur": "Commune d'Annecy",
        "siret": titulaire,
        "code_postal": "74000",
        "commune": "Annecy",
        "heures_exigees": 400,
        "debut": date(2026, 3, 1),
        "fin": date(2026, 12, 31),
    }
    return ClauseSaisie.model_validate(valeurs | autre)


async def test_bilan_d_un_marche(sessions: SessionFactory) -> None:
    async with sessions() as session:
        siret = await une_entreprise(session)
        clause = await clauses.creer(session, _saisie(siret), "cre-1")
        assert clause.bassin == "bassin_annecien"
        for heures in (120, 95.5, 60):
            parcours = await un_parcours(session)
            placement = await clauses.placer(session, clause, parcours, date(2026, 4, 1), "cre-1")
            await clauses.saisir_heures(session, placement, heures)
        b = clauses.bilan(clause, await clauses.tous_les_placements(session, clause.id))
    # 120 + 95,5 + 60 = 275,5 h of 400: 124,5 h left, 68,9 %
    assert (b.heures_exigees, b.heures_realisees, b.heures_restantes) == (400, 275.5, 124.5)
    assert (b.part_realisee, b.personnes) == (68.9, 3)


async def test_clause_depassee_plus_rien_a_faire(sessions: SessionFactory) -> None:
    async with sessions() as session:
        siret = await une_entreprise(session)
        clause = await clauses.creer(session, _saisie(siret, heures_exigees=100), "cre-1")
        placement = await clauses.placer(
            session, clause, await un_parcours(session), date(2026, 3, 1), "cre-1"
        )
        await clauses.saisir_heures(session, placement, 130)
        b = clauses.bilan(clause, await clauses.tous_les_placements(session, clause.id))
    assert (b.heures_restantes, b.part_realisee) == (0, 130.0)


@pytest.mark.parametrize(
    ("champ", "autre"),
    [
        ("siret", {"siret": un_siret()}),  # not in the directory
        ("fin", {"fin": date(2026, 2, 1)}),  # before the start
        ("commune", {"code_postal": "69001", "commune": "Lyon"}),  # not in a bassin
    ],
)
async def test_saisie_refusee_nomme_le_champ(
    sessions: SessionFactory, champ: str, autre: dict[str, Any]
) -> None:
    async with sessions() as session:
        siret = await une_entreprise(session)
        with pytest.raises(EmployeurRefuse) as refus:
            await clauses.creer(session, _saisie(siret, **autre), "cre-1")
        assert (refus.value.status, refus.value.erreurs[0]["champ"]) == (422, champ)
        assert (await session.exec(select(ClauseSocialeRow))).all() == []


async def test_un_placement_par_personne_pendant_le_marche(sessions: SessionFactory) -> None:
    async with sessions() as session:
        clause = await clauses.creer(session, _saisie(await une_entreprise(session)), "cre-1")
        parcours = await un_parcours(session)
        with pytest.raises(EmployeurRefuse) as avant:
            await clauses.placer(session, clause, parcours, date(2026, 1, 15), "cre-1")
        assert avant.value.erreurs[0]["champ"] == "debut"
        await clauses.placer(session, clause, parcours, date(2026, 3, 2), "cre-1")
        with pytest.raises(EmployeurRefuse) as deux:
            await clauses.placer(session, clause, parcours, date(2026, 3, 3), "cre-1")
        assert (deux.value.status, deux.value.code) == (409, "deja_placee")


async def test_l_anonymisation_garde_les_heures_et_oublie_la_personne(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    async with sessions() as session:
        clause = await clauses.creer(session, _saisie(await une_entreprise(session)), "cre-1")
        parcours = await un_parcours(session, clos_le=date(2024, 1, 10))
        placement = PlacementClauseRow(
            id="pl-anonyme",
            clause_id=clause.id,
            parcours_id=parcours.id,
            debut=date(2026, 3, 2),
            heures_realisees=80,
            place_par="cre-1",
            cree_le=clause.cree_le,
            mis_a_jour=clause.cree_le,
        )
        session.add(placement)
        await session.commit()
    activites = RetentionActivities(
        sessions, cast(Any, _TemporalVide()), delai_jours=365, coffre=_coffre(tmp_path)
    )
    bilan = await ActivityEnvironment().run(
        activites.anonymiser, DemandeAnonymisation(jour=date(2026, 12, 1))
    )
    assert parcours.id in bilan.anonymises
    async with sessions() as session:
        reste = await session.get(PlacementClauseRow, "pl-anonyme")
        assert reste is not None
        assert reste.parcours_id is None
        assert await clauses.placements(session, clause.id) == []
        b = clauses.bilan(clause, await clauses.tous_les_placements(session, clause.id))
    assert (b.heures_realisees, b.personnes) == (80, 1)


async def _marche_et_heures(
    sessions: SessionFactory, *heures: float
) -> tuple[ClauseSocialeRow, list[PlacementClauseRow]]:
    """The contract of 400 h, a person placed on 1 April for each of ``heures``."""
    async with sessions() as session:
        clause = await clauses.creer(session, _saisie(await une_entreprise(session)), "cre-1")
        places = []
        for h in heures:
            parcours = await un_parcours(session)
            placement = await clauses.placer(session, clause, parcours, date(2026, 4, 1), "cre-1")
            places.append(await clauses.saisir_heures(session, placement, h))
    return clause, places


async def test_marche_modifie_le_bilan_suit(sessions: SessionFactory) -> None:
    clause, _ = await _marche_et_heures(sessions, 120, 60)
    siret = clause.siret
    async with sessions() as session:
        row = await clauses.charger(session, clause.id)
        # an amendment: fewer hours than done (the clause is exceeded), a later end, a new object
        avenant = _saisie(
            siret, intitule="Groupe scolaire des Fins, lot 2", heures_exigees=150,
            fin=date(2027, 6, 30),
        )  # fmt: skip
        changements = await clauses.modifier(session, row, avenant)
    assert changements == ["intitule", "heures_exigees 400 → 150", "fin 2026-12-31 → 2027-06-30"]
    async with sessions() as session:
        relu = await clauses.charger(session, clause.id)
        b = clauses.bilan(relu, await clauses.tous_les_placements(session, clause.id))
    assert (relu.intitule, relu.fin) == ("Groupe scolaire des Fins, lot 2", date(2027, 6, 30))
    assert (b.heures_exigees, b.heures_realisees, b.heures_restantes) == (150, 180, 0)
    assert b.part_realisee == 120.0


@pytest.mark.parametrize(
    ("champ", "autre"),
    [
        ("debut", {"debut": date(2026, 4, 2)}),  # after the person placed on 1 April started
        ("fin", {"fin": date(2026, 3, 31)}),  # before it
        ("siret", {"siret": un_siret()}),  # not in the directory
        ("commune", {"code_postal": "69001", "commune": "Lyon"}),  # not in a bassin
    ],
)
async def test_modification_refusee_ne_change_rien(
    sessions: SessionFactory, champ: str, autre: dict[str, Any]
) -> None:
    clause, _ = await _marche_et_heures(sessions, 30)
    async with sessions() as session:
        row = await clauses.charger(session, clause.id)
        saisie = _saisie(clause.siret, heures_exigees=200, **autre)
        with pytest.raises(EmployeurRefuse) as refus:
            await clauses.modifier(session, row, saisie)
    assert (refus.value.status, refus.value.erreurs[0]["champ"]) == (422, champ)
    async with sessions() as session:
        relu = await clauses.charger(session, clause.id)
    assert (relu.heures_exigees, relu.debut, relu.fin) == (
        400,
        date(2026, 3, 1),
        date(2026, 12, 31),
    )
    assert (relu.siret, relu.bassin) == (clause.siret, "bassin_annecien")


async def _indicateur(sessions: SessionFactory) -> dict[str, Any]:
    """The observatoire's hours of clauses, for the Bassin annécien, in 2026."""
    async with sessions() as session:
        (resultat,) = await calculer(
            session, Filtres(du=date(2026, 1, 1), au=date(2026, 12, 31)), date(2026, 12, 31),
            codes=["heures_clauses"],
        )  # fmt: skip
    return next(dict(lg.valeurs) for lg in resultat.lignes if lg.cle == "bassin_annecien")


async def test_retrait_d_un_placement_fait_par_erreur(sessions: SessionFactory) -> None:
    clause, (par_erreur, _) = await _marche_et_heures(sessions, 0, 80)
    async with sessions() as session:
        await clauses.retirer(session, par_erreur)
        b = clauses.bilan(clause, await clauses.tous_les_placements(session, clause.id))
        assert await session.get(PlacementClauseRow, par_erreur.id) is None
    assert (b.personnes, b.heures_realisees, b.heures_restantes) == (1, 80, 320)
    indicateur = await _indicateur(sessions)
    assert (indicateur["personnes"], indicateur["heures_realisees"]) == (1, 80)


async def test_un_placement_aux_heures_declarees_n_est_pas_retire(
    sessions: SessionFactory,
) -> None:
    clause, (travaille,) = await _marche_et_heures(sessions, 80.5)
    async with sessions() as session:
        with pytest.raises(EmployeurRefuse) as refus:
            await clauses.retirer(session, travaille)
    assert (refus.value.status, refus.value.code) == (409, "heures_declarees")
    assert "(80,5 h)" in refus.value.message
    async with sessions() as session:
        b = clauses.bilan(clause, await clauses.tous_les_placements(session, clause.id))
    assert (b.personnes, b.heures_realisees) == (1, 80.5)
    indicateur = await _indicateur(sessions)
    assert (indicateur["personnes"], indicateur["heures_realisees"]) == (1, 80.5)
    async with sessions() as session:  # the hours were a mistake too: 0, then taken away
        await clauses.saisir_heures(session, travaille, 0)
        await clauses.retirer(session, travaille)
        assert await clauses.tous_les_placements(session, clause.id) == []
