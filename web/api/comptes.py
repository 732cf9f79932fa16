"""Structures and accounts through the API: the same operations as the cockpit's
administration pages and the command line, all in ``web.administration.service``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from schemas.erreurs import CodeErreur
from services.parcours_client import ParcoursClient
from web.administration import activation, import_comptes, service
from web.administration.schemas import (
    BilanImportComptes,
    CompteModification,
    CompteSaisie,
    CompteVue,
    Desactivation,
    EntreeJournal,
    ImportComptes,
    JetonVue,
    ParcoursDetenu,
    StructureSaisie,
    StructureVue,
)
from web.api.imports import contenu_du_fichier
from web.deps import ServicesDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Erreur, Refus
from web.services import Services, TemporalIndisponible

router = APIRouter(prefix="/api/v1", tags=["Administration des comptes"])
ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur},
    403: {"model": Erreur},
    404: {"model": Erreur},
    409: {"model": Erreur},
    422: {"model": Erreur},
}
CompteId = Annotated[str, Path(max_length=80)]
StructureId = Annotated[str, Path(max_length=80)]


def adresse_publique(services: Services) -> str:
    return services.settings.effective_public_url


async def moteur(services: Services) -> ParcoursClient | None:
    """The Temporal client, only needed to hand parcours over."""
    try:
        return await services.parcours()
    except TemporalIndisponible:
        return None


@router.get("/structures", response_model=list[StructureVue], responses=ERREURS)
async def structures(u: UtilisateurApi, session: SessionDep) -> list[StructureVue]:
    """Les structures que vous administrez (toutes pour l'administration du SPIE)."""
    return await service.lister_structures(session, u)


@router.post("/structures", status_code=201, response_model=StructureVue, responses=ERREURS)
async def creer_structure(
    d: StructureSaisie, u: UtilisateurApi, session: SessionDep, request: Request
) -> StructureVue:
    """Créer une structure (SIRET vérifié, clé de contrôle comprise)."""
    return await service.creer_structure(session, u, d, adresse(request))


@router.get("/structures/{structure_id}", response_model=StructureVue, responses=ERREURS)
async def structure(structure_id: StructureId, u: UtilisateurApi, session: SessionDep) -> Any:
    return service.vue_structure(await service.structure(session, u, structure_id))


@router.put("/structures/{structure_id}", response_model=StructureVue, responses=ERREURS)
async def modifier_structure(
    structure_id: StructureId,
    d: StructureSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> StructureVue:
    return await service.modifier_structure(session, u, structure_id, d, adresse(request))


@router.get("/comptes", response_model=list[CompteVue], responses=ERREURS)
async def comptes(
    u: UtilisateurApi, session: SessionDep, en_attente: Annotated[bool, Query()] = False
) -> list[CompteVue]:
    """Les comptes que vous administrez ; ``en_attente`` : la file des demandes ProConnect."""
    return await service.lister_comptes(session, u, en_attente=en_attente)


@router.post("/comptes", status_code=201, response_model=CompteVue, responses=ERREURS)
async def creer_compte(
    d: CompteSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> CompteVue:
    """Créer un compte : la personne reçoit par courriel un lien d'activation (à usage
    unique, valable 7 jours) et y choisit son mot de passe."""
    vue, _ = await service.creer_compte(
        session,
        u,
        d,
        adresse_publique=adresse_publique(services),
        envoyer=activation.envoi_par_courriel(services.settings),
        adresse=adresse(request),
    )
    return vue


@router.get("/comptes/{compte_id}", response_model=CompteVue, responses=ERREURS)
async def compte(compte_id: CompteId, u: UtilisateurApi, session: SessionDep) -> CompteVue:
    return await service.voir_compte(session, u, compte_id)


@router.patch("/comptes/{compte_id}", response_model=CompteVue, responses=ERREURS)
async def modifier_compte(
    compte_id: CompteId,
    d: CompteModification,
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> CompteVue:
    """Changer le nom, le rôle, la structure ou le territoire d'un compte."""
    return await service.modifier_compte(session, u, compte_id, d, adresse(request))


@router.get("/comptes/{compte_id}/parcours", response_model=list[ParcoursDetenu], responses=ERREURS)
async def parcours_detenus(
    compte_id: CompteId, u: UtilisateurApi, session: SessionDep
) -> list[ParcoursDetenu]:
    """Les parcours dont ce compte est le référent (à remettre avant de le désactiver)."""
    c = await service.compte(session, u, compte_id)
    return await service.parcours_detenus(session, c.id)


@router.post("/comptes/{compte_id}/desactiver", response_model=CompteVue, responses=ERREURS)
async def desactiver(
    compte_id: CompteId,
    d: Desactivation,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> CompteVue:
    """Désactiver un compte. S'il est référent de parcours, chacun est d'abord transféré
    (``repartition``) ou tous à un même référent (``tous_vers``) ; sinon 409."""
    detenus = await service.parcours_detenus(session, compte_id)
    client = await moteur(services) if detenus else None
    if detenus and client is None:
        raise Refus(503, "Le moteur de parcours est injoignable", CodeErreur.TEMPORAL_INDISPONIBLE)
    return await service.desactiver(
        session, u, compte_id, d, parcours=client, today=aujourd_hui(), adresse=adresse(request)
    )


@router.post("/comptes/{compte_id}/reactiver", response_model=CompteVue, responses=ERREURS)
async def reactiver(
    compte_id: CompteId, u: UtilisateurApi, session: SessionDep, request: Request
) -> CompteVue:
    """Réactiver un compte désactivé, ou approuver une demande ProConnect en attente."""
    return await service.reactiver(session, u, compte_id, adresse(request))


@router.post("/comptes/{compte_id}/reinitialiser", response_model=CompteVue, responses=ERREURS)
async def reinitialiser(
    compte_id: CompteId,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> CompteVue:
    """Réinitialiser l'accès : mot de passe oublié, sessions fermées, nouveau lien envoyé."""
    return await service.reinitialiser(
        session,
        u,
        compte_id,
        adresse_publique=adresse_publique(services),
        envoyer=activation.envoi_par_courriel(services.settings),
        adresse=adresse(request),
    )


@router.get("/comptes/{compte_id}/jetons", response_model=list[JetonVue], responses=ERREURS)
async def jetons(compte_id: CompteId, u: UtilisateurApi, session: SessionDep) -> list[JetonVue]:
    return await service.jetons(session, u, compte_id)


@router.post(
    "/comptes/{compte_id}/jetons/{jeton_id}/revoquer", response_model=JetonVue, responses=ERREURS
)
async def revoquer_jeton(
    compte_id: CompteId,
    jeton_id: Annotated[str, Path(max_length=16)],
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
) -> JetonVue:
    return await service.revoquer_jeton(session, u, compte_id, jeton_id, adresse(request))


@router.get("/comptes/{compte_id}/journal", response_model=list[EntreeJournal], responses=ERREURS)
async def journal(
    compte_id: CompteId, u: UtilisateurApi, session: SessionDep
) -> list[EntreeJournal]:
    """Chaque changement du compte (qui, quoi, avant, après) et ses connexions."""
    return await service.journal(session, u, compte_id)


@router.post(
    "/structures/{structure_id}/comptes/import",
    response_model=BilanImportComptes,
    responses=ERREURS,
    summary="Importer la liste des professionnels d'une structure",
)
async def importer_comptes(
    structure_id: StructureId,
    d: ImportComptes,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> BilanImportComptes:
    """Fichier XLSX ou CSV (en base64) des professionnels de la structure. Sans ``confirmer`` :
    l'aperçu de chaque ligne (créer, compte existant, rejetée avec ses erreurs), rien n'est
    créé. Avec ``confirmer`` : chaque nouveau compte reçoit son lien d'activation par courriel ;
    une adresse qui a déjà un compte n'en reçoit jamais un second."""
    return await import_comptes.importer(
        session,
        u,
        structure_id,
        d,
        contenu_du_fichier(d.contenu),
        adresse_publique=adresse_publique(services),
        envoyer=activation.envoi_par_courriel(services.settings),
        adresse=adresse(request),
    )
