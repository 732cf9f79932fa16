"""`make audit`: check that no audit entry was changed, added or removed since it was written.

python -m web.securite.verifier_audit

Checks each entry's HMAC (key AUDIT_KEY) and link, then every daily anchor kept by Temporal
(workflows/ancrage_audit.py): an anchored entry that is gone or different means the log was
truncated or rewritten. Exit code 0: intact; 1: altered; 2: entries intact but the anchors
could not be read (Temporal unreachable), so a truncation would go unnoticed.
"""

from __future__ import annotations

import asyncio
import sys

from core import journaux
from core.settings import Settings, get_settings
from core.sortie import terminer
from core.temporal import TASK_QUEUE, connect
from schemas.audit import AncreAudit
from services.audit import EtatJournal, lire_ancres, verifier_chaine
from store.db import create_schema, make_engine, session_factory

DELAI_TEMPORAL_S = 15


async def ancres_temporal(settings: Settings, task_queue: str) -> list[AncreAudit] | str:
    """The anchors, or why they could not be read."""
    try:
        client = await asyncio.wait_for(connect(settings), DELAI_TEMPORAL_S)
        return await asyncio.wait_for(lire_ancres(client, task_queue), 10 * DELAI_TEMPORAL_S)
    except Exception as err:
        return f"{type(err).__name__} : {err}"


def rapport(etat: EtatJournal, ancres: list[AncreAudit] | str) -> tuple[int, str]:
    """(exit code, French report)."""
    if etat.probleme:
        return 1, f"Journal d'audit ALTÉRÉ après {etat.entrees} entrées intactes : {etat.probleme}"
    lignes = [f"Journal d'audit intact : {etat.entrees} entrées vérifiées."]
    if etat.non_signees:
        lignes.append(
            f"Dont {etat.non_signees} écrites avant la clé (SHA-256 sans clé), en tête du journal."
        )
    if isinstance(ancres, str):
        lignes.append(
            f"Ancrages NON vérifiés (Temporal injoignable : {ancres}) : une troncature du "
            "journal passerait inaperçue."
        )
        return 2, "\n".join(lignes)
    if not ancres:
        lignes.append(
            "Aucun ancrage encore : le worker écrit le premier à son démarrage, puis un chaque "
            "nuit à 4 h 30."
        )
    else:
        lignes.append(
            f"{etat.ancres_verifiees} ancrages quotidiens vérifiés, le dernier du "
            f"{ancres[-1].le:%d/%m/%Y} : aucune entrée supprimée."
        )
        for a in ancres:
            if a.probleme:
                lignes.append(f"L'ancrage du {a.le:%d/%m/%Y} avait trouvé : {a.probleme}")
    return 0, "\n".join(lignes)


async def main(task_queue: str = TASK_QUEUE) -> int:
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    ancres = await ancres_temporal(settings, task_queue)
    async with session_factory(engine)() as session:
        etat = await verifier_chaine(session, [] if isinstance(ancres, str) else ancres)
    await engine.dispose()
    code, texte = rapport(etat, ancres)
    print(texte)  # noqa: T201
    return code


if __name__ == "__main__":
    journaux.commande("verifier_audit")
    terminer(asyncio.run(main(*sys.argv[1:2])))
