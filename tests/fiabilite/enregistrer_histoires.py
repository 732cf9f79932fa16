"""Record the histories the replay test runs the current workflow code against.

    python -m tests.fiabilite.enregistrer_histoires      (or: make histoires)

Starts a platform of its own (Temporal dev server on SQLite, `python worker.py`, the web app,
the partner simulator), takes parcours through every phase through the JSON API — contract,
PMSMP and employment children, a partner outage and its incident, partner events, a sortie,
a continue-as-new — then writes each workflow run's history (JSON, as `temporal workflow
show --output json` gives it; payloads encrypted with the development key) into
tests/fiabilite/histoires/. Run it after a deliberate change of workflow behaviour (under
`workflow.patched()`), to keep histories of what the new code produces too; never to make a
failing replay pass: that failure is the point (see docs/reliability.md). The previous
recording is kept in a dated folder (`histoires/avant-<date>/`), replayed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus

from core.ids import parcours_workflow_id
from core.temporal import TASK_QUEUE
from schemas.incident import PolitiqueAppels
from schemas.parcours import Accueil
from services.parcours_client import ParcoursClient
from store.db import ecriture
from store.projection import ecrire
from tests.api import donnees
from tests.factories import COORDINATRICE
from tests.factories import KARIM as KARIM_ACTEUR
from tests.fiabilite.parcours import (
    JUSQU_A_LA_SORTIE,
    KARIM,
    Etape,
    Personne,
    accueil,
    au_repos,
    commander,
    evenement,
    ouvrir,
    publier,
    suivre,
    termine,
)
from tests.fiabilite.systeme import Systeme, attendre, systeme_demarre
from tests.fixtures.simulateur import running_simulator

DOSSIER = Path(__file__).parent / "histoires"
INDEX = "index.json"  # file name → workflow id (a history does not carry it)
log = logging.getLogger("histoires")
J = date.today()
EN_CONTRAT = JUSQU_A_LA_SORTIE[:5]
FT = "fr.france-travail.demandeur."


def _etapes_pmsmp(debut: date) -> list[Etape]:
    signe = debut.isoformat()
    return [
        ("prescrire_pmsmp", lambda j: donnees.convention(debut)),
        *[
            ("signer_pmsmp", lambda j, q=q: {"signataire": q, "signe_le": signe})
            for q in ("beneficiaire", "entreprise", "tuteur")
        ],
        ("valider_pmsmp", lambda j: {"validee_le": signe}),
        (
            "rediger_bilan_pmsmp",
            lambda j: {
                "redige_le": J.isoformat(),
                "resultat": "realisee",
                "signe_par_beneficiaire": True,
            },
        ),
    ]


# What the parcours' own tools added since the first recordings: a service prescribed to a
# structure (its orientation e-mail), a message, a self-booking invitation, RDV-Solidarités.
ACTIONS: list[Etape] = [
    (
        "prescrire_action",
        lambda j: {
            "service_id": "permis-solidaire",
            "frein": "mobilite",
            "debut_prevu": (J + timedelta(days=7)).isoformat(),
            "motif": "Permis B nécessaire pour les offres en horaires décalés",
        },
    ),
    ("envoyer_message", lambda j: {"canal": "sms", "texte": "Bonjour {prenom}, rappelez-moi."}),
    ("inviter_rdv", lambda j: {"motif": "accompagnement"}),
    ("inscrire_rdv_solidarites", lambda j: {"organisation_id": 1}),
]


def _etapes_emploi(debut: date) -> list[Etape]:
    return [
        ("declarer_embauche", lambda j: donnees.embauche_cdi(debut)),
        (
            "enregistrer_point_suivi",
            lambda j: {
                "jalon_jours": 30,
                "realise_le": (debut + timedelta(days=30)).isoformat(),
                "deroulement": "bien",
            },
        ),
    ]


async def _scenarios(s: Systeme) -> dict[str, str]:
    """Scenario name → parcours id, every parcours at rest or ended."""
    pids: dict[str, str] = {}
    async with s.http(KARIM) as http:

        async def un(nom: str, etapes: list[Etape], il_y_a: int = 0) -> None:
            debut = J - timedelta(days=il_y_a)
            pids[nom] = await ouvrir(http, Personne.nouvelle(), debut)
            await suivre(http, pids[nom], etapes, debut)

        await asyncio.gather(
            un("accueil", []),
            un("diagnostic", JUSQU_A_LA_SORTIE[:1]),
            un("orientation", JUSQU_A_LA_SORTIE[:2]),
            un("contrat", [*EN_CONTRAT, ("planifier_rdv", lambda j: donnees.rdv_demain(J))]),
            un("pmsmp", [*EN_CONTRAT, *_etapes_pmsmp(J - timedelta(days=12))], 40),
            un("emploi", [*EN_CONTRAT, *_etapes_emploi(J - timedelta(days=35))], 60),
            un("sortie", JUSQU_A_LA_SORTIE),
            un("actions", [*EN_CONTRAT, *ACTIONS]),
        )
        await _evenements(s, http, pids)
        await _incident(s, http, pids)
    pids["continue-as-new"] = await _continue_as_new(s)
    for nom, scenario in AJOUTABLES.items():
        pids[nom] = await scenario(s)
    for nom, pid in pids.items():
        if nom == "sortie":
            await termine(s, pid)
        else:
            await au_repos(s, pid)
    return pids


async def _evenements(s: Systeme, http: Any, pids: dict[str, str]) -> None:
    """Facts from France Travail and the CAF, one of them twice, on the contract's parcours."""
    p = Personne.nouvelle()
    pids["evenements"] = pid = await ouvrir(http, p)
    await suivre(http, pid, EN_CONTRAT)
    await au_repos(s, pid)
    motif = {"date": J.isoformat(), "motif": "Motif transmis par le partenaire"}
    faits = [
        evenement(s, "france-travail", FT + "radie", p.france_travail, motif),
        evenement(s, "caf", "fr.caf.rsa.droits-suspendus", p.caf, motif),
        evenement(
            s,
            "france-travail",
            FT + "inscrit",
            p.france_travail,
            {"date_inscription": J.isoformat()},
        ),
    ]
    for ev, partenaire in zip(faits, ("france-travail", "caf", "france-travail"), strict=True):
        assert (await publier(s, partenaire, ev)).status_code == 202
    assert (await publier(s, "france-travail", faits[0])).json()["status"] == "duplicate"


