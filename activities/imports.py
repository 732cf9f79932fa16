"""The import workflow's activities: which rows are left, open or update a batch, close."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from activities.caf import Caf
from activities.messagerie import Messagerie
from core.formats import pluriel
from schemas.appels import Courriel
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.imports import LotImport
from schemas.parcours import Accueil
from schemas.projection import Projection
from schemas.usager import IdentifiantsPartenaires, RectificationIdentite
from services.audit import transaction_auditee
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.db import SessionFactory, ecriture
from store.imports import ImportLigneRow, ImportRow
from store.notifications import notifier
from store.projection import ecrire

log = logging.getLogger(__name__)
A_TRAITER = ("ouvrir", "mettre_a_jour")
LECTURES_CAF = 5  # CAF reads at once per batch (12 batches run side by side)
SANS_REFERENT = "sans référent"  # an opened row's message, counted for the coordination
# The outcomes that wrote to a dossier, as the audit log tells them.
ECRITURES = {"ouvert": "parcours ouvert", "mis_a_jour": "parcours mis à jour"}


def _utilisateur(auteur: Acteur) -> Utilisateur:
    """The person who confirmed the import, as the audit log records them."""
    return Utilisateur(
        id=auteur.id,
        nom=auteur.nom,
        email="",
        role=auteur.role,
        organisme=auteur.organisme,
        territoire=auteur.territoire,
    )


@dataclass
class Fait:
    """What a batch did so far: each row's outcome, the first projection of each parcours it
    opened."""

    resultats: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    projections: list[Projection] = field(default_factory=list)


class ImportActivities:
    def __init__(
        self,
        sessions: SessionFactory,
        parcours: ParcoursClient,
        caf: Caf,
        messagerie: Messagerie,
    ) -> None:
        self.sessions, self.parcours = sessions, parcours
        self.caf, self.messagerie = caf, messagerie

    @activity.defn(name="imports.a_traiter")
    async def a_traiter(self, import_id: str) -> list[int]:
        """Rows still to do: after a restart, only those not done yet."""
        async with self.sessions() as session:
            q = select(ImportLigneRow.numero).where(
                ImportLigneRow.import_id == import_id,
                col(ImportLigneRow.action).in_(A_TRAITER),
                col(ImportLigneRow.resultat).is_(None),
            )
            return sorted((await session.exec(q)).all())

    @activity.defn(name="imports.traiter_lot")
    async def traiter_lot(self, lot: LotImport) -> int:
        """Open or update the batch's rows not done yet. The outcomes are written together
        once the batch is through, in one transaction (one per row took SQLite's single
        writer 20 times per batch, against the projections of the parcours being opened);
        a crash before that redoes the batch, whose rows find their parcours already there."""
        async with self.sessions() as session:
            imp = await session.get(ImportRow, lot.import_id)
            assert imp is not None
            auteur = Acteur.model_validate(imp.auteur)
            q = select(ImportLigneRow).where(
                ImportLigneRow.import_id == lot.import_id,
                col(ImportLigneRow.numero).in_(lot.numeros),
                col(ImportLigneRow.resultat).is_(None),  # done by an earlier attempt: skipped
            )
            lignes = list((await session.exec(q.order_by(col(ImportLigneRow.numero)))).all())
        referent = await self._referent(imp.referent_id)
        droits = await self._droits_rsa(lignes)
        fait = Fait()
        for n, ligne in enumerate(lignes):
            activity.heartbeat(n)
            try:
                fait.resultats[ligne.numero] = await self._traiter(
                    ligne, auteur, referent, droits.get(ligne.numero), fait.projections
                )
            except CommandeImpossible as err:
                if err.status >= 500:
                    await self._ecrire(lot.import_id, fait, auteur)  # keep what is done
                    raise  # the engine is away: retry the batch later
                fait.resultats[ligne.numero] = ("echec", err.message)
        await self._ecrire(lot.import_id, fait, auteur)
        return len(fait.resultats)

    async def _ecrire(self, import_id: str, fait: Fait, auteur: Acteur) -> None:
        """The outcomes, the first projection of each parcours opened (issue 16: written here
        rather than by an activity of each parcours) and one audit entry per dossier opened or
        updated, in one transaction: a row says « ouvert » once its parcours is in the read
        model, in its référent's portfolio and the coordination's lists; every write to a
        dossier is audited, an import's too (the person who confirmed it). Written only for
        parcours whose start went through: a start refused leaves no row behind."""
        if not fait.resultats:
            return
        qui = _utilisateur(auteur)
        async with self.sessions() as session, transaction_auditee(session) as maillons:
            for premiere in fait.projections:
                await ecrire(session, premiere)
            q = select(ImportLigneRow).where(
                ImportLigneRow.import_id == import_id,
                col(ImportLigneRow.numero).in_(list(fait.resultats)),
            )
            for ligne in (await session.exec(q)).all():
                ligne.resultat, ligne.message = fait.resultats[ligne.numero]
                session.add(ligne)
                if ligne.resultat in ECRITURES and ligne.parcours_id is not None:
                    detail = (
                        f"import {import_id}, ligne {ligne.numero} : {ECRITURES[ligne.resultat]}"
                    )
                    await maillons.ajouter(qui, "ecriture", f"parcours:{ligne.parcours_id}", detail)
            await session.commit()

    async def _referent(self, compte_id: str | None) -> Acteur | None:
        if compte_id is None:
            return None
        async with self.sessions() as session:
            compte = await session.get(Compte, compte_id)
        if compte is None or not compte.actif:
            return None
        return Acteur(
            id=compte.id,
            nom=compte.nom,
            role=Role.REFERENT,
            organisme=Organisme(compte.organisme) if compte.organisme else None,
            territoire=Territoire(compte.territoire) if compte.territoire else None,
        )

    async def _droits_rsa(self, lignes: list[ImportLigneRow]) -> dict[int, dict[str, Any]]:
        """The CAF's answers for the batch's rows to open, read a few at a time before their
        parcours start, which then neither call the CAF nor project its answer apart (issue
        16: two activities and two workflow tasks per parcours). A read that fails is left to
        the parcours, which calls again with its retries and, when they are spent, opens the
        incident the coordination sees, as at any accueil."""
        places, en_panne = asyncio.Semaphore(LECTURES_CAF), asyncio.Event()

        async def lire(ligne: ImportLigneRow, caf: str) -> tuple[int, dict[str, Any] | None]:
            async with places:
                if en_panne.is_set():  # the CAF is away: the parcours will call it themselves
                    return ligne.numero, None
                try:
                    return ligne.numero, await self.caf.lire(caf, f"{ligne.parcours_id}-accueil")
                except ApplicationError as err:
                    if err.type != "RefusPartenaire":
                        en_panne.set()
                    return ligne.numero, None
                finally:
                    activity.heartbeat()  # a slow CAF must not pass for a stopped worker

        a_lire = [
            (ligne, caf)
            for ligne in lignes
            if ligne.action == "ouvrir"
            and ligne.accueil is not None
            and (caf := (ligne.accueil.get("identifiants") or {}).get("caf"))
        ]
        lus = await asyncio.gather(*(lire(ligne, caf) for ligne, caf in a_lire))
        return {numero: droits for numero, droits in lus if droits is not None}

    async def _traiter(
        self,
        ligne: ImportLigneRow,
        auteur: Acteur,
        referent: Acteur | None,
        droits_rsa: dict[str, Any] | None,
        projections: list[Projection],
    ) -> tuple[str, str | None]:
        assert ligne.accueil is not None
        assert ligne.parcours_id is not None
        accueil = Accueil.model_validate(ligne.accueil)
        if ligne.action == "ouvrir":
            # Started only (an update would cost a round trip and a workflow task per row):
            # its first projection comes back, written with the batch's outcomes.
            try:
                premiere = await self.parcours.demarrer(
                    accueil,
                    auteur,
                    referent=referent,
                    parcours_id=ligne.parcours_id,
                    droits_rsa=droits_rsa,
                    sans_referent_annonce=referent is None,  # told once by terminer()
                )
            except WorkflowAlreadyStartedError:
                # by an attempt that stopped before writing the batch: its state, as it is now
                premiere = await self.parcours.projection(ligne.parcours_id)
            projections.append(premiere)
            return "ouvert", None if referent is not None else SANS_REFERENT
        return await self._mettre_a_jour(ligne.parcours_id, accueil, auteur)

    async def _mettre_a_jour(
        self, parcours_id: str, accueil: Accueil, auteur: Acteur
    ) -> tuple[str, str | None]:
        """Through the parcours' own commands (rectification, identifiers), so the timeline
        and the audit show who changed what. A cell left empty erases nothing."""
        state = await self.parcours.etat(parcours_id)
        nouveau = accueil.usager.model_dump(
            include={"telephone", "email", "adresse"}, exclude_none=True
        )
        usager = state.usager.model_copy(update=nouveau)
        changes = []
        if usager != state.usager:
            motif = "Mise à jour par l'import d'une liste"
            rectif = RectificationIdentite(usager=usager, motif=motif)
            await self.parcours.commander(parcours_id, "rectifier_identite", rectif, auteur)
            changes.append("coordonnées")
        ids = state.identifiants.model_copy(
            update=accueil.identifiants.model_dump(exclude_none=True)
        )
        if ids != state.identifiants:
            ids = IdentifiantsPartenaires.model_validate(ids.model_dump())
            await self.parcours.commander(parcours_id, "modifier_identifiants", ids, auteur)
            changes.append("identifiants")
        return "mis_a_jour", (", ".join(changes) or "rien à changer") or None

    @activity.defn(name="imports.terminer")
    async def terminer(self, import_id: str) -> None:
        async with self.sessions() as session:
            await ecriture(session)
            imp = await session.get(ImportRow, import_id)
            if imp is None:
                return
            if imp.statut != "termine":
                imp.statut, imp.termine_le = "termine", datetime.now(UTC)
                session.add(imp)
                await session.commit()
            await self._prevenir_l_auteur(session, imp)
            await self._prevenir_la_coordination(session, imp)

    async def _prevenir_la_coordination(self, session: AsyncSession, imp: ImportRow) -> None:
        """The parcours opened without a référent, told once per territory to its coordination:
        what each parcours' vigie would have e-mailed one by one at its opening (its « sans
        référent » break, workflows/parcours_vigie.py), for a list of 5,000 people 5,000 times.
        Once, however often this activity is retried (the key)."""
        q = select(ImportLigneRow.accueil).where(
            ImportLigneRow.import_id == imp.id,
            col(ImportLigneRow.resultat) == "ouvert",
            col(ImportLigneRow.message) == SANS_REFERENT,
        )
        territoires = Counter(
            str(a["territoire"]) for a in (await session.exec(q)).all() if a is not None
        )
        for territoire, n in sorted(territoires.items()):
            ouverts = pluriel(n, "parcours ouvert", "parcours ouverts")
            courriel = Courriel(
                destinataire=f"coordination:{territoire}",
                sujet=f"Import « {imp.nom_fichier} » : {ouverts} sans référent",
                texte=f"L'import de la liste « {imp.nom_fichier} » a ouvert "
                f"{pluriel(n, 'parcours', 'parcours')} sans référent : "
                f"{'il est' if n == 1 else 'ils sont'} en rupture « Aucun référent actif » "
                "jusqu'à l'affectation d'un référent.",
                lien=f"/imports/{imp.id}",
            )
            try:
                await self.messagerie.courriel(
                    f"import-{imp.id}-sans-referent-{territoire}", courriel
                )
            except ApplicationError as err:  # no coordinator there: the author was told above
                log.warning("Import %s : coordination non prévenue (%s)", imp.id, err.message)

    async def _prevenir_l_auteur(self, session: AsyncSession, imp: ImportRow) -> None:
        """Whoever confirmed the import hears that it finished, with its counts: once, however
        often this activity is retried (the key)."""
        auteur = imp.auteur.get("id")
        if not auteur or await session.get(Compte, auteur) is None:
            return
        resultats = Counter(
            r
            for r in (
                await session.exec(
                    select(ImportLigneRow.resultat).where(ImportLigneRow.import_id == imp.id)
                )
            ).all()
            if r
        )
        parts = [
            pluriel(resultats[code], *mots)
            for code, mots in (
                ("ouvert", ("parcours ouvert", "parcours ouverts")),
                ("mis_a_jour", ("parcours mis à jour", "parcours mis à jour")),
                ("rejetee", ("ligne rejetée", "lignes rejetées")),
                ("echec", ("échec", "échecs")),
            )
            if resultats[code]
        ]
        await notifier(
            session,
            cle=f"import:{imp.id}:termine",
            compte_id=auteur,
            sorte="import_termine",
            titre=f"Import terminé : {imp.nom_fichier}",
            texte=(", ".join(parts) or "Aucune ligne à traiter") + ".",
            objet=imp.id,
        )
