"""The cockpit at scale: with 100,000 parcours in the read model (SQLite, then PostgreSQL),
the response time of the coordinator's views, the counters and a parcours page."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text
from sqlmodel import select

from bench import pile, scenario, synthese
from bench.contexte import Contexte
from bench.evenements import attendre_projection
from bench.mesure import Chiffre, Resultat, au_plus, centile, entier, ms
from store.db import make_engine, session_factory
from store.parcours import ParcoursRow

NS_SQLITE, NS_POSTGRES = "bench-cockpit-sqlite", "bench-cockpit-postgres"
NS = NS_SQLITE
NAMESPACES = [NS_POSTGRES]
CIBLE_P95_S = 0.100
COORD, ADMIN = "coord-bassin_annecien", "admin"
PORTEFEUILLE = 120  # parcours of the demo référent Claire among the synthetic ones
ECHAUFFEMENT = 3


@dataclass(frozen=True)
class Page:
    libelle: str
    compte: str
    chemin: str


def pages(parcours_id: str) -> list[Page]:
    return [
        Page("Ruptures et alertes d'un territoire", COORD, "/coordination/fragments/ruptures"),
        Page(
            "Ruptures filtrées (organisme, ancienneté)",
            COORD,
            "/coordination/fragments/ruptures?organisme=france_travail&anciennete=30",
        ),
        Page(
            "API : parcours en rupture filtrés",
            COORD,
            "/api/v1/parcours?statut=en_rupture&organisme=france_travail&limit=50",
        ),
        Page("Compteurs phase × statut d'un territoire", COORD, "/coordination/fragments/carte"),
        Page("Compteurs phase × statut, tous territoires", ADMIN, "/coordination/fragments/carte"),
        Page(f"Portefeuille d'un référent ({PORTEFEUILLE} parcours ouverts)", scenario.CLAIRE, "/"),
        Page("Page d'un parcours", scenario.KARIM, f"/parcours/{parcours_id}"),
    ]


async def _parcours_reel(app: pile.Application) -> tuple[str, dict[str, Any]]:
    """A real parcours (a workflow) among the synthetic rows; its state is their template."""
    clients = {c: app.client_http(c) for c in (scenario.CLAIRE, scenario.KARIM)}
    trajet = await scenario.parcours_complet(clients, date.today(), random.Random(5), jusqu_a=6)
    for c in clients.values():
        await c.aclose()
    await attendre_projection(app, [trajet.parcours_id])
    engine = make_engine(app.settings.effective_database_url)
    async with session_factory(engine)() as session:
        etat = (
            await session.exec(select(ParcoursRow.etat).where(ParcoursRow.id == trajet.parcours_id))
        ).one()
    await engine.dispose()
    return trajet.parcours_id, dict(etat)


async def _remplir(
    app: pile.Application, total: int, etat: dict[str, Any]
) -> tuple[int, float, float]:
    """(rows inserted, seconds, size of the database in MiB)."""
    engine = make_engine(app.settings.effective_database_url)
    debut = time.perf_counter()
    generateur = synthese.Generateur(total, etat, (scenario.CLAIRE, "Claire Martin", PORTEFEUILLE))
    comptes = await synthese.inserer(engine, generateur)
    duree = time.perf_counter() - debut
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":  # what autovacuum does soon after a bulk load
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE"))
            taille = await conn.execute(text("SELECT pg_database_size(current_database())"))
        else:
            taille = await conn.execute(
                text("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            )
        octets = int(taille.scalar_one())
    await engine.dispose()
    return sum(comptes.values()), duree, octets / 2**20


async def _chronometrer(client: httpx.AsyncClient, chemin: str, nombre: int) -> list[float]:
    latences = []
    for i in range(ECHAUFFEMENT + nombre):
        debut = time.perf_counter()
        reponse = await client.get(chemin)
        duree = time.perf_counter() - debut
        if reponse.status_code != 200:
            raise RuntimeError(f"{chemin} : {reponse.status_code} {reponse.text[:300]}")
        if i >= ECHAUFFEMENT:
            latences.append(duree)
    return latences


async def _base(ctx: Contexte, r: Resultat, nom: str, ns: str, url: str) -> None:
    t = ctx.tailles
    dossier = ctx.sous_dossier(f"cockpit-{nom.lower()}")
    async with pile.application(dossier, ctx.temporal, ns, database_url=url) as app:
        parcours_id, etat = await _parcours_reel(app)
        lignes, duree, taille = await _remplir(app, t.cockpit_parcours, etat)
        r.notes.append(
            f"{nom} : {entier(t.cockpit_parcours)} parcours synthétiques insérés "
            f"({entier(lignes)} lignes avec alertes, phases et identifiants) en {duree:.0f} s ; "
            f"base de {entier(taille)} Mio."
        )
        for page in pages(parcours_id):
            async with app.client_http(page.compte) as client:
                latences = await _chronometrer(client, page.chemin, t.cockpit_requetes)
            p95 = centile(latences, 95)
            r.ajouter(
                Chiffre(
                    f"{nom} — {page.libelle} (p95)",
                    ms(p95),
                    "ms",
                    f"GET {page.chemin}, {len(latences)} requêtes l'une après l'autre "
                    f"(p50 {ms(centile(latences, 50)):.0f} ms), temps de réponse mesuré par le "
                    "client sur la boucle locale (majore le temps serveur)",
                    cible="< 100 ms",
                    atteinte=au_plus(p95, CIBLE_P95_S),
                )
            )
        app.verifier()


async def mesurer(ctx: Contexte) -> Resultat:
    r = Resultat(f"Cockpit à {entier(ctx.tailles.cockpit_parcours)} parcours")
    r.notes.append(
        "Lignes synthétiques réparties comme un département : 4 bassins (40/27/15/18 %), 22 % "
        "de parcours clos, parmi les ouverts 16 % en alerte, 9 % en rupture, 3 % en incident ; "
        f"un référent pour {synthese.PAR_REFERENT} parcours ; la copie JSON de l'état est celle "
        "d'un vrai parcours. Un vrai parcours (workflow) est mêlé aux lignes pour sa page."
    )
    await _base(ctx, r, "SQLite", NS_SQLITE, "")
    if ctx.postgres_url is None:
        r.notes.append("PostgreSQL : non mesuré (binaires absents ou --sans-postgres).")
    else:
        await _base(ctx, r, "PostgreSQL", NS_POSTGRES, ctx.postgres_url)
    return r
