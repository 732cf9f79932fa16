"""Documents over real HTTP (issue 17, item 3): the référent attaches a PDF to the dossier and
downloads it back, both audited; an executable named « .pdf » is refused in French, by the
API and by the cockpit's form; the document is in the parcours page and its timeline; a
référent without the dossier gets what a missing parcours gets; the anonymisation of the
closed parcours erases the document's bytes and its row."""

from __future__ import annotations

import asyncio
import base64
import secrets
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import col, select

from schemas.retention import BilanAnonymisation
from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from store.parcours import ParcoursRow
from store.pieces import PieceRow
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.pieces.test_pieces import EXECUTABLE, un_pdf

SOPHIE, MARC = "ref-sophie-girard", "ref-marc-roux"


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 60) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (resultat := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.2)
    return resultat


async def _lire(plateforme: Plateforme, requete: Any) -> list[Any]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return list((await session.exec(requete)).all())
    finally:
        await engine.dispose()


async def _ouvrir(http: httpx.AsyncClient, jour: date) -> str:
    nom = "Piece" + secrets.token_hex(4).upper()
    r = await http.post("/api/v1/parcours", json=donnees.accueil(jour, nom=nom))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _corps(octets: bytes, nom: str, type_: str = "attestation") -> dict[str, str]:
    return {"type": type_, "nom_fichier": nom, "contenu": base64.b64encode(octets).decode()}


async def test_un_pdf_joint_puis_telecharge_avec_audit(plateforme: Plateforme) -> None:
    jour, pdf = date.today(), un_pdf("Attestation de stage")
    async with plateforme.client(SOPHIE) as sophie, plateforme.client(MARC) as marc:
        pid = await _ouvrir(sophie, jour)
        envoi = await sophie.post(
            f"/api/v1/parcours/{pid}/documents", json=_corps(pdf, "attestation stage.pdf")
        )
        assert envoi.status_code == 201, envoi.text
        piece = envoi.json()
        assert (piece["type_libelle"], piece["type_mime"], piece["taille"]) == (
            "Attestation",
            "application/pdf",
            len(pdf),
        )
        liste = await sophie.get(f"/api/v1/parcours/{pid}/documents")
        assert [p["id"] for p in liste.json()] == [piece["id"]]
        assert liste.json()[0]["depose_le"].endswith("Z")  # an instant, in UTC

        copie = await sophie.get(f"/api/v1/parcours/{pid}/documents/{piece['id']}")
        assert copie.status_code == 200, copie.text
        assert copie.content == pdf
        assert copie.headers["content-type"] == "application/pdf"
        assert 'filename="attestation stage.pdf"' in copie.headers["content-disposition"]

        # another référent: the answer about a parcours that does not exist
        ailleurs = await marc.get(f"/api/v1/parcours/{pid}/documents/{piece['id']}")
        inconnu = await marc.get(f"/api/v1/parcours/{uuid.uuid4()}/documents/{piece['id']}")
        assert (ailleurs.status_code, ailleurs.json()["message"]) == (404, "Parcours introuvable")
        assert inconnu.json()["message"] == ailleurs.json()["message"]

    journal = await _lire(
        plateforme,
        select(EntreeAudit)
        .where(EntreeAudit.objet == f"parcours:{pid}", EntreeAudit.compte_id == SOPHIE)
        .order_by(col(EntreeAudit.id)),
    )
    actions = [(e.action, e.detail) for e in journal]
    depot = f"document {piece['id']} déposé (attestation, application/pdf, {len(pdf)} octets)"
    assert ("ecriture", depot) in actions
    assert ("export", f"document {piece['id']}") in actions
    assert ("lecture", "documents") in actions


