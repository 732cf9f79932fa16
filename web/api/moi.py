"""Who am I, and the directory a client needs to find the ids that designations ask for
(the référents, and the organismes they belong to, derived from the active accounts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from schemas.common import Organisme, Role, Territoire
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte
from web.deps import SessionDep, UtilisateurApi, adresse
from web.erreurs import Erreur, Refus

router = APIRouter(prefix="/api/v1", tags=["Annuaire"])

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Territoire hors de votre périmètre"},
    422: {"model": Erreur, "description": "Paramètre invalide (champ nommé)"},
}
PERIMETRE = (
    "Un référent et un coordinateur voient leur territoire ; un administrateur, tous les "
    "territoires."
)


class Moi(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "Le compte authentifié"})

    id: str = Field(description="Identifiant du compte")
    nom: str
    role: Role
    organisme: Organisme | None = None
    territoire: Territoire | None = Field(default=None, description="Aucun pour l'administration")


class ReferentAnnuaire(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "Un référent actif"})

    id: str = Field(description="À donner dans `referent_id` ou `nouveau_referent_id`")
    nom: str
    organisme: Organisme | None
    territoire: Territoire | None


class OrganismeAnnuaire(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"description": "Un organisme et ses référents actifs, par territoire"}
    )

    organisme: Organisme
    libelle: str
    territoires: list[Territoire]
    referents: int = Field(description="Nombre de référents actifs dans le périmètre")


@router.get("/moi", response_model=Moi, responses=ERREURS, summary="Qui suis-je ?")
async def moi(u: UtilisateurApi) -> Moi:
    return Moi(id=u.id, nom=u.nom, role=u.role, organisme=u.organisme, territoire=u.territoire)


def _territoire_permis(u: Utilisateur, demande: Territoire | None) -> Territoire | None:
    """The territory the list is restricted to: the person's own unless administrator."""
    if u.role == Role.ADMINISTRATEUR:
        return demande
    if u.role not in (Role.REFERENT, Role.COORDINATEUR) or u.territoire is None:
        raise Refus(403, "L'annuaire est réservé aux professionnels du SPIE", "interdit")
    if demande is not None and demande != u.territoire:
        message = "Ce territoire est hors de votre périmètre"
        raise Refus(
            403, message, CodeErreur.HORS_TERRITOIRE, [{"champ": "territoire", "message": message}]
        )
    return u.territoire


async def _referents(
    session: SessionDep, territoire: Territoire | None, organisme: Organisme | None
) -> list[Compte]:
    requete = select(Compte).where(Compte.actif, Compte.role == Role.REFERENT.value)
    if territoire is not None:
        requete = requete.where(Compte.territoire == territoire.value)
    if organisme is not None:
        requete = requete.where(Compte.organisme == organisme.value)
    return list((await session.exec(requete.order_by(col(Compte.nom), col(Compte.id)))).all())


@router.get(
    "/referents",
    response_model=list[ReferentAnnuaire],
    responses=ERREURS,
    summary="Annuaire des référents actifs",
    description=PERIMETRE + " Filtres facultatifs : `territoire`, `organisme`.",
)
async def referents(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    territoire: Territoire | None = None,
    organisme: Organisme | None = None,
) -> list[ReferentAnnuaire]:
    comptes = await _referents(session, _territoire_permis(u, territoire), organisme)
    await journaliser(
        session, u, "liste", "annuaire:referents", str(request.url.query)[:300], adresse(request)
    )
    return [
        ReferentAnnuaire(
            id=c.id,
            nom=c.nom,
            organisme=Organisme(c.organisme) if c.organisme else None,
            territoire=Territoire(c.territoire) if c.territoire else None,
        )
        for c in comptes
    ]


@router.get(
    "/organismes",
    response_model=list[OrganismeAnnuaire],
    responses=ERREURS,
    summary="Organismes ayant des référents actifs",
    description=PERIMETRE + " Déduits des comptes de référents actifs.",
)
async def organismes(
    u: UtilisateurApi,
    session: SessionDep,
    territoire: Territoire | None = None,
) -> list[OrganismeAnnuaire]:
    comptes = await _referents(session, _territoire_permis(u, territoire), None)
    out = []
    for o in Organisme:
        siens = [c for c in comptes if c.organisme == o.value]
        if siens:
            territoires = sorted({Territoire(c.territoire) for c in siens if c.territoire})
            out.append(
                OrganismeAnnuaire(
                    organisme=o, libelle=o.label, territoires=territoires, referents=len(siens)
                )
            )
    return out
