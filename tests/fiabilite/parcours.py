"""Parcours driven through the JSON API as a référent would, and the checks the suite makes:
a parcours at rest, every partner call carried out, each side effect received exactly once."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from temporalio.client import WorkflowExecutionStatus

from core.ids import parcours_workflow_id, reference
from core.partners import load_partners
from schemas.common import CONFLIT_DE_VERSION
from schemas.incident import StatutOperation
from schemas.parcours import ParcoursState
from simulator import emetteur
from store.evenements_partenaires import EvenementRecu
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.fiabilite.systeme import Systeme, attendre

KARIM = "ref-karim-benali"  # référent France Travail, Bassin annécien
COORD = "coord-bassin_annecien"
_numeros = itertools.count(1)


@dataclass(frozen=True)
class Personne:
    """Identifiers of one person, unique in the suite: each side effect says whose it is."""

    nom: str
    telephone: str
    email: str
    caf: str
    france_travail: str

    @classmethod
    def nouvelle(cls) -> Personne:
        n = next(_numeros)
        graine = random.randrange(10**5)
        return cls(
            nom=f"Fiabilite{n:03d}{graine:05d}",
            telephone=f"07 {n % 100:02d} {graine // 1000:02d} {graine % 1000 // 10:02d} "
            f"{graine % 10}{n // 100 % 10}",
            email=f"personne{n}.{graine}@fiabilite.example.org",
            caf=f"{random.randrange(1, 9)}{random.randrange(10**6):06d}",
            france_travail=f"{random.randrange(10**7):07d}{random.choice('ABCDEFGHJK')}",
        )


def accueil(p: Personne, jour: date) -> dict[str, Any]:
    corps = donnees.accueil(jour, nom=p.nom, telephone=p.telephone, email=p.email)
    corps["identifiants"] = {"caf": p.caf, "france_travail": p.france_travail}
    return corps | {"doublon_confirme": True}


Etape = tuple[str, Callable[[date], dict[str, Any]]]

# From the diagnostic to the sortie, through every kind of partner call: the CAF read at
# accueil, France Travail told of the orientation, the contract (child), the carnet's link by
# SMS and e-mail, a PMSMP (child) submitted to the immersion platform, the sortie.
JUSQU_A_LA_SORTIE: list[Etape] = [
    ("enregistrer_diagnostic", lambda j: donnees.diagnostic(j)),
    (
        "decider_orientation",
        lambda j: {
            "decidee_le": j.isoformat(),
            "type": "professionnelle",
            "organisme": "france_travail",
            "referent_id": KARIM,
        },
    ),
    ("rediger_contrat", lambda j: donnees.contrat(j)),
    ("signer_contrat", lambda j: {"signataire": "usager", "signe_le": j.isoformat()}),
    ("signer_contrat", lambda j: {"signataire": "referent", "signe_le": j.isoformat()}),
    ("envoyer_lien_carnet", lambda j: {"canal": "les_deux"}),
    ("prescrire_pmsmp", lambda j: donnees.convention(j + timedelta(days=7))),
    ("signer_pmsmp", lambda j: {"signataire": "beneficiaire", "signe_le": j.isoformat()}),
    ("signer_pmsmp", lambda j: {"signataire": "entreprise", "signe_le": j.isoformat()}),
    ("signer_pmsmp", lambda j: {"signataire": "tuteur", "signe_le": j.isoformat()}),
    ("valider_pmsmp", lambda j: {"validee_le": j.isoformat()}),
    ("prononcer_sortie", lambda j: {"le": j.isoformat(), "motif": "emploi_durable"}),
]


def chemin(nom: str) -> str:
    return nom.replace("_", "-")


async def ouvrir(http: httpx.AsyncClient, p: Personne, jour: date | None = None) -> str:
    reponse = await http.post("/api/v1/parcours", json=accueil(p, jour or date.today()))
    assert reponse.status_code == 201, reponse.text
    return str(reponse.json()["id"])


async def commander(
    http: httpx.AsyncClient,
    pid: str,
    nom: str,
    corps: dict[str, Any],
    *,
    version: int | None = None,
) -> httpx.Response:
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    return await http.post(f"/api/v1/parcours/{pid}/{chemin(nom)}", json=corps, headers=headers)


async def suivre(
    http: httpx.AsyncClient, pid: str, etapes: list[Etape], jour: date | None = None
) -> None:
    """Each command, in order; every one must be accepted."""
    jour = jour or date.today()
    for nom, corps in etapes:
        reponse = await commander(http, pid, nom, corps(jour))
        assert reponse.status_code == 200, f"{nom} : {reponse.status_code} {reponse.text}"


@dataclass
class Obstination:
    """What a référent met while the platform was failing under them."""

    indisponible: int = 0  # 503 answers (nothing applied, or not known yet)
    deja_fait: int = 0  # sent again after a 503, answered « conflit_de_version »: applied once
    relectures: int = 0  # the ETag kept was stale (a child's news came after): read again


async def version_vue(http: httpx.AsyncClient, pid: str, o: Obstination, delai_s: float) -> int:
    """The ETag of the parcours, read again until the engine answers."""
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        reponse = await http.get(f"/api/v1/parcours/{pid}")
        if reponse.status_code == 200:
            return int(reponse.headers["ETag"].strip('"'))
        assert reponse.status_code == 503, reponse.text
        assert reponse.json()["code"] == "temporal_indisponible", reponse.text
        o.indisponible += 1
        assert asyncio.get_running_loop().time() < limite, f"{pid} illisible depuis {delai_s} s"
        await asyncio.sleep(0.5)


async def suivre_malgre_tout(
    http: httpx.AsyncClient,
    pid: str,
    etapes: list[Etape],
    o: Obstination,
    jour: date | None = None,
    delai_s: float = 180,
    apres: Callable[[str], None] | None = None,
) -> None:
    """Each command as a careful person sends it while the platform fails: with the version
    seen (If-Match: the ETag of the last answer, or of a fresh read); on 503, again with that
    same version — if the first try was carried out after all, the parcours moved and the
    answer is 409 « conflit_de_version »: never twice. A conflict at the first try means the
    page was stale: read the parcours again, send again. ``apres(nom)`` hears of each command."""
    jour = jour or date.today()
    limite = asyncio.get_running_loop().time() + delai_s
    version: int | None = None
    for nom, corps in etapes:
        if version is None:
            version = await version_vue(http, pid, o, delai_s)
        indisponible = False
        while True:
            reponse = await commander(http, pid, nom, corps(jour), version=version)
            if reponse.status_code == 200:
                version = int(reponse.headers["ETag"].strip('"'))
                break
            code = reponse.json().get("code")
            if reponse.status_code == 409 and code == CONFLIT_DE_VERSION:
                if indisponible:
                    o.deja_fait += 1  # the try that answered 503 was carried out, once
                    version = None
                    break
                o.relectures += 1
                version = await version_vue(http, pid, o, delai_s)
                continue
            assert reponse.status_code == 503, f"{nom} : {reponse.status_code} {reponse.text}"
            assert code == "temporal_indisponible", reponse.text
            o.indisponible += 1
            indisponible = True
            assert asyncio.get_running_loop().time() < limite, f"{nom} impossible sur {pid}"
            await asyncio.sleep(0.5)
        if apres is not None:
            apres(nom)


async def etat(s: Systeme, pid: str) -> ParcoursState:
    resultat: ParcoursState = await s.temporal_client.get_workflow_handle(
        parcours_workflow_id(pid)
    ).query("etat", result_type=ParcoursState)
    return resultat


async def statut(s: Systeme, pid: str) -> WorkflowExecutionStatus | None:
    description = await s.temporal_client.get_workflow_handle(parcours_workflow_id(pid)).describe()
    return description.status


async def au_repos(s: Systeme, pid: str, delai_s: float = 120) -> ParcoursState:
    """The parcours has stopped moving: no partner call in flight, and the read model holds
    its latest version (the row is read first: each query replays the whole history)."""

    async def calme() -> ParcoursState | None:
        async with s.sessions() as session:
            row = await session.get(ParcoursRow, pid)
        if row is None or any(
            o.get("statut") == StatutOperation.EN_COURS.value
            for o in row.etat.get("operations", [])
        ):
            return None
        st = await etat(s, pid)
        ok = st.version == row.version
        return (
            st if ok and all(o.statut != StatutOperation.EN_COURS for o in st.operations) else None
        )

    return await attendre(calme, f"parcours {pid} au repos ({s.journaux()})", delai_s, 0.5)


async def termine(s: Systeme, pid: str, delai_s: float = 120) -> ParcoursState:
    """The workflow completed (sortie, children closed, every call done)."""

    async def fini() -> bool:
        return await statut(s, pid) == WorkflowExecutionStatus.COMPLETED

    await attendre(fini, f"parcours {pid} terminé ({s.journaux()})", delai_s, 0.5)
    return await etat(s, pid)


# --- partner events ----------------------------------------------------------------------------


def evenement(
    s: Systeme,
    partenaire: str,
    type_: str,
    sujet: str,
    data: dict[str, Any],
    *,
    moment: datetime | None = None,
    identifiant: str | None = None,
) -> dict[str, Any]:
    config = load_partners(s.settings.partners_file, s.settings.effective_partner_base_url)
    return emetteur.construire_evenement(
        config[partenaire], type_, sujet, data, moment=moment, identifiant=identifiant
    )


async def publier(s: Systeme, partenaire: str, ev: dict[str, Any]) -> httpx.Response:
    """Post the event signed like the partner (Standard Webhooks), as its system would."""
    config = load_partners(s.settings.partners_file, s.settings.effective_partner_base_url)
    secret = config[partenaire].secret
    assert secret is not None
    contenu = emetteur.corps(ev)
    headers = {"Content-Type": emetteur.CONTENT_TYPE, **emetteur.signer(secret, ev["id"], contenu)}
    async with s.http() as http:
        return await http.post(
            f"/api/v1/partners/{partenaire}/events", content=contenu, headers=headers
        )


async def recu(s: Systeme, partenaire: str, id_: str) -> EvenementRecu | None:
    async with s.sessions() as session:
        return await session.get(EvenementRecu, (partenaire, id_))


# --- side effects at the partners ------------------------------------------------------------


@dataclass
class Effets:
    """What the simulator received for some parcours, sorted by the operation that caused it."""

    operations: int = 0
    distincts: int = 0  # side effects recorded (one per idempotency key / Message-ID)
    appels: int = 0  # requests and deliveries, retries included
    par_operation: dict[str, int] = field(default_factory=dict)  # op id → effects received
    inconnus: list[str] = field(default_factory=list)  # effects for these people, unknown key
    non_reussies: list[str] = field(default_factory=list)

    @property
    def doublons(self) -> int:
        return sum(n - 1 for n in self.par_operation.values() if n > 1) + len(self.inconnus)

    @property
    def perdus(self) -> int:
        return sum(1 for n in self.par_operation.values() if n == 0) + len(self.non_reussies)


def effets(s: Systeme, etats: list[ParcoursState]) -> Effets:
    """Match every side effect the simulator holds for these people to an operation of their
    parcours, by its idempotency key (HTTP partners) or Message-ID (e-mail)."""
    ops = {o.id: o for st in etats for o in st.operations}
    bilan = Effets(operations=len(ops), par_operation=dict.fromkeys(ops, 0))
    bilan.non_reussies = [o.id for o in ops.values() if o.statut != StatutOperation.REUSSIE]
    pids = {st.parcours_id for st in etats}
    refs = {reference(pid) for pid in pids}
    marques = {st.usager.telephone for st in etats} | {st.usager.email for st in etats}
    marques |= {st.identifiants.caf for st in etats} | {
        st.identifiants.france_travail for st in etats
    }
    marques |= pids
    marques.discard(None)

    def a_nous(valeurs: list[Any]) -> bool:
        texte = " ".join(str(v) for v in valeurs)
        return any(m and str(m) in texte for m in marques) or any(r in texte for r in refs)

    for recu in s.simulateur.store.recus():
        if recu.cle in ops or a_nous([*recu.corps.values()]):
            bilan.distincts += 1
            bilan.appels += recu.appels
            if recu.cle in ops:
                bilan.par_operation[recu.cle] += 1
            else:
                bilan.inconnus.append(f"{recu.partenaire}/{recu.operation} clé {recu.cle}")
    for courriel in s.simulateur.store.courriels():
        cle = (courriel.message_id or "").strip("<>").split("@")[0]
        if cle in ops or a_nous([*courriel.destinataires, courriel.sujet, courriel.texte]):
            bilan.distincts += 1
            bilan.appels += courriel.livraisons
            if cle in ops:
                bilan.par_operation[cle] += 1
            else:
                bilan.inconnus.append(f"courriel {courriel.message_id} « {courriel.sujet} »")
    return bilan
