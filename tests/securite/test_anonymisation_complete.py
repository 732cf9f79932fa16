"""Anonymisation leaves nothing of the person (issue 14, item 10): a parcours taken through
every phase — partner calls, the carnet's link by SMS and e-mail, a coordinator's relance, a
search by name, a partner event that never found it — is anonymised, then every table of the
read model (all of SQLModel.metadata, so a table added later is searched too) and Temporal
(histories and visibility) are searched for the person's name, phone, e-mail, identifiers and
carnet fingerprints: nothing. What stays is kept to the month and to the bassin."""

from __future__ import annotations

import asyncio
import base64
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import select
from temporalio.client import WorkflowExecutionStatus

from schemas.retention import BilanAnonymisation
from services.parcours_client import ParcoursClient
from store.anonymisation import au_mois, bassin, etat_anonyme
from store.comptes import SessionRow
from store.db import ecriture, make_engine, session_factory
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.fiabilite.parcours import JUSQU_A_LA_SORTIE, KARIM, Personne, ouvrir, suivre
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import evenement, signe
from tests.pieces.test_pieces import un_pdf
from tests.securite.traces import historique_en_clair, modele_de_lecture, trouve

COORD = "coord-bassin_annecien"
JOUR = re.compile(r"^\d{4}-\d{2}-\d{2}")
AVANT_LA_SORTIE = JUSQU_A_LA_SORTIE[:-1]
SORTIE = [
    ("declarer_embauche", lambda j: donnees.embauche_cdi(j)),
    ("prononcer_sortie", lambda j: {"le": j.isoformat(), "motif": "emploi_durable"}),
]


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (resultat := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.2)
    return resultat


def test_dates_au_mois_et_commune_au_bassin() -> None:
    etat = {
        "territoire": "chablais",
        "ouvert_le": "2026-03-17",
        "usager": {"nom": "Dupont", "commune": "Évian-les-Bains", "code_postal": "74500"},
        "phases": [{"phase": "accueil", "du": "2026-03-17", "au": "2026-04-02"}],
        "sortie": {"le": "2026-09-30", "motif": "demenagement"},
    }
    anonyme = etat_anonyme(etat)
    assert anonyme["ouvert_le"] == "2026-03-01"
    assert anonyme["phases"] == [{"phase": "accueil", "du": "2026-03-01", "au": "2026-04-01"}]
    assert anonyme["sortie"] == {"le": "2026-09-01", "motif": "demenagement"}
    assert anonyme["usager"]["commune"] == "Chablais"
    assert anonyme["usager"]["code_postal"] is None
    assert au_mois("2026-03-17T10:42:00+00:00") == "2026-03-01"
    assert au_mois("rdv-2026-03-17") == "rdv-2026-03-17"  # an identifier, not a date
    assert bassin("inconnu") == ""


async def test_apres_l_anonymisation_rien_ne_reste_de_la_personne(
    plateforme_a_part: Plateforme,
) -> None:
    debut = datetime.now(UTC) - timedelta(seconds=5)
    p, jour = Personne.nouvelle(), date.today()
    await _evenement_sans_parcours(plateforme_a_part, p, jour)
    async with plateforme_a_part.client(KARIM) as karim, plateforme_a_part.client(COORD) as coord:
        pid = await ouvrir(karim, p, jour)
        await suivre(karim, pid, AVANT_LA_SORTIE, jour)
        relance = await coord.post(
            f"/api/v1/parcours/{pid}/relancer-referent",
            json={"message": f"Où en est {p.nom} ({p.telephone}) ?"},
        )
        assert relance.status_code == 200, relance.text
        recherche = await karim.get("/api/v1/parcours", params={"q": p.nom})
        assert [x["id"] for x in recherche.json()["items"]] == [pid]
        document = await _joindre_un_document(karim, pid, p)
        await suivre(karim, pid, SORTIE, jour)

    temporal = ParcoursClient(plateforme_a_part.env.client, plateforme_a_part.task_queue)
    await _attendre(
        lambda: _fini(plateforme_a_part, pid), "la fin du parcours et de ses enfants", 120
    )
    etat = await temporal.etat(pid)
    assert {ph.phase.value for ph in etat.phases} >= {
        "accueil",
        "diagnostic",
        "orientation",
        "contrat",
        "emploi",
        "sortie",
    }
    assert etat.pmsmp  # validated (its phase begins with the immersion, a week later)
    empreintes = [a.empreinte for a in etat.acces_carnet]
    assert len(empreintes) == 2  # the links went out by SMS and by e-mail
    workflows = _workflows(pid, etat.model_dump(mode="json"))
    aiguilles = [
        p.nom,
        p.telephone,
        p.telephone.replace(" ", ""),
        p.email,
        p.caf,
        p.france_travail,
        *empreintes,
    ]
    avant = await modele_de_lecture(plateforme_a_part.settings.effective_database_url)
    assert trouve(avant, p.nom, p.email, p.caf)  # the search looks where the data was

    session_ancienne = await _session_ancienne(plateforme_a_part)
    await _anonymiser(plateforme_a_part, pid)
    assert await _adresse_de_session(plateforme_a_part, session_ancienne) is None

    restes = trouve(
        await modele_de_lecture(plateforme_a_part.settings.effective_database_url), *aiguilles
    )
    assert not restes, "Restes de la personne après l'anonymisation :\n" + "\n".join(restes)
    assert not (plateforme_a_part.settings.data_dir / "pieces" / pid / document).exists()
    await _attendre(
        lambda: _temporal_oublie(plateforme_a_part, workflows), "l'effacement des historiques", 180
    )
    visibles = [
        f"{w.id}: {w.typed_search_attributes}"
        async for w in plateforme_a_part.env.client.list_workflows(
            f"StartTime > '{debut.isoformat().replace('+00:00', 'Z')}'"
        )
        if any(a.lower() in str(w.typed_search_attributes).lower() for a in aiguilles)
    ]
    assert not visibles, visibles
    await _a_gros_grain(plateforme_a_part, pid)


