"""Partner events: signed CloudEvents posted as fast as the platform acknowledges them, the
acknowledgement latency, and a check that every accepted event reached its parcours."""

from __future__ import annotations

import asyncio
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
from store.parcours import EvenementRow, ParcoursRow

NS = "bench-evenements"
CIBLE_PAR_S = 200
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
    entetes: dict[str, str]
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
    """Signed in advance (the signature stays valid five minutes): the load is the platform's."""
    s = app.settings
    partenaires = load_partners(s.partners_file, s.effective_partner_base_url)
    depart = datetime.now(UTC) - timedelta(seconds=nombre)
    envois = []
    for i in range(nombre):
        p = personnes[i % len(personnes)]
        partenaire, ev = _evenement(partenaires, p, i, depart + timedelta(seconds=i))
        corps = emetteur.corps(ev)
        secret = partenaires[partenaire].secret or ""
        entetes = {"Content-Type": emetteur.CONTENT_TYPE}
        entetes |= emetteur.signer(secret, ev["id"], corps)
        envois.append(Envoi(partenaire, p.parcours_id, corps, entetes, ev["id"]))
    return envois


async def envoyer(client: httpx.AsyncClient, envoi: Envoi) -> Recu:
    debut = time.perf_counter()
    reponse = await client.post(
        f"/api/v1/partners/{envoi.partenaire}/events", content=envoi.corps, headers=envoi.entetes
    )
    latence = time.perf_counter() - debut
    accepte = reponse.status_code == 202 and reponse.json().get("matched") is True
    return Recu(envoi, reponse.status_code, accepte, latence)


async def arrives(app: pile.Application, attendus: set[str]) -> set[str]:
    """Ids of the expected events found in the parcours' timelines (read model)."""
    engine = make_engine(app.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.exec(
                select(EvenementRow.details).where(EvenementRow.categorie == "partenaire")
            )
            return {d.get("evenement_id", "") for d in rows.all()} & attendus
    finally:
        await engine.dispose()


async def attendre_arrivee(
    app: pile.Application, attendus: set[str], delai_s: float
) -> tuple[set[str], float]:
    debut, limite = time.perf_counter(), time.monotonic() + delai_s
    while True:
        trouves = await arrives(app, attendus)
        if trouves == attendus or time.monotonic() > limite:
            return trouves, time.perf_counter() - debut
        await asyncio.sleep(0.5)


async def mesurer(ctx: Contexte) -> Resultat:
    t = ctx.tailles
    r = Resultat("Événements des partenaires")
    dossier = ctx.sous_dossier("evenements")
    async with pile.application(dossier, ctx.temporal, NS, **SANS_LIMITE) as app:
        personnes = await ouvrir_parcours(app, t.evenements_parcours, 9)
        envois = preparer(app, personnes, t.evenements_nombre)
        async with app.client_http(connexions=t.evenements_concurrence) as client:
            await envoyer(client, preparer(app, personnes[:1], 1)[0])  # warm-up
            compteur = app.compteur_cpu(ctx.temporal)
            compteur.depart()
            debut = time.perf_counter()
            recus = await en_parallele(
                len(envois),
                t.evenements_concurrence,
                lambda i: envoyer(client, envois[i]),
                t.delai_s,  # signed less than five minutes before: still valid
            )
            duree = time.perf_counter() - debut
        acceptes = {x.envoi.identifiant for x in recus if x.accepte}
        trouves, absorption = await attendre_arrivee(app, acceptes, t.delai_s)
        cpu = compteur.par(len(recus))  # everything each event cost, its processing included
        app.verifier()
    latences = [x.latence_s for x in recus]
    debit = len(acceptes) / duree
    methode = (
        f"Jusqu'à {len(envois)} événements CloudEvents signés (Standard Webhooks), moitié inscriptions "
        f"France Travail, moitié ouvertures de droits CAF, répartis sur {len(personnes)} "
        f"parcours, {t.evenements_concurrence} requêtes à la fois sur POST "
        "/api/v1/partners/{id}/events ; un seul processus web (uvicorn), limite de débit "
        "par partenaire levée pour la mesure"
    )
    r.ajouter(
        Chiffre(
            "Événements acceptés (202) par seconde",
            debit,
            "évén./s",
            methode + f" ; {len(acceptes)} acceptés sur {len(recus)} envoyés en {duree:.1f} s",
            cible=f"≥ {CIBLE_PAR_S}",
            atteinte=au_moins(debit, CIBLE_PAR_S),
        )
    )
    r.ajouter(
        Chiffre(
            "Accusé de réception (p50 / p99)",
            ms(centile(latences, 50)),
            f"ms / {ms(centile(latences, 99)):.0f} ms",
            "Du début de la requête à la réponse 202 : signature vérifiée, événement enregistré "
            "(idempotence), routé, signalé au workflow du parcours, audit écrit",
        )
    )
    r.ajouter(
        Chiffre(
            "CPU par événement",
            sum(cpu.values()),
            "ms",
            "Temps CPU de chaque processus de l'envoi du premier événement jusqu'à ce que tous "
            f"soient dans leur parcours, divisé par le nombre d'événements : {pile.texte_cpu(cpu)}",
        )
    )
    perdus = len(acceptes) - len(trouves)
    quand = (
        f"tous y étaient {absorption:.1f} s après le dernier accusé"
        if perdus == 0
        else f"{perdus} manquaient encore après {absorption:.0f} s d'attente"
    )
    r.ajouter(
        Chiffre(
            "Événements acceptés absents de leur parcours",
            perdus,
            f"sur {len(acceptes)}",
            "Chaque identifiant accepté est cherché dans le fil du parcours (modèle de lecture, "
            f"table parcours_evenement) ; {quand}",
            cible="0",
            atteinte=perdus == 0,
        )
    )
    return r
