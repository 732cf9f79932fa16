"""The audit log for administrators: search, export, and the check of its HMAC chain and of
its daily anchors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from temporalio.service import RPCError

from core.clock import PARIS
from core.tableur import BOM, ecrivain
from schemas.audit import AncreAudit
from schemas.erreurs import CodeErreur
from services.audit import journaliser, lire_ancres, verifier_chaine
from services.utilisateur import Utilisateur
from store.audit import EntreeAudit
from web.deps import ServicesDep, SessionDep, UtilisateurApi, adresse
from web.erreurs import Erreur, Refus
from web.services import TemporalIndisponible

router = APIRouter(prefix="/api/v1/audit", tags=["Audit"])
ERREURS: dict[int | str, dict[str, Any]] = {401: {"model": Erreur}, 403: {"model": Erreur}}


class Entree(BaseModel):
    id: int
    le: datetime
    compte_id: str
    role: str
    action: str
    objet: str
    detail: str
    adresse: str | None


class PageAudit(BaseModel):
    total: int
    items: list[Entree]


class Verification(BaseModel):
    intact: bool
    entrees_verifiees: int
    probleme: str | None
    entrees_sans_cle: int = Field(
        description="Entrées écrites avant la clé (SHA-256 sans clé), en tête du journal"
    )
    ancrages_verifies: int | None = Field(
        description="Ancrages quotidiens vérifiés ; null si Temporal est injoignable (une "
        "troncature du journal ne serait alors pas détectée)"
    )


def admin_seulement(u: Utilisateur) -> None:
    if not u.est_admin:
        raise Refus(403, "Le journal d'audit est réservé à l'administration", "interdit")


Compte = Annotated[str | None, Query(max_length=120, description="Identifiant du compte")]
Objet = Annotated[
    str | None, Query(max_length=120, description="Ex. « parcours:<id> » ou « parcours »")
]


def _vide(valeur: object) -> object:
    return None if valeur == "" else valeur


PREMIER_JOUR, DERNIER_JOUR = date(2000, 1, 1), date(2099, 12, 31)  # days are shifted to Paris


@dataclass
class FiltresAudit:
    """The same search criteria for the list and for the export (FastAPI dependency)."""

    compte: Compte = None
    objet: Objet = None
    action: Annotated[str | None, Query(max_length=40)] = None
    # an empty field of the administration's search form means no criterion
    du: Annotated[date | None, BeforeValidator(_vide)] = None
    au: Annotated[date | None, BeforeValidator(_vide)] = None

    def __post_init__(self) -> None:
        for champ, jour in (("du", self.du), ("au", self.au)):
            if jour is not None and not PREMIER_JOUR <= jour <= DERNIER_JOUR:
                message = f"Le journal couvre les années {PREMIER_JOUR.year} à {DERNIER_JOUR.year}"
                raise Refus(
                    422,
                    f"« {champ} » : {message}",
                    CodeErreur.PERIODE_INVALIDE,
                    [{"champ": champ, "message": message}],
                )

    def where(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.compte:
            where.append(col(EntreeAudit.compte_id) == self.compte)
        if self.objet:
            where.append(col(EntreeAudit.objet).startswith(self.objet))
        if self.action:
            where.append(col(EntreeAudit.action) == self.action)
        if self.du:
            debut = datetime.combine(self.du, time.min, tzinfo=PARIS)
            where.append(col(EntreeAudit.le) >= debut)
        if self.au:
            fin = datetime.combine(self.au + timedelta(days=1), time.min, tzinfo=PARIS)
            where.append(col(EntreeAudit.le) < fin)
        return where


Filtres = Annotated[FiltresAudit, Depends()]


@router.get(
    "", response_model=PageAudit, responses=ERREURS, summary="Rechercher dans le journal d'audit"
)
async def rechercher(
    u: UtilisateurApi,
    session: SessionDep,
    filtres: Filtres,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageAudit:
    admin_seulement(u)
    return await chercher(session, filtres, limit, offset)


async def chercher(
    session: SessionDep, filtres: FiltresAudit, limit: int, offset: int
) -> PageAudit:
    """The search, newest first: for this route and the administration's page."""
    where = filtres.where()
    total = (await session.exec(select(func.count()).select_from(EntreeAudit).where(*where))).one()
    rows = (
        await session.exec(
            select(EntreeAudit)
            .where(*where)
            .order_by(col(EntreeAudit.id).desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return PageAudit(
        total=int(total), items=[Entree.model_validate(r, from_attributes=True) for r in rows]
    )


@router.get("/export.csv", responses=ERREURS, summary="Exporter le journal d'audit (CSV)")
async def exporter(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    filtres: Filtres,
) -> Response:
    admin_seulement(u)
    rows = (
        await session.exec(
            select(EntreeAudit).where(*filtres.where()).order_by(col(EntreeAudit.id))
        )
    ).all()
    out, writer = ecrivain()
    writer.writerow(
        ["N°", "Date", "Compte", "Rôle", "Action", "Objet", "Détail", "Adresse", "Empreinte"]
    )
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.le.isoformat(),
                r.compte_id,
                r.role,
                r.action,
                r.objet,
                r.detail,
                r.adresse or "",
                r.empreinte,
            ]
        )
    await journaliser(session, u, "export", "audit", f"{len(rows)} entrées", adresse(request))
    return Response(
        BOM + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="journal-audit.csv"'},
    )


@router.get(
    "/verification",
    response_model=Verification,
    responses=ERREURS,
    summary="Vérifier que le journal n'a pas été altéré (chaîne d'empreintes)",
)
async def verification(
    u: UtilisateurApi, session: SessionDep, services: ServicesDep
) -> Verification:
    admin_seulement(u)
    try:
        ancres: list[AncreAudit] | None = await lire_ancres(
            await services.client(), services.task_queue
        )
    except (TemporalIndisponible, RPCError):
        ancres = None  # the entries are still checked; the answer says the anchors were not
    etat = await verifier_chaine(session, ancres or [])
    return Verification(
        intact=etat.intact,
        entrees_verifiees=etat.entrees,
        probleme=etat.probleme,
        entrees_sans_cle=etat.non_signees,
        ancrages_verifies=None if ancres is None else etat.ancres_verifiees,
    )