async def test_un_executable_nomme_pdf_est_refuse(plateforme: Plateforme) -> None:
    async with plateforme.client(SOPHIE) as sophie:
        pid = await _ouvrir(sophie, date.today())
        api = await sophie.post(
            f"/api/v1/parcours/{pid}/documents", json=_corps(EXECUTABLE, "cv.pdf", "cv")
        )
        assert api.status_code == 422, api.text
        message = (
            "Le fichier « cv.pdf » est refusé : son contenu est celui d'un programme exécutable, "
            "pas d'un PDF. Formats acceptés : PDF, JPEG ou PNG."
        )
        assert api.json()["erreurs"] == [{"champ": "contenu", "message": message}]

        formulaire = await sophie.post(
            f"/parcours/{pid}/documents",
            data=_corps(EXECUTABLE, "cv.pdf", "cv"),
            headers={"HX-Request": "true"},
        )
        assert formulaire.status_code == 422
        assert "son contenu est celui d&#39;un programme exécutable" in formulaire.text
        sans_fichier = await sophie.post(
            f"/parcours/{pid}/documents",
            data={"type": "cv", "nom_fichier": "", "contenu": ""},
            headers={"HX-Request": "true"},
        )
        assert sans_fichier.status_code == 422
        assert "Choisissez un fichier" in sans_fichier.text
        assert (await sophie.get(f"/api/v1/parcours/{pid}/documents")).json() == []
    assert await _lire(plateforme, select(PieceRow).where(PieceRow.parcours_id == pid)) == []


async def test_le_document_est_dans_la_page_et_la_frise(plateforme: Plateforme) -> None:
    async with plateforme.client(SOPHIE) as sophie:
        pid = await _ouvrir(sophie, date.today())
        envoi = await sophie.post(
            f"/parcours/{pid}/documents",
            data=_corps(un_pdf(), "Mon CV.pdf", "cv"),
            headers={"HX-Request": "true"},
        )
        assert envoi.status_code == 200, envoi.text
        assert "« Mon CV.pdf » est joint au dossier." in envoi.text
        assert "parcours-modifie" in envoi.headers["HX-Trigger"]  # the timeline refreshes
        (row,) = await _lire(plateforme, select(PieceRow).where(PieceRow.parcours_id == pid))
        lien = f"/api/v1/parcours/{pid}/documents/{row.id}"
        page = await sophie.get(f"/parcours/{pid}")
        assert page.text.count(lien) == 2  # the documents' section and the timeline
        frise = await sophie.get(
            f"/parcours/{pid}/fragments/timeline", params={"categorie": "dossier"}
        )
        assert "Document joint : CV « Mon CV.pdf »" in frise.text
        assert lien in frise.text
        autre = await sophie.get(
            f"/parcours/{pid}/fragments/timeline", params={"categorie": "contact"}
        )
        assert lien not in autre.text


async def test_l_anonymisation_efface_les_octets(plateforme_a_part: Plateforme) -> None:
    jour = date.today()
    async with plateforme_a_part.client(SOPHIE) as sophie:
        pid = await _ouvrir(sophie, jour)
        envoi = await sophie.post(
            f"/api/v1/parcours/{pid}/documents", json=_corps(un_pdf(), "bilan.pdf", "bilan")
        )
        assert envoi.status_code == 201, envoi.text
        sortie = await sophie.post(
            f"/api/v1/parcours/{pid}/prononcer-sortie",
            json={"le": jour.isoformat(), "motif": "demenagement"},
        )
        assert sortie.status_code == 200, sortie.text
    (row,) = await _lire(plateforme_a_part, select(PieceRow).where(PieceRow.parcours_id == pid))
    fichier = Path(plateforme_a_part.settings.data_dir) / "pieces" / row.cle
    assert fichier.exists()

    async def clos() -> bool:
        lignes = await _lire(plateforme_a_part, select(ParcoursRow).where(ParcoursRow.id == pid))
        return bool(lignes) and lignes[0].clos_le is not None

    await _attendre(clos, "la clôture du parcours dans le modèle de lecture")
    await _anonymiser(plateforme_a_part, pid)
    assert not fichier.exists()
    assert await _lire(plateforme_a_part, select(PieceRow).where(PieceRow.parcours_id == pid)) == []


async def _anonymiser(plateforme: Plateforme, pid: str) -> None:
    """The nightly run with a delay of 0 days, as many rounds as other closed parcours need."""
    for _ in range(40):
        bilan = await plateforme.env.client.execute_workflow(
            "Retention",
            0,
            id=f"retention-{uuid.uuid4()}",
            task_queue=plateforme.task_queue,
            result_type=BilanAnonymisation,
        )
        lignes = await _lire(plateforme, select(ParcoursRow).where(ParcoursRow.id == pid))
        if lignes and lignes[0].anonymise:
            return
        assert bilan.anonymises, "la rétention n'a plus rien à anonymiser, et pas ce parcours"
    raise AssertionError("parcours jamais anonymisé")
