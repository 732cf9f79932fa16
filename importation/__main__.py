"""The import from the command line, as the cockpit and the API do it:

    python -m importation importer liste.xlsx --source caf --compte coord-bassin_annecien
    python -m importation importer liste.xlsx --source caf --compte admin --confirmer \
        --rapport rapport.csv

Without --confirmer, only the preview is shown (nothing is opened); with it, the import runs
in the worker (``python worker.py`` must be running) and its progress is followed here.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from core import journaux
from core.settings import get_settings
from core.sortie import terminer
from core.temporal import TASK_QUEUE, connect
from importation import service
from importation.service import ImportRefuse
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.imports import DemandeImport
from schemas.parcours import OrigineAccueil
from store.comptes import Compte
from store.db import SessionFactory, create_schema, make_engine, session_factory
from store.imports import ImportRow


def _ecrire(texte: str) -> None:
    sys.stdout.write(texte + "\n")
    sys.stdout.flush()


async def _auteur(sessions: SessionFactory, compte_id: str) -> tuple[Acteur, Territoire | None]:
    async with sessions() as session:
        compte = await session.get(Compte, compte_id)
    if compte is None or not compte.actif:
        raise SystemExit(f"Compte inconnu ou désactivé : {compte_id}")
    role = Role(compte.role)
    if role not in (Role.COORDINATEUR, Role.ADMINISTRATEUR):
        raise SystemExit("L'import de listes est réservé à la coordination et à l'administration")
    territoire = Territoire(compte.territoire) if compte.territoire else None
    acteur = Acteur(
        id=compte.id,
        nom=compte.nom,
        role=role,
        organisme=Organisme(compte.organisme) if compte.organisme else None,
        territoire=territoire,
    )
    return acteur, territoire if role == Role.COORDINATEUR else None


async def importer(args: argparse.Namespace) -> int:
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    sessions = session_factory(engine)
    try:
        auteur, territoire = await _auteur(sessions, args.compte)
        demande = DemandeImport(
            source=args.source,
            nom_fichier=args.fichier.name,
            contenu="-",  # the bytes are passed below, not as base64
            origine=OrigineAccueil(args.origine),
            referent_id=args.referent,
        )
        async with sessions() as session:
            imp = await service.preparer(
                session,
                demande,
                args.fichier.read_bytes(),
                auteur=auteur,
                territoire=territoire,
                jour=date.today(),
            )
            await _apercu(session, imp)
            if not args.confirmer:
                _ecrire("Aperçu seulement : relancez avec --confirmer pour importer.")
                return 0
            temporal = await connect(settings)
            await service.confirmer(session, temporal, imp, TASK_QUEUE)
        await _suivre(sessions, imp.id)
        if args.rapport:
            async with sessions() as session:
                fini = await service.charger(session, imp.id)
                texte = await service.rapport_csv(session, fini)
            args.rapport.write_text(texte, encoding="utf-8-sig")
            _ecrire(f"Rapport écrit : {args.rapport}")
        return 0
    except ImportRefuse as err:
        _ecrire(f"Refusé : {err.message}")
        for e in err.erreurs:
            _ecrire(f"  {e['champ']} : {e['message']}")
        return 1
    finally:
        await engine.dispose()


async def _apercu(session: AsyncSession, imp: ImportRow) -> None:
    b = await service.bilan(session, imp)
    _ecrire(f"Import {imp.id} — {imp.nom_fichier}")
    for code, n in b.actions.items():
        _ecrire(f"  {service.ACTIONS[code]} : {n}")
    for ligne in await service.lignes_de(session, imp.id):
        for e in ligne.erreurs:
            _ecrire(f"  ligne {ligne.numero} : {e['message']}")


async def _suivre(sessions: SessionFactory, import_id: str) -> None:
    while True:
        async with sessions() as session:
            b = await service.bilan(session, await service.charger(session, import_id))
        _ecrire(f"  {b.faits}/{b.a_traiter} lignes traitées ({b.pourcentage} %)")
        if b.statut == "termine":
            for code, n in b.resultats.items():
                _ecrire(f"  {service.RESULTATS[code]} : {n}")
            return
        await asyncio.sleep(2)


def analyser(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m importation", description=__doc__)
    sous = parser.add_subparsers(dest="commande", required=True)
    imp = sous.add_parser("importer", help="importer une liste de personnes (XLSX ou CSV)")
    imp.add_argument("fichier", type=Path)
    imp.add_argument("--source", required=True, help="« caf », « cd74 »… (correspondance gardée)")
    imp.add_argument("--compte", required=True, help="compte de coordination ou d'administration")
    imp.add_argument("--origine", default="caf", choices=[o.value for o in OrigineAccueil])
    imp.add_argument("--referent", help="référent des parcours ouverts")
    imp.add_argument("--confirmer", action="store_true", help="importer après l'aperçu")
    imp.add_argument("--rapport", type=Path, help="écrire le rapport CSV dans ce fichier")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(importer(analyser(argv)))


if __name__ == "__main__":
    journaux.commande("importation")
    terminer(main())
