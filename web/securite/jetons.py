"""API tokens for machine clients (a département's BI tool, a script).

    python -m web.securite.jetons creer <compte_id> "<nom du client>" [--jours 365]
    python -m web.securite.jetons revoquer <compte_id>

The token is printed once; only its SHA-256 is stored. It acts with its account's rights.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlmodel import col, update

from core import journaux
from core.settings import get_settings
from store.comptes import Compte, JetonApi
from store.db import create_schema, ecriture, make_engine, session_factory
from web.securite.sessions import creer_jeton


async def _creer(compte_id: str, nom: str, jours: int) -> int:
    engine = make_engine(get_settings().effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        compte = await session.get(Compte, compte_id)
        if compte is None:
            journaux.erreur(
                f"Compte inconnu : {compte_id} (sur une installation neuve, créez d'abord "
                "l'administrateur : python -m web.securite.comptes premier-admin …)"
            )
            return 1
        token = await creer_jeton(session, compte, nom, jours)
    await engine.dispose()
    print(token)  # noqa: T201
    return 0


async def _revoquer(compte_id: str) -> int:
    engine = make_engine(get_settings().effective_database_url)
    async with session_factory(engine)() as session:
        await ecriture(session)
        result = await session.exec(
            update(JetonApi).where(col(JetonApi.compte_id) == compte_id).values(revoque=True)
        )
        await session.commit()
    await engine.dispose()
    print(f"{result.rowcount} jeton(s) révoqué(s)")  # noqa: T201
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Jetons d'API des clients machines")
    sub = parser.add_subparsers(dest="action", required=True)
    creer = sub.add_parser("creer", help="Créer un jeton (affiché une seule fois)")
    creer.add_argument("compte_id")
    creer.add_argument("nom")
    creer.add_argument("--jours", type=int, default=365)
    revoquer = sub.add_parser("revoquer", help="Révoquer tous les jetons d'un compte")
    revoquer.add_argument("compte_id")
    args = parser.parse_args()
    if args.action == "creer":
        return asyncio.run(_creer(args.compte_id, args.nom, args.jours))
    return asyncio.run(_revoquer(args.compte_id))


if __name__ == "__main__":
    journaux.commande("jetons")
    sys.exit(main())