async def _joindre_un_document(karim: httpx.AsyncClient, pid: str, p: Personne) -> str:
    """A CV whose file name is the person's: the row names them, the bytes are theirs."""
    corps = {
        "type": "cv",
        "nom_fichier": f"CV {p.nom}.pdf",
        "contenu": base64.b64encode(un_pdf()).decode(),
    }
    r = await karim.post(f"/api/v1/parcours/{pid}/documents", json=corps)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _evenement_sans_parcours(plateforme: Plateforme, p: Personne, jour: date) -> None:
    """A CAF event about the person before any parcours holds their number: it waits « à
    rapprocher », with their number as subject."""
    ev = evenement(
        plateforme,
        "caf",
        "fr.caf.rsa.droits-suspendus",
        p.caf,
        {"date": jour.isoformat(), "motif": f"Contrôle de {p.nom}"},
    )
    corps, entetes = signe(plateforme, "caf", ev)
    async with plateforme.client() as anonyme:
        envoi = await anonyme.post("/api/v1/partners/caf/events", content=corps, headers=entetes)
    assert envoi.status_code == 202, envoi.text


async def _fini(plateforme: Plateforme, pid: str) -> bool:
    handle = plateforme.env.client.get_workflow_handle(f"parcours-{pid}")
    if (await handle.describe()).status != WorkflowExecutionStatus.COMPLETED:
        return False
    row = await _ligne(plateforme, pid)
    return row is not None and row.statut == "clos"


def _workflows(pid: str, etat: dict[str, Any]) -> list[str]:
    ids = [f"parcours-{pid}"]
    for cle in ("contrat", "emploi"):
        if etat.get(cle) and etat[cle].get("workflow_id"):
            ids.append(etat[cle]["workflow_id"])
    for cle in ("contrats_passes", "emplois_passes", "pmsmp"):
        ids += [x["workflow_id"] for x in etat.get(cle) or [] if x.get("workflow_id")]
    return ids


async def _anonymiser(plateforme: Plateforme, pid: str) -> None:
    """The nightly run with a delay of 0 days, as many rounds as the other tests' closed
    parcours need (a round takes 50)."""
    for _ in range(40):
        bilan = await plateforme.env.client.execute_workflow(
            "Retention",
            0,
            id=f"retention-{uuid.uuid4()}",
            task_queue=plateforme.task_queue,
            result_type=BilanAnonymisation,
        )
        row = await _ligne(plateforme, pid)
        if row is not None and row.anonymise:
            return
        assert bilan.anonymises, "la rétention n'a plus rien à anonymiser, et pas ce parcours"
    raise AssertionError("parcours jamais anonymisé")


async def _temporal_oublie(plateforme: Plateforme, workflows: list[str]) -> bool:
    """No run of the parcours or its children is listed, nor has a history to read."""
    for workflow_id in workflows:
        async for _ in plateforme.env.client.list_workflows(f"WorkflowId = '{workflow_id}'"):
            return False
        if await historique_en_clair(plateforme.env.client, workflow_id):
            return False
    return True


async def _session_ancienne(plateforme: Plateforme) -> str:
    """A cockpit session last seen long ago, with the address it came from."""
    engine = make_engine(plateforme.settings.effective_database_url)
    cle, il_y_a_longtemps = uuid.uuid4().hex, datetime.now(UTC) - timedelta(days=400)
    try:
        async with session_factory(engine)() as session:
            await ecriture(session)
            session.add(
                SessionRow(
                    empreinte=cle,
                    compte_id=KARIM,
                    csrf="x",
                    cree_le=il_y_a_longtemps,
                    vu_le=il_y_a_longtemps,
                    adresse="203.0.113.7",
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    return cle


async def _adresse_de_session(plateforme: Plateforme, cle: str) -> str | None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            row = await session.get(SessionRow, cle)
            assert row is not None
            return row.adresse
    finally:
        await engine.dispose()


async def _ligne(plateforme: Plateforme, pid: str) -> ParcoursRow | None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return (await session.exec(select(ParcoursRow).where(ParcoursRow.id == pid))).first()
    finally:
        await engine.dispose()


async def _a_gros_grain(plateforme: Plateforme, pid: str) -> None:
    row = await _ligne(plateforme, pid)
    assert row is not None
    assert row.commune == "Bassin annécien"
    assert row.ouvert_le.day == 1
    assert row.clos_le is not None
    assert row.clos_le.day == 1
    jours = [v for v in _valeurs(row.etat) if isinstance(v, str) and JOUR.match(v)]
    assert jours
    assert all(v.endswith("-01") for v in jours), jours


def _valeurs(valeur: Any) -> list[Any]:
    if isinstance(valeur, dict):
        return [x for v in valeur.values() for x in _valeurs(v)]
    if isinstance(valeur, list):
        return [x for v in valeur for x in _valeurs(v)]
    return [valeur]
