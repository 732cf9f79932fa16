"""Partner events: signed CloudEvents posted as fast as the platform acknowledges them, one
per request and then in batches of a hundred (CloudEvents' batched mode, as a partner's nightly
run sends them), the acknowledgement latency, the backlog the dispatcher works through behind
the answers and the time it takes to empty, and a check that every accepted event reached its
parcours, in the order it arrived."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import col, func, select

from bench import pile, scenario
from bench.contexte import Contexte, en_parallele
from bench.mesure import Chiffre, Resultat, au_moins, centile, ms
from core.partners import PartnerConfig, load_partners
from simulator import emetteur
from store.db import make_engine, session_factory
from store.evenements_partenaires import EvenementRecu
from store.parcours import EvenementRow, ParcoursRow

NS = "bench-evenements"
CIBLE_PAR_S = 200
TAILLE_LOT = 100  # events per request in batched mode, like a partner's nightly run
LOTS_SIMULTANES = 4
PART_SEULS = 10  # one event in ten is also sent alone, for the single-event row
SANS_LIMITE = {"PARTNER_RATE_LIMIT_PER_MINUTE": "100000000"}


@dataclass(frozen=True)
class Personne:
    parcours_id: str
    france_travail: str
    caf: str


@dataclass(frozen=True)
class Envoi:
    partenaire: str
    parcours_id: str
    corps: bytes
    secret: str
    identifiant: str


@dataclass
class Recu:
    envoi: Envoi
    statut: int
    accepte: bool
    latence_s: float


async def ouvrir_parcours(app: pile.Application, nombre: int, graine: int) -> list[Personne]:
    """Parcours opened through the API, each with its France Travail and CAF identifiers."""
    rng, jour = random.Random(graine), date.today()
    async with app.client_http(scenario.CLAIRE) as client:

        async def un(_: int) -> Personne:
            ft, caf = scenario.identifiant_france_travail(rng), scenario.numero_caf(rng)
            corps = scenario.accueil(jour, rng, ft, caf)
            reponse = await client.post("/api/v1/parcours", json=corps)
            reponse.raise_for_status()
            return Personne(str(reponse.json()["id"]), ft, caf)

        personnes = await en_parallele(nombre, 8, un)
    await attendre_projection(app, [p.parcours_id for p in personnes])
    return personnes


async def attendre_projection(app: pile.Application, ids: list[str], delai_s: float = 120) -> None:
    """Partner events are routed by the read model: wait until it knows every parcours."""
    engine = make_engine(app.settings.effective_database_url)
    limite = time.monotonic() + delai_s
    try:
        while True:
            async with session_factory(engine)() as session:
                n = (
                    await session.exec(
                        select(func.count())
                        .select_from(ParcoursRow)
                        .where(col(ParcoursRow.id).in_(ids))
                    )
                ).one()
            if n == len(ids) or time.monotonic() > limite:
                return
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()


def _evenement(
    partenaires: dict[str, PartnerConfig], p: Personne, i: int, moment: datetime
) -> tuple[str, dict[str, Any]]:
    """Alternately a France Travail registration and a CAF opening of rights (no rupture)."""
    jour = moment.date().isoformat()
    if i % 2 == 0:
        type_, sujet, data = "fr.france-travail.demandeur.inscrit", p.france_travail, {}
        data = {"date_inscription": jour, "categorie": "1"}
        partenaire = "france-travail"
    else:
        type_, sujet, data = "fr.caf.rsa.droits-ouverts", p.caf, {"date_effet": jour}
        partenaire = "caf"
    ev = emetteur.construire_evenement(
        partenaires[partenaire], type_, sujet, data, moment=moment, identifiant=str(uuid.uuid4())
    )
    return partenaire, ev


def preparer(app: pile.Application, personnes: list[Personne], nombre: int) -> list[Envoi]:
    """Bodies built in advance; each is signed when sent (a signature is valid five minutes,
    and 20 000 events may take longer than that to send)."""
    s = app.settings
    partenaires = load_partners(s.partners_file, s.effective_partner_base_url)
    depart = datetime.now(UTC) - timedelta(seconds=nombre)
    envois = []
    for i in range(nombre):
        p = personnes[i % len(personnes)]
        partenaire, ev = _evenement(partenaires, p, i, depart + timedelta(seconds=i))
        secret = partenaires[partenaire].secret or ""
        envois.append(Envoi(partenaire, p.parcours_id, emetteur.corps(ev), secret, ev["id"]))
    return envois


async def envoyer(client: httpx.AsyncClient, envoi: Envoi) -> Recu:
    entetes = {"Content-Type": emetteur.CONTENT_TYPE}
    entetes |= emetteur.signer(envoi.secret, envoi.identifiant, envoi.corps)
    debut = time.perf_counter()
    reponse = await client.post(
        f"/api/v1/partners/{envoi.partenaire}/events", content=envoi.corps, headers=entetes
    )
    latence = time.perf_counter() - debut
    accepte = reponse.status_code == 202 and reponse.json().get("matched") is True
    return Recu(envoi, reponse.status_code, accepte, latence)


@dataclass(frozen=True)
class Lot:
    partenaire: str
    corps: bytes
    secret: str
    identifiants: tuple[str, ...]


@dataclass
class RecuLot:
    lot: Lot
    statut: int
    acceptes: list[str]  # accepted and matched to their parcours
    latence_s: float


def en_lots(envois: list[Envoi], taille: int = TAILLE_LOT) -> list[Lot]:
    """The same events in batches of ``taille`` per partner, each partner's order kept, the
    partners' batches interleaved (both send during the whole run)."""
    par_partenaire: dict[str, list[Envoi]] = {}
    for envoi in envois:
        par_partenaire.setdefault(envoi.partenaire, []).append(envoi)
    rangs: list[tuple[int, str, Lot]] = []
    for partenaire, siens in par_partenaire.items():
        for rang, i in enumerate(range(0, len(siens), taille)):
            morceau = siens[i : i + taille]
            corps = b"[" + b",".join(e.corps for e in morceau) + b"]"
            identifiants = tuple(e.identifiant for e in morceau)
            rangs.append(
                (rang, partenaire, Lot(partenaire, corps, morceau[0].secret, identifiants))
            )
    return [lot for _, _, lot in sorted(rangs, key=lambda r: (r[0], r[1]))]