async def _incident(s: Systeme, http: Any, pids: dict[str, str]) -> None:
    """France Travail down at the orientation: an incident, retried once it is back."""
    await s.simulateur.mode("france-travail", "panne")
    corps = accueil(Personne.nouvelle(), J)
    corps.pop("doublon_confirme")
    pc = ParcoursClient(s.temporal_client, TASK_QUEUE)
    rapide = PolitiqueAppels(tentatives=2, premier_delai_s=0.2, delai_max_s=0.5)
    ouvert = await pc.ouvrir(Accueil.model_validate(corps), KARIM_ACTEUR, politique_appels=rapide)
    pids["incident"] = pid = ouvert.parcours_id
    await suivre(http, pid, JUSQU_A_LA_SORTIE[:2])

    async def incident() -> str | None:
        st = await pc.etat(pid)
        return next((i.id for i in st.incidents if i.actif), None)

    incident_id = await attendre(incident, "incident France Travail", 60, 0.5)
    await s.simulateur.mode("france-travail", "normal")
    relance = await commander(http, pid, "relancer_incident", {"incident_id": incident_id})
    assert relance.status_code == 200, relance.text


async def _continue_as_new(s: Systeme) -> str:
    """A parcours whose history is cut short: it continues as new, carrying its state."""
    corps = accueil(Personne.nouvelle(), J)
    corps.pop("doublon_confirme")
    pc = ParcoursClient(s.temporal_client, TASK_QUEUE)
    ouvert = await pc.ouvrir(Accueil.model_validate(corps), KARIM_ACTEUR, seuil_continue_as_new=60)
    pid = ouvert.parcours_id
    async with s.http(KARIM) as http:
        await suivre(http, pid, EN_CONTRAT)
        for n in range(12):
            contact = {"le": J.isoformat(), "mode": "telephone", "objet": f"Appel {n}"}
            assert (await commander(http, pid, "enregistrer_contact", contact)).status_code == 200

    async def continue_() -> bool:
        runs = [r async for r in _executions(s.temporal_client, parcours_workflow_id(pid))]
        return any(st == WorkflowExecutionStatus.CONTINUED_AS_NEW for _, st in runs)

    await attendre(continue_, "continue-as-new", 60, 1)
    return pid


