"""The activity that makes an invitation's letter (issue 18): retried, it files the letter once;
taken up after filing but before the outbox noted it, it files a new letter whose code matches
the fingerprint it answers (the code is never kept in clear to be drawn again); an address that
does not fit La Poste's block is a refusal the référent sees, not a cut address; the phone to
call is the référent's structure's."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.courrier import Courrier, document_du_courrier
from activities.outbox import Outbox
from agendas.code import normaliser
from agendas.courrier import lettre_pdf
from pieces import service
from pieces.chiffrement import cles_de
from pieces.service import Coffre
from pieces.stockage import FichiersLocaux
from schemas.appels import AppelPartenaire, CourrierInvitation, LienCarnetAEnvoyer
from schemas.carnet import empreinte
from schemas.incident import TypeOperation
from store.comptes import Compte
from store.db import SessionFactory, create_schema, ecriture, make_engine, session_factory
from store.notifications import LienEnAttente
from store.pieces import PieceRow
from store.structures import Structure
from tests.agendas.lettre import CODE, rendre

CLE = "k1:" + base64.b64encode(b"1" * 32).decode()


@dataclass
class Banc:
    sessions: SessionFactory
    coffre: Coffre
    courrier: Courrier


@pytest.fixture
async def banc(base_lecture: str, tmp_path: Path) -> AsyncIterator[Banc]:
    engine = make_engine(base_lecture)
    await create_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        await ecriture(session)
        session.add(
            Structure(
                id="ml-lettre", nom="Mission Locale Lettre", type="mission_locale",
                contact_telephone="04 50 11 22 33", cree_le=datetime.now(UTC),
            )
        )  # fmt: skip
        session.add(
            Compte(
                id="ref-lettre", email="ref.lettre@ml.fr", nom="Léa Lettre", role="referent",
                structure_id="ml-lettre", cree_le=datetime.now(UTC),
            )
        )  # fmt: skip
        await session.commit()
    coffre = Coffre(FichiersLocaux(tmp_path / "pieces"), cles_de(CLE))
    try:
        yield Banc(sessions, coffre, Courrier(sessions, Outbox(sessions), coffre))
    finally:
        await engine.dispose()


def _appel(
    cle: str, adresse: str = "12 rue des Lilas", referent_id: str = "ref-lettre"
) -> AppelPartenaire:
    courrier = CourrierInvitation(
        carnet=LienCarnetAEnvoyer(
            lien_id="p-inv-1:invitation-courrier",
            adresse_publique="https://parcours.example.fr",
            expire_le=date(2031, 8, 16),
            chemin="rdv",
        ),
        prenom="Ana",
        nom="Lee",
        adresse=adresse,
        code_postal="74000",
        commune="Annecy",
        motif="Bilan",
        referent_id=referent_id,
        referent="Léa Lettre",
        date_limite=date(2031, 8, 15),
    )
    return AppelPartenaire(
        idempotence=cle,
        parcours_id="p-lettre",
        operation=TypeOperation.PRODUIRE_COURRIER,
        donnees=courrier.model_dump(mode="json"),
    )


async def _lettres(banc: Banc) -> list[PieceRow]:
    async with banc.sessions() as session:
        return list((await session.exec(select(PieceRow))).all())


async def _code_de_la_lettre(banc: Banc, row: PieceRow, tmp_path: Path) -> str:
    rendu = rendre(await service.lire(banc.coffre, row), tmp_path / f"{row.id}.png")
    (code,) = CODE.findall(rendu.texte)
    assert "appelez le 04 50 11 22 33" in rendu.texte  # the référent's structure
    normalise = normaliser(code)
    assert normalise is not None
    return normalise


async def test_reprise_la_lettre_est_classee_une_fois(banc: Banc, tmp_path: Path) -> None:
    env = ActivityEnvironment()
    premier = await env.run(banc.courrier.produire, _appel("op-1"))
    encore = await env.run(banc.courrier.produire, _appel("op-1"))
    assert premier["statut"] == "produit"
    assert encore == premier | {"statut": "deja_produit"}
    (row,) = await _lettres(banc)
    assert row.id == premier["document"] == document_du_courrier("op-1")
    assert premier["empreinte"] == empreinte(await _code_de_la_lettre(banc, row, tmp_path))
    async with banc.sessions() as session:  # never waiting in clear, even for a moment
        assert (await session.exec(select(LienEnAttente))).all() == []


async def test_reprise_apres_le_depot_une_nouvelle_lettre_va_avec_l_empreinte(
    banc: Banc, tmp_path: Path
) -> None:
    """An attempt filed its letter and stopped before the outbox noted it: its code is lost."""
    appel = _appel("op-2")
    ancienne = lettre_pdf(
        CourrierInvitation.model_validate(appel.donnees),
        "AAAABBBBCCCC",
        "04 50 11 22 33",
        date.today(),
    )
    await banc.courrier._classer(appel, document_du_courrier("op-2"), ancienne)
    resultat = await ActivityEnvironment().run(banc.courrier.produire, appel)
    (row,) = await _lettres(banc)
    code = await _code_de_la_lettre(banc, row, tmp_path)
    assert code != "AAAABBBBCCCC"
    assert resultat["empreinte"] == empreinte(code)


async def test_une_adresse_trop_longue_est_un_refus_que_le_referent_voit(banc: Banc) -> None:
    trop = ", ".join(f"Escalier {n} couloir de gauche au fond" for n in range(5))
    with pytest.raises(ApplicationError, match="ne tient pas dans le bloc adresse") as refus:
        await ActivityEnvironment().run(banc.courrier.produire, _appel("op-3", trop))
    assert refus.value.non_retryable
    assert refus.value.type == "RefusPartenaire"
    assert await _lettres(banc) == []


async def test_sans_telephone_de_structure_le_numero_des_regles(banc: Banc) -> None:
    assert await banc.courrier.telephone("ref-lettre") == "04 50 11 22 33"
    assert await banc.courrier.telephone("compte-inconnu") == "04 50 00 00 00"
