"""The observatory's employers' indicators on a built set whose figures are known: offers by
label, proposals → interviews → hirings, hours of social clauses, by bassin; the period, the
reader's territory and the masking of small counts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import clauses, offres
from observatoire.catalogue import calculer
from observatoire.masquage import masquer
from observatoire.modele import Filtres
from schemas.clause_sociale import ClauseSaisie
from schemas.common import Acteur, Role, Territoire
from schemas.employeur import OffreSaisie
from store.db import SessionFactory
from store.employeurs import OffreRow, PropositionRow
from store.parcours import ParcoursRow
from tests.employeurs.lignes import un_parcours, une_entreprise

CODES = ["offres_par_label", "propositions_embauches", "heures_clauses"]
ANNEE = Filtres(du=date(2026, 1, 1), au=date(2026, 12, 31))
CRE = Acteur(id="cre-1", nom="Chargée", role=Role.CHARGE_ENTREPRISE)
LIEUX = {"bassin_annecien": ("74000", "Annecy"), "chablais": ("74200", "Thonon-les-Bains")}


async def _offre(session: AsyncSession, siret: str, bassin: str, inclusive: bool) -> OffreRow:
    code_postal, commune = LIEUX[bassin]
    saisie = OffreSaisie(
        siret=siret,
        intitule="Agent d'entretien",
        code_rome="K2204",
        code_postal=code_postal,
        commune=commune,
        type_contrat="cdd",
        inclusive=inclusive,
    )
    return await offres.publier(session, saisie, CRE)


async def _proposer(session: AsyncSession, offre: OffreRow, parcours: str, statut: str) -> None:
    instant = datetime(2026, 5, 4, tzinfo=UTC)
    session.add(
        PropositionRow(
            id=str(uuid.uuid4()),
            offre_id=offre.id,
            parcours_id=parcours,
            statut=statut,
            propose_par="cre-1",
            cree_le=instant,
            mis_a_jour=instant,
        )
    )
    await session.commit()


async def _marche(
    session: AsyncSession, siret: str, bassin: str, exigees: int, fin: date, faites: list[float]
) -> None:
    code_postal, commune = LIEUX[bassin]
    saisie = ClauseSaisie(
        intitule="Travaux",
        acheteur="Département de la Haute-Savoie",
        siret=siret,
        code_postal=code_postal,
        commune=commune,
        heures_exigees=exigees,
        debut=date(2025, 3, 1),
        fin=fin,
    )
    clause = await clauses.creer(session, saisie, "cre-1")
    for heures in faites:
        parcours = await un_parcours(session, territoire=bassin)
        placement = await clauses.placer(session, clause, parcours, date(2025, 3, 1), "cre-1")
        await clauses.saisir_heures(session, placement, heures)


async def _jeu(session: AsyncSession) -> None:
    annecy, thonon = await une_entreprise(session, "74000"), await une_entreprise(session, "74200")
    # Bassin annécien: 5 offers this year, 3 of them inclusive; one of last year (not counted)
    a = [await _offre(session, annecy, "bassin_annecien", i < 3) for i in range(5)]
    ancienne = await _offre(session, annecy, "bassin_annecien", True)
    ancienne.cree_le = datetime(2025, 6, 1, tzinfo=UTC)
    session.add(ancienne)
    await session.commit()
    # Chablais: 2 offers, 1 inclusive
    c = [await _offre(session, thonon, "chablais", i == 0) for i in range(2)]
    # 6 proposals in the Bassin annécien: 2 hired, 2 at interview, 1 refused, 1 not yet told
    for statut in ("embauchee", "embauchee", "entretien", "entretien", "refusee", "a_transmettre"):
        await _proposer(session, a[0], (await un_parcours(session)).id, statut)
    for statut in ("embauchee", "proposee"):
        chablais = await un_parcours(session, territoire="chablais")
        await _proposer(session, c[0], chablais.id, statut)
    # clauses: in the Bassin annécien 400 h required, 5 people, 300 h done; a contract ended
    # in 2025 (not counted); in the Chablais 150 h required, 1 person, 50 h done
    await _marche(
        session, annecy, "bassin_annecien", 400, date(2026, 12, 31), [100, 80, 60, 40, 20]
    )
    await _marche(session, annecy, "bassin_annecien", 200, date(2025, 12, 31), [200])
    await _marche(session, thonon, "chablais", 150, date(2027, 6, 30), [50])


async def _tableaux(
    sessions: SessionFactory, f: Filtres, **options: Any
) -> dict[str, dict[str, dict[str, Any]]]:
    async with sessions() as session:
        resultats = await calculer(session, f, date(2026, 12, 31), codes=CODES, **options)
    return {r.indicateur.code: {lg.cle: dict(lg.valeurs) for lg in r.lignes} for r in resultats}


async def test_indicateurs_des_employeurs_par_bassin(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await _jeu(session)
    t = await _tableaux(sessions, ANNEE)
    assert t["offres_par_label"] == {
        "bassin_annecien": {"offres": 5, "inclusives": 3, "part_inclusives": 60.0},
        "chablais": {"offres": 2, "inclusives": 1, "part_inclusives": 50.0},
    }
    assert t["propositions_embauches"] == {
        "bassin_annecien": {
            "propositions": 6,
            "entretiens": 4,
            "embauchees": 2,
            "conversion": 33.3,
        },
        "chablais": {"propositions": 2, "entretiens": 1, "embauchees": 1, "conversion": 50.0},
    }
    assert t["heures_clauses"] == {
        "bassin_annecien": {
            "marches": 1,
            "personnes": 5,
            "heures_exigees": 400,
            "heures_realisees": 300,
            "part_realisee": 75.0,
        },
        "chablais": {
            "marches": 1,
            "personnes": 1,
            "heures_exigees": 150,
            "heures_realisees": 50,
            "part_realisee": 33.3,
        },
    }


async def test_territoire_du_lecteur_et_petits_effectifs(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await _jeu(session)
    # a coordinator of the Chablais: the parcours of their territory, so its bassin only
    portee = col(ParcoursRow.territoire) == Territoire.CHABLAIS.value
    t = await _tableaux(sessions, ANNEE, portee=portee)
    assert {code: list(lignes) for code, lignes in t.items()} == {c: ["chablais"] for c in CODES}
    # up to the end of 2025: both contracts ran (300 + 200 h), one offer was registered
    t = await _tableaux(
        sessions, Filtres(territoire=Territoire.BASSIN_ANNECIEN, au=date(2025, 12, 31))
    )
    assert t["heures_clauses"]["bassin_annecien"]["heures_realisees"] == 500
    assert t["offres_par_label"]["bassin_annecien"]["offres"] == 1
    async with sessions() as session:
        resultats = await calculer(session, ANNEE, date(2026, 12, 31), codes=CODES)
    publics = {r.indicateur.code: masquer(r) for r in resultats}
    heures, caches = publics["heures_clauses"]
    chablais = next(lg for lg in heures.lignes if lg.cle == "chablais")
    assert chablais.valeurs["heures_realisees"] is None  # one person: their hours stay hidden
    assert caches[1] == {
        "marches",
        "personnes",
        "heures_exigees",
        "heures_realisees",
        "part_realisee",
    }
    propositions, caches = publics["propositions_embauches"]
    annecy = next(lg for lg in propositions.lignes if lg.cle == "bassin_annecien")
    assert (annecy.valeurs["propositions"], annecy.valeurs["conversion"]) == (6, None)
