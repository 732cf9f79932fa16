"""The postal letters (issue 18), for a person with neither phone nor e-mail: an invitation's, and
a collective session's cancellation (or a withdrawal from it). Both filed the same way.

The short code is drawn here with ``secrets`` (agendas/code.py), printed in the PDF — the letter
is its only channel — and only its SHA-256 is kept (outbox) and goes back to the workflow. Unlike
a link's secret, it is never written down in clear, not even until the message is sent: an
attempt that stops after filing the PDF but before the outbox noted it cannot know the code
again, so the next attempt files the letter anew with a new code (nobody could use the first:
its fingerprint had reached no one). The PDF is filed, encrypted, among the
dossier's documents (type « courrier »): the référent downloads it from the parcours page and
its timeline, prints it and posts it."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from typing import Any

from temporalio import activity

from activities.http import refus
from activities.outbox import Outbox
from agendas.code import nouveau_code
from agendas.courrier import (
    NOM_DU_FICHIER,
    NOM_DU_FICHIER_ANNULATION,
    TYPE_DE_DOCUMENT,
    AdresseInutilisable,
    lettre_annulation_pdf,
    lettre_pdf,
)
from core.clock import PARIS
from pieces.service import Coffre, deposer
from rules.rendez_vous import regles_rendez_vous
from schemas.appels import AppelPartenaire, CourrierAnnulation, CourrierInvitation
from schemas.carnet import empreinte
from schemas.common import Acteur
from schemas.pieces import DemandePiece
from store.comptes import Compte
from store.db import SessionFactory, ecriture
from store.pieces import PieceRow
from store.structures import Structure

SUJET = "Courrier d'invitation à prendre rendez-vous"  # as the outbox records it
SUJET_ANNULATION = "Courrier d'annulation d'une session collective"


def document_du_courrier(idempotence: str) -> str:
    """The document's id, the same on every retry: a letter is filed once."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"parcours:courrier:{idempotence}").hex


class Courrier:
    def __init__(self, sessions: SessionFactory, outbox: Outbox, coffre: Coffre) -> None:
        self.sessions, self.outbox, self.coffre = sessions, outbox, coffre

    async def telephone(self, referent_id: str) -> str:
        """The phone of the référent's structure, else the SPIE's (rules/rendez_vous.yaml)."""
        async with self.sessions() as session:
            compte = await session.get(Compte, referent_id)
            structure = (
                await session.get(Structure, compte.structure_id)
                if compte is not None and compte.structure_id
                else None
            )
        if structure is not None and structure.contact_telephone:
            return structure.contact_telephone
        return regles_rendez_vous().courrier.telephone

    @activity.defn(name="courrier.produire")
    async def produire(self, appel: AppelPartenaire) -> dict[str, Any]:
        courrier = CourrierInvitation.model_validate(appel.donnees)
        document = document_du_courrier(appel.idempotence)
        if (deja := await self.outbox.envoi(appel.idempotence)) is not None:
            return {"statut": "deja_produit", "document": document} | (
                {"empreinte": deja.empreinte} if deja.empreinte else {}
            )
        code = nouveau_code()
        try:
            pdf = lettre_pdf(
                courrier, code, await self.telephone(courrier.referent_id), _aujourd_hui()
            )
        except AdresseInutilisable as err:  # an incident the référent sees and can fix
            raise refus(str(err)) from None
        await self._classer(appel, document, pdf)
        trace = empreinte(code)
        await self.outbox.noter(
            appel.idempotence, "courrier", "courrier postal", SUJET, trace, appel.parcours_id
        )
        return {"statut": "produit", "document": document, "empreinte": trace}

    @activity.defn(name="courrier.produire_annulation")
    async def produire_annulation(self, appel: AppelPartenaire) -> dict[str, Any]:
        """The letter of a cancelled session (or a withdrawal): no code, so a retry after the
        outbox noted it has nothing to redo, and one before files the same letter again."""
        courrier = CourrierAnnulation.model_validate(appel.donnees)
        document = document_du_courrier(appel.idempotence)
        if await self.outbox.envoi(appel.idempotence) is not None:
            return {"statut": "deja_produit", "document": document}
        try:
            pdf = lettre_annulation_pdf(
                courrier, await self.telephone(courrier.referent_id), _aujourd_hui()
            )
        except AdresseInutilisable as err:  # an incident the référent sees and can fix
            raise refus(str(err)) from None
        await self._classer(appel, document, pdf, NOM_DU_FICHIER_ANNULATION)
        await self.outbox.noter(
            appel.idempotence, "courrier", "courrier postal", SUJET_ANNULATION, None,
            appel.parcours_id,
        )  # fmt: skip
        return {"statut": "produit", "document": document}

    async def _classer(
        self, appel: AppelPartenaire, document: str, pdf: bytes, nom_fichier: str = NOM_DU_FICHIER
    ) -> None:
        async with self.sessions() as session:
            if (avant := await session.get(PieceRow, document)) is not None:
                # filed by an attempt that stopped before the outbox noted its code: replaced
                await self.coffre.stockage.supprimer(avant.cle)
                await ecriture(session)
                await session.delete(avant)
                await session.commit()
            demande = DemandePiece(
                type=TYPE_DE_DOCUMENT,
                nom_fichier=nom_fichier,
                contenu=base64.b64encode(pdf).decode("ascii"),
            )
            await deposer(
                session,
                self.coffre,
                appel.parcours_id,
                demande,
                Acteur.plateforme(),
                piece_id=document,
            )


def _aujourd_hui() -> date:
    return datetime.now(PARIS).date()
