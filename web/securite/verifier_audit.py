"""`make audit`: check that no audit entry was changed or removed since it was written.

python -m web.securite.verifier_audit      (exit code 0 if intact, 1 otherwise)
"""

from __future__ import annotations

import asyncio
import sys

from core.settings import get_settings
from store.db import create_schema, make_engine, session_factory
from web.securite.audit import verifier_chaine


async def main() -> int:
    engine = make_engine(get_settings().effective_database_url)
    await create_schema(engine)
    async with session_factory(engine)() as session:
        count, probleme = await verifier_chaine(session)
    await engine.dispose()
    if probleme:
        print(f"Journal d'audit ALTÉRÉ après {count} entrées intactes : {probleme}")  # noqa: T201
        return 1
    print(f"Journal d'audit intact : {count} entrées vérifiées.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
