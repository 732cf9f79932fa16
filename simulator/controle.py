"""Inspection and control of the simulator (`/_simulateur/…`): what was received, failure
modes, CAF rights, and events sent to the platform like a real partner."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from simulator import emetteur
from simulator.contexte import Contexte, contexte
from simulator.page import page
from simulator.store import CourrielRecu, DroitsRsa, Mode, Recu

router = APIRouter(prefix="/_simulateur", tags=["Contrôle du simulateur"])


class DemandeEvenement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partenaire: str = Field(examples=["employeur"])
    type: str = Field(min_length=1, examples=["fr.employeur.contrat.rompu"])
    sujet: str = Field(min_length=1, examples=["73282932000074:M-1042"])
    data: dict[str, Any] = {}
    time: AwareDatetime | None = None
    id: str | None = Field(None, min_length=1)


def _partenaire(ctx: Contexte, partenaire: str) -> str:
    if partenaire not in ctx.partenaires_connus():
        connus = ", ".join(ctx.partenaires_connus())
        raise HTTPException(404, f"Partenaire inconnu : « {partenaire} » (connus : {connus}).")
    return partenaire


@router.get("/recus")
def recus(
    partenaire: str | None = None, operation: str | None = None, ctx: Contexte = Depends(contexte)
) -> list[Recu]:
    return ctx.store.recus(partenaire or None, operation or None)


@router.delete("/recus")
def reinitialiser(ctx: Contexte = Depends(contexte)) -> dict[str, str]:
    ctx.store.reinitialiser()
    return {"message": "Simulateur remis à zéro : appels, courriels, SMS, modes et droits CAF."}


@router.get("/courriels")
def courriels(
    destinataire: str | None = None, ctx: Contexte = Depends(contexte)
) -> list[CourrielRecu]:
    return ctx.store.courriels(destinataire or None)


@router.get("/sms")
def sms(telephone: str | None = None, ctx: Contexte = Depends(contexte)) -> list[dict[str, Any]]:
    return ctx.store.sms(telephone or None)


@router.get("/modes")
def modes(ctx: Contexte = Depends(contexte)) -> dict[str, Mode]:
    return {p: ctx.store.mode(p) for p in ctx.partenaires_connus()}


@router.put("/modes/{partenaire}")
def definir_mode(partenaire: str, mode: Mode, ctx: Contexte = Depends(contexte)) -> dict[str, Any]:
    ctx.store.definir_mode(_partenaire(ctx, partenaire), mode)
    return {"partenaire": partenaire, **mode.model_dump()}


@router.put("/caf/allocataires/{numero}")
def definir_droits(
    numero: str, droits: DroitsRsa, ctx: Contexte = Depends(contexte)
) -> dict[str, Any]:
    ctx.store.definir_droits(numero, droits)
    return {"numero_allocataire": numero, **droits.model_dump(mode="json")}


@router.post("/evenements")
async def envoyer_evenement(
    demande: DemandeEvenement, ctx: Contexte = Depends(contexte)
) -> dict[str, Any]:
    config = ctx.partners.get(_partenaire(ctx, demande.partenaire))
    if config is None:
        raise HTTPException(422, f"{ctx.nom(demande.partenaire)} n'envoie pas d'événements.")
    try:
        evenement = emetteur.construire_evenement(
            config,
            demande.type,
            demande.sujet,
            demande.data,
            moment=demande.time,
            identifiant=demande.id,
        )
        envoi = await emetteur.envoyer(ctx.plateforme(), config, evenement)
    except emetteur.PartenaireSansSignature as err:
        raise HTTPException(422, str(err)) from None
    except httpx.HTTPError as err:
        raise HTTPException(
            502, f"Plateforme injoignable à {ctx.plateforme()} ({type(err).__name__})."
        ) from None
    return {"statut_http": envoi.statut_http, "reponse": envoi.reponse, "evenement": evenement}


@router.get("/", response_class=HTMLResponse)
def tableau(ctx: Contexte = Depends(contexte)) -> str:
    return page(modes(ctx), ctx.store.recus(), ctx.store.courriels(), ctx.store.sms(), ctx.nom)
