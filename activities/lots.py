"""The import of partners' batch files as activities (``partenaires.lots.importation``):
which files wait in the drop directories, then one file at a time."""

from __future__ import annotations

import asyncio

from temporalio import activity

from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from partenaires.lots.importation import deposes, importer, nouveaux
from schemas.lots import FichierDepose, RapportFichier
from store.connecteurs import noter
from store.db import SessionFactory


class LotsActivities:
    def __init__(self, settings: Settings, sessions: SessionFactory) -> None:
        self.settings, self.sessions = settings, sessions

    def _partenaires(self) -> dict[str, PartnerConfig]:
        s = self.settings
        return load_partners(s.partners_file, s.effective_partner_base_url)

    @activity.defn(name="lots.deposes")
    async def lister(self) -> list[FichierDepose]:
        """Files not imported yet, partner by partner, each partner's in name order. A drop
        directory that cannot be read is the connector's failure, shown to the coordination."""
        fichiers: list[FichierDepose] = []
        for config in self._partenaires().values():
            if config.connecteur == "desactive":
                continue
            try:
                fichiers += await asyncio.to_thread(deposes, config)
            except OSError as err:
                async with self.sessions() as session:
                    await noter(session, config.id, f"Dépôt illisible : {err}")
        return await nouveaux(self.sessions, fichiers)

    @activity.defn(name="lots.importer")
    async def importer(self, fichier: FichierDepose) -> RapportFichier:
        """The report without its line details (kept in the database, not in the history)."""
        config = self._partenaires()[fichier.partenaire]
        r = await importer(self.sessions, config, fichier, activity.heartbeat)
        return r.model_copy(update={"lignes": []})