async def envoyer_lot(client: httpx.AsyncClient, lot: Lot) -> RecuLot:
    entetes = emetteur.entetes_lot(lot.secret, lot.corps)
    debut = time.perf_counter()
    reponse = await client.post(
        f"/api/v1/partners/{lot.partenaire}/events", content=lot.corps, headers=entetes
    )
    latence = time.perf_counter() - debut
    resultats = reponse.json().get("resultats", []) if reponse.status_code in (202, 207) else []
    acceptes = [r["id"] for r in resultats if r["status"] == "accepted" and r.get("matched")]
    return RecuLot(lot, reponse.status_code, acceptes, latence)


async def _fils(app: pile.Application, attendus: set[str]) -> dict[str, list[str]]:
    """Each parcours' expected event ids in its timeline's order (read model)."""
    engine = make_engine(app.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.exec(
                select(EvenementRow.parcours_id, EvenementRow.details)
                .where(EvenementRow.categorie == "partenaire")
                .order_by(col(EvenementRow.parcours_id), col(EvenementRow.seq))
            )
            fils: dict[str, list[str]] = {}
            for pid, details in rows.all():
                if (i := details.get("evenement_id", "")) in attendus:
                    fils.setdefault(pid, []).append(i)
            return fils
    finally:
        await engine.dispose()


async def _arrivees(app: pile.Application) -> dict[str, list[str]]:
    """Each parcours' event ids in their order of arrival (stored events)."""
    engine = make_engine(app.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.exec(
                select(EvenementRecu.parcours_id, EvenementRecu.id).order_by(
                    col(EvenementRecu.recu_le), col(EvenementRecu.partenaire), col(EvenementRecu.id)
                )
            )
            arrivees: dict[str, list[str]] = {}
            for pid, id_ in rows.all():
                arrivees.setdefault(pid or "", []).append(id_)
            return arrivees
    finally:
        await engine.dispose()


async def arriere(app: pile.Application, client: httpx.AsyncClient) -> tuple[int, float]:
    """The backlog as /healthz tells it: events waiting, age of the oldest (s)."""
    corps = (await client.get("/healthz")).json().get("evenements_partenaires") or {}
    return int(corps.get("a_livrer", 0)), float(corps.get("plus_ancien_s", 0.0))


async def attendre_arrivee(
    app: pile.Application, attendus: set[str], delai_s: float
) -> tuple[dict[str, list[str]], float, float]:
    """Timelines once every expected event is in one (or the time is up); the time the
    backlog took to empty, and the time until the last event was in its timeline."""
    debut, limite = time.perf_counter(), time.monotonic() + delai_s
    vide: float | None = None
    async with app.client_http() as client:
        while True:
            if vide is None and (await arriere(app, client))[0] == 0:
                vide = time.perf_counter() - debut
            fils = await _fils(app, attendus)
            if sum(map(len, fils.values())) >= len(attendus) or time.monotonic() > limite:
                fin = time.perf_counter() - debut
                return fils, vide if vide is not None else fin, fin
            await asyncio.sleep(0.5)


def _ordre_garde(fils: dict[str, list[str]], arrivees: dict[str, list[str]]) -> tuple[int, int]:
    """Parcours whose timeline has their events in their order of arrival, out of those that
    received at least two."""
    gardes = total = 0
    for pid, fil in fils.items():
        recus = [i for i in arrivees.get(pid, []) if i in set(fil)]
        if len(recus) >= 2:
            total += 1
            gardes += fil == recus
    return gardes, total


async def _surveiller(app: pile.Application, fin: asyncio.Event) -> tuple[int, float]:
    """The largest backlog and oldest age /healthz reported while events were being sent."""
    plus_grand, plus_vieux = 0, 0.0
    async with app.client_http() as client:
        while not fin.is_set():
            taille, age = await arriere(app, client)
            plus_grand, plus_vieux = max(plus_grand, taille), max(plus_vieux, age)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fin.wait(), 1.0)
    return plus_grand, plus_vieux


@dataclass
class Phase:
    """One way of sending: what was sent and accepted, how fast, what it cost."""

    envoyes: int
    acceptes: set[str]
    latences: list[float]
    duree_s: float
    cpu: dict[str, float]
    vidage_s: float
    absorption_s: float
    plus_grand: int = 0
    plus_vieux_s: float = 0.0

    @property
    def debit(self) -> float:
        return len(self.acceptes) / self.duree_s if self.duree_s else 0.0


async def _seuls(app: pile.Application, ctx: Contexte, envois: list[Envoi]) -> Phase:
    t = ctx.tailles
    async with app.client_http(connexions=t.evenements_concurrence) as client:
        compteur = app.compteur_cpu(ctx.temporal)
        compteur.depart()
        debut = time.perf_counter()
        recus = await en_parallele(
            len(envois),
            t.evenements_concurrence,
            lambda i: envoyer(client, envois[i]),
            t.evenements_delai_s / 2,
        )
        duree = time.perf_counter() - debut
    acceptes = {x.envoi.identifiant for x in recus if x.accepte}
    _, vidage, absorption = await attendre_arrivee(app, acceptes, t.delai_s)
    latences = [x.latence_s for x in recus]
    return Phase(
        len(recus), acceptes, latences, duree, compteur.par(len(recus)), vidage, absorption
    )


async def _par_lots(app: pile.Application, ctx: Contexte, lots: list[Lot]) -> Phase:
    t = ctx.tailles
    async with app.client_http(connexions=LOTS_SIMULTANES) as client:
        compteur = app.compteur_cpu(ctx.temporal)
        compteur.depart()
        fin = asyncio.Event()
        surveillance = asyncio.create_task(_surveiller(app, fin))
        debut = time.perf_counter()
        recus = await en_parallele(
            len(lots), LOTS_SIMULTANES, lambda i: envoyer_lot(client, lots[i]), t.evenements_delai_s
        )
        duree = time.perf_counter() - debut
        fin.set()
        plus_grand, plus_vieux = await surveillance
    acceptes = {i for x in recus for i in x.acceptes}
    _, vidage, absorption = await attendre_arrivee(app, acceptes, t.delai_s)
    envoyes = sum(len(x.lot.identifiants) for x in recus)
    latences = [x.latence_s for x in recus]
    cpu = compteur.par(envoyes)
    return Phase(
        envoyes, acceptes, latences, duree, cpu, vidage, absorption, plus_grand, plus_vieux
    )


async def mesurer(ctx: Contexte) -> Resultat:
    t = ctx.tailles
    r = Resultat("Événements des partenaires")
    dossier = ctx.sous_dossier("evenements")
    async with pile.application(dossier, ctx.temporal, NS, **SANS_LIMITE) as app:
        personnes = await ouvrir_parcours(app, t.evenements_parcours, 9)
        async with app.client_http() as client:
            await envoyer(client, preparer(app, personnes[:1], 1)[0])  # warm-up
        seuls = await _seuls(app, ctx, preparer(app, personnes, t.evenements_nombre // PART_SEULS))
        lots = en_lots(preparer(app, personnes, t.evenements_nombre))
        groupes = await _par_lots(app, ctx, lots)
        acceptes = seuls.acceptes | groupes.acceptes
        fils, _, _ = await attendre_arrivee(app, acceptes, t.delai_s)
        gardes, avec_deux = _ordre_garde(fils, await _arrivees(app))
        app.verifier()
    _chiffres_seuls(r, t.evenements_concurrence, len(personnes), seuls)
    _chiffres_lots(r, len(personnes), groupes)
    trouves = sum(map(len, fils.values()))
    perdus = len(acceptes) - trouves
    quand = (
        "tous y étaient"
        if perdus == 0
        else f"{perdus} manquaient encore après {t.delai_s:.0f} s d'attente"
    )
    r.ajouter(
        Chiffre(
            "Événements acceptés absents de leur parcours",
            perdus,
            f"sur {len(acceptes)}",
            "Chaque identifiant accepté (seul ou en lot) est cherché dans le fil du parcours "
            f"(modèle de lecture, table parcours_evenement) ; {quand}",
            cible="0",
            atteinte=perdus == 0,
        )
    )
    r.ajouter(
        Chiffre(
            "Parcours dont le fil garde l'ordre d'arrivée",
            gardes,
            f"sur {avec_deux}",
            "Pour chaque parcours, l'ordre de ses événements dans son fil (modèle de lecture) "
            "comparé à leur ordre d'enregistrement (heure de réception, et rang dans le lot) ; "
            f"chacun en a reçu {len(acceptes) // max(1, len(personnes))}, seuls puis en lots, "
            "dont beaucoup dans le même lot",
            cible=f"{avec_deux}",
            atteinte=gardes == avec_deux,
        )
    )
    return r


def _chiffres_seuls(r: Resultat, concurrence: int, parcours: int, p: Phase) -> None:
    r.ajouter(
        Chiffre(
            "Événements acceptés (202) par seconde, un par requête",
            p.debit,
            "évén./s",
            f"{p.envoyes} événements CloudEvents signés (Standard Webhooks), un par requête, "
            f"moitié inscriptions France Travail, moitié ouvertures de droits CAF, répartis sur "
            f"{parcours} parcours, {concurrence} requêtes à la fois sur POST "
            "/api/v1/partners/{id}/events ; un seul processus web (uvicorn), limite de débit "
            f"par partenaire levée pour la mesure ; {len(p.acceptes)} acceptés en "
            f"{p.duree_s:.1f} s",
        )
    )
    r.ajouter(
        Chiffre(
            "Accusé de réception d'un événement seul (p50 / p99)",
            ms(centile(p.latences, 50)),
            f"ms / {ms(centile(p.latences, 99)):.0f} ms",
            "Du début de la requête à la réponse 202 : signature, type et schéma vérifiés, "
            "événement routé, enregistré (idempotence) avec sa ligne d'audit en une transaction ; "
            "la livraison au parcours se fait derrière (répartiteur)",
        )
    )
    r.ajouter(
        Chiffre(
            "CPU par événement seul",
            sum(p.cpu.values()),
            "ms",
            "Temps CPU de chaque processus de l'envoi du premier événement jusqu'à ce que tous "
            "soient dans leur parcours, divisé par le nombre d'événements : "
            f"{pile.texte_cpu(p.cpu)}",
        )
    )


def _chiffres_lots(r: Resultat, parcours: int, p: Phase) -> None:
    r.ajouter(
        Chiffre(
            f"Événements acceptés (202) par seconde, par lots de {TAILLE_LOT}",
            p.debit,
            "évén./s",
            f"{p.envoyes} événements du même mélange, par lots de {TAILLE_LOT} d'un même "
            f"partenaire (Content-Type: {emetteur.CONTENT_TYPE_LOT}, une signature par lot), "
            f"{LOTS_SIMULTANES} lots à la fois, répartis sur {parcours} parcours ; "
            f"{len(p.acceptes)} acceptés en {p.duree_s:.1f} s",
            cible=f"≥ {CIBLE_PAR_S}",
            atteinte=au_moins(p.debit, CIBLE_PAR_S),
        )
    )
    r.ajouter(
        Chiffre(
            f"Accusé de réception d'un lot de {TAILLE_LOT} (p50 / p99)",
            ms(centile(p.latences, 50)),
            f"ms / {ms(centile(p.latences, 99)):.0f} ms",
            "Du début de la requête à la réponse 202 : une signature, chaque événement vérifié "
            "comme s'il était seul, tous routés et enregistrés avec leurs lignes d'audit en une "
            "transaction",
        )
    )
    r.ajouter(
        Chiffre(
            "Arriéré pendant l'envoi des lots (maximum)",
            p.plus_grand,
            f"évén., le plus ancien {p.plus_vieux_s:.0f} s",
            "Événements enregistrés et pas encore livrés à leur parcours, lus sur /healthz "
            "(evenements_partenaires) chaque seconde pendant l'envoi",
        )
    )
    r.ajouter(
        Chiffre(
            "Vidage de l'arriéré après le dernier lot",
            p.vidage_s,
            "s",
            f"Du dernier accusé de réception à un arriéré nul sur /healthz ; {p.absorption_s:.1f} "
            "s jusqu'à ce que tous soient dans le fil de leur parcours (modèle de lecture)",
        )
    )
    r.ajouter(
        Chiffre(
            "CPU par événement envoyé en lot",
            sum(p.cpu.values()),
            "ms",
            "Temps CPU de chaque processus du premier lot jusqu'à ce que tous soient dans leur "
            f"parcours, divisé par le nombre d'événements : {pile.texte_cpu(p.cpu)}",
        )
    )