async def _import(s: Systeme) -> str:
    """A parcours opened as an import opens it (issue 16): by a coordinator, without a
    référent (the import tells the coordination itself), started with its vigie's rules and
    the CAF's answer read beforehand, without the accueil's update; its opening computed and
    projected by the import, the workflow starting from it (``ParcoursInput.projete``)."""
    p = Personne.nouvelle()
    corps = accueil(p, J)
    corps.pop("doublon_confirme")
    pid = str(uuid.uuid4())
    droits = {"numero_allocataire": p.caf, "droits_rsa": "ouverts", "depuis": J.isoformat()}
    pc = ParcoursClient(s.temporal_client, TASK_QUEUE)
    premiere = await pc.demarrer(
        Accueil.model_validate(corps),
        COORDINATRICE,
        parcours_id=pid,
        droits_rsa=droits,
        sans_referent_annonce=True,
    )
    # its opening, computed by the import and written by it, not by the workflow (issue 16)
    async with s.sessions() as session:
        await ecriture(session)
        await ecrire(session, premiere)
        await session.commit()
    return pid


# Scenarios that can be recorded alone and added to the current recording (``--ajouter``),
# without archiving it: a new path of the workflow gets its history, the others keep theirs.
AJOUTABLES: dict[str, Callable[[Systeme], Awaitable[str]]] = {"import": _import}


async def _executions(client: Client, workflow_id: str) -> Any:
    async for e in client.list_workflows(f"WorkflowId = '{workflow_id}'"):
        yield e.run_id, e.status


async def enregistrer(s: Systeme, dossier: Path) -> list[Path]:
    return await _ecrire(s, await _scenarios(s), dossier)


async def ajouter(s: Systeme, noms: list[str]) -> list[Path]:
    """Record only these scenarios, into the current recording (its index extended)."""
    pids = {nom: await AJOUTABLES[nom](s) for nom in noms}
    for pid in pids.values():
        await au_repos(s, pid)
    return await _ecrire(s, pids, DOSSIER)


async def _ecrire(s: Systeme, pids: dict[str, str], dossier: Path) -> list[Path]:
    """Each scenario's runs, and the index (entries of other scenarios already there kept)."""
    fichier_index = dossier / INDEX
    index: dict[str, str] = json.loads(fichier_index.read_text()) if fichier_index.exists() else {}
    index = {f: w for f, w in index.items() if f.split(".", 1)[0] not in pids}
    ecrits = []
    for nom, pid in sorted(pids.items()):
        wid = parcours_workflow_id(pid)
        # the parcours' runs and its children's (children's ids start with the parcours')
        runs = [
            (e.id, e.run_id, e.workflow_type, e.start_time)
            async for e in s.temporal_client.list_workflows(f"WorkflowId STARTS_WITH '{wid}'")
        ]
        for rang, (workflow_id, run_id, type_, _) in enumerate(sorted(runs, key=lambda r: r[3])):
            handle = s.temporal_client.get_workflow_handle(workflow_id, run_id=run_id)
            histoire = await handle.fetch_history()
            fichier = dossier / f"{nom}.{rang}.{type_}.json"
            fichier.write_text(json.dumps(json.loads(histoire.to_json()), separators=(",", ":")))
            ecrits.append(fichier)
            index[fichier.name] = workflow_id
    (dossier / INDEX).write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    return ecrits


def _archiver() -> None:
    """The previous recording moves to a dated folder, still replayed by test_rejeu.py: the
    parcours its code started may still run (histoires/defaut-sdk/ stays as it is)."""
    anciens = list(DOSSIER.glob("*.json"))
    if not anciens:
        return
    archive = DOSSIER / f"avant-{date.today().isoformat()}"
    archive.mkdir(exist_ok=True)
    for ancien in anciens:
        ancien.rename(archive / ancien.name)


async def main(ajouts: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    DOSSIER.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_simulator(data_dir=Path(tmp) / "sim") as sim:
        (Path(tmp) / "plateforme").mkdir()
        async with systeme_demarre(Path(tmp) / "plateforme", sim) as s:
            sim.set_platform_url(s.settings.effective_public_url)
            if ajouts:
                ecrits = await ajouter(s, ajouts)
            else:
                _archiver()
                ecrits = await enregistrer(s, DOSSIER)
    for f in ecrits:
        log.info(
            "%s (%d Kio)",
            f.relative_to(Path.cwd()) if f.is_relative_to(Path.cwd()) else f,
            f.stat().st_size // 1024,
        )
    log.info("%d historiques enregistrés dans %s", len(ecrits), DOSSIER)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Enregistre les historiques rejoués par les tests")
    parser.add_argument(
        "--ajouter",
        nargs="+",
        choices=sorted(AJOUTABLES),
        default=[],
        help="n'enregistrer que ces scénarios, ajoutés à l'enregistrement actuel",
    )
    sys.exit(asyncio.run(main(parser.parse_args().ajouter)))
